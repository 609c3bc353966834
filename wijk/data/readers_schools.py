"""DUO school locations counted per wijk, gemeente and NL (issue 18), placed in the wijk- en buurtkaart wijken."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import Catalogue
from wijk.core.store import OBSERVATION_COLUMNS
from wijk.data.source_files import ReadResult, SourceFile, column_map, period_rules, reference_period

SCHOOL_GROUPS = {
    "basisschool": "regulier",
    "SBAO": "speciaal",
    "SO": "speciaal",
    "VSO": "speciaal",
    "(V)SO": "speciaal",
}
WIJK_BOUNDARIES = "*wijken_{year}_NL*.geojson.gz"  # the wijk- en buurtkaart wijken of the same year, beside it


def _not_an_area(props: dict) -> bool:
    """The kaart's 'Groot water' wijken and 'Buitenland' (GM0998) hold no residents and no KWB figures."""
    return (
        str(props.get("wijknaam", "")).startswith("Groot water") or codes.clean(props.get("gemeentecode")) == "GM0998"
    )


def _wijk_polygons(folder: Path, year: int) -> tuple[list, list[str], list[str]]:
    from shapely.geometry import shape

    path = next(iter(sorted(folder.glob(WIJK_BOUNDARIES.format(year=year)))), None)
    if path is None:
        raise FileNotFoundError(f"no wijk boundaries {WIJK_BOUNDARIES.format(year=year)} in {folder}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        feats = json.load(fh)["features"]
    feats = [
        f
        for f in feats
        if codes.level_of(codes.clean(f["properties"].get("wijkcode"))) == "wijk" and not _not_an_area(f["properties"])
    ]
    return (
        [shape(f["geometry"]) for f in feats],
        [codes.clean(f["properties"]["wijkcode"]) for f in feats],
        [codes.clean(f["properties"]["gemeentecode"]) for f in feats],
    )


def school_counts(src: SourceFile) -> pd.DataFrame:
    """One row per primary or special-education school location with the wijk it lies in (2024 borders)."""
    from shapely import STRtree
    from shapely.geometry import Point

    with gzip.open(src.path, "rt", encoding="utf-8") as fh:
        feats = json.load(fh)["features"]
    polys, wijken, gemeenten = _wijk_polygons(src.path.parent, src.indeling)
    tree = STRtree(polys)
    rows = []
    for f in feats:
        group = SCHOOL_GROUPS.get(f["properties"].get("type"))
        if group is None or not f.get("geometry"):
            continue
        pt = Point(f["geometry"]["coordinates"][:2])
        hits = list(tree.query(pt, predicate="intersects"))
        rows.append(
            {
                "group": group,
                "leerlingen": f["properties"].get("leerlingen"),
                "wijk": wijken[hits[0]] if hits else None,
                "gemeente": gemeenten[hits[0]] if hits else None,
            }
        )
    return pd.DataFrame(rows, columns=["group", "leerlingen", "wijk", "gemeente"])


def read_duo_schools(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    """Regular primary and special-education school locations (DUO, all NL) counted per wijk, gemeente
    and NL; pupils only where every location of the area has a known count (else missing, never a partial sum)."""
    schools = school_counts(src)
    schools["land"] = codes.NL_CODE
    _, wijken, gemeenten = _wijk_polygons(src.path.parent, src.indeling)
    every = {"wijk": sorted(set(wijken)), "gemeente": sorted(set(gemeenten)), "land": [codes.NL_CODE]}
    extra = column_map(src.reader)
    frames = []
    for level in codes.PARENT_LEVELS:
        placed = schools.dropna(subset=[level])
        for group in sorted(set(SCHOOL_GROUPS.values())):
            # every area of the (complete, NL-wide) file: no school of a kind there is a real 0
            g = placed[placed["group"] == group].groupby(level)
            count_id, count_tbl, _ = extra[f"aantal_{group}"]
            pupils_id, pupils_tbl, _ = extra[f"leerlingen_{group}"]
            n = g.size().reindex(every[level], fill_value=0)
            pupils = g["leerlingen"].apply(lambda s: float(s.sum()) if s.notna().all() else None)
            pupils = pupils.reindex(every[level]).where(n > 0, 0.0)
            types = ", ".join(k for k, v in SCHOOL_GROUPS.items() if v == group)
            frames.append(
                pd.DataFrame(
                    {
                        "code": n.index,
                        "indicator": count_id,
                        "value": n.values.astype(float),
                        "table": count_tbl,
                        "variable": f"DUO type {types}",
                    }
                )
            )
            frames.append(
                pd.DataFrame(
                    {
                        "code": pupils.index,
                        "indicator": pupils_id,
                        "value": pupils.values,
                        "table": pupils_tbl,
                        "variable": "leerlingen (DUO 2023-2024)",
                    }
                ).dropna()
            )
    obs = pd.concat(frames, ignore_index=True)
    obs["value"] = pd.to_numeric(obs["value"]).astype(float)
    obs["year"], obs["source"], obs["priority"] = src.year, src.source_id, src.priority
    obs["boundary_year"] = src.boundary_year
    rules = period_rules()
    obs["period"] = obs["indicator"].map(lambda i: reference_period(src.relpath, i, src.year, rules))
    return ReadResult(obs[OBSERVATION_COLUMNS].sort_values(["code", "indicator"]).reset_index(drop=True))
