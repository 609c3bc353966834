"""The tables behind the trends screen as files a manager opens as they are: Excel and CSV.

- Excel (.xlsx): a wide table (areas against years; indicators against areas for the heat table;
  the ranking as a list) with the screen's labels in the UI language, values rounded per unit and
  a number format per unit ('0.0"%"', '#,##0'), the title above and the header row frozen; the
  sources, years, licence and every break on a sheet of their own. Every cell written goes through
  `safe_export.neutralise_cell` (no formula ever runs).
- CSV: the same table with its header in the first row; in Dutch with ';' and decimal ',' (what
  Dutch Excel expects: `wijk.core.spreadsheet.csv_nl`, shared by every download of the app), and an
  international variant with ',' and '.'; UTF-8 with BOM. Title, sources and breaks in a text file
  of their own. Read back: `pd.read_csv(io.BytesIO(data), sep=';', decimal=',', encoding='utf-8-sig')`.
No internal codes (roles, methods, segment ids) in the files: names, CBS codes, years and values.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import SupportsFloat

import pandas as pd

from wijk.core import safe_export, spreadsheet
from wijk.core.i18n import t
from wijk.core.spreadsheet import SheetTable
from wijk.core.store import Store
from wijk.trends.model import rank_column_titles

DECIMALS = {"count": 0, "code": 0, "ha": 0, "per_km2": 0, "pct": 1, "per1000": 1, "eur1000": 1, "km": 1, "number": 1}
EXCEL_FORMATS = {
    "count": "#,##0",
    "code": "0",
    "ha": "#,##0",
    "per_km2": "#,##0",
    "pct": '0.0"%"',
    "per1000": "#,##0.0",
    "eur1000": "#,##0.0",
    "km": "0.0",
    "number": "#,##0.0",
}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 4  # title, subtitle, blank, then the column names
CSV_STYLE = {"nl": (";", ","), "intl": (",", ".")}


@dataclass
class Export:
    """One table to hand out: what the columns mean, their number units, and what goes on the sources sheet."""

    title: str
    table: pd.DataFrame  # display column names already in the UI language
    units: dict[str, str]  # column -> unit (for rounding and the number format); others are text
    info: list[str] = field(default_factory=list)  # lines for the sources sheet (and the CSV header)
    breaks: pd.DataFrame | None = None  # columns already labelled
    label_columns: int = 2  # columns kept in view when scrolling right (name, code)
    row_units: list[str] | None = None  # per-row unit (heat table: one indicator per row)


def rounded(value: SupportsFloat | None, unit: str) -> float | None:
    """The value rounded to what its unit shows (shares and rates 1 decimal, counts whole); missing stays None."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return round(float(value), DECIMALS.get(unit, 1))


def _round_table(exp: Export) -> pd.DataFrame:
    """Values rounded per unit; whole-number columns as nullable integers (no '8440.0'), others floats."""
    out = exp.table.copy()
    for col, unit in exp.units.items():
        vals = [rounded(v, unit) for v in out[col]]
        out[col] = pd.array(vals, dtype="Int64" if DECIMALS.get(unit, 1) == 0 else "float64")
    if exp.row_units:
        for c in out.columns[exp.label_columns :]:
            vals = [rounded(v, u) for v, u in zip(out[c], exp.row_units)]
            out[c] = pd.array(vals, dtype="float64")
    return out


def source_lines(store: Store, sources: list[str], lang: str = "nl") -> list[str]:
    """One line per source file used, with its title and year, from the store's source list."""
    used = list(dict.fromkeys(str(s) for s in sources if s and str(s) != "nan"))
    src = store.sources
    titles = dict(zip(src["source"].astype(str), src["title"].astype(str))) if not src.empty else {}
    years = dict(zip(src["source"].astype(str), src["year"])) if not src.empty else {}
    return [
        t("trends_export_source", lang, title=titles[s], year=years[s], file=s)
        if s in titles
        else t("trends_export_own", lang, name=s)
        for s in used
    ]


def info_lines(store: Store, frame: pd.DataFrame, lang: str = "nl", extra: list[str] | None = None) -> list[str]:
    """Areas, years, extra lines (indicator, ranking settings), sources and licence."""
    years = sorted({int(y) for y in frame["year"].dropna()}) if "year" in frame else []
    areas = list(dict.fromkeys(frame["series"])) if "series" in frame else []
    lines = []
    if areas:
        lines.append(t("trends_export_areas", lang, areas="; ".join(areas)))
    if years:
        lines.append(t("trends_export_years", lang, years=", ".join(map(str, years))))
    lines += list(extra or [])
    lines += source_lines(store, list(frame["source"]) if "source" in frame else [], lang)
    lines.append(t("trends_export_licence", lang))
    return lines


def breaks_table(breaks: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    kinds = {k: t(f"trends_kind_{k}", lang) for k in ("boundary", "area", "definition", "caution", "population")}
    out = pd.DataFrame(
        {
            t("trends_col_area", lang): breaks["series"],
            t("trends_col_from", lang): breaks["before"].astype(int),
            t("trends_col_to", lang): breaks["after"].astype(int),
            t("trends_col_kind", lang): [kinds.get(k, k) for k in breaks["kind"]],
            t("trends_col_reason", lang): breaks["reason"],
        }
    )
    return out.drop_duplicates().reset_index(drop=True)


# ---- the three tables of the screen ------------------------------------------------------------------
def series_export(
    store: Store,
    frame: pd.DataFrame,
    breaks: pd.DataFrame,
    title: str,
    unit: str,
    lang: str = "nl",
    extra: list[str] | None = None,
) -> Export:
    """Areas (rows) against years (columns); a column says between which years the series breaks."""
    col_area, col_code = t("trends_col_area", lang), t("trends_col_code", lang)
    col_breaks = t("trends_col_breaks", lang)
    years = sorted({int(y) for y in frame["year"]})
    rows = []
    hard = breaks[breaks["kind"] != "caution"] if not breaks.empty else breaks
    for code, part in frame.groupby("code", sort=False):
        name = str(part["series"].iloc[0]).rsplit(" (", 1)[0]
        row: dict[str, object] = {col_area: name, col_code: code}
        row |= {str(y): None for y in years}
        for y, v in zip(part["year"], part["value"]):
            row[str(int(y))] = v
        b = hard[hard["code"] == code] if not hard.empty else hard
        row[col_breaks] = "; ".join(f"{int(before)} → {int(after)}" for before, after in zip(b["before"], b["after"]))
        rows.append(row)
    table = pd.DataFrame(rows, columns=[col_area, col_code, *map(str, years), col_breaks])
    return Export(
        title,
        table,
        {str(y): unit for y in years},
        info_lines(store, frame, lang, extra),
        breaks_table(breaks, lang) if not breaks.empty else None,
    )


def ranking_export(
    store: Store,
    rank: pd.DataFrame,
    unit: str,
    title: str,
    year: int,
    since: int | None,
    lang: str = "nl",
    extra: list[str] | None = None,
) -> Export:
    names = rank_column_titles(year, since, lang)
    cols = [
        "rank",
        "name",
        "code",
        "inwoners",
        "value",
        *(["value_since", "change", "comparable"] if since else []),
        "note",
    ]
    table = rank[cols].copy()
    if since:
        table["comparable"] = [t("trends_yes" if c else "trends_no", lang) for c in table["comparable"]]
    table["note"] = table["note"].fillna("").astype(str)
    table = table.rename(columns=names)
    units = {names["inwoners"]: "count", names["value"]: unit}
    if since:
        units |= {names["value_since"]: unit, names["change"]: "number" if unit == "pct" else unit}
    frame = pd.DataFrame({"source": rank.get("source", [])})
    return Export(title, table, units, info_lines(store, frame, lang, extra), None, label_columns=3)


def heat_export(
    store: Store, prof: pd.DataFrame, title: str, lang: str = "nl", extra: list[str] | None = None
) -> Export:
    """Indicators (rows) against areas (columns) for one year; each row its own unit."""
    col_ind, col_unit = t("trends_col_indicator_label", lang), t("trends_col_unit", lang)
    areas = list(dict.fromkeys(prof["series"]))
    order = list(dict.fromkeys(prof["indicator"]))
    units = dict(zip(prof["indicator"], prof["unit"]))
    labels = dict(zip(prof["indicator"], prof["label"]))
    unit_labels = {i: store.catalogue.get(i).unit_label(lang) if i in store.catalogue else units[i] for i in units}
    cell = dict(zip(zip(prof["indicator"], prof["series"]), prof["value"]))
    table = pd.DataFrame({col_ind: [labels[i] for i in order], col_unit: [unit_labels[i] for i in order]})
    for a in areas:
        table[a] = [cell.get((i, a)) for i in order]
    wide = pd.DataFrame({"indicator": order})
    return Export(
        title, table, {}, info_lines(store, prof, lang, extra), None, row_units=[units[i] for i in wide["indicator"]]
    )


# ---- files ---------------------------------------------------------------------------------------
def info_lines_of(exp: Export, lang: str = "nl") -> list[str]:
    """What goes next to the table: the sources and every break (the .xlsx has them on a sheet)."""
    lines = list(exp.info)
    if exp.breaks is not None:
        lines += [
            t(
                "trends_export_break_line",
                lang,
                area=r.iloc[0],
                before=r.iloc[1],
                after=r.iloc[2],
                kind=r.iloc[3],
                reason=r.iloc[4],
            )
            for _, r in exp.breaks.iterrows()
        ]
    return lines


def csv_bytes(exp: Export, style: str = "nl") -> bytes:
    """The table with its header in the first row: 'nl' is `wijk.core.spreadsheet.csv_nl` (';', decimal
    comma), 'intl' uses ',' and '.'. Title and sources are in the separate file of `files`."""
    if style == "nl":
        return spreadsheet.csv_nl(_round_table(exp))
    sep, dec = CSV_STYLE[style]
    return safe_export.to_csv_bytes(_round_table(exp), None, sep=sep, decimal=dec)


def _put(ws, row: int, col: int, value: object):
    """Write one cell, neutralised; missing (None, NaN, NA) stays an empty cell, never 0."""
    cell = ws.cell(row=row, column=col)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        value = None
    elif hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar -> Python number
    cell.value = safe_export.neutralise_cell(value)
    return cell


def xlsx_bytes(exp: Export, lang: str = "nl") -> bytes:
    # imported when a file is asked for: openpyxl costs every server ~7 MB (and its import time) otherwise
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = t("trends_sheet_table", lang)
    _put(ws, 1, 1, t("trends_export_heading", lang, title=exp.title)).font = Font(bold=True, size=13)
    _put(ws, 2, 1, t("trends_export_see_sources", lang, sheet=t("trends_sheet_sources", lang)))
    table = _round_table(exp)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    for j, col in enumerate(table.columns, start=1):
        c = _put(ws, HEADER_ROW, j, str(col))
        c.font, c.fill = bold, fill
        c.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(table.itertuples(index=False), start=HEADER_ROW + 1):
        unit_row = exp.row_units[i - HEADER_ROW - 1] if exp.row_units else None
        for j, (col, value) in enumerate(zip(table.columns, row), start=1):
            c = _put(ws, i, j, value)
            unit = exp.units.get(col) or (unit_row if unit_row and j > exp.label_columns else None)
            if unit and isinstance(c.value, (int, float)):
                c.number_format = EXCEL_FORMATS.get(unit, "#,##0.0")
    for j, col in enumerate(table.columns, start=1):
        longest = max([len(str(col))] + [len(str(v)) for v in table[col].head(200) if v is not None])
        ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, longest + 2))
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=exp.label_columns + 1).coordinate
    src = wb.create_sheet(t("trends_sheet_sources", lang))
    _put(src, 1, 1, t("trends_export_heading", lang, title=exp.title)).font = Font(bold=True, size=13)
    r = 3
    for line in exp.info:
        _put(src, r, 1, line)
        r += 1
    if exp.breaks is not None and not exp.breaks.empty:
        r += 1
        _put(src, r, 1, t("trends_sheet_breaks_title", lang)).font = bold
        r += 1
        for j, col in enumerate(exp.breaks.columns, start=1):
            c = _put(src, r, j, str(col))
            c.font, c.fill = bold, fill
        for row in exp.breaks.itertuples(index=False):
            r += 1
            for j, value in enumerate(row, start=1):
                _put(src, r, j, value)
    src.column_dimensions["A"].width = 40
    src.column_dimensions["E"].width = 80
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def file_names(stem: str, lang: str = "nl") -> dict[str, tuple[str, str]]:
    """{'xlsx': (file name, mime), 'csv_nl': ..., 'csv_intl': ..., 'info': ...}: what a download offers,
    before it is made."""
    return {
        "xlsx": (f"wijkbeeld_{stem}.xlsx", XLSX_MIME),
        "csv_nl": (f"wijkbeeld_{stem}.csv", "text/csv"),
        "csv_intl": (f"wijkbeeld_{stem}_intl.csv", "text/csv"),
        "info": (t("export_file_info", lang, stem=f"wijkbeeld_{stem}"), spreadsheet.TXT_MIME),
    }


def file_bytes(exp: Export, fmt: str, lang: str = "nl") -> bytes:
    """The bytes of one download format (see file_names)."""
    if fmt == "xlsx":
        return xlsx_bytes(exp, lang)
    if fmt == "info":
        return spreadsheet.info_text(SheetTable(exp.title, exp.table, info_lines_of(exp, lang)), lang)
    return csv_bytes(exp, "nl" if fmt == "csv_nl" else "intl")


def files(exp: Export, stem: str, lang: str = "nl") -> dict[str, tuple[bytes, str, str]]:
    """{'xlsx': (bytes, file name, mime), 'csv_nl': ..., 'csv_intl': ..., 'info': ...} for one table."""
    return {fmt: (file_bytes(exp, fmt, lang), name, mime) for fmt, (name, mime) in file_names(stem, lang).items()}
