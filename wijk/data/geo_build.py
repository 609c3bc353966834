"""Build the map data: boundaries per level and year (data/geo) and facility points (data/facilities.parquet).

Deterministic: sorted features and rows, fixed float precision, no timestamps. Geometry is
simplified with shapely for the browser (coarse on purpose: these are choropleths, not cadastre).

National boundaries are split per gemeente (data/geo/<level>_<year>/GM####.geojson) so a map
reads and sends only the gemeente it shows:
- wijken 2024 for all NL; water wijken and 'Buitenland' that have no KWB 2024 figures are dropped;
- buurten 2024 for all NL: approximate polygons (PDOK's generalised buurten, simplified by another
  project and fitted back onto the map, median offset 16 m), marked `approximate` in the index so
  the map says "benaderde grenzen"; codes without KWB 2024 figures (none but a few) are dropped;
- buurten 2019 for all NL, kept only where they can stand in for a 2024 buurt (see `boundary_check`):
  a 2024 code drawn on a 2019 polygon must describe the same area. Every code left out is listed
  in data/geo/changed_boundaries.csv with its reason and the numbers behind it.
The facility points are built by wijk.data.facilities_build.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely import wkt
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from wijk.core.boundaries import CHANGED_COLUMNS, CHANGED_FILE
from wijk.data.facilities_build import build_facilities

CBS = "CBS/Kadaster, CC BY 4.0 (Bron: CBS)"
GRID = 1e-5  # ~1 m: coordinate precision in the files
INDEX_COLUMNS = ["level", "boundary_year", "scope", "file", "source", "licence", "approximate"]
# Single files: level, boundary_year, scope, file, source file, simplify tolerance (degrees)
BOUNDARIES = [
    ("gemeente", 2023, "NL", "gemeente_2023.geojson", "pdok_cbs_gemeenten_2023_kwb.geojson.gz", 0.002),
    ("gemeente", 2022, "NL", "gemeente_2022.geojson", "pdok_cbs_gemeenten_2022_kwb.geojson.gz", 0.002),
    ("buurt", 2022, "GM0014", "buurt_2022_GM0014.geojson", "cartomap_buurt2022_GM0014_generalized.geojson.gz", 0.0),
    ("wijk", 2017, "GM0014", "wijk_2017_GM0014.geojson", "groningen_2017/wijk2017.csv", 0.0002),
    ("buurt", 2017, "GM0014", "buurt_2017_GM0014.geojson", "groningen_2017/buurt2017.csv", 0.0001),
]
# National files split per gemeente: level, boundary_year, source file, simplify tolerance (both are
# simplified at their source already: more simplification saves < 2%). The index row's file holds
# '{gemeente}'. The NL wijk file is finer than the Groningen-only cartomap wijk 2024 file (579 against
# 180 vertices for GM0014, same 20 codes), so it replaces that one. The cartomap buurt 2022 file stays
# for the figure years it suits, but it is coarse (3 decimals): 27 of its 2024 codes fail the area check
# (BU00140107 Laanhuizen: 10.0 ha drawn against 21 ha of land; its 2019 polygon: 21.1 ha).
# The approximate 2024 buurten are written on a 1e-4 degree grid (about 7 x 11 m): finer than their
# fit (median offset 16 m) and a quarter smaller in the repository than 1e-5.
NATIONAL = [
    ("wijk", 2024, "anneversion_wijken_2024_NL_wgs84.geojson.gz", 0.0),
    ("buurt", 2019, "cbs_buurt2019_NL_generalized_wgs84.geojson.gz", 0.0),
    ("buurt", 2024, "buurt2024_NL_approx_georef_wgs84.geojson.gz", 0.0),
]
APPROXIMATE = {"buurt2024_NL_approx_georef_wgs84.geojson.gz": 1e-4}  # source file -> grid (degrees)
# Boundaries of another year than the 2024 figures they stand in for are checked (boundary_check).
CHECKED = {("buurt", 2019), ("buurt", 2022)}
REFERENCE = "woonikveilig_kwb2024_crime2021_2025_rivm2012_2024_NL.csv.gz"  # KWB 2024 land area per buurt
WIJK_AREAS = "kwb2024_85984NED_gemeente_wijk_basic.csv.gz"  # KWB 2024 land and total area per wijk
POP_2017 = "kwb2017_83765NED_buurt_income_subset.csv.gz"
# The rule (also explained on the map page, kaart_changed_rule):
AREA_LOW = 0.8  # polygon below 80% of the 2024 land area: the buurt grew since
AREA_HIGH = 1.25  # polygon above 125% of (2024 land + all water of its 2024 wijk): the buurt shrank since
AREA_SLACK_HA = 1.0  # generalised outlines of tiny buurten are rough: 1 ha either way is not a change
POP_RATIO, POP_MIN = 2.0, 100  # inhabitants 2017 -> 2024 more than doubled or halved (larger side >= 100)
_WGS_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


def _finish(geom: BaseGeometry, tolerance: float, grid: float = GRID) -> BaseGeometry:
    if tolerance:
        geom = geom.simplify(tolerance, preserve_topology=True)
    if not geom.is_valid:
        geom = geom.buffer(0)  # a self-touching source ring (the 2019 file has a few) made valid first
    geom = shapely.set_precision(geom, grid)
    return geom if geom.is_valid else geom.buffer(0)


def area_ha(geom: BaseGeometry) -> float:
    """Area of a WGS84 geometry in hectares, measured in RD New (EPSG:28992)."""
    rd = shapely.transform(geom, lambda xy: np.column_stack(_WGS_TO_RD.transform(xy[:, 0], xy[:, 1])))
    return rd.area / 10_000


def _features(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)["features"]


def _rows_pdok(path: Path) -> list[tuple[str, str, object]]:
    parts: dict[str, list] = {}
    names: dict[str, str] = {}
    for f in _features(path):
        p = f["properties"]
        code = str(p["gemeentecode"]).strip()
        if p.get("water") == "JA" or not re.fullmatch(r"GM\d{4}", code) or code == "GM0998":  # GM0998: 'Buitenland'
            continue
        parts.setdefault(code, []).append(shape(f["geometry"]).buffer(0))
        names[code] = str(p["gemeentenaam"]).strip()
    return [(c, names[c], unary_union(parts[c])) for c in parts]


def _rows_cartomap(path: Path) -> list[tuple[str, str, object]]:
    return [
        (f["properties"]["statcode"].strip(), f["properties"]["statnaam"].strip(), shape(f["geometry"]))
        for f in _features(path)
    ]


def _rows_wkt(path: Path) -> list[tuple[str, str, object]]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    key = "BU" if "BU_CODE" in frame.columns else "WK"
    return [
        (c.strip(), n.strip(), wkt.loads(g))
        for c, n, g in zip(frame[f"{key}_CODE"], frame[f"{key}_NAAM"], frame["geometry"])
    ]


def _rows_national(path: Path, names: dict[str, str]) -> list[tuple[str, str, object]]:
    """Anneversion wijken (wijkcode, wijknaam), the 2019 buurten (statcode, no names: 2024 names used)
    or the approximate 2024 buurten (statcode, statnaam)."""
    rows = []
    for f in _features(path):
        p = f["properties"]
        code = str(p.get("wijkcode") or p.get("statcode")).strip()
        name = p.get("wijknaam") or p.get("statnaam") or names.get(code, "")
        rows.append((code, str(name).strip(), shape(f["geometry"])))
    return rows


def _read_boundary(path: Path) -> list[tuple[str, str, object]]:
    if path.name.startswith("pdok_"):
        return _rows_pdok(path)
    if path.name.startswith("cartomap_"):
        return _rows_cartomap(path)
    return _rows_wkt(path)


# ---- the 2024 reference a stand-in boundary is checked against ------------------------------------
def _num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def reference_2024(source_dir: Path) -> pd.DataFrame:
    """Per 2024 wijk and buurt code: level, name, land area (ha), water of its wijk (ha), inhabitants 2017/2024.

    Empty when the KWB 2024 file with buurt land areas is absent (then no stand-in is drawn)."""
    path = source_dir / REFERENCE
    cols = ["level", "name", "land_ha", "wijk_water_ha", "inw_2017", "inw_2024"]
    if not path.exists():
        return pd.DataFrame(columns=cols)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw = raw[raw["niveau"].isin(["wijk", "buurt"])]
    ref = pd.DataFrame(
        {
            "level": raw["niveau"].to_numpy(),
            "name": raw["naam"].str.strip().to_numpy(),
            "land_ha": _num(raw["kwb24_oppervlakteLandHa"]).to_numpy(),
            "inw_2024": _num(raw["kwb24_inwoners"]).to_numpy(),
        },
        index=raw["code"].str.strip(),
    )
    if (source_dir / WIJK_AREAS).exists():
        w = pd.read_csv(source_dir / WIJK_AREAS, dtype=str, keep_default_na=False).set_index("code")
        water = _num(w["OppervlakteTotaal_122"]) - _num(w["OppervlakteLand_123"])
        ref["wijk_water_ha"] = ["WK" + c[2:8] for c in ref.index]
        ref["wijk_water_ha"] = ref["wijk_water_ha"].map(water)
    else:
        ref["wijk_water_ha"] = np.nan
    ref["inw_2017"] = np.nan
    if (source_dir / POP_2017).exists():  # KWB 2017 (2017 indeling): the same code's inhabitants then
        p = pd.read_csv(source_dir / POP_2017, dtype=str, keep_default_na=False)
        inw = pd.Series(_num(p["AantalInwoners_5"]).to_numpy(), index=p["WijkenEnBuurten"].str.strip())
        ref["inw_2017"] = ref.index.to_series().map(inw)
    return ref[cols].sort_index()


def boundary_check(poly_ha: float, land_ha: float, wijk_water_ha: float, inw_2017: float, inw_2024: float) -> str:
    """Why a polygon of another year cannot stand in for the 2024 buurt ('' when it can).

    - 'kleiner': the polygon is smaller than 80% of the buurt's 2024 land area (minus 1 ha): the buurt
      grew since. (A polygon may include water, so a smaller polygon cannot be explained by water.)
    - 'groter': the polygon is larger than 125% of the 2024 land area plus ALL water of its 2024 wijk
      (plus 1 ha): not even the wijk's water explains the excess, so the buurt shrank since.
    - 'inwoners': no land area to compare, and inhabitants 2017 -> 2024 more than doubled or halved
      (larger side at least 100): the area most likely changed.
    """
    if pd.notna(land_ha) and land_ha > 0:
        if poly_ha < AREA_LOW * land_ha - AREA_SLACK_HA:
            return "kleiner"
        water = wijk_water_ha if pd.notna(wijk_water_ha) else 0.0
        if poly_ha > AREA_HIGH * (land_ha + water) + AREA_SLACK_HA:
            return "groter"
        return ""
    if pd.notna(inw_2017) and pd.notna(inw_2024) and max(inw_2017, inw_2024) >= POP_MIN:
        low, high = sorted([inw_2017, inw_2024])
        if low == 0 or high / low > POP_RATIO:
            return "inwoners"
        return ""
    return "onbekend"


def feature_collection(
    rows: Iterable[tuple[str, str, BaseGeometry]], year: int, tolerance: float, grid: float = GRID
) -> dict:
    features = [
        {
            "type": "Feature",
            "properties": {"code": c, "name": n, "year": year},
            "geometry": mapping(_finish(g, tolerance, grid)),
        }
        for c, n, g in sorted(rows, key=lambda r: r[0])
    ]
    return {"type": "FeatureCollection", "features": features}


def _dump(obj: dict, digits: int = 5) -> str:
    # shapely gives tuples; json writes them as lists. Round again so no float noise survives.
    def fix(o: object) -> object:
        if isinstance(o, float):
            return round(o, digits)
        if isinstance(o, (list, tuple)):
            return [fix(x) for x in o]
        if isinstance(o, dict):
            return {k: fix(v) for k, v in o.items()}
        return o

    return json.dumps(fix(obj), separators=(",", ":"), ensure_ascii=False)


def checked_rows(
    rows: Iterable[tuple[str, str, BaseGeometry]], level: str, year: int, ref: pd.DataFrame, national: bool
) -> tuple[list, list[list]]:
    """Keep the polygons that may stand in for 2024 codes; return (kept rows, changed-list rows).

    National stand-ins keep only codes that exist in 2024 (an old code has no 2024 figure to show);
    a Groningen file keeps its other codes (they serve the figure years they belong to)."""
    kept, changed = [], []
    for code, name, geom in rows:
        if code not in ref.index:
            if not national:
                kept.append((code, name, geom))
            continue
        r = cast(pd.Series, ref.loc[code])  # one area: codes are unique in the reference
        ha = area_ha(geom)
        reason = boundary_check(ha, r["land_ha"], r["wijk_water_ha"], r["inw_2017"], r["inw_2024"])
        if reason:
            changed.append(
                [
                    level,
                    year,
                    "GM" + code[2:6],
                    code,
                    reason,
                    round(ha, 1),
                    r["land_ha"],
                    r["wijk_water_ha"],
                    r["inw_2017"],
                    r["inw_2024"],
                ]
            )
        else:
            kept.append((code, name or r["name"], geom))
    return kept, changed


def _national(source_dir: Path, geo_dir: Path, ref: pd.DataFrame, summary: dict) -> tuple[list, list]:
    index_rows, changed = [], []
    names = {str(code): str(name) for code, name in ref["name"].items()}
    for level, year, src, tol in NATIONAL:
        path = source_dir / src
        if not path.exists() or (level == "buurt" and ref.empty):
            continue  # a buurt stand-in that cannot be checked is not drawn
        rows = [r for r in _rows_national(path, names) if not r[0].startswith("WK0998")]
        if year == 2024 and not ref.empty:  # water wijken, 'Buitenland' have no KWB 2024 figures
            known = set(ref.index[ref["level"] == level])
            summary[f"geo_{level}_{year}_dropped_without_figures"] = sum(r[0] not in known for r in rows)
            rows = [r for r in rows if r[0] in known]
        if (level, year) in CHECKED:
            rows, lost = checked_rows(rows, level, year, ref, national=True)
            changed += lost
        folder = geo_dir / f"{level}_{year}"
        folder.mkdir(parents=True, exist_ok=True)
        by_gm: dict[str, list] = {}
        for r in rows:
            by_gm.setdefault("GM" + r[0][2:6], []).append(r)
        grid = APPROXIMATE.get(src, GRID)
        digits = round(-np.log10(grid))
        for gm, part in sorted(by_gm.items()):
            fc = feature_collection(part, year, tol, grid)
            (folder / f"{gm}.geojson").write_text(_dump(fc, digits), encoding="utf-8")
        index_rows.append(
            [level, year, "NL", f"{level}_{year}/{{gemeente}}.geojson", src, CBS, int(src in APPROXIMATE)]
        )
        summary[f"geo_{level}_{year}"] = len(rows)
    return index_rows, changed


def build(source_dir: Path, out_dir: Path) -> dict[str, int]:
    geo_dir = out_dir / "geo"
    geo_dir.mkdir(parents=True, exist_ok=True)
    summary: dict[str, int] = {}
    index_rows, changed = [], []
    ref = reference_2024(source_dir)
    for level, year, scope, fname, src, tol in BOUNDARIES:
        path = source_dir / src
        if not path.exists():
            continue
        rows = _read_boundary(path)
        if (level, year) in CHECKED and not ref.empty:
            rows, lost = checked_rows(rows, level, year, ref, national=False)
            changed += lost
        fc = feature_collection(rows, year, tol)
        (geo_dir / fname).write_text(_dump(fc), encoding="utf-8")
        index_rows.append([level, year, scope, fname, src, CBS, 0])
        summary[f"geo_{level}_{year}"] = len(fc["features"])
    more, lost = _national(source_dir, geo_dir, ref, summary)
    index_rows += more
    changed += lost
    with open(geo_dir / "index.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(INDEX_COLUMNS)
        index_rows.sort(key=lambda r: (r[0], r[1], r[2]))
        w.writerows(index_rows)
    ch = pd.DataFrame(changed, columns=CHANGED_COLUMNS).sort_values(["level", "boundary_year", "code"])
    ch.to_csv(out_dir / CHANGED_FILE, index=False, lineterminator="\n")
    summary["geo_changed_boundaries"] = len(ch)
    fac = build_facilities(source_dir)
    fac.to_parquet(out_dir / "facilities.parquet", compression="zstd", index=False)
    for kind, n in fac["kind"].value_counts().sort_index().items():
        summary[f"facilities_{kind}"] = int(n)
    return summary
