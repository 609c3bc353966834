"""Where shown figures come from, summarised for a panel: CBS table, variable, year, method, areas."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from wijk.core.i18n import t
from wijk.core.numbers import number
from wijk.core.store import Figure

# summary column -> its label (data/i18n)
COLUMNS = {
    "table": "prov_col_table",
    "variable": "prov_variable",
    "year": "prov_year",
    "period": "prov_period",
    "method": "prov_method",
    "areas": "prov_col_areas",
    "codes": "prov_col_codes",
}


def summarise(figures: Iterable[Figure], lang: str = "nl", max_codes: int = 6) -> pd.DataFrame:
    """One row per (table, variable, year, method) of the figures that have a value."""
    rows = [
        {
            "table": f.table,
            "variable": f.variable,
            "year": f.year,
            "period": period_text(f.period, lang),
            "method": f.method_text(lang),
            "code": f.code,
        }
        for f in figures
        if f.value is not None
    ]
    cols = {col: t(key, lang) for col, key in COLUMNS.items()}
    if not rows:
        return pd.DataFrame(columns=list(cols.values()))
    frame = pd.DataFrame(rows)
    out = (
        frame.groupby(["table", "variable", "year", "period", "method"], sort=True)["code"]
        .agg(areas="count", codes=lambda c: ", ".join(sorted(c)[:max_codes]) + (" …" if len(c) > max_codes else ""))
        .reset_index()
        .sort_values("areas", ascending=False, kind="stable")
    )
    return out.rename(columns=cols).reset_index(drop=True)


def period_text(period: str, lang: str = "nl") -> str:
    """'2024-01-01' -> '1 januari 2024'; '2020-autumn' -> 'najaar 2020'; 'before:2024'; '2014' -> '2014'."""
    p = (period or "").strip()
    if not p:
        return ""
    if p.startswith("before:"):
        return t("period_before", lang, year=p.split(":", 1)[1])
    if p.endswith("-01-01"):
        return t("period_jan1", lang, year=p[:4])
    if p.endswith("-autumn"):
        return t("period_autumn", lang, year=p[:4])
    return t("period_year", lang, year=p)


OLD_AFTER_YEARS = 5  # a figure describing a year more than this before the selected year is marked as old


def described_year(fig_year: int, period: str) -> int:
    """The year a figure describes: its period's year where that is a plain year (income of KWB 2017
    describes 2014), else the figure's year."""
    head = (period or "")[:4]
    return int(head) if head.isdigit() and len(head) == 4 else int(fig_year)


def is_old(fig_year: int, period: str, year: int | None) -> bool:
    """True when the figure describes a year more than OLD_AFTER_YEARS before the selected year."""
    return year is not None and year - described_year(fig_year, period) > OLD_AFTER_YEARS


def coverage_text(fig: Figure, lang: str = "nl") -> str:
    """'100%', '97,4%' or 'unknown (subset)' for pooled figures; '' for an area's own figure."""
    if fig.value is None or fig.method in ("cbs", "derived", "local", ""):
        return ""
    if fig.coverage is None:
        return t("prov_coverage_unknown", lang)
    return number(fig.coverage * 100, 1, lang, grouped=False) + "%"


def one_line(fig: Figure, lang: str = "nl") -> str:
    """'Bron: tabel 85984NED, AantalInwoners_5, 2024, BU00140301 (cijfer van CBS)'."""
    if fig.value is None:
        return ""
    table = t("prov_line_table", lang, table=fig.table) if fig.table else ""
    period = period_text(fig.period, lang)
    year = str(fig.year) + (f" ({period})" if period and period != str(fig.year) else "")
    unknown = fig.boundary_text(lang) if fig.boundary_unknown else ""  # 'grensjaar onbekend'
    parts = [p for p in (table, fig.variable, year, unknown, fig.code) if p]
    return t("prov_line", lang, parts=", ".join(parts), method=fig.method_text(lang))
