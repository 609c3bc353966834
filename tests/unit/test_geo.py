"""wijk.geo on the real embedded geometry (data/geo) and facilities (data/facilities.parquet)."""
from __future__ import annotations

import pytest
from shapely.geometry import shape

from wijk import geo


def test_rd_to_wgs84_martinitoren():
    # Martinitoren, Groningen: RD x=233883, y=582065 -> about lat 53.2193, lon 6.5682
    lon, lat = geo.rd_to_wgs84(233883, 582065)
    assert lat == pytest.approx(53.2193, abs=2e-4)
    assert lon == pytest.approx(6.5682, abs=2e-4)
    x, y = geo.wgs84_to_rd(lon, lat)  # and back
    assert (x, y) == (pytest.approx(233883, abs=0.01), pytest.approx(582065, abs=0.01))


def test_point_in_polygon_on_real_buurten():
    feats = geo.read_features("buurt", 2022, "GM0014")
    assert len(feats) == 150
    # the Martinitoren stands in Binnenstad-Zuid or -Noord; a point in Haren lies in a Haren buurt;
    # a point in Amsterdam lies in none of the Groningen buurten
    lon, lat = geo.rd_to_wgs84(233883, 582065)
    codes = geo.assign_points([lon, 6.6030, 4.9003], [lat, 53.1720, 52.3728], feats)
    assert codes[0] in {"BU00140000", "BU00140001"}
    assert codes[1] is not None and codes[1].startswith("BU001417")
    assert codes[2] is None


def test_facilities_fall_inside_the_gemeente():
    fac = geo.load_facilities()
    assert set(fac["kind"]) >= {"horeca", "bushalte", "onderwijs", "basisschool", "vo-school"}
    gm = geo.read_features("gemeente", 2023)
    codes = geo.assign_points(fac["lon"], fac["lat"], gm)
    inside = sum(c == "GM0014" for c in codes)
    assert inside / len(codes) > 0.97  # a few bus stops serve the neighbouring gemeenten


def test_boundary_year_choice_says_what_it_did(store):
    codes24 = geo.figure_codes(store.areas.frame, "buurt", 2024, "GM0014")
    layer = geo.area_layer("buurt", 2024, "GM0014", codes24)
    assert layer.boundary_year == 2022 and not layer.exact
    assert layer.missing == ["BU00140110", "BU00140908", "BU00140909"]  # new after 2022: listed, not dropped
    same = geo.area_layer("buurt", 2017, "GM0014", geo.figure_codes(store.areas.frame, "buurt", 2017, "GM0014"))
    assert same.boundary_year == 2017 and same.exact and not same.missing


def test_choice_prefers_boundaries_that_know_the_codes():
    # 2020 wijken (post-2019 codes WK001415-19) must not go to the nearer 2017 boundaries
    cands = {2017: {f"WK0014{i:02d}" for i in range(15)}, 2024: {f"WK0014{i:02d}" for i in range(20)}}
    assert geo.choose_boundary_year(cands, 2020, cands[2024]) == 2024
    assert geo.choose_boundary_year(cands, 2018, set()) == 2017  # nothing to match: nearest
    assert geo.choose_boundary_year({}, 2020, set()) is None


def test_counts_near_use_metric_buffers():
    feats = geo.read_features("buurt", 2022, "GM0014")
    area = geo.geometry_of(feats, "BU00140000")
    counts = geo.counts_near(area, geo.load_facilities()).set_index("kind")
    assert (counts["inside"] <= counts["within_500"]).all()
    assert (counts["within_500"] <= counts["within_1000"]).all()
    assert counts.loc["horeca", "inside"] > 50  # the city centre
    rd = geo.to_rd_geometry(shape(feats[0]["geometry"]))
    assert rd.bounds[0] > 200_000 and rd.bounds[1] > 550_000  # metres in RD New
