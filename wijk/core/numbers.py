"""Numbers as the UI language writes them, in one place: '1.234,5' in Dutch, '1,234.5' in English.

The separators are labels (`number_thousands`, `number_decimal` in data/i18n/common.toml), so cards,
tables, exports and the charts' number locale (wijk.core.chart_locale) all print a number alike.
"""

from __future__ import annotations

from wijk.core.i18n import DEFAULT_LANG, t


def separators(lang: str = DEFAULT_LANG) -> tuple[str, str]:
    """(thousands, decimal) separator of the language."""
    return t("number_thousands", lang), t("number_decimal", lang)


def number(
    value: float, decimals: int = 0, lang: str = DEFAULT_LANG, *, sign: bool = False, grouped: bool = True
) -> str:
    """The value with `decimals` decimals: number(1234.5, 1) -> '1.234,5' (Dutch), '1,234.5' (English).

    sign=True always writes the sign ('+1,5'); grouped=False leaves out the thousands separator."""
    spec = ("+" if sign else "") + ("," if grouped else "") + f".{decimals}f"
    thousands, decimal = separators(lang)
    return format(value, spec).replace(",", "\0").replace(".", decimal).replace("\0", thousands)
