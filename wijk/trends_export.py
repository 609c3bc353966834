"""The table behind every trends chart as CSV and Excel, with title, areas, years and sources on top.

Read back with pandas: `pd.read_csv(io.BytesIO(data), comment="#")` and
`pd.read_excel(io.BytesIO(data), skiprows=excel_skiprows(header))` (header: the lines written).
"""
from __future__ import annotations

import pandas as pd

from wijk import safe_export
from wijk.i18n import t
from wijk.store import Store

COLUMNS = {  # internal column -> label key
    "series": "trends_col_series", "role": "trends_col_role", "code": "trends_col_code", "name": "trends_col_name",
    "indicator": "trends_col_indicator", "label": "trends_col_indicator_label", "year": "trends_col_year",
    "value": "trends_col_value", "text": "trends_col_text", "segment": "trends_col_segment",
    "boundary_year": "trends_col_boundary_year", "rank": "trends_col_rank", "value_since": "trends_col_value_since",
    "change": "trends_col_change", "comparable": "trends_col_comparable", "inwoners": "trends_col_inwoners",
    "small": "trends_col_small", "note": "trends_col_note", "table": "trends_col_table",
    "source": "trends_col_source", "method": "trends_col_method", "suppressed": "trends_col_suppressed",
}
DROP = ("rel", "unit")


def source_lines(store: Store, frame: pd.DataFrame, lang: str = "nl") -> list[str]:
    """One line per source file used, with its title and year, from the store's source list."""
    used = [s for s in dict.fromkeys(frame.get("source", pd.Series(dtype=str)).dropna().astype(str)) if s]
    src = store.sources
    titles = dict(zip(src["source"].astype(str), src["title"].astype(str))) if not src.empty else {}
    years = dict(zip(src["source"].astype(str), src["year"])) if not src.empty else {}
    return [t("trends_export_source", lang, title=titles[s], year=years[s], file=s) if s in titles
            else t("trends_export_own", lang, name=s) for s in used]


def header_lines(store: Store, frame: pd.DataFrame, title: str, lang: str = "nl",
                 breaks: list[str] | None = None, extra: list[str] | None = None) -> list[str]:
    years = sorted({int(y) for y in frame["year"].dropna()}) if "year" in frame else []
    areas = list(dict.fromkeys(frame["series"])) if "series" in frame else []
    lines = [f"Wijkbeeld: {title}"]
    if areas:
        lines.append(t("trends_export_areas", lang, areas="; ".join(areas)))
    if years:
        lines.append(t("trends_export_years", lang, years=", ".join(map(str, years))))
    lines += list(extra or [])
    lines += [t("trends_export_break", lang, text=b) for b in dict.fromkeys(breaks or [])]
    lines += source_lines(store, frame, lang)
    lines.append(t("trends_export_licence", lang))
    return lines


def export_frame(frame: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """The frame with labelled columns (internal helper columns left out); values unchanged."""
    out = frame.drop(columns=[c for c in DROP if c in frame.columns])
    return out.rename(columns={c: t(COLUMNS[c], lang) for c in out.columns if c in COLUMNS})


def excel_skiprows(header: list[str]) -> int:
    """Rows above the column names in the Excel sheet (the header lines plus one blank row)."""
    return len(header) + 1 if header else 0


def files(store: Store, frame: pd.DataFrame, title: str, stem: str, lang: str = "nl",
          breaks: list[str] | None = None, extra: list[str] | None = None) -> dict[str, tuple[bytes, str, str]]:
    """{'csv': (bytes, file name, mime), 'xlsx': (...)} for one chart's table."""
    header = header_lines(store, frame, title, lang, breaks, extra)
    table = export_frame(frame, lang)
    return {
        "csv": (safe_export.to_csv_bytes(table, header), f"wijkbeeld_{stem}.csv", "text/csv"),
        "xlsx": (safe_export.to_excel_bytes({"Wijkbeeld": table}, header), f"wijkbeeld_{stem}.xlsx",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    }
