"""Exports a manager opens as they are: the xlsx (opened with openpyxl) is a wide table of areas against
years with Dutch headers, number formats per unit, a frozen header and the sources and breaks on their
own sheet; the Dutch CSV reads back with sep=';' and decimal=',' as numbers; nothing in any cell runs
as a formula; no internal English codes in the files."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from wijk.trends import export as trends_export
from wijk.trends import model as trends
from wijk.trends import series

AREAS = ["GM0014", "GM0344", "WK001403", "BU00140107"]
INTERNAL = ("area/compare", "derived", "WK001403:0", "compare", "segment", "boundary_year")


@pytest.fixture(scope="module")
def compared(store):
    comp = series.compare(store, AREAS, "pct_65plus")
    frame, brk = series.series_frame(store, comp), series.breaks_frame(store, comp)
    return frame, brk, trends_export.series_export(store, frame, brk, "Aandeel 65 jaar of ouder", "pct", "nl")


def _cells(ws):
    return [c.value for row in ws.iter_rows() for c in row if c.value is not None]


def test_xlsx_is_a_wide_dutch_table(compared):
    frame, brk, exp = compared
    wb = load_workbook(io.BytesIO(trends_export.xlsx_bytes(exp, "nl")))
    assert wb.sheetnames == ["Tabel", "Bronnen en breuken"]
    ws = wb["Tabel"]
    assert ws["A1"].value == "Wijkbeeld: Aandeel 65 jaar of ouder" and ws["A1"].font.bold
    head = [c.value for c in ws[trends_export.HEADER_ROW]]
    assert head == ["gebied", "code", "2017", "2022", "2023", "2024", "reeks breekt tussen"]
    assert ws.freeze_panes == "C5"  # header rows and the name/code columns stay in view
    rows = {r[1]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    assert set(rows) == set(AREAS)  # one row per area, not one per area and year
    gm = rows["GM0014"]
    assert gm[0] == "Groningen" and gm[2] == 12.4 and gm[5] == 15.3  # rounded to what a share shows
    assert gm[6] == "2017 → 2022"
    assert rows["WK001403"][3] is None and rows["WK001403"][4] is None  # missing stays empty, never 0
    c = ws.cell(row=5, column=3)
    assert c.number_format == '0.0"%"' and isinstance(c.value, float)
    for value in _cells(ws):
        assert not any(code == value for code in INTERNAL)
    src = wb["Bronnen en breuken"]
    text = " ".join(str(v) for v in _cells(src))
    assert "Haren" in text and "85984NED" in text and "Bron: CBS" in text and "grenswijziging" in text
    assert "van jaar" in text and "reden" in text


def test_xlsx_counts_have_a_thousands_format_and_whole_numbers(store):
    comp = series.compare(store, ["GM0014", "GM0344"], "inwoners")
    frame, brk = series.series_frame(store, comp), series.breaks_frame(store, comp)
    exp = trends_export.series_export(store, frame, brk, "Inwoners", "count", "nl")
    ws = load_workbook(io.BytesIO(trends_export.xlsx_bytes(exp)))["Tabel"]
    cell = next(c for c in ws[5] if c.value == 243768)
    assert cell.number_format == "#,##0" and isinstance(cell.value, int)


def test_dutch_csv_reads_back_as_numbers(store, compared):
    frame, brk, exp = compared
    data = trends_export.csv_bytes(exp, "nl")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents right
    read = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")  # header in the first row
    assert list(read.columns[:2]) == ["gebied", "code"]
    assert pd.api.types.is_float_dtype(read["2024"]) and pd.api.types.is_float_dtype(read["2017"])
    got = read.set_index("code")["2024"]
    for code in AREAS:
        assert got[code] == pytest.approx(round(store.value(code, 2024, "pct_65plus"), 1))
    text = data.decode("utf-8-sig")
    assert ';"15,3";' in text and "15.3" not in text  # every cell quoted (issue 16)
    assert not text.startswith("#")
    info = trends_export.files(exp, "t", "nl")["info"][0].decode("utf-8-sig")
    assert info.startswith("Wijkbeeld: Aandeel 65 jaar of ouder") and "Bron: CBS" in info
    assert "2017" in info and "Haren" in info  # the break is explained next to the table


def test_international_csv(compared):
    frame, brk, exp = compared
    data = trends_export.csv_bytes(exp, "intl")
    read = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert read.set_index("code").loc["GM0014", "2024"] == pytest.approx(15.3)


def test_counts_in_csv_have_no_decimal_tail(store):
    comp = series.compare(store, ["GM0014"], "inwoners")
    frame, brk = series.series_frame(store, comp), series.breaks_frame(store, comp)
    exp = trends_export.series_export(store, frame, brk, "Inwoners", "count", "nl")
    text = trends_export.csv_bytes(exp, "nl").decode("utf-8-sig")
    assert '"243768"' in text
    assert "243768,0" not in text and "243768.0" not in text


def test_ranking_export(store):
    view = trends.rank_view(store, "GM0344", "pct_0_14", 2024, 2017)
    exp = trends_export.ranking_export(store, view.table, "pct", "Aandeel 0-14, Utrecht", 2024, 2017, "nl")
    wb = load_workbook(io.BytesIO(trends_export.xlsx_bytes(exp, "nl")))
    ws = wb["Tabel"]
    head = [c.value for c in ws[trends_export.HEADER_ROW]]
    assert head == [
        "plaats",
        "naam",
        "code",
        "inwoners",
        "waarde 2024",
        "waarde 2017",
        "verandering sinds 2017",
        "vergelijkbaar",
        "toelichting",
    ]
    assert ws.freeze_panes == "D5"
    shown = trends.rank_display(view, "pct", 2024, "nl").data.columns
    assert [h for h in head if h in shown] == list(shown)  # the screen's columns under the export's titles
    first = list(ws[5])
    assert first[4].number_format == '0.0"%"' and first[3].number_format == "#,##0"
    assert {c.value for c in ws["H"][4:]} <= {"ja", "nee"}
    read = pd.read_csv(io.BytesIO(trends_export.csv_bytes(exp, "nl")), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(read["code"]) == list(view.table["code"])
    assert read["verandering sinds 2017"].tolist() == pytest.approx(
        [float("nan") if pd.isna(v) else round(v, 1) for v in view.table["change"]], nan_ok=True
    )
    assert "kwb2024" in " ".join(map(str, _cells(wb["Bronnen en breuken"])))


def test_heat_table_export_is_indicators_against_areas(store):
    prof = series.profile(store, ["GM0014", "GM0344", "BU00140107"], 2024, ["inwoners", "pct_0_14", "opp_land"])
    exp = trends_export.heat_export(store, prof, "Veel indicatoren in één jaar 2024", "nl")
    ws = load_workbook(io.BytesIO(trends_export.xlsx_bytes(exp)))["Tabel"]
    head = [c.value for c in ws[trends_export.HEADER_ROW]]
    assert head[:2] == ["omschrijving", "eenheid"] and "Groningen (GM0014)" in head
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    assert rows["Inwoners"][2] == 243768 and rows["Aandeel 0-14 jaar"][2] == pytest.approx(11.6)
    assert rows["Oppervlakte land"][4] == 21  # KWB 2024 land area of the buurt (ha)
    pct_cell = next(c for c in ws[6] if isinstance(c.value, float))
    assert pct_cell.number_format == '0.0"%"'


def test_english_headers(store, compared):
    frame, brk, _ = compared
    exp = trends_export.series_export(store, frame, brk, "Share 65+", "pct", "en")
    wb = load_workbook(io.BytesIO(trends_export.xlsx_bytes(exp, "en")))
    assert wb.sheetnames == ["Table", "Sources and breaks"]
    assert [c.value for c in wb["Table"][4]][:2] == ["area", "code"]
    assert "Source: CBS" in " ".join(map(str, _cells(wb["Sources and breaks"])))


def test_no_cell_runs_as_a_formula(store, compared):
    frame, brk, _ = compared
    evil = frame.assign(series='=HYPERLINK("http://x") (GM0014)')
    exp = trends_export.series_export(store, evil, brk, "=1+1", "pct", "nl", extra=["@SUM(A1)"])
    wb = load_workbook(io.BytesIO(trends_export.xlsx_bytes(exp)))
    for ws in wb:
        for value in _cells(ws):
            assert not (isinstance(value, str) and value.startswith(("=", "+", "@"))), value
    text = trends_export.csv_bytes(exp, "nl").decode("utf-8-sig")
    assert "\n=HYPERLINK" not in text and ";=HYPERLINK" not in text
