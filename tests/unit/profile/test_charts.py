"""Profile charts through chart.to_dict() (data in, chart out)."""

from __future__ import annotations

import pandas as pd

from wijk.profile.charts import age_structure_chart, household_chart
from wijk.profile.model import AGE_IDS, HOUSEHOLD_IDS, build_profile, chart_frame


def _data(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


def test_age_chart_area_against_gemeente(store):
    frame = chart_frame(build_profile(store, "BU00140107", 2024), AGE_IDS)
    spec = age_structure_chart(frame, "Leeftijd", "%").to_dict()
    bars = spec["layer"][0]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["x"]["field"] == "pct" and bars["encoding"]["yOffset"]["field"] == "area"
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Laanhuizen", "Groningen"]
    assert bars["encoding"]["y"]["sort"][0] == "Aandeel 0-14 jaar"
    rows = _data(spec)
    assert len(rows) == 10
    lh = {r["group"]: r["pct"] for r in rows if r["area"] == "Laanhuizen"}
    assert abs(lh["Aandeel 65 jaar of ouder"] - 95 / 1325 * 100) < 1e-9
    assert spec["title"] == "Leeftijd"


def test_household_chart_2017_has_three_groups(store):
    frame = chart_frame(build_profile(store, "BU00140107", 2017), HOUSEHOLD_IDS)
    spec = household_chart(frame, "Huishoudens", "%").to_dict()
    assert {r["group"] for r in _data(spec)} == {
        "Aandeel huishoudens met kinderen",
        "Aandeel huishoudens zonder kinderen",
        "Aandeel eenpersoonshuishoudens",
    }


def test_labels_layer_and_no_zero_for_missing():
    frame = pd.DataFrame([{"group": "A", "area": "X", "pct": 10.0, "order": 0}])  # made-up row
    spec = age_structure_chart(frame, "t", "%").to_dict()
    assert spec["layer"][1]["mark"]["type"] == "text"
    assert _data(spec) == [{"group": "A", "area": "X", "pct": 10.0, "order": 0}]
