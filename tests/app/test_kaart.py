"""AppTest for the map page: Groningen, Amsterdam, Rotterdam and a rural gemeente; the deck, boundary
note, changed buurten, legend, counts; level and year changes."""

from __future__ import annotations

import json

from tests.app.conftest import open_app, page_text


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
    assert "mapbox://" not in json.dumps(spec) and spec["mapStyle"].startswith("/app/static/kaart_")
    text = page_text(at)
    assert "Grenzen van 2019, cijfers van 2024, gekoppeld op code" in text
    assert "Op de kaart" in text and "Speciaal basisonderwijs (SBAO)" in text  # the legend lists the dots
    assert any("buurten niet getekend: hun grens is veranderd" in e.label for e in at.expander)
    assert "BU00140500: grens van 2019 is" in _texts(at)  # a changed buurt is listed with its numbers
    assert "BU00140110" in _texts(at)  # a 2024 buurt without any boundary is listed, not dropped
    assert "Binnenstad-Noord (BU00140000)" in text
    counts = next(d.value for d in at.dataframe if "Soort" in d.value.columns)
    assert len(counts) >= 4 and counts.iloc[:, 1:].to_numpy().sum() > 0


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


def test_amsterdam_buurt_shows_its_wijken_and_says_why():
    at = open_app("kaart", buurt="BU0363AA01", jaar="2024")
    assert not at.exception
    spec = _spec(at)
    assert len(spec["layers"][0]["data"]["features"]) == 110
    assert len(json.dumps(spec)) < 2_000_000
    text = page_text(at)
    assert "De kaart toont daarom de wijken" in text and "Grenzen van 2024, cijfers van 2024" in text
    assert "de telling geldt voor de wijk WK0363AA" in text


def test_rotterdam_and_a_rural_gemeente_draw_buurten():
    for buurt, minimum in (("BU05990110", 80), ("BU16800000", 50)):
        at = open_app("kaart", buurt=buurt, jaar="2024")
        assert not at.exception, buurt
        spec = _spec(at)
        feats = spec["layers"][0]["data"]["features"]
        assert len(feats) >= minimum, buurt
        assert any(f["properties"]["code"] == buurt for f in feats)
        assert "Grenzen van 2019, cijfers van 2024" in page_text(at)


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
