"""Every chart has a table alternative with the same numbers, as shown in the UI language."""

from __future__ import annotations

import pandas as pd

from wijk.beeld import perception as P
from wijk.beeld.charts import group_table, solo_gap_table
from wijk.core.chart_locale import wide_table
from wijk.profile.charts import table_frame
from wijk.profile.model import AGE_IDS, build_profile, chart_frame
from wijk.trends import charts as trend_charts
from wijk.trends import series

BUURT = "BU00140301"


def test_wide_table_keeps_the_order_and_marks_gaps():
    frame = pd.DataFrame({"r": ["b", "a", "b"], "c": ["x", "x", "y"], "v": ["1", "2", "3"]})
    table = wide_table(frame, "r", "c", "v", "R")
    assert list(table.columns) == ["R", "x", "y"]
    assert table.values.tolist() == [["b", "1", "3"], ["a", "2", "–"]]


def test_profile_chart_table_has_the_bars_in_dutch(store):
    prof = build_profile(store, BUURT, 2024)
    frame = chart_frame(prof, AGE_IDS, "nl")
    table = table_frame(frame, "Groep", "nl")
    assert list(table.columns) == ["Groep", prof.name, "Groningen"]
    assert table["Groep"].tolist()[0] == "Aandeel 0-14 jaar"
    first = frame[(frame["area"] == prof.name)].sort_values("order")["pct"].iloc[0]
    assert table[prof.name].iloc[0] == f"{first:.1f}%".replace(".", ",")


def test_series_table_one_row_per_year_one_column_per_series(store):
    trend = series.trend(store, "GM0014", "inwoners")
    frame = series.series_frame(store, trend, "nl")
    table = trend_charts.series_table(frame, "Jaar")
    assert table["Jaar"].tolist() == sorted(set(frame["year"]))
    assert set(table.columns[1:]) == set(frame["series"])
    gm = frame[frame["code"] == "GM0014"].sort_values("year")
    row = table[table["Jaar"] == gm["year"].iloc[-1]].iloc[0]
    assert row[gm["series"].iloc[0]] == gm["text"].iloc[-1] and "." in gm["text"].iloc[-1]  # 250.000 style


def test_heat_table_frame(store):
    prof = series.profile(store, [BUURT, "GM0014"], 2024, ["inwoners", "pct_0_14"], "nl")
    table = trend_charts.heat_table_frame(prof, "Indicator")
    assert table["Indicator"].tolist() == ["Inwoners", "Aandeel 0-14 jaar"] and len(table.columns) == 3


def test_beeld_tables(store):
    qs = {q.id: q for q in P.available_questions(store, BUURT, 2024)}
    q = qs["pct_met_kinderen"]
    truth = P.truth_for(store, q, BUURT, 2024)
    gaps = solo_gap_table([q], {q.id: P.score(q, 50, truth)}, "nl")
    assert list(gaps.columns) == ["Vraag", "Schatting", "Werkelijk", "Verschil (% van de werkelijke waarde)", "Beeld"]
    assert gaps.iloc[0, 1] == "50,0%" and gaps.iloc[0, 3].startswith("+")
    room = group_table(q, [30, 60, 30], "nl")
    assert room.values.tolist() == [["30,0%", 2], ["60,0%", 1]]
