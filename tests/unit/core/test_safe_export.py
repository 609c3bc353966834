"""Every export opens in a spreadsheet with no formula: each CSV and Excel cell (headers and
metadata lines included) is checked with csv / openpyxl, for the profile, trends, workshop and
own-data exports, with hostile text in every place a user or a URL can put it."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from types import SimpleNamespace

import pandas as pd
import pytest
from openpyxl import load_workbook

from wijk.beeld.report import answers_csv
from wijk.core import safe_export
from wijk.owndata.model import ColumnSpec, Mapping, process, result_frame
from wijk.owndata.read import read_upload
from wijk.owndata.template import template_csv, template_xlsx
from wijk.profile.export import profile_csv
from wijk.profile.model import build_profile
from wijk.trends import export as trends_export
from wijk.trends import series

EVIL = [
    'x,=HYPERLINK("http://evil.example/a"),',
    "a\r=1+1",
    "b\n=2+2",
    "\t=3+3",
    " =4+4",
    "@SUM(1)",
    "+5+5",
    "-6-6",
    "x;=7+7",
    "x\t@8",
    "=cmd|' /C calc'!A0",
]
_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_NUMBERS = re.compile(r'[-\d.,;"\t ]*')  # a row of numbers split at the wrong separator


def assert_csv_safe(data: bytes) -> None:
    text = data.decode("utf-8-sig")
    for sep in (",", ";", "\t"):  # however a spreadsheet splits the lines
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
            for cell in row:
                numbers_only = _NUMBER.fullmatch(cell) or (sep != "," and _NUMBERS.fullmatch(cell))
                assert not cell.startswith(_START) or numbers_only, repr(cell)
    body = [line for line in text.split("\n") if line and not line.startswith("# ")]
    for line in body:  # data lines: every cell quoted
        assert line.startswith('"') and line.endswith('"'), line
    assert "\r" not in text


def assert_xlsx_safe(data: bytes) -> None:
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(_START), repr(cell.value)


def test_neutralise_cell():
    assert safe_export.neutralise_cell("=1+1") == "'=1+1"
    assert safe_export.neutralise_cell(" =1+1") == "'=1+1"
    assert safe_export.neutralise_cell("a\r=1+1") == "a =1+1"  # no new row starting with =
    assert safe_export.neutralise_cell("Oud-Zuid") == "Oud-Zuid" and safe_export.neutralise_cell(-3.5) == -3.5


def test_hostile_frame_and_header_lines():
    frame = pd.DataFrame({**{e: [e, "tekst", None] for e in EVIL}, "getal": [-1.5, 2.0, None]})
    data = safe_export.to_csv_bytes(frame, EVIL)
    assert_csv_safe(data)
    back = pd.read_csv(io.BytesIO(data), comment="#", encoding="utf-8-sig")
    assert len(back) == 3 and back["getal"].iloc[0] == -1.5  # still a table; numbers stay numbers
    assert_xlsx_safe(safe_export.to_excel_bytes({EVIL[0]: frame}, EVIL))
    dutch = safe_export.to_csv_bytes(frame, EVIL, sep=";", decimal=",")
    assert_csv_safe(dutch) and '"-1,5"' in dutch.decode("utf-8-sig")


def test_profile_export(store):
    p = replace(build_profile(store, "BU00140107", 2024), name=EVIL[0])
    assert_csv_safe(profile_csv(p, "nl"))
    assert_csv_safe(profile_csv(p, "en"))


def test_trends_export(store):
    trend = series.trend(store, "BU00140107", "pct_0_14")
    frame = series.series_frame(store, trend)
    frame["series"] = EVIL[0]
    exp = trends_export.series_export(
        store, frame, series.breaks_frame(store, trend), EVIL[0], "pct", "nl", [EVIL[1], EVIL[2]]
    )
    files = trends_export.files(exp, "test", "nl")
    assert_csv_safe(files["csv_nl"][0])
    assert_csv_safe(files["csv_intl"][0])
    assert_xlsx_safe(files["xlsx"][0])


def test_workshop_export():
    answers = pd.DataFrame(
        {
            "participant": ["p1", "p2"],
            "question_id": [EVIL[0], EVIL[3]],
            "round": [1, 2],
            "value": [12.25, 3.0],
            "note": [EVIL[4], EVIL[1]],
            "submitted_at": ["2026-01-01", "2026-01-01"],
        }
    )
    info = SimpleNamespace(join_code="ABC123", area_code="BU00140107", year=2024, title=EVIL[0])
    assert_csv_safe(answers_csv(answers, info))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_own_data_exports(store, lang):
    assert_csv_safe(template_csv(lang))
    assert_xlsx_safe(template_xlsx(lang))
    body = b"gebiedscode;jaar;aantal\nBU00140107;2024;120\nGM0014;2024;1450\n"
    raw = read_upload("x.csv", body)
    ds = process(
        raw,
        Mapping(EVIL[0], EVIL[1], "gebiedscode", (ColumnSpec("aantal", EVIL[5], "count"),), year_column="jaar"),
        store,
    ).dataset
    frame = result_frame(ds, store, lang)
    assert_csv_safe(safe_export.to_csv_bytes(frame, [f"Eigen data: {ds.name}; bron: {ds.source}"]))
