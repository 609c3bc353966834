"""Build the facility points of the map (data/facilities.parquet): OSM horeca, NDOV bus stops and BAG education
buildings (2017, Groningen) and every DUO school location in NL (Nov 2024, geocoded on BAG), split into regular
and special education. Called by wijk.data.geo_build.build."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import shapefile
from pyproj import Transformer

FACILITY_COLUMNS = ["kind", "name", "subtype", "pupils", "lon", "lat", "year", "source", "licence"]
DUO_NL = "duo_scholen_NL_20241122_bag_geocoded.geojson.gz"
SPECIAL = {"SBAO": "sbao", "SO": "so-vso", "VSO": "so-vso", "(V)SO": "so-vso"}  # special education
_RD_TO_WGS = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def _points_csv(
    path: Path, kind: str, name_col: str, subtype_col: str | None, source: str, licence: str
) -> pd.DataFrame:
    f = pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.DataFrame(
        {
            "kind": kind,
            "name": f[name_col].str.strip(),
            "subtype": f[subtype_col].str.strip() if subtype_col else "",
            "lon": pd.to_numeric(f["x"]),
            "lat": pd.to_numeric(f["y"]),
            "year": 2017,
            "source": source,
            "licence": licence,
        }
    )


def read_bag_education(zip_path: Path) -> pd.DataFrame:
    """BAG 2017 verblijfsobjecten with an education function: RD New (EPSG:28992) -> WGS84 with pyproj."""
    with zipfile.ZipFile(zip_path) as z:
        stem = "verblijfsobjecten_onderwijs_RD"
        reader = shapefile.Reader(
            shp=io.BytesIO(z.read(stem + ".shp")),
            dbf=io.BytesIO(z.read(stem + ".dbf")),
            shx=io.BytesIO(z.read(stem + ".shx")),
        )
        rows = []
        for sr in reader.iterShapeRecords():
            r = sr.record.as_dict()
            x, y = sr.shape.points[0]
            lon, lat = _RD_TO_WGS.transform(x, y)
            nr = f"{r['huisnummer']}{r['huisletter']}" + (f"-{r['toevoeging']}" if r["toevoeging"] else "")
            rows.append(
                {
                    "id": r["identifica"],
                    "name": f"{r['openbare_r']} {nr}".strip(),
                    "subtype": r["gebr_doel"],
                    "lon": lon,
                    "lat": lat,
                }
            )
    return pd.DataFrame(rows).sort_values("id").reset_index(drop=True)


def school_kind(duo_type: str) -> str:
    """DUO school type -> facility kind: regular primary, regular secondary, or one of two special kinds."""
    t = (duo_type or "").strip()
    if t in SPECIAL:
        return SPECIAL[t]
    return "basisschool" if t.upper() == "BASISSCHOOL" else "vo-school"


def read_duo_schools(path: Path) -> pd.DataFrame:
    """Every DUO school location in NL (Nov 2024) with its type and pupils (null stays missing)."""
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    for f in features:
        p, (lon, lat) = f["properties"], f["geometry"]["coordinates"][:2]
        rows.append(
            {
                "kind": school_kind(p.get("type")),
                "name": str(p.get("naam") or "").strip(),
                "subtype": str(p.get("type") or "").strip(),
                "pupils": p.get("leerlingen"),
                "lon": lon,
                "lat": lat,
                "year": 2024,
                "source": f"DUO scholen {p.get('vestigingscode') or ''} (adressen 22-11-2024, "
                "geocodering BAG; leerlingen DUO 2023-2024 po/so, 2023 vo)".replace("  ", " "),
                "licence": "DUO open data CC BY 4.0",
            }
        )
    return pd.DataFrame(rows)


def build_facilities(src: Path) -> pd.DataFrame:
    parts = []
    g = src / "groningen_2017"
    if g.exists():
        bag = read_bag_education(g / "verblijfsobjecten_onderwijs_RD.zip")
        parts += [
            _points_csv(
                g / "horeca.csv",
                "horeca",
                "naam",
                "horecatype",
                "OpenStreetMap (groningen_2017/horeca.csv)",
                "(c) OpenStreetMap contributors, ODbL",
            ),
            _points_csv(
                g / "bushaltes.csv",
                "bushalte",
                "quayname",
                None,
                "NDOV haltebestand (groningen_2017/bushaltes.csv)",
                "CC0",
            ),
            pd.DataFrame(
                {
                    "kind": "onderwijs",
                    "name": bag["name"],
                    "subtype": bag["subtype"],
                    "lon": bag["lon"],
                    "lat": bag["lat"],
                    "year": 2017,
                    "source": "BAG verblijfsobjecten onderwijsfunctie 2017 (RD New)",
                    "licence": "BAG, publiek domein",
                }
            ),
        ]
    if (src / DUO_NL).exists():
        parts.append(read_duo_schools(src / DUO_NL))
    if not parts:
        return pd.DataFrame(columns=FACILITY_COLUMNS)
    fac = pd.concat(parts, ignore_index=True)
    fac["pupils"] = (fac["pupils"] if "pupils" in fac.columns else pd.Series(pd.NA, index=fac.index)).astype("Int32")
    fac = fac[FACILITY_COLUMNS]
    fac["subtype"] = fac["subtype"].fillna("")
    fac["lon"] = fac["lon"].astype(float).round(6)
    fac["lat"] = fac["lat"].astype(float).round(6)
    fac["year"] = fac["year"].astype("int16")
    return fac.sort_values(["kind", "lon", "lat", "name", "source"]).reset_index(drop=True)
