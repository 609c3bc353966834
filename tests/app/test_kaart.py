"""AppTest for the map page: a Groningen buurt, the deck, boundary note, counts; level and year changes."""
from __future__ import annotations

import json

from tests.app.conftest import open_app, page_text


def _spec(at):
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def test_kaart_for_a_groningen_buurt():
    at = open_app("kaart", buurt="BU00140000", jaar="2024")
    assert not at.exception
    spec = _spec(at)
    ids = [layer["id"] for layer in spec["layers"]]
    assert ids[0] == "areas" and "selected" in ids and "fac-horeca" in ids
    assert len(spec["layers"][0]["data"]["features"]) == 150
    assert "mapbox://" not in json.dumps(spec)
    text = page_text(at)
    assert "Grenzen van 2022, cijfers van 2024, gekoppeld op code" in text
    assert "BU00140110" in text  # a 2024 buurt without a 2022 boundary is listed, not dropped
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


def test_a_gemeente_without_buurt_boundaries_says_so():
    at = open_app("kaart", gemeente="GM0363", jaar="2024")
    assert not at.exception
    assert "no map can be drawn" in page_text(at) or "geen kaart te tekenen" in page_text(at)
