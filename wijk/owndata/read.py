"""Reading an uploaded own-data file (CSV or Excel) into a table of raw cells, safely.

CSV: UTF-8 (with or without BOM), UTF-16 or Windows-1252; the separator (; , tab) is sniffed. Excel (.xlsx):
openpyxl, first sheet, stored values only: formulas are never evaluated (a formula cell keeps its
formula text, which validation then rejects). Leading lines starting with '#' are comments.
Limits guard against huge files and zip bombs. Errors are `ReadError(key, **fmt)` with an i18n key.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO

import pandas as pd

from wijk.core import textfile

MAX_BYTES = 5 * 1024 * 1024  # 5 MB
MAX_ROWS = 20_000
MAX_COLUMNS = 60
MAX_HEADER_CHARS = 80
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024  # an .xlsx expanding beyond this is refused (zip bomb)
# A sheet is read only when its cells could be a table within the limits: its declared size (the
# <dimension> element) spans no more cells than MAX_ROWS x MAX_COLUMNS (plus a header and a spare row
# and column), no row holds more cells than Excel allows (XFD = 16,384 columns) and the whole sheet
# holds no more than MAX_CELLS cell elements. A small file can otherwise hold millions of cells.
MAX_CELLS = (MAX_ROWS + 2) * (MAX_COLUMNS + 1)
MAX_CELLS_PER_ROW = 16_384
_SCAN_CHUNK = 1 << 20
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s/>]")  # a row or cell start tag, any namespace prefix
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls


class ReadError(Exception):
    """A file that cannot be read at all; `key` is an i18n key, `fmt` its placeholders."""

    def __init__(self, key: str, **fmt: object) -> None:
        super().__init__(key)
        self.key = key
        self.fmt = fmt


@dataclass
class RawTable:
    """The cells of an uploaded file: columns are the header texts, cells str/number/None.

    `line_numbers[i]` is the line (CSV) or row (Excel) of data row i in the file, for messages.
    """

    frame: pd.DataFrame
    kind: str  # csv | xlsx
    name: str = ""  # the file name without extension (user text: escape before display)
    encoding: str = ""
    separator: str = ""
    line_numbers: list[int] = field(default_factory=list)
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (i18n key, fmt) warnings

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]


def read_upload(name: str, data: bytes) -> RawTable:
    """Read the bytes of an upload; raises ReadError with a clear reason (never anything else)."""
    if not isinstance(data, (bytes, bytearray)) or len(data) > MAX_BYTES:
        raise ReadError("eigen_err_too_big", mb=MAX_BYTES // (1024 * 1024))
    if not bytes(data).strip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n"):
        raise ReadError("eigen_err_empty")
    try:
        table = _read(name, bytes(data))
    except ReadError:
        raise
    except (Exception, RecursionError) as exc:  # a parser failing in a way we did not foresee: a message
        raise ReadError("eigen_err_unreadable") from exc
    table.name = " ".join(PurePath(str(name or "")).stem.split())[:MAX_HEADER_CHARS]
    return table


def _read(name: str, data: bytes) -> RawTable:
    lower = (name or "").lower()
    if data.startswith(_OLE_MAGIC) or lower.endswith(".xls"):
        raise ReadError("eigen_err_old_xls")
    if data.startswith(_XLSX_MAGIC) or lower.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    return _read_csv(data)


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return textfile.decode(data)
    except textfile.NotText as exc:
        raise ReadError("eigen_err_binary" if str(exc) == "binary" else "eigen_err_encoding") from exc


def _read_csv(data: bytes) -> RawTable:
    text, encoding = _decode(data)
    lines = text.splitlines()
    skip = 0
    while skip < len(lines) and (not lines[skip].strip() or lines[skip].lstrip(' "').startswith("#")):
        skip += 1
    body = "\n".join(lines[skip:])
    if not body.strip():
        raise ReadError("eigen_err_empty")
    sep = textfile.sniff_separator("\n".join(lines[skip : skip + 20]))
    old_limit = csv.field_size_limit()
    try:
        csv.field_size_limit(MAX_BYTES + 1)
        reader = csv.reader(io.StringIO(body), delimiter=sep)
        rows, numbers = [], []
        for row in reader:
            rows.append(row)
            numbers.append(skip + reader.line_num)
            if len(rows) > MAX_ROWS + 1:
                raise ReadError("eigen_err_too_many_rows", max=MAX_ROWS)
    except csv.Error as exc:
        raise ReadError("eigen_err_csv", detail=str(exc)[:80]) from exc
    finally:
        csv.field_size_limit(old_limit)
    return _table(rows, numbers, "csv", encoding, sep)


def _read_xlsx(data: bytes) -> RawTable:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED_BYTES:
                raise ReadError("eigen_err_too_big", mb=MAX_BYTES // (1024 * 1024))
            # every part, before openpyxl opens the workbook: it sizes each sheet on opening, and a sheet
            # without a declared size is then parsed whole (a sheet may sit at any path in the package)
            for info in zf.infolist():
                if info.filename.lower().endswith(".xml"):
                    with zf.open(info) as part:
                        _count_cells(part)
    except ReadError:
        raise
    except Exception as exc:  # BadZipFile, NotImplementedError ('zip file version 14.0'), ...
        raise ReadError("eigen_err_excel") from exc
    try:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        try:
            ws = wb.worksheets[0]
            _check_declared_size(ws)
            rows: list[list[object]] = []
            numbers: list[int] = []
            cells = ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1)
            for n, row in enumerate(cells, start=1):
                if len(rows) > MAX_ROWS + 1:
                    break
                rows.append(list(row[: MAX_COLUMNS + 1]))
                numbers.append(n)
        finally:
            wb.close()
    except ReadError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on malformed files
        raise ReadError("eigen_err_excel") from exc
    while rows and (
        all(c is None or str(c).strip() == "" for c in rows[0]) or str(rows[0][0] or "").lstrip().startswith("#")
    ):
        rows.pop(0)
        numbers.pop(0)
    return _table(rows, numbers, "xlsx", "", "")


def _check_declared_size(ws) -> None:
    """Refuse a sheet whose declared size (<dimension>) is beyond any table we accept, before reading it."""
    rows, cols = ws.max_row or 0, ws.max_column or 0
    if rows * cols > MAX_CELLS:
        raise ReadError("eigen_err_sheet_declared", rows=rows, cols=cols, max_rows=MAX_ROWS, max_cols=MAX_COLUMNS)


def _count_cells(sheet: IO[bytes]) -> None:
    """Stream a sheet's XML in chunks, counting cell tags per row and in all; stop at the first bound."""
    total = in_row = 0
    tail = b""
    while chunk := sheet.read(_SCAN_CHUNK):
        buf = tail + chunk
        last = 0
        for m in _TAG.finditer(buf):
            last = m.end()
            if m.group(1) == b"row":
                in_row = 0
                continue
            total, in_row = total + 1, in_row + 1
            if in_row > MAX_CELLS_PER_ROW or total > MAX_CELLS:
                raise ReadError("eigen_err_sheet_cells", max_rows=MAX_ROWS, max_cols=MAX_COLUMNS)
        tail = buf[max(last, len(buf) - 64) :]  # a tag cut by the chunk's end is found in the next


def _cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return value
    return str(value)


def _table(rows: list[list], numbers: list[int], kind: str, encoding: str, sep: str) -> RawTable:
    if not rows:
        raise ReadError("eigen_err_empty")
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise ReadError("eigen_err_no_header")
    if len(header) > MAX_COLUMNS:
        raise ReadError("eigen_err_too_many_columns", max=MAX_COLUMNS)
    notes: list[tuple[str, dict]] = []
    names: list[str] = []
    for i, h in enumerate(header, start=1):
        h = " ".join(h.split())
        if len(h) > MAX_HEADER_CHARS:
            notes.append(("eigen_note_header_cut", {"col": i, "max": MAX_HEADER_CHARS}))
            h = h[:MAX_HEADER_CHARS]
        base, k = h or f"kolom_{i}", 2
        h = base
        while h in names:
            h, k = f"{base}_{k}", k + 1
        names.append(h)
    body, lines = [], []
    for row, line in zip(rows[1:], numbers[1:]):
        cells = [_cell(c) for c in row]
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if len(cells) > len(names) and any(c not in (None, "") for c in cells[len(names) :]):
            notes.append(("eigen_note_extra_cells", {"line": line}))
        cells = (cells + [None] * len(names))[: len(names)]
        body.append(cells)
        lines.append(line)
    if not body:
        raise ReadError("eigen_err_no_rows")
    if len(body) > MAX_ROWS:
        raise ReadError("eigen_err_too_many_rows", max=MAX_ROWS)
    frame = pd.DataFrame(body, columns=names, dtype=object)
    return RawTable(frame, kind, encoding=encoding, separator=sep, line_numbers=lines, notes=notes)
