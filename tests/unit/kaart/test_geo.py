"""wijk.kaart.geo on the real embedded geometry (data/geo) and facilities (data/facilities.parquet)."""

from __future__ import annotations

import pytest
from shapely.geometry import shape

from wijk.kaart import geo


def test_rd_to_wgs84_martinitoren():
    # Martinitoren, Groningen: RD x=233883, y=582065 -> about lat 53.2193, lon 6.5682
    lon, lat = geo.rd_to_wgs84(233883, 582065)
    assert lat == pytest.approx(53.2193, abs=2e-4)
    assert lon == pytest.approx(6.5682, abs=2e-4)
    x, y = geo.wgs84_to_rd(lon, lat)  # and back
    assert (x, y) == (pytest.approx(233883, abs=0.01), pytest.approx(582065, abs=0.01))


def test_point_in_polygon_on_real_buurten():
    feats = geo.read_features("buurt", 2022, "GM0014")
    assert len(feats) == 150 - 27  # the coarse 2022 file loses the 27 buurten that fail the area check
    # the Martinitoren stands in Binnenstad-Zuid or -Noord; a point in Haren lies in a Haren buurt;
    # a point in Amsterdam lies in none of the Groningen buurten
    lon, lat = geo.rd_to_wgs84(233883, 582065)
    codes = geo.assign_points([lon, 6.6030, 4.9003], [lat, 53.1720, 52.3728], feats)
    assert codes[0] in {"BU00140000", "BU00140001"}
    assert codes[1] is not None and codes[1].startswith("BU001417")
    assert codes[2] is None


def test_facilities_hold_every_duo_school_of_nl_and_groningen_points():
    fac = geo.load_facilities()
    assert list(fac.columns) == geo.FACILITY_COLUMNS
    schools = fac[fac["kind"].isin(["basisschool", "sbao", "vo-school", "so-vso"])]
    assert len(schools) == 8717  # SOURCES.md: every DUO school location of 22-11-2024
    assert (fac["kind"] == "sbao").sum() == 268 and (fac["kind"] == "basisschool").sum() == 6182
    assert (fac["kind"] == "so-vso").sum() == 111 + 84 + 432  # SO, VSO and (V)SO
    assert schools["pupils"].isna().sum() == 277 and schools["pupils"].min() >= 0  # unknown stays missing
    gm = geo.read_features("gemeente", 2023)
    codes = geo.assign_points(schools["lon"], schools["lat"], gm)
    assert sum(c is not None for c in codes) / len(codes) > 0.99  # real positions inside the country
    grn = fac[fac["kind"].isin(["horeca", "bushalte", "onderwijs"])]
    inside = sum(c == "GM0014" for c in geo.assign_points(grn["lon"], grn["lat"], gm))
    assert inside / len(grn) > 0.97  # a few bus stops serve the neighbouring gemeenten


def test_boundary_year_choice_says_what_it_did(store):
    codes24 = geo.figure_codes(store.areas.frame, "buurt", 2024, "GM0014")
    layer = geo.area_layer("buurt", 2024, "GM0014", codes24)
    # the approximate 2024 buurten know every Groningen code of 2024: the map's own year, said as approximate
    assert layer.boundary_year == 2024 and layer.exact and layer.approximate
    assert "BU00140110" in layer.codes()  # new after 2019 (no 2019 polygon): drawn on the 2024 one
    assert not layer.missing and not layer.changed_codes()
    same = geo.area_layer("buurt", 2017, "GM0014", geo.figure_codes(store.areas.frame, "buurt", 2017, "GM0014"))
    assert same.boundary_year == 2017 and same.exact and not same.missing and not same.approximate


def test_buurten_2024_for_every_gemeente(store):
    """Every gemeente of 2024 has its buurten drawn (13,813 of 13,817 populated buurten have a polygon)."""
    frame = store.areas.frame
    gms = frame.query("year == 2024 and level == 'gemeente'")["code"]
    missing = 0
    for gm in gms:
        wanted = set(geo.figure_codes(frame, "buurt", 2024, gm))
        have = {f["properties"]["code"] for f in geo.read_features("buurt", 2024, gm)}
        assert len(wanted & have) >= 0.95 * len(wanted), gm
        missing += len(wanted - have)
    assert missing <= 10  # buurten under 1 ha were left out of the approximate polygons
    for gm in ("GM0638", "GM0363", "GM0855", "GM0088"):  # a 2019 polygon of a tiny buurt does not outweigh 2024
        layer = geo.area_layer("buurt", 2024, gm, geo.figure_codes(frame, "buurt", 2024, gm))
        assert layer.boundary_year == 2024 and layer.approximate, gm


def test_wijken_2024_for_every_gemeente_without_water_wijken(store):
    for gm in ("GM0363", "GM0599", "GM0014", "GM1680"):
        codes24 = geo.figure_codes(store.areas.frame, "wijk", 2024, gm)
        layer = geo.area_layer("wijk", 2024, gm, codes24)
        assert layer.boundary_year == 2024 and layer.exact and not layer.missing, gm
        assert sorted(layer.codes()) == sorted(codes24), gm  # no water wijk (..99) without figures
    assert len(geo.read_features("wijk", 2024, "GM0363")) == 110
    assert sorted(p.stem for p in (geo.data_dir() / "geo" / "wijk_2024").glob("GM*.geojson")) == sorted(
        store.areas.frame.query("year == 2024 and level == 'gemeente'")["code"]
    )


def test_changed_boundaries_follow_the_rule():
    ch = geo.changed_boundaries()
    assert set(ch["reason"]) <= {"kleiner", "groter", "inwoners", "onbekend"}
    small, large = ch[ch["reason"] == "kleiner"], ch[ch["reason"] == "groter"]
    assert (small["polygon_ha"] < 0.8 * small["land_ha_2024"]).all()
    assert (large["polygon_ha"] > 1.25 * (large["land_ha_2024"] + large["wijk_water_ha_2024"])).all()
    drawn = {f["properties"]["code"] for f in geo.read_features("buurt", 2019, "GM0599")}
    assert not drawn & set(ch[ch["boundary_year"] == 2019]["code"])  # a changed buurt is never drawn


def test_choice_prefers_boundaries_that_know_the_codes():
    # 2020 wijken (post-2019 codes WK001415-19) must not go to the nearer 2017 boundaries
    cands = {2017: {f"WK0014{i:02d}" for i in range(15)}, 2024: {f"WK0014{i:02d}" for i in range(20)}}
    assert geo.choose_boundary_year(cands, 2020, cands[2024]) == 2024
    # the own year wins when it knows at least 95% of what another year knows
    many = {2019: {f"BU{i:08d}" for i in range(100)}, 2024: {f"BU{i:08d}" for i in range(1, 100)}}
    assert geo.choose_boundary_year(many, 2024, many[2019]) == 2024
    few = {2019: {f"BU{i:08d}" for i in range(100)}, 2024: {f"BU{i:08d}" for i in range(90)}}
    assert geo.choose_boundary_year(few, 2024, few[2019]) == 2019
    assert geo.choose_boundary_year(cands, 2018, set()) == 2017  # nothing to match: nearest
    assert geo.choose_boundary_year({}, 2020, set()) is None


def test_counts_near_use_metric_buffers():
    feats = geo.read_features("buurt", 2019, "GM0014")
    area = geo.geometry_of(feats, "BU00140000")
    counts = geo.counts_near(area, geo.load_facilities()).set_index("kind")
    assert (counts["inside"] <= counts["within_500"]).all()
    assert (counts["within_500"] <= counts["within_1000"]).all()
    assert counts.loc["horeca", "inside"] > 50  # the city centre
    rd = geo.to_rd_geometry(shape(feats[0]["geometry"]))
    assert rd.bounds[0] > 200_000 and rd.bounds[1] > 550_000  # metres in RD New
