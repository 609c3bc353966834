"""Exports that are safe to open in a spreadsheet: no formula injection, sources in the header.

Every text cell (column headers included) is one line of plain text (wijk.core.text.plain: CR/LF and
control characters become spaces) and, when a spreadsheet would run it as a formula (it starts,
after any spaces, with = + - @ tab or CR), it gets a leading apostrophe (OWASP CSV injection).
CSV: every cell is quoted. Metadata lines ('# Bron: CBS ...') stay comment lines that pandas
(`comment="#"`) and our own reader skip; their text has no quotes, and every piece between
separators that could start a formula is neutralised, so a spreadsheet splitting the line at
its commas still sees no formula. Excel: metadata lines are single text cells; no cell is a formula.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from wijk.core.text import plain

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_SEPARATORS = re.compile(r"([,;\t|])")
_NUMBER = re.compile(r"-?\d+([.,]\d+)?")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def neutralise_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; CR/LF become spaces."""
    if isinstance(value, str):
        if not value:
            return value
        text = _pieces(plain(value))  # a spreadsheet splitting at ; or , (Dutch Excel) sees no formula either
        if value.lstrip(" \u00a0").startswith(_FORMULA_START) or text.startswith(_FORMULA_START):
            return "'" + text
        return text
    return value


def _pieces(text: str) -> str:
    """Every piece after a separator that would start a formula gets an apostrophe."""
    parts = _SEPARATORS.split(text)
    for i in range(2, len(parts), 2):
        stripped = parts[i].lstrip()
        if stripped.startswith(_FORMULA_START) and not _NUMBER.fullmatch(stripped):
            parts[i] = parts[i][: len(parts[i]) - len(stripped)] + "'" + stripped
    return "".join(parts)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    for col in range(out.shape[1]):
        series = out.iloc[:, col]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            # pandas-stubs lists scalars and arrays only; isetitem takes a Series as well
            out.isetitem(col, series.map(neutralise_cell, na_action="ignore"))  # type: ignore[arg-type]
    return out


def metadata_line(line: object) -> str:
    """One '# ' comment line: no quotes, and no piece between separators that starts a formula."""
    return "# " + _pieces(plain(line).replace('"', "'"))


def to_csv_bytes(
    frame: pd.DataFrame, header_lines: list[str] | None = None, sep: str = ",", decimal: str = "."
) -> bytes:
    """CSV (UTF-8 with BOM for Excel), every cell quoted, with '# ' header lines for sources and years."""
    buf = io.StringIO()
    for line in header_lines or []:
        buf.write(metadata_line(line) + "\n")
    neutralise(frame).to_csv(buf, index=False, sep=sep, decimal=decimal, quoting=csv.QUOTE_ALL, lineterminator="\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def sheet_name(name: object) -> str:
    return _SHEET_BAD.sub(" ", plain(name))[:31].strip(" '") or "Wijkbeeld"


def to_excel_bytes(sheets: dict[str, pd.DataFrame], header_lines: list[str] | None = None) -> bytes:
    """An .xlsx with the header lines (sources, years) above each table; cells never formulas."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            title = sheet_name(name)
            start = len(header_lines or []) + (1 if header_lines else 0)
            neutralise(frame).to_excel(writer, sheet_name=title, index=False, startrow=start)
            ws = writer.sheets[title]
            for i, line in enumerate(header_lines or [], start=1):
                ws.cell(row=i, column=1, value=str(neutralise_cell(str(line))))
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # never: a text that still reads as a formula stays text
                        cell.value, cell.data_type = "'" + str(cell.value), "s"
    return buf.getvalue()
