"""wijk.kaart (the map screen's view model) on the real embedded data: maps for every kind of gemeente,
the wijk fallback, school layers, changed buurten, counts, proximity. Decks inspected through to_json()."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from wijk.core.catalogue import load_catalogue
from wijk.core.paths import data_dir
from wijk.core.store import Store
from wijk.kaart import geo, maps
from wijk.kaart import model as kaart


@pytest.fixture(scope="module")
def fac():
    return geo.load_facilities()


def _view(store, fac, code, gm, level="buurt", year=2024, kinds=kaart.KINDS, lang="nl"):
    drawn = kaart.drawn_level(store, level, year, gm)
    opt = next(o for o in kaart.options(store, year, drawn, gm, [], lang) if o.id == "inwoners")
    return kaart.build_view(store, code, year, level, gm, opt, fac, None, kinds, lang)


def _layers(view):
    return {la["id"]: la for la in json.loads(view.deck.to_json())["layers"]}


def test_amsterdam_buurt_map_draws_its_buurten_on_approximate_boundaries(store, fac):
    # Amsterdam recoded its buurten in 2022 (BU0363AA01): no 2019 polygon carries such a code, the 2024 ones do
    assert kaart.buurt_map_possible(store, 2024, "GM0363")
    view = _view(store, fac, "BU0363AA01", "GM0363")
    assert view.fallback_from is None and view.layer.level == "buurt" and view.layer.boundary_year == 2024
    assert view.selected_note == ""
    layers = _layers(view)
    feats = layers["areas"]["data"]["features"]
    assert len(feats) >= 500 and sum(f["properties"]["fill"][:3] != list(maps.MISSING) for f in feats) >= 480
    assert layers["selected"]["data"]["features"][0]["properties"]["code"] == "BU0363AA01"
    assert {"fac-basisschool", "fac-sbao", "fac-vo-school", "fac-so-vso"} <= set(layers)
    assert any("leerlingen (DUO)" in r["tip"] for r in layers["fac-sbao"]["data"])
    assert view.json_size() < 2_000_000
    assert view.counted == "BU0363AA01"
    counts = view.counts.set_index("kind")
    assert counts.loc["basisschool", "within_1000"] >= counts.loc["basisschool", "inside"]
    note = kaart.boundary_note(view.layer, "nl")
    assert "Grenzen van 2024, cijfers van 2024" in note and "Benaderde grenzen" in note
    assert "Approximate boundaries" in kaart.boundary_note(view.layer, "en")


def test_a_buurt_without_a_polygon_says_why_in_one_sentence(store, fac):
    # BU0363MK03 has 2024 figures but is one of the four tiny buurten without an approximate polygon
    view = _view(store, fac, "BU0363MK03", "GM0363")
    assert "BU0363MK03" not in view.layer.codes()
    assert view.selected_note.startswith(f"{store.areas.name('BU0363MK03', 2024)} (BU0363MK03) is niet getekend")
    assert view.selected_note.count(".") == 1 and "kleiner dan 1 ha" in view.selected_note


def test_rotterdam_buurten_on_approximate_2024_polygons(store, fac):
    view = _view(store, fac, "BU05990110", "GM0599")
    assert view.fallback_from is None and view.layer.level == "buurt" and view.layer.boundary_year == 2024
    assert "BU05990110" in view.layer.codes() and len(view.layer.codes()) > 80 and not view.layer.missing
    assert "BU05990321" in view.layer.codes()  # its 2019 polygon no longer fits; the 2024 one does
    assert "Grenzen van 2024, cijfers van 2024" in kaart.boundary_note(view.layer, "nl")
    assert [i["label"] for i in view.legend][-1] == "onbekend"
    labels = [i["label"] for i in view.point_legend]
    assert labels[0].startswith("Basisschool (regulier) (") and labels[-1].startswith("Gekozen gebied:")
    assert [i["shape"] for i in view.point_legend][-1] == "outline"


def test_a_rural_gemeente_draws_its_buurten(store, fac):
    view = _view(store, fac, "BU16800000", "GM1680")  # Aa en Hunze (Drenthe)
    assert view.layer.level == "buurt" and len(view.layer.codes()) >= 50
    assert view.counted == "BU16800000" and not view.counts.empty
    counts = view.counts.set_index("kind")
    assert counts.loc["basisschool", "within_1000"] >= 1  # Annen has a primary school


def test_default_kinds_are_those_near_the_gemeente(fac):
    assert kaart.default_kinds(fac, "GM0363") == ["basisschool", "sbao", "vo-school", "so-vso", "eigen"]
    assert {"horeca", "bushalte", "onderwijs"} <= set(kaart.default_kinds(fac, "GM0014"))


def test_only_chosen_kinds_are_drawn_and_national_map_is_light(store, fac):
    view = _view(store, fac, "GM0014", "GM0014", level="gemeente", year=2023, kinds=["sbao"])
    layers = _layers(view)
    assert [k for k in layers if k.startswith("fac-")] == ["fac-sbao"]
    assert len(layers["areas"]["data"]["features"]) >= 342
    assert len(layers["fac-sbao"]["data"]) < 30  # points near the chosen gemeente only, not all NL
    assert view.json_size() < 2_000_000


def test_proximity_uses_the_newest_year_and_says_which():
    # made-up values (a labelled fixture, not CBS figures): only 2020 holds a distance for this buurt
    cat = load_catalogue(data_dir() / "indicators.csv")
    rows = [("BU00140107", 2020, "afstand_huisarts", 0.7), ("BU00140107", 2024, "inwoners", 1325.0)]
    values = pd.DataFrame(rows, columns=["code", "year", "indicator", "value"]).assign(
        table="FIXTURE", variable="made up", source="made up", method="", n_parts=1, coverage=1.0, priority=0.0
    )
    areas = pd.DataFrame(
        {
            "code": ["BU00140107"] * 2,
            "year": [2020, 2024],
            "level": ["buurt"] * 2,
            "name": ["Laanhuizen"] * 2,
            "name_year": [2020, 2024],
            "wijk": ["WK001401"] * 2,
            "gemeente": ["GM0014"] * 2,
        }
    )
    made_up = Store(values, areas, cat)
    assert kaart.proximity(made_up, "BU00140107", 2024, "nl") == [("Afstand tot huisartsenpraktijk (2020)", "0,7 km")]
    assert kaart.proximity(made_up, "BU00140108", 2024, "nl") == []  # nothing: no row, never a 0


def test_proximity_from_the_store_when_present(store):
    # the KWB 2024 distances may not be in the store yet (added by the data build): shown exactly when held
    got = dict(kaart.proximity(store, "BU05990110", 2024, "nl"))
    held = store.value("BU05990110", 2024, "afstand_huisarts") is not None
    assert ("Afstand tot huisartsenpraktijk (2024)" in got) == held


def test_point_tooltips_say_the_type_in_words_and_never_twice():
    from wijk.kaart.model import subtype_text

    assert subtype_text("horeca", "fast_food", "nl") == "snackbar of fastfood"
    assert subtype_text("horeca", "pub", "en") == "pub"
    assert subtype_text("horeca", "beer_garden", "nl") == "beer garden"  # unknown tag: at least no underscore
    assert subtype_text("basisschool", "basisschool", "nl") == ""  # 'Basisschool (regulier) · basisschool'
    assert subtype_text("onderwijs", "onderwijsfunctie, sportfunctie", "nl") == ""  # a BAG use code
    assert subtype_text("vo-school", "VBO/MAVO", "nl") == "VBO/MAVO"
    assert subtype_text("so-vso", None, "nl") == ""


def test_own_points_join_the_prepared_ones_and_are_counted(store, fac):
    # two made-up points of the user's own (fixture), one in the middle of Annen's buurt, one far away
    view = _view(store, fac, "BU16800000", "GM1680")
    geom, _ = kaart.area_geometry("BU16800000", 2024, view.layer)
    inside = geom.representative_point()
    mine = pd.DataFrame(
        {"kind": ["eigen", "eigen"], "name": ["Buurthuis", "Elders"], "subtype": ["", ""],
         "lon": [inside.x, 4.9], "lat": [inside.y, 52.37]}
    )  # fmt: skip
    drawn = kaart.drawn_level(store, "buurt", 2024, "GM1680")
    opt = next(o for o in kaart.options(store, 2024, drawn, "GM1680", [], "nl") if o.id == "inwoners")
    prepared = kaart.prepare(store, "buurt", 2024, "GM1680", fac, "nl")
    with_own = kaart.build_view(
        store, "BU16800000", 2024, "buurt", "GM1680", opt, fac, mine, kaart.KINDS, "nl", prepared=prepared
    )
    counts = with_own.counts.set_index("kind")
    assert counts.loc["eigen", "inside"] == 1 and counts.loc["eigen", "within_1000"] == 1  # not the far one
    # the prepared points are counted as before, beside the own ones
    pd.testing.assert_frame_equal(counts.drop(index="eigen"), view.counts.set_index("kind"), check_like=True)
