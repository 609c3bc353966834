"""Where shown figures come from, summarised for a panel: CBS table, variable, year, method, areas."""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from wijk.store import Figure

COLUMNS_NL = {"table": "CBS-tabel / bron", "variable": "Variabele", "year": "Jaar", "method": "Berekening",
              "areas": "Gebieden", "codes": "Gebiedscodes"}
COLUMNS_EN = {"table": "CBS table / source", "variable": "Variable", "year": "Year", "method": "Computation",
              "areas": "Areas", "codes": "Area codes"}


def summarise(figures: Iterable[Figure], lang: str = "nl", max_codes: int = 6) -> pd.DataFrame:
    """One row per (table, variable, year, method) of the figures that have a value."""
    rows = [{"table": f.table, "variable": f.variable, "year": f.year, "method": f.method_text(lang),
             "code": f.code} for f in figures if f.value is not None]
    cols = COLUMNS_EN if lang == "en" else COLUMNS_NL
    if not rows:
        return pd.DataFrame(columns=list(cols.values()))
    frame = pd.DataFrame(rows)
    out = (frame.groupby(["table", "variable", "year", "method"], sort=True)["code"]
           .agg(areas="count", codes=lambda c: ", ".join(sorted(c)[:max_codes]) + (" …" if len(c) > max_codes else ""))
           .reset_index().sort_values("areas", ascending=False, kind="stable"))
    return out.rename(columns=cols).reset_index(drop=True)


def one_line(fig: Figure, lang: str = "nl") -> str:
    """'Bron: CBS-tabel 85984NED, variabele …, 2024, BU00140301 (berekend uit CBS-aantallen)'."""
    if fig.value is None:
        return ""
    word = "Source" if lang == "en" else "Bron"
    table = ("table " if lang == "en" else "tabel ") + fig.table if fig.table else ""
    parts = [p for p in (table, fig.variable, str(fig.year), fig.code) if p]
    return f"{word}: {', '.join(parts)} ({fig.method_text(lang)})"
