"""Boundaries and facilities: which boundary year fits a figure year, point-in-polygon, buffers.

Geometry work goes through shapely (STRtree, buffers) and pyproj (RD New EPSG:28992 <-> WGS84);
no hand-written projection formulas. Boundaries come from data/geo (built by wijk.data.geo_build).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.strtree import STRtree

from wijk.core import codes
from wijk.core.boundaries import changed_boundaries
from wijk.core.paths import data_dir

RD = "EPSG:28992"
WGS84 = "EPSG:4326"
_TO_RD = Transformer.from_crs(WGS84, RD, always_xy=True)
_TO_WGS = Transformer.from_crs(RD, WGS84, always_xy=True)
DISTANCES = (500, 1000)  # metres, buffers around the chosen area


def rd_to_wgs84(x, y):
    """RD New (x, y in metres) to (lon, lat) in degrees; scalars or arrays."""
    return _TO_WGS.transform(x, y)


def wgs84_to_rd(lon, lat):
    return _TO_RD.transform(lon, lat)


# ---- boundaries ---------------------------------------------------------------------------
# A file name holding '{gemeente}' is a national layer split per gemeente (wijk.data.geo_build).
PER_GEMEENTE = "{gemeente}"


def _stamp(path: Path) -> tuple[str, int, int]:
    """A file's identity for the read caches below: a rewritten file (a data refresh) is a new key."""
    st = path.stat()
    return str(path), st.st_mtime_ns, st.st_size


# The boundary files are read once per process, not on every map rerun: the caches are keyed by the
# file's path, modification time and size (a refresh writes new files, so nothing stale is served),
# bounded, and hold values the callers only read (features are never mutated; frames are copied out).
@lru_cache(maxsize=8)
def _read_index(stamp: tuple[str, int, int]) -> pd.DataFrame:
    return pd.read_csv(stamp[0], dtype={"boundary_year": int})


@lru_cache(maxsize=128)
def _read_geojson(stamp: tuple[str, int, int]) -> tuple[dict, ...]:
    with open(stamp[0], encoding="utf-8") as fh:
        return tuple(json.load(fh)["features"])


def boundary_index(data: Path | None = None) -> pd.DataFrame:
    path = (data or data_dir()) / "geo" / "index.csv"
    if not path.exists():
        return pd.DataFrame(columns=["level", "boundary_year", "scope", "file", "source", "licence", "approximate"])
    idx = _read_index(_stamp(path)).copy()
    if "approximate" not in idx.columns:  # an index built before the approximate 2024 buurten
        idx["approximate"] = 0
    return idx


def is_approximate(level: str, boundary_year: int | None, data: Path | None = None) -> bool:
    """Whether the boundaries of this level and year are approximate (fitted back onto the map)."""
    idx = boundary_index(data)
    rows = idx[(idx["level"] == level) & (idx["boundary_year"] == boundary_year)]
    return bool(rows["approximate"].fillna(0).astype(int).any())


def _files(row_file: str, gemeente: str | None, data: Path | None) -> list[Path]:
    geo_dir = (data or data_dir()) / "geo"
    if PER_GEMEENTE not in row_file:
        return [geo_dir / row_file]
    if gemeente:
        path = geo_dir / row_file.replace(PER_GEMEENTE, gemeente)
        return [path] if path.exists() else []
    return sorted((geo_dir / row_file).parent.glob("GM*.geojson"))


def boundary_years(level: str, gemeente: str, data: Path | None = None) -> list[int]:
    """Boundary years held for this level that cover the gemeente (scope NL or the gemeente itself)."""
    idx = boundary_index(data)
    rows = idx[(idx["level"] == level) & idx["scope"].isin(["NL", gemeente])]
    scope = None if level == "gemeente" else gemeente
    return sorted({int(y) for y, f in zip(rows["boundary_year"], rows["file"]) if _files(f, scope, data)})


def read_features(level: str, boundary_year: int, gemeente: str | None = None, data: Path | None = None) -> list[dict]:
    """GeoJSON features (properties code, name, year), only those within the gemeente when given."""
    idx = boundary_index(data)
    rows = idx[(idx["level"] == level) & (idx["boundary_year"] == boundary_year)]
    scope = gemeente if gemeente and level != "gemeente" else None
    if scope:
        rows = rows[rows["scope"].isin(["NL", scope])]
    feats: list[dict] = []
    for row_file in rows["file"]:
        for path in _files(row_file, scope, data):
            feats += _read_geojson(_stamp(path))
    if scope:
        feats = [f for f in feats if codes.gemeente_of(f["properties"]["code"]) == scope]
    return sorted(feats, key=lambda f: f["properties"]["code"])


@dataclass
class AreaLayer:
    """The boundaries shown for one level and figure year, and how they were matched."""

    level: str
    figure_year: int
    boundary_year: int | None
    features: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # codes with figures but no boundary at all
    without_figures: list[str] = field(default_factory=list)  # boundaries with no figures that year
    changed: pd.DataFrame | None = None  # codes with figures whose polygon was left out: it changed
    approximate: bool = False  # approximate boundaries (the 2024 buurten): the map says so

    @property
    def exact(self) -> bool:
        return self.boundary_year == self.figure_year

    def codes(self) -> list[str]:
        return [f["properties"]["code"] for f in self.features]

    def changed_codes(self) -> list[str]:
        return [] if self.changed is None else self.changed["code"].tolist()


EXACT_SHARE = 0.95  # the figures' own boundary year wins when it knows 95% of what the best other year knows


def choose_boundary_year(candidates: dict[int, set[str]], figure_year: int, figure_codes: set[str]) -> int | None:
    """The figures' own year when it knows nearly as many of their codes as any other year (a few tiny
    buurten lack an approximate 2024 polygon); else most codes matched, the nearest year, the later year.

    Matching on codes guards against joining figures to boundaries of another redesign
    (Groningen 2019): a boundary year that knows few of the codes loses to one that knows them.
    """
    if not candidates:
        return None
    best = min(candidates, key=lambda y: (-len(candidates[y] & figure_codes), abs(y - figure_year), -y))
    own = len(candidates.get(figure_year, set()) & figure_codes)
    return figure_year if own and own >= EXACT_SHARE * len(candidates[best] & figure_codes) else best


def area_layer(
    level: str, figure_year: int, gemeente: str, figure_codes: list[str], data: Path | None = None
) -> AreaLayer:
    scope = None if level == "gemeente" else gemeente
    cands = {y: read_features(level, y, scope, data) for y in boundary_years(level, gemeente, data)}
    cands = {y: f for y, f in cands.items() if f}
    wanted = set(figure_codes)
    year = choose_boundary_year(
        {y: {x["properties"]["code"] for x in f} for y, f in cands.items()}, figure_year, wanted
    )
    if year is None:
        return AreaLayer(level, figure_year, None, [], sorted(wanted), [], None)
    feats = cands[year]
    have = {f["properties"]["code"] for f in feats}
    ch = changed_boundaries(data)
    ch = ch[(ch["level"] == level) & (ch["boundary_year"] == year) & ch["code"].isin(wanted - have)]
    ch = ch.sort_values("code").reset_index(drop=True)
    missing = sorted(wanted - have - set(ch["code"]))
    without = sorted(have - wanted) if wanted else []
    return AreaLayer(level, figure_year, year, feats, missing, without, ch, is_approximate(level, year, data))


def figure_codes(areas_frame: pd.DataFrame, level: str, year: int, gemeente: str | None) -> list[str]:
    """Codes of one level that have figures in a year (AreaIndex.frame), within a gemeente when given."""
    f = areas_frame[(areas_frame["year"] == year) & (areas_frame["level"] == level)]
    if gemeente and level != "gemeente":
        f = f[f["gemeente"] == gemeente]
    return sorted(f["code"].tolist())


def geometry_of(features: list[dict], code: str):
    for f in features:
        if f["properties"]["code"] == code:
            return shape(f["geometry"])
    return None


# ---- facilities ---------------------------------------------------------------------------
FACILITY_COLUMNS = ["kind", "name", "subtype", "pupils", "lon", "lat", "year", "source", "licence"]


def load_facilities(data: Path | None = None) -> pd.DataFrame:
    path = (data or data_dir()) / "facilities.parquet"
    if not path.exists():
        return pd.DataFrame(columns=FACILITY_COLUMNS)
    return pd.read_parquet(path)


def assign_points(lon, lat, features: list[dict]) -> list[str | None]:
    """The code of the polygon each point lies in (None when outside all), via an STRtree."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    out: list[str | None] = [None] * len(lon)
    if not features or not len(lon):
        return out
    geoms = [shape(f["geometry"]) for f in features]
    tree = STRtree(geoms)
    pts = shapely.points(lon, lat)
    hits = tree.query(pts, predicate="within")
    for p, g in sorted(zip(hits[0].tolist(), hits[1].tolist())):
        if out[p] is None:
            out[p] = features[g]["properties"]["code"]
    return out


def within_bounds(frame: pd.DataFrame, features: list[dict], margin: float = 0.02) -> pd.DataFrame:
    """Rows of a lon/lat frame inside the bounding box of the features (plus a margin in degrees)."""
    if not features or frame.empty:
        return frame.iloc[0:0]
    x0, y0, x1, y1 = shapely.total_bounds([shape(f["geometry"]) for f in features])
    m = frame["lon"].between(x0 - margin, x1 + margin) & frame["lat"].between(y0 - margin, y1 + margin)
    return frame[m]


def to_rd_geometry(geom):
    """A WGS84 geometry in RD New (metres), for buffers and areas; a list of them in one pass (a list back)."""
    return shapely.transform(geom, lambda xy: np.column_stack(_TO_RD.transform(xy[:, 0], xy[:, 1])))


def rd_xy(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The RD New coordinates (metres) of a lon/lat frame's points."""
    x, y = wgs84_to_rd(frame["lon"].to_numpy(float), frame["lat"].to_numpy(float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def counts_near(
    geom,
    frame: pd.DataFrame,
    distances: tuple[int, ...] = DISTANCES,
    *,
    area_rd=None,
    xy: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Per kind: points inside the area and within each distance (metres, measured in RD New) of it.

    area_rd and xy: the area and the points already in RD New (prepared once; pyproj makes a new
    transformer in every thread, and every Streamlit run is a new thread)."""
    cols = ["inside"] + [f"within_{d}" for d in distances]
    if geom is None or frame.empty:
        return pd.DataFrame(columns=["kind", *cols])
    area = area_rd if area_rd is not None else to_rd_geometry(geom)
    x, y = xy if xy is not None else rd_xy(frame)
    res = pd.DataFrame({"kind": frame["kind"].to_numpy()})
    res["inside"] = shapely.contains_xy(area, x, y) | shapely.intersects_xy(area.boundary, x, y)
    for d in distances:
        res[f"within_{d}"] = shapely.contains_xy(area.buffer(d), x, y)
    return res.groupby("kind", sort=True)[cols].sum().astype(int).reset_index()
