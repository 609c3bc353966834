"""Exports: CSV and Excel open with pandas and hold the same numbers as the chart; header rows name
the areas, years, breaks and sources; nothing in a cell runs as a formula."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from wijk import series, trends_export
from wijk.charts import trends as charts


@pytest.fixture(scope="module")
def groningen(store):
    trend = series.trend(store, "BU00140107", "pct_0_14")
    frame, brk = series.series_frame(store, trend), series.breaks_frame(store, trend)
    chart = charts.series_chart(frame, brk, value_title="%", year_title="Jaar", break_label="breuk")
    return frame, brk, charts.chart_points(chart)


def _files(store, frame, brk=None, lang="nl"):
    reasons = list(brk["reason"]) if brk is not None else []
    header = trends_export.header_lines(store, frame, "Aandeel 0-14", lang, reasons)
    return header, trends_export.files(store, frame, "Aandeel 0-14", "test", lang, reasons)


def _same_numbers(read: pd.DataFrame, points: pd.DataFrame):
    read = read.rename(columns={"code": "code", "jaar": "year", "waarde": "value"})
    got = read.set_index(["code", "year"])["value"].sort_index()
    want = points.set_index(["code", "year"])["value"].sort_index()
    pd.testing.assert_series_equal(got, want, check_names=False, check_dtype=False)


def test_csv_holds_the_chart_numbers(store, groningen):
    frame, brk, points = groningen
    header, files = _files(store, frame, brk)
    data, name, mime = files["csv"]
    assert name.endswith(".csv") and mime == "text/csv"
    read = pd.read_csv(io.BytesIO(data), comment="#", encoding="utf-8-sig")
    _same_numbers(read, points)
    text = data.decode("utf-8-sig")
    assert text.startswith("# Wijkbeeld") and "Bron: CBS" in text and "Jaren: 2017, 2021, 2022, 2023, 2024" in text
    assert "Breuk:" in text and "Haren" in text and "85984NED" in text


def test_excel_holds_the_chart_numbers(store, groningen):
    frame, brk, points = groningen
    header, files = _files(store, frame, brk)
    data, name, _ = files["xlsx"]
    read = pd.read_excel(io.BytesIO(data), skiprows=trends_export.excel_skiprows(header))
    _same_numbers(read, points)
    top = pd.read_excel(io.BytesIO(data), header=None, nrows=len(header)).iloc[:, 0].tolist()
    assert top == header


def test_ranking_export(store):
    rank = series.ranking(store, "GM0344", "pct_0_14", 2024, 2017)
    header, files = _files(store, rank)
    read = pd.read_csv(io.BytesIO(files["csv"][0]), comment="#", encoding="utf-8-sig")
    assert list(read["code"]) == list(rank["code"])
    assert read["verandering"].tolist() == pytest.approx(rank["change"].astype(float).tolist(), nan_ok=True)
    xl = pd.read_excel(io.BytesIO(files["xlsx"][0]), skiprows=trends_export.excel_skiprows(header))
    assert xl["waarde"].tolist() == pytest.approx(rank["value"].tolist())


def test_english_headers_and_formula_safety(store, groningen):
    frame, brk, _ = groningen
    evil = frame.assign(name="=HYPERLINK(\"http://x\")")
    header, files = _files(store, evil, brk, lang="en")
    read = pd.read_csv(io.BytesIO(files["csv"][0]), comment="#", encoding="utf-8-sig")
    assert {"year", "value", "code"} <= set(read.columns)
    assert read["name"].str.startswith("'=").all()
    assert "Source: CBS" in files["csv"][0].decode("utf-8-sig")
