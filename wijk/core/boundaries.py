"""The file of areas whose polygons were left off the maps because their boundaries changed:
written by the build (wijk.data.geo_build), read by the map (wijk.kaart.geo). One format, here."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from wijk.core.paths import data_dir

CHANGED_FILE = Path("geo") / "changed_boundaries.csv"
CHANGED_COLUMNS = [
    "level",
    "boundary_year",
    "gemeente",
    "code",
    "reason",
    "polygon_ha",
    "land_ha_2024",
    "wijk_water_ha_2024",
    "inwoners_2017",
    "inwoners_2024",
]


def changed_boundaries(data: Path | None = None) -> pd.DataFrame:
    """Polygons left out because their area or inhabitants show the 2024 area is another one
    (the rule is wijk.data.geo_build.boundary_check); empty with the columns when not built."""
    path = (data or data_dir()) / CHANGED_FILE
    if not path.exists():
        return pd.DataFrame(columns=CHANGED_COLUMNS)
    return pd.read_csv(path, dtype={"code": str, "gemeente": str, "reason": str, "level": str})


CROSSWALK_FILE = Path("buurt_crosswalk.csv")  # written by wijk.data.crosswalk: old and new buurt codes
COVER_MIN = 0.2  # a current buurt 'covers' an old one when it holds at least 20% of the old polygon


def current_areas_for(old_code: str, data: Path | None = None) -> list[tuple[str, str, float]]:
    """The current (2024) buurten that cover an old buurt code: (code, relation, share of the old area),
    largest share first; [] when the crosswalk has no such pair (the code is current or unknown)."""
    path = (data or data_dir()) / CROSSWALK_FILE
    if not path.exists():
        return []
    cw = pd.read_csv(path, dtype={"code_2019": str, "code_2024": str, "relation": str})
    rows = cw[(cw["code_2019"] == old_code) & (cw["code_2024"] != old_code) & (cw["share_2019"] >= COVER_MIN)]
    rows = rows.sort_values(["share_2019", "code_2024"], ascending=[False, True])
    return [(str(c), str(r), float(s)) for c, r, s in zip(rows["code_2024"], rows["relation"], rows["share_2019"])]


# The crosswalk compares the 2019 buurt polygons with the (approximate) 2024 ones; figures on an
# indeling before 2022 are judged by it (written by wijk.data.crosswalk, read by the map).
POLYGON_YEAR = 2019  # the year of the crosswalk's old polygons
NEW_POLYGON_YEAR = 2024  # the year of its new polygons
CARRY_BEFORE = 2022  # figures on indelingen before this year (KWB 2017, RIVM on the 2020 indeling) are judged


def reused_codes(data: Path | None = None) -> frozenset[str]:
    """Old buurt codes whose 2024 polygon of the same code is another place: a same-code pair the
    crosswalk rejected (split, merged, moved, other inhabitants), or an old code whose area now has
    another code (its own code, where it still exists, names something else). A figure of such a code
    on an indeling before CARRY_BEFORE is never drawn on the 2024 polygon of that code."""
    path = (data or data_dir()) / CROSSWALK_FILE
    if not path.exists():
        return frozenset()
    st = path.stat()
    return _reused(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=4)
def _reused(path: str, _mtime: int, _size: int) -> frozenset[str]:
    cw = pd.read_csv(path, dtype={"code_2019": str, "code_2024": str, "relation": str})
    same_code = cw["code_2019"] == cw["code_2024"]
    rejected = cw.loc[same_code & (cw["relation"] != "zelfde"), "code_2019"]
    moved = cw.loc[(cw["carried"] == 1) & ~same_code, "code_2019"]
    return frozenset(rejected) | frozenset(moved)
