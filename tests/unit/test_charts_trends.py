"""Trends charts, inspected through to_dict(): segments, visible breaks, dotted cautions, heat table."""
from __future__ import annotations

from wijk import series
from wijk.charts import trends as charts


def _chart(store, code, indicator):
    trend = series.trend(store, code, indicator)
    frame, brk = series.series_frame(store, trend), series.breaks_frame(store, trend)
    chart = charts.series_chart(frame, brk, value_title="Inwoners", year_title="Jaar", break_label="breuk")
    return frame, brk, chart, chart.to_dict()


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
    assert marks[0]["x"] == 2019.0 and "Haren" in marks[0]["reason"]  # midway 2017 -> 2021 (first year after)
    assert spec["layer"][0]["encoding"]["x"]["axis"]["format"] == "d"


def test_continuous_series_has_no_break_marks(store):
    _, brk, _, spec = _chart(store, "GM0344", "inwoners")
    assert brk.empty and not [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]


def test_caution_is_a_dotted_link_not_a_break(store):
    _, brk, _, spec = _chart(store, "GM0344", "pct_0_14")
    assert set(brk["kind"]) == {"caution"}
    dotted = [layer for layer in spec["layer"] if layer["mark"].get("strokeDash") == [2, 3]]
    assert dotted and not [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    links = charts.caution_links(series.series_frame(store, series.trend(store, "GM0344", "pct_0_14")), brk)
    assert len(links) == 2 * len(brk)


def test_missing_values_are_not_plotted_as_zero(store):
    frame, brk, chart, _ = _chart(store, "GM0014", "inwoners")
    points = charts.chart_points(chart)
    assert points["value"].notna().all() and (points["value"] > 0).all()
    assert 2020 not in set(points.loc[points["code"] == "GM0014", "year"])


def test_heat_table(store):
    prof = series.profile(store, ["GM0014", "GM0344"], 2024, ["inwoners", "pct_0_14", "pct_65plus"])
    spec = charts.heat_table(prof, low_high="laag → hoog").to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect", "text"]
    data = spec["datasets"][spec["data"]["name"]] if "data" in spec else next(iter(spec["datasets"].values()))
    assert {d["series"] for d in data} == {"Groningen (GM0014)", "Utrecht (GM0344)"}
    assert any(d["text"] == "243.768" for d in data)
