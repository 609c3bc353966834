"""The one download format for spreadsheets: CSV for Dutch Excel, .xlsx with numbers, metadata apart."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from wijk.core import spreadsheet
from wijk.core.spreadsheet import SheetTable

TABLE = SheetTable(
    "Test",
    pd.DataFrame(
        {
            "gebied": ["Laanhuizen", "=HYPERLINK(1)"],
            "aandeel": [12.5, None],
            "inwoners": pd.array([1200, None], "Int64"),
        }
    ),
    ["Bron: CBS, tabel 85984NED, 2024", "@SUM(A1)"],
)


def test_csv_for_dutch_excel_has_the_header_first_and_numbers():
    data = spreadsheet.csv_nl(TABLE.frame)
    text = data.decode("utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf") and text.splitlines()[0] == '"gebied";"aandeel";"inwoners"'
    assert '"12,5"' in text and "12.5" not in text
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["aandeel"].tolist()[0] == 12.5 and pd.isna(back["aandeel"].tolist()[1])  # missing stays empty
    assert back["inwoners"].tolist()[0] == 1200
    assert back["gebied"].tolist()[1] == "'=HYPERLINK(1)"  # never a formula


def test_xlsx_numbers_as_numbers_and_metadata_on_its_own_sheet():
    wb = load_workbook(io.BytesIO(spreadsheet.xlsx(TABLE, "nl")))
    assert wb.sheetnames == ["Tabel", "Bronnen en toelichting"]
    rows = list(wb["Tabel"].iter_rows(values_only=True))
    assert rows[0] == ("gebied", "aandeel", "inwoners")
    assert rows[1] == ("Laanhuizen", 12.5, 1200) and rows[2][1] is None and rows[2][2] is None
    assert rows[2][0] == "'=HYPERLINK(1)"
    meta = [c.value for c in wb["Bronnen en toelichting"]["A"]]
    assert meta[0] == "Wijkbeeld: Test" and "Bron: CBS, tabel 85984NED, 2024" in meta and "'@SUM(A1)" in meta
    for ws in wb:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_files_name_the_three_downloads():
    files = spreadsheet.files(TABLE, "wijkbeeld_test", "en")
    assert [f[1] for f in files.values()] == ["wijkbeeld_test.csv", "wijkbeeld_test.xlsx", "wijkbeeld_test_sources.txt"]
    assert files["info"][0].decode("utf-8-sig").splitlines()[0] == "Wijkbeeld: Test"
