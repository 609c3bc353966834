"""The own-data result as a download: CSV for Dutch Excel and .xlsx with numbers, suppressed cells empty
(on the made-up fixture tests/fixtures/owndata_madeup_good.csv)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from tests.unit.owndata.test_model import _mapping
from wijk.core import spreadsheet
from wijk.owndata.export import result_table
from wijk.owndata.model import process
from wijk.owndata.read import read_upload

FIX = Path(__file__).resolve().parents[2] / "fixtures"


def test_result_downloads_hold_numbers_and_keep_suppressed_empty(store):
    raw = read_upload("owndata_madeup_good.csv", (FIX / "owndata_madeup_good.csv").read_bytes())
    ds = process(raw, _mapping(), store).dataset
    files = spreadsheet.files(result_table(ds, store, "nl", ["Eigen data: Test (verzonnen)"]), "eigen_data")
    csv = files["csv_nl"][0]
    assert csv.startswith(b"\xef\xbb\xbf") and csv.decode("utf-8-sig").startswith('"code";')
    frame = pd.read_csv(io.BytesIO(csv), sep=";", decimal=",", encoding="utf-8-sig")
    assert pd.api.types.is_numeric_dtype(frame["Leerlingen"])
    assert pd.api.types.is_float_dtype(frame["Regulier onderwijs"])
    rows = frame.set_index("code")
    assert rows.loc["GM0014", "Leerlingen"] == 1450 and rows.loc["BU00140107", "Regulier onderwijs"] == 95.0
    assert pd.isna(rows.loc["BU00140001", "Leerlingen"])  # suppressed: empty, never 0
    assert "Leerlingen" in rows.loc["BU00140001", "onderdrukt"]
    assert "Test (verzonnen)" in files["info"][0].decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(files["xlsx"][0])).worksheets[0]
    head = [c.value for c in sheet[1]]
    gm = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "GM0014")
    assert gm[head.index("Leerlingen")] == 1450
