"""AppTest for the map page: Groningen, Amsterdam, Rotterdam and a rural gemeente; the deck, boundary
note, changed buurten, legend, counts; level and year changes."""

from __future__ import annotations

import json

import pandas as pd

from tests.app.conftest import open_app, page_text, static_tables
from wijk.kaart import maps


def _legend(at) -> str:
    """The legend beside the map (st.html: escaped HTML with colour swatches)."""
    return next(str(h.value) for h in at.html if "line-height" in str(h.value))


def _spec(at):
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def _texts(at) -> str:
    return "\n".join(str(e.value) for e in at.text)


def test_kaart_for_a_groningen_buurt():
    at = open_app("kaart", buurt="BU00140000", jaar="2024")
    assert not at.exception
    spec = _spec(at)
    ids = [layer["id"] for layer in spec["layers"]]
    assert ids[0] == "areas" and "selected" in ids and {"fac-horeca", "fac-basisschool", "fac-sbao"} <= set(ids)
    assert len(spec["layers"][0]["data"]["features"]) > 120
    assert "mapbox://" not in json.dumps(spec) and (
        spec["mapStyle"] == maps.NO_BASEMAP or spec["mapStyle"].startswith("/app/static/kaart_")
    )
    text = page_text(at)
    assert "Grenzen van 2024, cijfers van 2024. Benaderde grenzen" in text
    legend = _legend(at)
    assert "Op de kaart" in legend and "Speciaal basisonderwijs (SBAO)" in legend  # the legend lists the dots
    codes = {f["properties"]["code"] for f in spec["layers"][0]["data"]["features"]}
    assert {"BU00140500", "BU00140110"} <= codes  # changed since 2019, new since 2019: both on 2024 polygons
    assert "Binnenstad-Noord (BU00140000)" in text
    counts = next(f for f in static_tables(at) if "Soort" in f.columns)
    numbers = counts.iloc[:, 1:].apply(lambda c: pd.to_numeric(c.str.replace(".", "", regex=False)))
    assert len(counts) >= 4 and numbers.to_numpy().sum() > 0


def test_picking_an_area_in_the_page_selects_it():
    at = open_app("kaart", buurt="BU00140000", jaar="2024")
    at.selectbox(key="kaart_area").set_value("BU00140001").run()
    assert not at.exception
    assert at.session_state["wb_selection"].buurt == "BU00140001"


def test_wijken_2020_use_post_2019_boundaries_and_english():
    at = open_app("kaart", wijk="WK001403", jaar="2020", lang="en")
    assert not at.exception
    spec = _spec(at)
    assert len(spec["layers"][0]["data"]["features"]) == 20
    assert "Boundaries of 2024, figures of 2020, joined on code" in page_text(at)


def test_amsterdam_buurt_map_draws_its_buurten():
    at = open_app("kaart", buurt="BU0363AA01", jaar="2024")
    assert not at.exception
    assert at.radio(key="kaart_level").value == "buurt"
    spec = _spec(at)
    feats = spec["layers"][0]["data"]["features"]
    assert len(feats) >= 500 and any(f["properties"]["code"] == "BU0363AA01" for f in feats)
    assert len(json.dumps(spec)) < 2_000_000
    text = page_text(at)
    assert "Benaderde grenzen" in text and "geen grenzen" not in text
    assert "De kaart toont daarom de wijken" not in text


def test_the_level_choice_offers_buurten_only_where_they_can_be_drawn():
    # 2017 figures of Amsterdam carry pre-2022 codes: no boundary in the data fits them
    at = open_app("kaart", buurt="BU03630000", jaar="2017")
    assert not at.exception
    radio = at.radio(key="kaart_level")
    assert "buurt" not in radio.options and radio.value == "wijk"
    assert "buurten zijn voor dit jaar niet te kiezen" in page_text(at)


def test_rotterdam_and_a_rural_gemeente_draw_buurten():
    for buurt, minimum in (("BU05990110", 80), ("BU16800000", 50)):
        at = open_app("kaart", buurt=buurt, jaar="2024")
        assert not at.exception, buurt
        spec = _spec(at)
        feats = spec["layers"][0]["data"]["features"]
        assert len(feats) >= minimum, buurt
        assert any(f["properties"]["code"] == buurt for f in feats)
        assert "Grenzen van 2024, cijfers van 2024. Benaderde grenzen" in page_text(at)


def test_the_provenance_beside_the_map_is_worked_out_when_opened():
    """A lazy expander: closed, the provenance of every figure on the map is not computed or sent;
    opened (its state set as a click sets it), the same table is there."""
    at = open_app("kaart", buurt="BU00140000", jaar="2024")
    assert any(e.label == "Herkomst van de cijfers" for e in at.expander)
    assert not any("CBS-tabel / bron" in d.value.columns for d in at.dataframe)
    at.session_state["kaart_provenance_open"] = True
    at.run()
    assert not at.exception
    prov = next(d.value for d in at.dataframe if "CBS-tabel / bron" in d.value.columns)
    assert len(prov) >= 1 and {"Variabele", "Jaar"} <= set(prov.columns)


def _tip(spec, code: str) -> str:
    return next(
        f["properties"]["tip"] for f in spec["layers"][0]["data"]["features"] if f["properties"]["code"] == code
    )


def test_amsterdam_2024_map_of_an_rivm_2020_indicator_shows_carried_figures():
    """Bijlmermuseum-Noord got a new code in 2022 (was BU03639402); its RIVM 2020 figure is carried."""
    at = open_app("kaart", buurt="BU0363TG01", jaar="2024")
    box = at.selectbox(key="kaart_indicator")
    assert "Ervaren gezondheid goed (18+) (cijfers 2020)" in box.options  # offered, with the year of its figures
    box.set_value("rivm_ervaren_gezondheid").run()
    assert not at.exception
    spec = _spec(at)
    assert _tip(spec, "BU0363TG01").endswith("\nzelfde gebied, in 2020 code BU03639402")
    text = page_text(at)
    assert "buurten tonen het cijfer van hun oude code (zelfde gebied, indeling 2020)" in text
    assert "Grenzen van 2024, cijfers van 2020" in text
    assert "OUD ·" not in text  # autumn 2020 on a 2024 map: not more than five years


def test_amsterdam_2024_map_of_kwb_2017_figures_is_marked_old():
    at = open_app("kaart", buurt="BU0363TG01", jaar="2024")
    at.selectbox(key="kaart_indicator").set_value("pct_sociaal_minimum").run()
    assert not at.exception
    assert "(2014, oud)" in _legend(at)
    text = page_text(at)
    assert "OUD · Deze cijfers beschrijven 2014: meer dan vijf jaar vóór 2024." in text
    assert _tip(_spec(at), "BU0363TG01").endswith("\nzelfde gebied, in 2017 code BU03639402")


def test_tilburg_2020_leaves_reused_codes_grey_and_says_why():
    at = open_app("kaart", buurt="BU08553206", jaar="2020")
    at.selectbox(key="kaart_indicator").set_value("rivm_ervaren_gezondheid").run()
    assert not at.exception
    assert "onbekend" in _tip(_spec(at), "BU08553206")  # Groenewoud Oost: its 2020 code is another place now
    assert "buurten zonder passende grens" in page_text(at)
    # the chosen 2020 buurt is not highlighted on the 2024 polygon of another place, and the map says so
    assert not any(layer.get("id") == "selected" for layer in _spec(at)["layers"])
    assert "BU08553206 (BU08553206) is niet getekend" in page_text(at)


def test_tilburg_2020_highlights_a_chosen_buurt_whose_code_is_the_same_place():
    at = open_app("kaart", buurt="BU08553702", jaar="2020")
    assert not at.exception
    assert any(layer.get("id") == "selected" for layer in _spec(at)["layers"])
    assert "is niet getekend" not in page_text(at)


def test_tilburg_2020_is_titled_with_its_name_of_2020():
    """The RIVM 2020 file names its gemeenten (same edition); its 2020 buurten keep their code."""
    at = open_app("kaart", gemeente="GM0855", jaar="2020")
    assert not at.exception
    titles = [str(t.value) for t in at.title]
    assert "Kaart: Tilburg" in titles and "Kaart: GM0855" not in titles
