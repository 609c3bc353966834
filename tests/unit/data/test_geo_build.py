"""wijk.data.geo_build: the stand-in rule on small labelled cases, then one real build from the source
files: per-gemeente files, changed buurten listed, DUO schools split regular/special, deterministic."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from shapely.geometry import box

from wijk.data import facilities_build, geo_build

SOURCES = Path(__file__).resolve().parents[4] / "shared" / "data-sources"
needs_sources = pytest.mark.skipif(not SOURCES.exists(), reason="../shared/data-sources not present")
NAN = math.nan


# ---- the rule, on made-up numbers (labelled: not CBS figures) ------------------------------------
@pytest.mark.parametrize(
    "poly, land, water, inw17, inw24, reason",
    [
        (20.0, 21.0, 18.0, NAN, 1325.0, ""),  # about the same as the land: the same buurt
        (10.0, 21.0, 18.0, NAN, 1325.0, "kleiner"),  # half the land it should hold: the buurt grew since
        (0.7, 1.0, 0.0, NAN, NAN, ""),  # tiny buurt: within the 1 ha slack
        (60.0, 20.0, 30.0, NAN, NAN, ""),  # large, but its wijk's water can explain it
        (70.0, 20.0, 30.0, NAN, NAN, "groter"),  # more than 125% of land + all wijk water: it shrank since
        (50.0, NAN, NAN, 500.0, 1200.0, "inwoners"),  # no land area: inhabitants more than doubled
        (50.0, NAN, NAN, 500.0, 900.0, ""),
        (50.0, NAN, NAN, 20.0, 60.0, "onbekend"),  # too few inhabitants to judge, no land area
    ],
)
def test_boundary_check_rule(poly, land, water, inw17, inw24, reason):
    assert geo_build.boundary_check(poly, land, water, inw17, inw24) == reason


def test_area_is_measured_in_rd_hectares():
    # a 0.01 x 0.01 degree box near Utrecht is about 68 m x 111 m ... about 75 ha
    assert 70 < geo_build.area_ha(box(5.10, 52.08, 5.11, 52.09)) < 80


def test_school_kinds_split_regular_and_special():
    assert [
        facilities_build.school_kind(t) for t in ["basisschool", "SBAO", "SO", "VSO", "(V)SO", "VBO/MAVO", "PRO"]
    ] == [
        "basisschool",
        "sbao",
        "so-vso",
        "so-vso",
        "so-vso",
        "vo-school",
        "vo-school",
    ]


# ---- one real build ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not SOURCES.exists():
        pytest.skip("../shared/data-sources not present")
    out = tmp_path_factory.mktemp("geo")
    return out, geo_build.build(SOURCES, out)


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@needs_sources
def test_counts_index_and_per_gemeente_files(built):
    out, summary = built
    assert summary["geo_wijk_2024"] == 3393 and summary["geo_wijk_2024_dropped_without_figures"] == 81
    assert summary["geo_buurt_2017"] == 108 and summary["geo_wijk_2017"] == 15
    assert summary["geo_gemeente_2023"] >= 342 and summary["geo_gemeente_2022"] >= 342
    # 11,851 2019 polygons carry a 2024 code; those that fail the check are listed, the rest drawn
    ch = pd.read_csv(out / "geo" / "changed_boundaries.csv")
    assert summary["geo_buurt_2019"] + (ch["boundary_year"] == 2019).sum() == 11851
    idx = pd.read_csv(out / "geo" / "index.csv")
    assert list(idx.columns) == geo_build.INDEX_COLUMNS
    assert set(idx["file"]) >= {"wijk_2024/{gemeente}.geojson", "buurt_2019/{gemeente}.geojson"}
    fc = json.loads((out / "geo" / "buurt_2019" / "GM0599.geojson").read_text())
    assert {f["properties"]["code"][:6] for f in fc["features"]} == {"BU0599"}
    assert set(fc["features"][0]["properties"]) == {"code", "name", "year"} and fc["features"][0]["properties"]["name"]
    wk = json.loads((out / "geo" / "wijk_2024" / "GM0363.geojson").read_text())
    assert len(wk["features"]) == 110 and not [
        f
        for f in wk["features"]
        if f["properties"]["code"].endswith("99") and "water" in f["properties"]["name"].lower()
    ]
    size = sum(p.stat().st_size for p in (out / "geo").rglob("*") if p.is_file())
    assert size < 14_000_000  # committed geometry stays modest (about 12.6 MB, 3 MB in git's packs)


@needs_sources
def test_approximate_buurten_2024_per_gemeente_on_a_coarser_grid(built):
    out, summary = built
    assert summary["geo_buurt_2024"] == 14566  # SOURCES.md: every buurt of 2024 with a polygon
    idx = pd.read_csv(out / "geo" / "index.csv").set_index(["level", "boundary_year"])
    assert idx.loc[("buurt", 2024), "approximate"] == 1 and idx.loc[("buurt", 2019), "approximate"] == 0
    fc = json.loads((out / "geo" / "buurt_2024" / "GM0363.geojson").read_text())
    props = {f["properties"]["code"]: f["properties"] for f in fc["features"]}
    assert props["BU0363TG01"] == {"code": "BU0363TG01", "name": "Bijlmermuseum-Noord", "year": 2024}
    ring = fc["features"][0]["geometry"]["coordinates"][0]
    assert all(round(v, 4) == v for xy in ring for v in xy)  # 1e-4 degrees: finer than the 16 m fit
    size = sum(p.stat().st_size for p in (out / "geo" / "buurt_2024").glob("*.geojson"))
    assert size < 6_000_000


@needs_sources
def test_changed_buurten_are_listed_with_their_numbers(built):
    out, _ = built
    ch = pd.read_csv(out / "geo" / "changed_boundaries.csv", dtype={"code": str})
    assert list(ch.columns) == geo_build.CHANGED_COLUMNS
    row = ch[(ch["code"] == "BU00140107") & (ch["boundary_year"] == 2022)].iloc[0]  # coarse cartomap polygon
    assert (
        row["reason"] == "kleiner" and row["polygon_ha"] == pytest.approx(10.0, abs=0.2) and row["land_ha_2024"] == 21
    )
    drawn = {
        f["properties"]["code"]
        for f in json.loads((out / "geo" / "buurt_2019" / "GM0014.geojson").read_text())["features"]
    }
    assert "BU00140107" in drawn and not drawn & set(ch["code"][ch["boundary_year"] == 2019])


@needs_sources
def test_duo_schools_for_all_nl(built):
    out, summary = built
    fac = pd.read_parquet(out / "facilities.parquet")
    assert list(fac.columns) == facilities_build.FACILITY_COLUMNS
    assert summary["facilities_basisschool"] == 6182 and summary["facilities_sbao"] == 268
    assert summary["facilities_so-vso"] == 627 and summary["facilities_vo-school"] == 8717 - 6182 - 268 - 627
    schools = fac[fac["source"].str.startswith("DUO")]
    assert schools["lat"].between(50.7, 53.6).all() and schools["lon"].between(3.3, 7.3).all()
    assert str(schools["pupils"].dtype) == "Int32" and schools["pupils"].isna().sum() == 277


@needs_sources
def test_committed_data_matches_a_fresh_build(built):
    # the committed data/ was built in another process: equal bytes = deterministic build
    out, _ = built
    committed = Path(__file__).resolve().parents[3] / "data"
    fresh = _digest(out)
    assert _digest(committed / "geo") == {k[4:]: v for k, v in fresh.items() if k.startswith("geo/")}
    assert hashlib.sha256((committed / "facilities.parquet").read_bytes()).hexdigest() == fresh["facilities.parquet"]
