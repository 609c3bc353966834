"""Own-data suppression cost at national scale: 1, 40 and all gemeenten of the real 2024 area hierarchy.

The areas and their hierarchy are real (data/areas.parquet, 2024: gemeente + wijk + buurt rows); the
counts are SYNTHETIC (random, seeded, many under the threshold so that primary and secondary
suppression both have work), never real figures.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wijk.core.codes import NL_CODE  # noqa: E402
from wijk.owndata.differencing import real_children  # noqa: E402
from wijk.owndata.suppression import suppress  # noqa: E402

YEAR = 2024
BUDGET_ALL_NL = 5.0  # seconds (issue #22)


def synthetic_file(areas: pd.DataFrame, n_gemeenten: int | None, seed: int = 7) -> pd.DataFrame:
    """A SYNTHETIC upload: every gemeente, wijk and buurt row of the first n
    gemeenten (all: with the NL row too, 18,310 rows), one count each.

    Buurt counts are random (a third under 5); wijk and gemeente rows are the sums of their parts,
    so the file is consistent as a real one would be."""
    rng = np.random.default_rng(seed)
    year = areas[areas["year"] == YEAR]
    gms = sorted(year.loc[year["level"] == "gemeente", "code"])[:n_gemeenten]
    part = year[year["gemeente"].isin(gms) | year["code"].isin(gms)]
    bu = part[part["level"] == "buurt"].copy()
    bu["value"] = np.where(rng.random(len(bu)) < 0.33, rng.integers(0, 5, len(bu)), rng.integers(5, 400, len(bu)))
    wijken = part.loc[part["level"] == "wijk", "code"]
    wk = bu.groupby("wijk")["value"].sum().reindex(wijken).fillna(pd.Series(rng.integers(5, 400, len(wijken)), wijken))
    gm = bu.groupby("gemeente")["value"].sum()
    rows = pd.concat(
        [
            bu[["code", "value"]],
            pd.DataFrame({"code": wk.index, "value": wk.to_numpy()}),
            pd.DataFrame({"code": gm.index, "value": gm.to_numpy()}),
            pd.DataFrame({"code": [NL_CODE], "value": [gm.sum()]}) if n_gemeenten is None else None,
        ]
    )
    rows = rows[rows["code"].isin({*part["code"], NL_CODE})]
    return rows.assign(year=YEAR, indicator="local:synthetic", unit="count", value=rows["value"].astype(float))


def run() -> list[tuple[str, float, str, str]]:
    areas = pd.read_parquet(ROOT / "data" / "areas.parquet")
    children = real_children(areas)
    out = []
    full = synthetic_file(areas, None)
    rng = np.random.default_rng(11)
    gaps = full[~full["code"].str.startswith("WK") & (rng.random(len(full)) > 0.1)]  # no wijk rows, 1 in 10 gone
    cases = [(1, "1 gemeente", None), (40, "40 gemeenten", None), (None, "all NL", full)]
    cases.append((None, "all NL without wijk rows and 1 in 10 rows missing", gaps))
    for n, label, given in cases:
        frame = (synthetic_file(areas, n) if given is None else given).reset_index(drop=True)
        start = time.perf_counter()
        result = suppress(frame, children=children)
        seconds = time.perf_counter() - start
        budget = f"< {BUDGET_ALL_NL:.0f} s" if n is None else "grows about linearly"  # all NL: the bound
        name = f"owndata suppression, {label} ({len(frame)} rows, {int(result['suppressed'].sum())} hidden; SYNTHETIC counts)"
        out.append((name, seconds, "s", budget))
    return out


if __name__ == "__main__":
    for row in run():
        print(f"{row[0]}: {row[1]:.2f} {row[2]} (budget: {row[3]})")
