"""Build the map data: boundaries per level and year (data/geo/*.geojson) and facility points.

Deterministic: sorted features and rows, fixed float precision, no timestamps. Geometry is
simplified with shapely for the browser (coarse on purpose: these are choropleths, not cadastre).
Facilities: OSM horeca, NDOV bus stops and BAG education buildings (2017, Groningen), plus DUO
school addresses placed only where postcode + house number match a BAG point exactly; the others
are counted and listed in data/geo/facilities_unplaced.csv, never given an invented position.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import shapefile
import shapely
from pyproj import Transformer
from shapely import wkt
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

CBS = "CBS/Kadaster, CC BY 4.0 (Bron: CBS)"
GRID = 1e-5  # ~1 m: coordinate precision in the files
# level, boundary_year, scope, file, source file, simplify tolerance (degrees), licence
BOUNDARIES = [
    ("gemeente", 2023, "NL", "gemeente_2023.geojson", "pdok_cbs_gemeenten_2023_kwb.geojson.gz", 0.002),
    ("gemeente", 2022, "NL", "gemeente_2022.geojson", "pdok_cbs_gemeenten_2022_kwb.geojson.gz", 0.002),
    ("wijk", 2024, "GM0014", "wijk_2024_GM0014.geojson", "cartomap_wijk2024_GM0014_generalized.geojson.gz", 0.0),
    ("buurt", 2022, "GM0014", "buurt_2022_GM0014.geojson", "cartomap_buurt2022_GM0014_generalized.geojson.gz", 0.0),
    ("wijk", 2017, "GM0014", "wijk_2017_GM0014.geojson", "groningen_2017/wijk2017.csv", 0.0002),
    ("buurt", 2017, "GM0014", "buurt_2017_GM0014.geojson", "groningen_2017/buurt2017.csv", 0.0001),
]
FACILITY_COLUMNS = ["kind", "name", "subtype", "lon", "lat", "year", "source", "licence"]
_RD_TO_WGS = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def _finish(geom, tolerance: float):
    if tolerance:
        geom = geom.simplify(tolerance, preserve_topology=True)
    geom = shapely.set_precision(geom, GRID)
    return geom if geom.is_valid else geom.buffer(0)


def _rows_pdok(path: Path) -> list[tuple[str, str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    parts: dict[str, list] = {}
    names: dict[str, str] = {}
    for f in features:
        p = f["properties"]
        code = str(p["gemeentecode"]).strip()
        if p.get("water") == "JA" or not re.fullmatch(r"GM\d{4}", code) or code == "GM0998":  # GM0998: 'Buitenland'
            continue
        parts.setdefault(code, []).append(shape(f["geometry"]).buffer(0))
        names[code] = str(p["gemeentenaam"]).strip()
    return [(c, names[c], unary_union(parts[c])) for c in parts]


def _rows_cartomap(path: Path) -> list[tuple[str, str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    return [(f["properties"]["statcode"].strip(), f["properties"]["statnaam"].strip(), shape(f["geometry"]))
            for f in features]


def _rows_wkt(path: Path) -> list[tuple[str, str, object]]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    key = "BU" if "BU_CODE" in frame.columns else "WK"
    return [(c.strip(), n.strip(), wkt.loads(g))
            for c, n, g in zip(frame[f"{key}_CODE"], frame[f"{key}_NAAM"], frame["geometry"])]


def _read_boundary(path: Path):
    if path.name.startswith("pdok_"):
        return _rows_pdok(path)
    if path.name.startswith("cartomap_"):
        return _rows_cartomap(path)
    return _rows_wkt(path)


def feature_collection(rows, year: int, tolerance: float) -> dict:
    features = [{"type": "Feature", "properties": {"code": c, "name": n, "year": year},
                 "geometry": mapping(_finish(g, tolerance))} for c, n, g in sorted(rows, key=lambda r: r[0])]
    return {"type": "FeatureCollection", "features": features}


def _dump(obj: dict) -> str:
    # shapely gives tuples; json writes them as lists. Round again so no float noise survives.
    def fix(o):
        if isinstance(o, float):
            return round(o, 5)
        if isinstance(o, (list, tuple)):
            return [fix(x) for x in o]
        if isinstance(o, dict):
            return {k: fix(v) for k, v in o.items()}
        return o
    return json.dumps(fix(obj), separators=(",", ":"), ensure_ascii=False)


# ---- facilities ---------------------------------------------------------------------------
def _points_csv(path: Path, kind: str, name_col: str, subtype_col: str | None, source: str, licence: str) -> pd.DataFrame:
    f = pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.DataFrame({
        "kind": kind, "name": f[name_col].str.strip(),
        "subtype": f[subtype_col].str.strip() if subtype_col else "",
        "lon": pd.to_numeric(f["x"]), "lat": pd.to_numeric(f["y"]), "year": 2017,
        "source": source, "licence": licence})


def read_bag_education(zip_path: Path) -> pd.DataFrame:
    """BAG 2017 verblijfsobjecten with an education function: RD New (EPSG:28992) -> WGS84 with pyproj."""
    with zipfile.ZipFile(zip_path) as z:
        stem = "verblijfsobjecten_onderwijs_RD"
        reader = shapefile.Reader(shp=io.BytesIO(z.read(stem + ".shp")), dbf=io.BytesIO(z.read(stem + ".dbf")),
                                  shx=io.BytesIO(z.read(stem + ".shx")))
        rows = []
        for sr in reader.iterShapeRecords():
            r = sr.record.as_dict()
            x, y = sr.shape.points[0]
            lon, lat = _RD_TO_WGS.transform(x, y)
            nr = f"{r['huisnummer']}{r['huisletter']}" + (f"-{r['toevoeging']}" if r["toevoeging"] else "")
            rows.append({"id": r["identifica"], "name": f"{r['openbare_r']} {nr}".strip(),
                         "postcode": r["postcode"].replace(" ", "").upper(), "huisnummer": r["huisnummer"].strip(),
                         "subtype": r["gebr_doel"], "lon": lon, "lat": lat})
    return pd.DataFrame(rows).sort_values("id").reset_index(drop=True)


def place_duo(path: Path, bag: pd.DataFrame, kind: str, year: int, subtype_col: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """DUO school addresses placed on the BAG point with the same postcode + house number."""
    duo = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    duo["pc"] = duo["POSTCODE"].str.replace(" ", "").str.upper()
    duo["nr"] = duo["HUISNUMMER-TOEVOEGING"].str.extract(r"^\s*(\d+)", expand=False).fillna("")
    first = bag.drop_duplicates(["postcode", "huisnummer"])[["postcode", "huisnummer", "lon", "lat"]]
    joined = duo.merge(first, left_on=["pc", "nr"], right_on=["postcode", "huisnummer"], how="left")
    placed = joined[joined["lon"].notna()]
    out = pd.DataFrame({"kind": kind, "name": placed["VESTIGINGSNAAM"].str.strip(),
                        "subtype": placed[subtype_col].str.strip(), "lon": placed["lon"], "lat": placed["lat"],
                        "year": year, "source": f"DUO {path.name}; positie: BAG 2017 (postcode + huisnummer)",
                        "licence": "DUO open data CC BY 4.0; BAG publiek domein"})
    lost = joined[joined["lon"].isna()]
    unplaced = pd.DataFrame({"kind": kind, "name": lost["VESTIGINGSNAAM"].str.strip(),
                             "address": lost["STRAATNAAM"].str.strip() + " " + lost["HUISNUMMER-TOEVOEGING"].str.strip()
                             + ", " + lost["POSTCODE"].str.strip() + " " + lost["PLAATSNAAM"].str.strip(),
                             "reason": "geen BAG-2017-onderwijsadres met deze postcode en dit huisnummer"})
    return out, unplaced


def build_facilities(src: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    g = src / "groningen_2017"
    bag = read_bag_education(g / "verblijfsobjecten_onderwijs_RD.zip")
    parts = [
        _points_csv(g / "horeca.csv", "horeca", "naam", "horecatype", "OpenStreetMap (groningen_2017/horeca.csv)",
                    "(c) OpenStreetMap contributors, ODbL"),
        _points_csv(g / "bushaltes.csv", "bushalte", "quayname", None, "NDOV haltebestand (groningen_2017/bushaltes.csv)", "CC0"),
        pd.DataFrame({"kind": "onderwijs", "name": bag["name"], "subtype": bag["subtype"], "lon": bag["lon"],
                      "lat": bag["lat"], "year": 2017, "source": "BAG verblijfsobjecten onderwijsfunctie 2017 (RD New)",
                      "licence": "BAG, publiek domein"}),
    ]
    bo, bo_lost = place_duo(src / "duo_bo_schoolvestigingen_2026_GM0014.csv.gz", bag, "basisschool", 2026, "DENOMINATIE")
    vo, vo_lost = place_duo(src / "duo_vo_vestigingen_2025_GM0014.csv.gz", bag, "vo-school", 2025, "ONDERWIJSSTRUCTUUR")
    fac = pd.concat(parts + [bo, vo], ignore_index=True)[FACILITY_COLUMNS]
    fac["subtype"] = fac["subtype"].fillna("")
    fac["lon"] = fac["lon"].astype(float).round(6)
    fac["lat"] = fac["lat"].astype(float).round(6)
    fac["year"] = fac["year"].astype("int16")
    fac = fac.sort_values(["kind", "lon", "lat", "name"]).reset_index(drop=True)
    lost = pd.concat([bo_lost, vo_lost], ignore_index=True).sort_values(["kind", "name", "address"]).reset_index(drop=True)
    return fac, lost


def build(source_dir: Path, out_dir: Path) -> dict[str, int]:
    geo_dir = out_dir / "geo"
    geo_dir.mkdir(parents=True, exist_ok=True)
    summary: dict[str, int] = {}
    index_rows = []
    for level, year, scope, fname, src, tol in BOUNDARIES:
        path = source_dir / src
        if not path.exists():
            continue
        fc = feature_collection(_read_boundary(path), year, tol)
        (geo_dir / fname).write_text(_dump(fc), encoding="utf-8")
        index_rows.append([level, year, scope, fname, src, CBS])
        summary[f"geo_{level}_{year}"] = len(fc["features"])
    with open(geo_dir / "index.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["level", "boundary_year", "scope", "file", "source", "licence"])
        w.writerows(sorted(index_rows, key=lambda r: (r[0], r[1])))
    if (source_dir / "groningen_2017").exists():
        fac, lost = build_facilities(source_dir)
        fac.to_parquet(out_dir / "facilities.parquet", compression="zstd", index=False)
        lost.to_csv(geo_dir / "facilities_unplaced.csv", index=False, lineterminator="\n")
        for kind, n in fac["kind"].value_counts().sort_index().items():
            summary[f"facilities_{kind}"] = int(n)
        summary["facilities_duo_unplaced"] = len(lost)
    return summary
