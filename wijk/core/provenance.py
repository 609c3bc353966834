"""Where shown figures come from, summarised for a panel: CBS table, variable, year, method, areas."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from wijk.core.numbers import number
from wijk.core.store import Figure

COLUMNS_NL = {
    "table": "CBS-tabel / bron",
    "variable": "Variabele",
    "year": "Jaar",
    "period": "Betreft periode",
    "method": "Berekening",
    "areas": "Gebieden",
    "codes": "Gebiedscodes",
}
COLUMNS_EN = {
    "table": "CBS table / source",
    "variable": "Variable",
    "year": "Year",
    "period": "Reference period",
    "method": "Computation",
    "areas": "Areas",
    "codes": "Area codes",
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
    cols = COLUMNS_EN if lang == "en" else COLUMNS_NL
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
    from wijk.core.i18n import t

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


def coverage_text(fig: Figure, lang: str = "nl") -> str:
    """'100%', '97,4%' or 'unknown (subset)' for pooled figures; '' for an area's own figure."""
    from wijk.core.i18n import t

    if fig.value is None or fig.method in ("cbs", "derived", "local", ""):
        return ""
    if fig.coverage is None:
        return t("prov_coverage_unknown", lang)
    return number(fig.coverage * 100, 1, lang, grouped=False) + "%"


def one_line(fig: Figure, lang: str = "nl") -> str:
    """'Bron: CBS-tabel 85984NED, variabele …, 2024, BU00140301 (berekend uit CBS-aantallen)'."""
    if fig.value is None:
        return ""
    word = "Source" if lang == "en" else "Bron"
    table = ("table " if lang == "en" else "tabel ") + fig.table if fig.table else ""
    period = period_text(fig.period, lang)
    year = str(fig.year) + (f" ({period})" if period and period != str(fig.year) else "")
    parts = [p for p in (table, fig.variable, year, fig.code) if p]
    return f"{word}: {', '.join(parts)} ({fig.method_text(lang)})"
