"""Every chart builder speaks the UI's number language: the chart JSON carries Vega's number locale
(Dutch "9,5" and "250.000", English "9.5" and "250,000"), set by the one helper wijk.core.chart_locale.localise."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from wijk.beeld import perception as P
from wijk.beeld.charts import group_chart, solo_gap_chart
from wijk.core.chart_locale import localise, number_locale
from wijk.factors import charts as factor_charts
from wijk.factors import model as factors
from wijk.profile.charts import age_structure_chart, household_chart
from wijk.profile.model import AGE_IDS, HOUSEHOLD_IDS, build_profile, chart_frame
from wijk.trends import charts as trend_charts
from wijk.trends import series

BUURT = "BU00140301"
KW = {"value_title": "v", "year_title": "j", "break_label": "b"}


def _builders(store, lang):
    """(name, chart) for every builder the screens use."""
    prof = build_profile(store, BUURT, 2024)
    view = factors.factor_view(store, BUURT, 2024, "gemeente")
    rows = factor_charts.rows_frame(view.panel("risk"), lang)
    trend = series.trend(store, BUURT, "inwoners")
    frame, brk = series.series_frame(store, trend, lang), series.breaks_frame(store, trend, lang)
    qs = {q.id: q for q in P.available_questions(store, BUURT, 2024)}
    q = qs["pct_met_kinderen"]
    truth = P.truth_for(store, q, BUURT, 2024)
    prof_many = series.profile(store, [BUURT, "GM0014"], 2024, ["inwoners", "pct_0_14"], lang)
    return [
        ("age", age_structure_chart(chart_frame(prof, AGE_IDS, lang), "t", "%", lang)),
        ("households", household_chart(chart_frame(prof, HOUSEHOLD_IDS, lang), "t", "%", lang)),
        ("factors", factor_charts.diverging_bars(rows, lang)),
        ("series", trend_charts.series_chart(frame, brk, lang=lang, **KW)),
        ("compare", trend_charts.compare_chart(frame, brk, lang=lang, **KW)),
        ("heat", trend_charts.heat_table(prof_many, low_high="x", lang=lang, tooltip_titles={"series": "s"})),
        ("group", group_chart(q, [10, 20], truth.value, truth.gemeente, lang)),
        ("solo", solo_gap_chart([q], {q.id: P.score(q, 10, truth)}, lang)),
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_chart_builder_carries_the_number_locale_of_its_language(store, lang):
    want = {"nl": (",", "."), "en": (".", ",")}[lang]
    for name, chart in _builders(store, lang):
        number = chart.to_dict()["config"]["locale"]["number"]
        assert (number["decimal"], number["thousands"]) == want, name
        assert number["grouping"] == [3], name


def test_localise_sets_the_locale_and_unknown_languages_fall_back_to_dutch():
    base = alt.Chart(pd.DataFrame({"x": [9.5, 250_000]})).mark_point().encode(x="x:Q")
    assert localise(base, "nl").to_dict()["config"]["locale"] == {"number": number_locale("nl")["number"]}
    assert localise(base, "fr").to_dict()["config"]["locale"]["number"]["decimal"] == ","
    assert number_locale("en")["number"]["thousands"] == ","
    # a localised chart still takes the projector's larger fonts (workshop_present does this)
    spec = localise(base, "nl").configure_axis(labelFontSize=18).to_dict()
    assert spec["config"]["axis"]["labelFontSize"] == 18 and spec["config"]["locale"]["number"]["decimal"] == ","


def _tooltips(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "tooltip" and isinstance(value, list):
                yield from value
            else:
                yield from _tooltips(value)
    elif isinstance(node, list):
        for item in node:
            yield from _tooltips(item)


def test_no_tooltip_shows_a_raw_field_name(store):
    """Without a title Vega prints the field name ('area', 'group', 'series') in the tooltip."""
    for name, chart in _builders(store, "nl"):
        for tip in _tooltips(chart.to_dict()):
            assert "title" in tip, (name, tip)


@pytest.mark.parametrize(("lang", "word"), [("nl", "Grafiek"), ("en", "Chart")])
def test_screen_readers_get_one_description_in_the_language_not_vegas_english(store, lang, word):
    """Vega describes every axis and bar in English ('X-axis titled ... for a linear scale'); off, and
    one description in the UI language points to the table beside the chart."""
    for name, chart in _builders(store, lang):
        spec = chart.to_dict()
        assert spec["config"]["aria"] is False and spec["config"]["title"]["aria"] is False, name
        assert word in spec["description"], name
    titled = dict(_builders(store, lang))["age"].to_dict()
    assert titled["description"].startswith("t. ")  # the chart's own title first


def test_counts_in_tooltips_have_thousands_separators(store):
    """'13812' in the factor tooltip: a count with ',d' prints 13.812 in Dutch (the locale's grouping)."""
    for name, chart in _builders(store, "nl"):
        for tip in _tooltips(chart.to_dict()):
            if tip.get("type") == "quantitative" and tip["field"] in ("n_areas",):
                assert tip.get("format") == ",d", (name, tip)
