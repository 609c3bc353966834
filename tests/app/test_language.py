"""AppTest: the Dutch UI speaks Dutch where Streamlit lets the app choose: chart numbers in the
language's locale, widget placeholders from data/i18n, no English multiselect extras."""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import open_app

TILBURG = {"gemeente": "GM0855", "wijk": "WK085512", "buurt": "BU08551201", "jaar": "2024"}


def _locales(at) -> list[dict]:
    return [json.loads(c.proto.spec).get("config", {}).get("locale") for c in at.get("vega_lite_chart")]


@pytest.mark.parametrize(("lang", "decimal"), [("nl", ","), ("en", ".")])
@pytest.mark.parametrize("page", ["profiel", "factoren"])
def test_every_chart_prints_numbers_in_the_ui_language(page, lang, decimal):
    at = open_app(page, lang=lang, **TILBURG)
    assert not at.exception
    locales = _locales(at)
    assert locales, f"no chart on {page}"
    assert all(loc and loc["number"]["decimal"] == decimal for loc in locales), locales
    word = {"nl": "Grafiek", "en": "Chart"}[lang]  # the screen-reader description, not Vega's English
    assert all(word in json.loads(c.proto.spec)["description"] for c in at.get("vega_lite_chart"))


ENGLISH_DEFAULTS = {"", "Choose an option", "Choose options", "Choose or add an option", "No options to select"}
SCREENS = ["profiel", "factoren", "kaart", "beeld", "trends", "eigen-data", "data"]


@pytest.mark.parametrize("page", SCREENS)
def test_selectboxes_and_multiselects_have_dutch_placeholders_and_no_english_extras(page):
    at = open_app(page, lang="nl", **TILBURG)
    assert not at.exception
    boxes, multis = list(at.selectbox), list(at.multiselect)
    assert boxes, "the sidebar alone has four selectboxes"
    for w in boxes + multis:
        assert w.proto.placeholder not in ENGLISH_DEFAULTS, (w.key, w.proto.placeholder)
    for m in multis:
        assert m.proto.select_all == 0, m.key  # no English "Select all"
        assert m.proto.max_selections == 0, m.key  # no English "You can only select up to ..."


def test_comparing_a_seventh_area_is_refused_with_a_dutch_message():
    at = open_app("trends", lang="nl", **TILBURG)
    six = ["BU08551201", "WK085512", "GM0855", "GM0014", "GM0363", "GM0344"]
    at.multiselect(key="trends_areas").set_value(six).run()
    assert not at.exception and not any("hoogstens" in w.value for w in at.warning)
    at.multiselect(key="trends_areas").set_value([*six, "GM0599"]).run()
    assert not at.exception
    assert at.multiselect(key="trends_areas").value == six
    assert any("hoogstens 6 gebieden" in w.value for w in at.warning)


def test_a_ninth_question_is_refused_with_a_dutch_message(store):
    from wijk.beeld import perception

    at = open_app("beeld", lang="nl", **TILBURG)
    key = next(m.key for m in at.multiselect if m.key.startswith("beeld_solo_pick_"))
    ids = [q.id for q in perception.available_questions(store, TILBURG["buurt"], 2024)]
    assert len(ids) > 8
    at.multiselect(key=key).set_value(ids[:8]).run()
    assert not any("hoogstens" in w.value for w in at.warning)
    at.multiselect(key=key).set_value(ids[:9]).run()
    assert not at.exception
    assert at.multiselect(key=key).value == ids[:8]
    assert any("hoogstens 8 vragen" in w.value for w in at.warning)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nl", ("Geen resultaten", "Zet het bestand hier neer")), ("en", ("No results",))],
)
def test_the_stylesheet_carries_the_words_it_shows_instead_of_streamlits_english(lang, words):
    at = open_app("data", lang=lang, **TILBURG)
    css = "\n".join(h.proto.body for h in at.get("html"))
    assert "--wb-no-results" in css and "--wb-drop" in css
    for word in words:
        assert f'"{word}"' in css
