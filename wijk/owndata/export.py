"""The own-data result as a table for spreadsheets: numbers as numbers, suppressed cells empty.

The screen shows formatted text ('40,0%', 'onderdrukt'); a download needs numbers. A suppressed or
missing value stays an empty cell (never 0); a column per row lists what was suppressed there.
"""

from __future__ import annotations

import pandas as pd

from wijk.core.i18n import t
from wijk.core.owndata import OwnDataset
from wijk.core.spreadsheet import SheetTable
from wijk.core.store import Store


def result_numbers(ds: OwnDataset, store: Store, lang: str = "nl") -> pd.DataFrame:
    """One row per area and year: code, name, year, one number column per indicator, what was suppressed."""
    v = ds.values
    base = v[["code", "year"]].drop_duplicates().sort_values(["year", "code"]).reset_index(drop=True)
    out = pd.DataFrame(
        {
            "code": base["code"].astype(str),
            t("eigen_col_name", lang): [store.areas.name(c, int(y), lang) for c, y in zip(base["code"], base["year"])],
            t("eigen_col_year", lang): base["year"].astype(int),
        }
    )
    hidden: list[list[str]] = [[] for _ in range(len(base))]
    for ind in ds.indicators:
        sub = v[v["indicator"] == ind.id].set_index(["code", "year"])
        col = []
        for i, (c, y) in enumerate(zip(base["code"], base["year"])):
            r = sub.loc[(c, y)] if (c, y) in sub.index else None
            if r is not None and bool(r["suppressed"]):
                hidden[i].append(ind.label)
            col.append(None if r is None or bool(r["suppressed"]) or pd.isna(r["value"]) else float(r["value"]))
        out[ind.label] = pd.array(col, dtype="float64")
    out[t("eigen_suppressed", lang)] = ["; ".join(h) for h in hidden]
    return out


def result_table(ds: OwnDataset, store: Store, lang: str, info: list[str]) -> SheetTable:
    return SheetTable(ds.name, result_numbers(ds, store, lang), info)
