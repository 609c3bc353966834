"""Exports that are safe to open in a spreadsheet: no formula injection, sources in the header."""
from __future__ import annotations

import io

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with a quote (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell)
    return out


def to_csv_bytes(frame: pd.DataFrame, header_lines: list[str] | None = None, *, sep: str = ",",
                 decimal: str = ".") -> bytes:
    """CSV (UTF-8 with BOM for Excel) with '# ' header lines for sources and years. Dutch Excel wants
    sep=';' and decimal=','; the default is the international comma CSV."""
    buf = io.StringIO()
    for line in header_lines or []:
        buf.write("# " + str(neutralise_cell(line)).replace("\n", " ") + "\n")
    neutralise(frame).to_csv(buf, index=False, sep=sep, decimal=decimal)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_excel_bytes(sheets: dict[str, pd.DataFrame], header_lines: list[str] | None = None) -> bytes:
    """An .xlsx with the header lines (sources, years) above each table; cells never formulas."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            start = len(header_lines or []) + (1 if header_lines else 0)
            safe = neutralise(frame)
            safe.to_excel(writer, sheet_name=name[:31], index=False, startrow=start)
            ws = writer.sheets[name[:31]]
            for i, line in enumerate(header_lines or [], start=1):
                ws.cell(row=i, column=1, value=str(neutralise_cell(line)))
    return buf.getvalue()
