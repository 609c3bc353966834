"""Unit tests for wijk.beeld.charts: inspected through to_dict()."""

from __future__ import annotations

from wijk.beeld import perception as P
from wijk.beeld.charts import group_chart, solo_gap_chart

BUURT = "BU00140301"


def _questions(store):
    return {q.id: q for q in P.available_questions(store, BUURT, 2024)}


def _datasets(spec: dict) -> list[list[dict]]:
    return list(spec.get("datasets", {}).values())


def test_group_chart_marks_truth_and_gemeente(store):
    q = _questions(store)["pct_met_kinderen"]
    truth = P.truth_for(store, q, BUURT, 2024)
    spec = group_chart(q, [30, 60, 31], truth.value, truth.gemeente, "nl", "ronde 1").to_dict()
    rows = [r for ds in _datasets(spec) for r in ds]
    assert sorted(r["guess"] for r in rows if "guess" in r) == [30, 31, 60]
    marks = [r for r in rows if "what" in r]
    assert marks[0]["x"] == truth.value and marks[0]["what"] == "werkelijk: 12,2%"
    assert marks[1]["x"] == truth.gemeente and marks[1]["what"].startswith("gemeente: ")
    # the two values are named in one legend under the chart, never as text on the plot
    # (12,2% and 17,7% printed next to their rules ran into each other)
    assert not any(
        layer.get("mark", {}).get("type") == "text" or layer.get("mark") == "text" for layer in spec["layer"]
    )
    colour = spec["layer"][1]["encoding"]["color"]
    assert colour["legend"]["orient"] == "bottom" and colour["legend"]["labelLimit"] == 0
    assert colour["scale"]["domain"] == [m["what"] for m in marks]
    stacks = [r["stack"] for r in rows if "guess" in r]
    assert max(stacks) == 2  # 30 and 31 share a column of dots
    assert "Aandeel huishoudens met kinderen" in str(spec["title"])
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 100]


def test_group_chart_compare_axis(store):
    q = _questions(store)["gem_huishoudensgrootte"]
    spec = group_chart(q, [-1, 1, 1], 1.0, None, "en").to_dict()
    x = spec["layer"][0]["encoding"]["x"]
    assert x["axis"]["values"] == [-1, 0, 1] and "higher" in x["axis"]["labelExpr"]
    named = [r["what"] for ds in _datasets(spec) for r in ds if "what" in r]
    assert named == ["real: higher"]


def test_group_chart_with_no_guesses(store):
    q = _questions(store)["misdrijven_per_1000"]
    assert group_chart(q, [], 116.0, 113.0, "nl").to_dict()["layer"]


def test_solo_gap_chart_signs_and_colours(store):
    qs = _questions(store)
    chosen = [qs["misdrijven_per_1000"], qs["pct_met_kinderen"]]
    truths = {q.id: P.truth_for(store, q, BUURT, 2024) for q in chosen}
    scores = {
        "misdrijven_per_1000": P.score(chosen[0], 232, truths["misdrijven_per_1000"]),
        "pct_met_kinderen": P.score(chosen[1], 6, truths["pct_met_kinderen"]),
    }
    spec = solo_gap_chart(chosen, scores, "nl").to_dict()
    rows = _datasets(spec)[0]
    by_q = {r["question"]: r for r in rows}
    crime = by_q["Misdrijven per 1.000 inwoners"]
    assert crime["key"] == "negative" and crime["gap"] > 0
    assert by_q["Aandeel huishoudens met kinderen"]["gap"] < 0
    assert spec["encoding"]["color"]["scale"]["domain"][0] == "negative"


def test_group_chart_legend_size_is_the_callers(store):
    """The projector's legend is as large as its axes: the legend's own size wins over configure_legend."""
    q = _questions(store)["misdrijven_per_1000"]
    small = group_chart(q, [100.0], 116.0, 113.0, "nl").to_dict()
    large = group_chart(q, [100.0], 116.0, 113.0, "nl", legend_font=22).to_dict()
    assert small["layer"][1]["encoding"]["color"]["legend"]["labelFontSize"] == 14
    assert large["layer"][1]["encoding"]["color"]["legend"]["labelFontSize"] == 22
