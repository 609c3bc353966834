"""One way to hand a table to a spreadsheet: 'CSV voor Excel (NL)', an .xlsx, and the metadata apart.

- CSV for Dutch Excel: UTF-8 with BOM, ';' between cells, decimal comma, the column names in the
  first row and nothing above them (Excel opens it as columns on a double click). Every cell is
  quoted and neutralised (`safe_export`: no formula ever runs). Read back with
  `pd.read_csv(io.BytesIO(data), sep=';', decimal=',', encoding='utf-8-sig')`.
- Metadata (title, sources with table, variable, period and area code, licence): a sheet of its own
  in the .xlsx, and a separate text file next to the CSV.
- .xlsx: the table on the first sheet with the column names in row 1 and numbers as numbers
  (missing stays an empty cell, never 0), the metadata on the second.
Used by every table the app offers for download (profile, workshop, own data, trends).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pandas as pd

from wijk.core import safe_export
from wijk.core.i18n import t
from wijk.core.text import plain

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
TXT_MIME = "text/plain"


@dataclass(frozen=True)
class SheetTable:
    """A table to download: its title, the frame (column names already in the UI language) and the
    metadata lines (sources, years, licence) that go on their own sheet and in their own file."""

    title: str
    frame: pd.DataFrame
    info: list[str] = field(default_factory=list)


def _numeric(value: object) -> object:
    """A cell as Excel should hold it: numpy scalars as Python numbers, missing as None."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def csv_nl(frame: pd.DataFrame) -> bytes:
    """CSV for Dutch Excel: BOM, ';', decimal comma, the header in the first row."""
    return safe_export.to_csv_bytes(frame, None, sep=";", decimal=",")


def info_text(table: SheetTable, lang: str = "nl") -> bytes:
    """The metadata as a small UTF-8 text file (with BOM) to keep next to the CSV."""
    lines = [t("export_heading", lang, title=table.title), "", *table.info]
    return ("\ufeff" + "\n".join(plain(line) for line in lines) + "\n").encode("utf-8")


def xlsx(table: SheetTable, lang: str = "nl") -> bytes:
    """The table on sheet 1 (header in row 1, numbers as numbers), the metadata on sheet 2."""
    from openpyxl import Workbook  # when a file is asked for: not in every server (~7 MB)
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = safe_export.sheet_name(t("export_sheet_table", lang))
    ws.append([safe_export.neutralise_cell(str(c)) for c in table.frame.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table.frame.itertuples(index=False):
        ws.append([safe_export.neutralise_cell(_numeric(v)) for v in row])
    ws.freeze_panes = "A2"
    info = wb.create_sheet(safe_export.sheet_name(t("export_sheet_info", lang)))
    info.append([safe_export.neutralise_cell(t("export_heading", lang, title=table.title))])
    info["A1"].font = Font(bold=True)
    for line in table.info:
        info.append([safe_export.neutralise_cell(str(line))])
    for sheet in wb:
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":  # never: text that still reads as a formula stays text
                    cell.value, cell.data_type = "'" + str(cell.value), "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def files(table: SheetTable, stem: str, lang: str = "nl") -> dict[str, tuple[bytes, str, str]]:
    """{'csv_nl': (bytes, file name, mime), 'xlsx': ..., 'info': ...} for one table."""
    return {
        "csv_nl": (csv_nl(table.frame), f"{stem}.csv", CSV_MIME),
        "xlsx": (xlsx(table, lang), f"{stem}.xlsx", XLSX_MIME),
        "info": (info_text(table, lang), t("export_file_info", lang, stem=stem), TXT_MIME),
    }
