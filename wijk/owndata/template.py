"""A downloadable template for own data: the format, with MADE-UP example codes and figures.

The codes (GM9999, WK999901, BU99990101 ...) do not exist at CBS, so the example can never be
mistaken for real figures; uploading it unchanged shows the 'unknown code' messages.
"""

from __future__ import annotations

import pandas as pd

from wijk.core.i18n import t
from wijk.core.safe_export import to_csv_bytes, to_excel_bytes


def template_frame() -> pd.DataFrame:
    """The example table (made up): a count, a percentage with numerator and denominator, a rate."""
    return pd.DataFrame(
        {
            "gebiedscode": ["BU99990101", "BU99990102", "BU99990103", "WK999901", "GM9999"],
            "jaar": [2024] * 5,
            "leerlingen_totaal": [120, 85, 8, 213, 1450],
            "leerlingen_regulier_onderwijs": [114, 80, 7, 201, 1390],
            "pct_regulier_onderwijs": [95.0, 94.1, 87.5, 94.4, 95.9],
            "ondertoezichtstellingen_per_1000_jeugdigen": [3.1, 2.4, "", 2.8, 2.2],
        }
    )


def header_lines(lang: str = "nl") -> list[str]:
    """The template's explanation above the table (label eigen_template_header, one line each)."""
    return t("eigen_template_header", lang).strip().splitlines()


def template_csv(lang: str = "nl") -> bytes:
    return to_csv_bytes(template_frame(), header_lines(lang))


def template_xlsx(lang: str = "nl") -> bytes:
    return to_excel_bytes({"eigen_data": template_frame()}, ["# " + line for line in header_lines(lang)])
