"""The file of areas whose polygons were left off the maps because their boundaries changed:
written by the build (wijk.data.geo_build), read by the map (wijk.kaart.geo). One format, here."""

from __future__ import annotations

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
