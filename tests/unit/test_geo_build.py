"""wijk.data.geo_build on the real source files: deterministic output, sizes, placed and unplaced schools."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from wijk.data import geo_build

SOURCES = Path(__file__).resolve().parents[3] / "shared" / "data-sources"
pytestmark = pytest.mark.skipif(not SOURCES.exists(), reason="../shared/data-sources not present")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("geo")
    return out, geo_build.build(SOURCES, out)


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_counts_and_index(built):
    out, summary = built
    assert summary["geo_buurt_2022"] == 150 and summary["geo_wijk_2024"] == 20
    assert summary["geo_buurt_2017"] == 108 and summary["geo_wijk_2017"] == 15
    assert summary["geo_gemeente_2023"] >= 342 and summary["geo_gemeente_2022"] >= 342
    idx = pd.read_csv(out / "geo" / "index.csv")
    assert list(idx.columns) == ["level", "boundary_year", "scope", "file", "source", "licence"]
    assert len(idx) == 6
    fc = json.loads((out / "geo" / "buurt_2017_GM0014.geojson").read_text())
    assert set(fc["features"][0]["properties"]) == {"code", "name", "year"}
    assert sum(p.stat().st_size for p in (out / "geo").iterdir()) < 3_000_000


def test_gemeenten_merge_land_parts(built):
    out, _ = built
    fc = json.loads((out / "geo" / "gemeente_2022.geojson").read_text())
    codes = [f["properties"]["code"] for f in fc["features"]]
    assert len(codes) == len(set(codes)) and "GM0998" not in codes  # parts merged per code, no 'Buitenland'


def test_schools_placed_only_on_exact_addresses(built):
    out, summary = built
    fac = pd.read_parquet(out / "facilities.parquet")
    assert list(fac.columns) == geo_build.FACILITY_COLUMNS
    placed = summary["facilities_basisschool"] + summary["facilities_vo-school"]
    assert placed + summary["facilities_duo_unplaced"] == 57 + 30
    unplaced = pd.read_csv(out / "geo" / "facilities_unplaced.csv")
    assert len(unplaced) == summary["facilities_duo_unplaced"] and unplaced["address"].notna().all()
    assert fac["lat"].between(53.0, 53.5).all() and fac["lon"].between(6.3, 6.9).all()


def test_build_is_deterministic(built, tmp_path):
    out, _ = built
    geo_build.build(SOURCES, tmp_path)
    assert _digest(tmp_path) == _digest(out)


def test_committed_data_matches_a_fresh_build(built):
    out, _ = built
    committed = Path(__file__).resolve().parents[2] / "data"
    fresh = _digest(out)
    assert {k: v for k, v in _digest(committed / "geo").items()} == {k[4:]: v for k, v in fresh.items() if k.startswith("geo/")}
