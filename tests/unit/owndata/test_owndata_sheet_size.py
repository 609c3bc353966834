"""Uploads are bounded by their cost, not only their bytes: a small .xlsx declaring or holding millions
of cells is refused before it is read, with one sentence in both languages; a real table still reads.

The workbooks are built here from made-up cells (a crafted file, not data)."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from wijk.core.i18n import t
from wijk.owndata import read
from wijk.owndata.read import MAX_COLUMNS, MAX_ROWS, ReadError, read_upload

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _xlsx(sheet_data: bytes, dimension: str | None = None, prefix: str = "") -> bytes:
    """A minimal one-sheet workbook around the given <sheetData> content (cells as written)."""
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns:{prefix}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"' if prefix else _NS
    dim = f'<{p}dimension ref="{dimension}"/>'.encode() if dimension else b""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {ns}>'.encode()
        + dim
        + f"<{p}sheetData>".encode()
        + sheet_data
        + f"</{p}sheetData></{p}worksheet>".encode()
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} xmlns:r="{_REL}">'
            '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def _table_rows(n: int, p: str = "") -> bytes:
    """A header (gebiedscode, waarde) and n made-up rows."""
    head = f'<{p}row r="1"><{p}c r="A1" t="inlineStr"><{p}is><{p}t>gebiedscode</{p}t></{p}is></{p}c>'
    head += f'<{p}c r="B1" t="inlineStr"><{p}is><{p}t>waarde</{p}t></{p}is></{p}c></{p}row>'
    body = "".join(
        f'<{p}row r="{i}"><{p}c r="A{i}" t="inlineStr"><{p}is><{p}t>GM0014</{p}t></{p}is></{p}c>'
        f'<{p}c r="B{i}"><{p}v>{i}</{p}v></{p}c></{p}row>'
        for i in range(2, n + 2)
    )
    return (head + body).encode()


def crafted_one_row_of_cells(cells: int = 1_900_000) -> bytes:
    """One row of `cells` cells: a file of about 100 KB that expands to tens of MB of cells."""
    return _xlsx(b'<row r="1">' + b"<c><v>1</v></c>" * cells + b"</row>")


def _refusal(data: bytes) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_upload("crafted.xlsx", data)
    return info.value


def test_one_row_of_millions_of_cells_is_refused_before_it_is_read():
    data = crafted_one_row_of_cells()
    assert len(data) < 200_000  # small: the size limit alone lets it through
    tracemalloc.start()
    try:
        err = _refusal(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.key == "eigen_err_sheet_cells"
    assert peak < 50 * 1024 * 1024, f"reading the refusal took {peak / 1e6:.0f} MB"
    for lang in ("nl", "en"):
        sentence = t(err.key, lang, **err.fmt)
        assert str(MAX_ROWS) in sentence and str(MAX_COLUMNS) in sentence and sentence.count(".") == 1


def test_a_sheet_declaring_a_huge_size_is_refused_with_that_size():
    err = _refusal(_xlsx(_table_rows(3), dimension="A1:XFD20000"))
    assert err.key == "eigen_err_sheet_declared"
    assert (err.fmt["rows"], err.fmt["cols"]) == (20_000, 16_384)
    assert "20000" in t(err.key, "nl", **err.fmt) and "16384" in t(err.key, "en", **err.fmt)


def test_many_cells_in_all_are_refused_even_when_no_size_is_declared(monkeypatch):
    monkeypatch.setattr(read, "MAX_CELLS", 100)  # 51 rows of 2 cells: beyond, and the count must see it
    monkeypatch.setattr(read, "_SCAN_CHUNK", 97)  # tags cut at chunk ends are still counted once
    assert _refusal(_xlsx(_table_rows(50))).key == "eigen_err_sheet_cells"


@pytest.mark.parametrize("prefix", ["", "x"])
def test_a_table_within_the_limits_still_reads(monkeypatch, prefix):
    monkeypatch.setattr(read, "_SCAN_CHUNK", 97)
    monkeypatch.setattr(read, "MAX_CELLS", 2 * 50 + 2)  # exactly the header and 50 rows of 2 cells
    raw = read_upload("tabel.xlsx", _xlsx(_table_rows(50, prefix and f"{prefix}:"), "A1:B51", prefix))
    assert raw.kind == "xlsx" and raw.columns == ["gebiedscode", "waarde"]
    assert len(raw.frame) == 50 and raw.frame["waarde"].tolist() == list(range(2, 52))
    assert raw.line_numbers[:2] == [2, 3]
