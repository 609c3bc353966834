"""Trends charts, inspected through to_dict(): segments, visible breaks, no dotted link across a break,
small multiples with a real y-scale, Dutch number locale, every heat-table label."""

from __future__ import annotations

import pandas as pd

from wijk.trends import charts, series

KW = {"value_title": "Inwoners", "year_title": "Jaar", "break_label": "breuk"}


def _chart(store, code, indicator, unit="count", lang="nl"):
    trend = series.trend(store, code, indicator)
    frame, brk = series.series_frame(store, trend, lang), series.breaks_frame(store, trend, lang)
    chart = charts.series_chart(frame, brk, unit=unit, lang=lang, **KW)
    return frame, brk, chart, chart.to_dict()


def _layers(spec):
    return [layer for panel in (spec.get("concat") or [spec]) for layer in panel["layer"]]


def test_series_chart_is_split_into_segments_with_a_visible_break(store):
    frame, brk, chart, spec = _chart(store, "GM0014", "inwoners")
    line = spec["layer"][0]
    assert line["mark"]["type"] == "line" and line["encoding"]["detail"]["field"] == "segment"
    points = charts.chart_points(chart)
    gm = points[points["code"] == "GM0014"].sort_values("year")
    assert gm["segment"].nunique() == 2 and list(gm["value"])[0] == 202620
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert rules, "a break must be drawn"
    marks = spec["datasets"][rules[0]["data"]["name"]]
    assert 2017 < marks[0]["x"] < 2021 and "Haren" in marks[0]["reason"]  # between the two reference periods
    assert "floor(datum.value)" in line["encoding"]["x"]["axis"]["labelExpr"]  # years, no "2.017"


def test_points_sit_at_their_reference_period_and_tooltips_are_dutch(store):
    frame, _, chart, spec = _chart(store, "GM0014", "pct_65plus", unit="pct")
    # each point at its reference period (1 January of the edition year for counts), never another year
    assert ((frame["x"] >= frame["year"]) & (frame["x"] < frame["year"] + 1)).all()
    assert spec["layer"][0]["encoding"]["x"]["field"] == "x"
    tips = {t["field"] for t in spec["layer"][1]["encoding"]["tooltip"]}
    assert "text" in tips and "value" not in tips
    texts = set(charts.chart_points(chart)["text"])
    assert "15,3%" in texts and "12,4%" in texts


def test_dutch_and_english_number_locale(store):
    _, _, _, nl = _chart(store, "GM0014", "pct_65plus", unit="pct")
    assert nl["config"]["locale"]["number"]["decimal"] == "," and nl["config"]["locale"]["number"]["thousands"] == "."
    assert nl["layer"][0]["encoding"]["y"]["axis"]["labelExpr"].endswith("+ '%'")
    _, _, _, en = _chart(store, "GM0014", "pct_65plus", unit="pct", lang="en")
    assert en["config"]["locale"]["number"]["decimal"] == "."


def test_continuous_series_has_no_break_marks(store):
    _, brk, _, spec = _chart(store, "GM0344", "inwoners")
    assert brk.empty and not [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]


def test_caution_is_a_dotted_link_not_a_break(store):
    _, brk, _, spec = _chart(store, "GM0344", "pct_0_14", unit="pct")
    assert set(brk["kind"]) == {"caution"}
    dotted = [layer for layer in spec["layer"] if layer["mark"].get("strokeDash") == [2, 3]]
    assert dotted and not [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    frame = series.series_frame(store, series.trend(store, "GM0344", "pct_0_14"))
    links = charts.caution_links(frame, brk)
    assert len(links) == 2 * len(brk)
    # the solid line stops at a caution: only the dotted link joins the two points
    gm = frame[frame["code"] == "GM0344"].sort_values("year")
    assert gm["segment"].nunique() == 1 + (brk["code"] == "GM0344").sum()


def test_no_dotted_line_across_a_declared_break(store):
    """Oud-Noord 65+: 2017 (kaart, rounded) and 2024 (computed) would be a 'caution', but the 2019
    redivision lies between them: no line of any kind joins the two points."""
    comp = series.compare(store, ["WK001403"], "pct_65plus")
    frame, brk = series.series_frame(store, comp), series.breaks_frame(store, comp)
    assert list(brk["kind"]) == ["boundary"]
    assert charts.caution_links(frame, brk).empty
    spec = charts.compare_chart(frame, brk, unit="pct", **KW).to_dict()
    assert not [layer for layer in _layers(spec) if layer["mark"].get("strokeDash") == [2, 3]]
    assert frame["segment"].nunique() == 2  # 2017 and 2024 in separate segments: a gap, not a line


def test_missing_values_are_not_plotted_as_zero(store):
    frame, brk, chart, _ = _chart(store, "GM0014", "inwoners")
    points = charts.chart_points(chart)
    assert points["value"].notna().all() and (points["value"] > 0).all()
    assert 2020 not in set(points.loc[points["code"] == "GM0014", "year"])


def test_value_domain_is_never_a_single_value():
    import pandas as pd

    assert charts.value_domain(pd.Series([5.0, 5.0])) == [4.0, 6.0]
    lo, hi = charts.value_domain(pd.Series([202620.0, 243768.0]))
    assert 0 < lo < 202620 and hi > 243768
    assert charts.value_domain(pd.Series([0.5, 30.0]))[0] == 0.0  # shares never below 0
    assert charts.value_domain(pd.Series([], dtype=float)) == [0.0, 1.0]


def test_compare_four_areas_small_multiples(store):
    areas = ["GM0014", "GM0344", "WK001403", "BU00140107"]
    comp = series.compare(store, areas, "pct_65plus")
    frame, brk = series.series_frame(store, comp), series.breaks_frame(store, comp)
    spec = charts.compare_chart(frame, brk, unit="pct", **KW).to_dict()
    assert len(spec["concat"]) == 4
    titles = [p["title"]["text"] for p in spec["concat"]]
    assert titles == [series.label(store, c) for c in areas]  # every area labelled, above its panel
    assert spec["resolve"]["scale"]["y"] == "shared"
    for panel in spec["concat"]:
        lo, hi = panel["layer"][0]["encoding"]["y"]["scale"]["domain"]
        assert hi > lo and hi > 0  # a real scale, not just "0"
    rules = {p["title"]["text"]: [lay for lay in p["layer"] if lay["mark"]["type"] == "rule"] for p in spec["concat"]}
    assert rules["Groningen (GM0014)"] and rules["Oud-Noord (WK001403)"] and not rules["Utrecht (GM0344)"]


def test_counts_get_a_scale_per_panel(store):
    comp = series.compare(store, ["GM0014", "BU00140107"], "inwoners")
    frame, brk = series.series_frame(store, comp), series.breaks_frame(store, comp)
    spec = charts.compare_chart(frame, brk, unit="count", **KW).to_dict()
    assert spec["resolve"]["scale"]["y"] == "independent"
    doms = [p["layer"][0]["encoding"]["y"]["scale"]["domain"] for p in spec["concat"]]
    assert doms[0][1] > 200_000 and doms[1][1] < 5_000  # the buurt is not flattened by the gemeente


def test_heat_table_draws_every_label(store):
    inds = ["inwoners", "pct_0_14", "pct_15_24", "pct_25_44", "pct_45_64", "pct_65plus", "huishoudens"]
    areas = ["GM0014", "GM0344", "WK001403", "BU00140107", "GM0363", "GM0599"]
    prof = series.profile(store, areas, 2024, inds)
    spec = charts.heat_table(prof, low_high="laag → hoog").to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect", "text"]
    enc = spec["layer"][0]["encoding"] if "encoding" in spec["layer"][0] else spec["encoding"]
    assert enc["x"]["axis"]["labelOverlap"] is False and enc["y"]["axis"]["labelOverlap"] is False
    assert spec["height"] == {"step": 30}  # a fixed row height: rows never squeezed together
    data = spec["datasets"][spec["data"]["name"]] if "data" in spec else next(iter(spec["datasets"].values()))
    assert {d["series"] for d in data} == {series.label(store, c) for c in areas}
    assert any(d["text"] == "243.768" for d in data)


def test_shares_start_at_zero_and_each_year_is_one_tick(store):
    # a share from 16.2% to 17.4% on a 15%-based axis fills the chart: shares start at 0
    assert charts.value_domain(pd.Series([16.2, 17.4]), "pct")[0] == 0.0
    assert charts.value_domain(pd.Series([16.2, 17.4]), "number")[0] > 15  # other units keep a fitted axis
    frame, _, _, spec = _chart(store, "BU00140000", "rivm_eenzaam", unit="pct")
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"][0] == 0.0
    ticks = spec["layer"][0]["encoding"]["x"]["axis"]["values"]
    assert len(ticks) == len({int(v) for v in ticks}) and all(v == int(v) for v in ticks)  # no year twice
