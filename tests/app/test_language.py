"""AppTest: the Dutch UI speaks Dutch where Streamlit lets the app choose: chart numbers in the
language's locale, widget placeholders from data/i18n, no English multiselect extras."""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import open_app

TILBURG = dict(gemeente="GM0855", wijk="WK085512", buurt="BU08551201", jaar="2024")


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
