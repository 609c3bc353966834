"""Hand imports: a StatLine CSV export, CBS's kwb-YYYY.xlsx or a wijk- en buurtkaart table into <local>/raw/.

Every path stores the figures it could read with their table and variable, or stores nothing and says why in
one sentence. What an import could not read (values, rows, columns) is said, never dropped silently:
- numbers with a decimal comma ('2,3') are read; a value that is not a number is left out and counted;
- the region code column is found by its contents (GM/WK/BU codes, CBS's NL00 becomes NL01); rows without
  a code are counted and named; a file without any code column is refused;
- a hand import holds what the user exported: no parent total or share is made from it as if complete
  (a parent counts as complete only where its children add up to CBS's own total).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path

import pandas as pd

from wijk.core import codes, textfile
from wijk.core.catalogue import load_catalogue
from wijk.core.i18n import Message
from wijk.core.paths import data_dir, local_dir
from wijk.data import cbs, raw_values, source_files
from wijk.data.raw_files import merge_raw

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")
_MISSING = {"", ".", "nan", "None", "<NA>", "-", "x"}
_XLSX_ID_COLUMNS = {"gwb_code_10", "gwb_code_8", "gwb_code", "regio", "gm_naam", "recs", "ind_wbi"}
_SHOWN = 6  # names or rows shown in one sentence before '…'


def import_file(path: Path, year: int, table: str = "") -> dict[str, object]:
    """Import a hand download: a StatLine CSV export, CBS's kwb-YYYY.xlsx, or a wijk- en buurtkaart table."""
    from wijk.data import refresh  # the store rebuild and raw-file writing live there

    if not path.exists():
        raise refresh.RefreshError(Message.of("refresh_file_not_found", path=str(path)))
    raw = local_dir() / "raw"
    problems: list[Message] = []
    if path.suffix.lower() in (".xlsx", ".xls"):
        frame = read_kwb_xlsx(path, problems)
        table = table or _table_of(year) or "kwbxlsx"
        frame = _numbers(frame, table, path.name, problems)
        kind, target = "kwb-xlsx", raw / f"kwb{year}_{table}_buurt_import_xlsx.csv.gz"
    else:
        try:
            frame = _read_any_csv(path)
        except (textfile.NotText, pd.errors.ParserError, ValueError) as exc:
            raise refresh.RefreshError(
                Message.of("refresh_csv_unreadable", name=path.name, error=type(exc).__name__)
            ) from exc
        if {"BU_CODE", "WK_CODE"} & set(frame.columns):
            raw.mkdir(parents=True, exist_ok=True)
            frame.to_csv(raw / f"kaart_{year}_import_{path.stem[:40]}.csv", index=False)
            return _finish(path, year, "StatLine CSV", problems, len(frame))
        table = table or _table_of(year)
        if not re.fullmatch(r"\d+NED", table or ""):
            raise refresh.RefreshError(Message.of("refresh_give_table"))
        frame = _with_codes(statline_titles_to_keys(frame), path.name, problems)
        frame = _numbers(frame, table, path.name, problems)
        kind, target = "StatLine CSV", raw / f"kwb{year}_{table}_buurt_import.csv.gz"
    raw.mkdir(parents=True, exist_ok=True)
    merge_raw(target, cbs.without_sentinels(frame), "WijkenEnBuurten")
    return _finish(path, year, kind, problems, len(frame))


def _finish(path: Path, year: int, kind: str, problems: list[Message], rows: int) -> dict[str, object]:
    from wijk.data import refresh

    summary = refresh.rebuild_local()
    refresh._stamp([f"import {path.name} ({kind})", str(year)])
    return {
        **summary,
        "served_by": Message.of("refresh_served_import", kind=kind),
        "partial": Message.of("refresh_import_partial", name=path.name, n=rows),
        "problems": problems,
    }


def _table_of(year: int) -> str:
    return cbs.tables("kwb").get(year, cbs.CbsTable(year, "kwb", "", "")).table_id


def _with_codes(frame: pd.DataFrame, name: str, problems: list[Message]) -> pd.DataFrame:
    """Find the region-code column by its contents; rows without a code are counted and named."""
    from wijk.data.refresh import RefreshError

    best, best_n = None, 0
    sample = frame.head(500)  # the column is chosen on the first rows; every row is then checked below
    for col in frame.columns:
        n = int(sample[col].map(lambda v: codes.level_of(cbs.area_code(v)) is not None).sum())
        if n > best_n:
            best, best_n = col, n
    if best is None:
        raise RefreshError(Message.of("refresh_no_code_column", name=name))
    out = frame.copy()
    if best != "WijkenEnBuurten" and "WijkenEnBuurten" in out.columns and "naam" not in out.columns:
        out["naam"] = out["WijkenEnBuurten"].astype(str).str.strip()  # a title column ('Groningen')
    area = out[best].map(cbs.area_code)
    known = area.map(codes.level_of).notna()
    if not known.all():
        label = "naam" if "naam" in out.columns else best
        shown = [f"'{str(v).strip()}'" for v in out.loc[~known, label]]
        problems.append(Message.of("refresh_import_rows_without_code", name=name, n=len(shown), rows=_listed(shown)))
    out["WijkenEnBuurten"] = out["Codering_3"] = area
    return out[known].reset_index(drop=True)


def _numbers(frame: pd.DataFrame, table: str, name: str, problems: list[Message]) -> pd.DataFrame:
    """The value columns the catalogue knows, as plain numbers with a decimal point. A file that writes decimal
    commas ('2,3', '1.234,5') is read as such; a value that is not a number is left out and counted."""
    from wijk.data.refresh import RefreshError

    mapped = raw_values.statline_columns(
        list(frame.columns), load_catalogue(), source_files.column_map("kwb_statline"), table
    )
    if not mapped:
        raise RefreshError(Message.of("refresh_import_no_variables", name=name, table=table))
    out = frame.copy()
    comma = raw_values.has_decimal_comma([out[c] for c in mapped])
    unread: list[str] = []
    for col in mapped:
        values = raw_values.decimal_point_text(out[col], comma)
        ok = values.str.match(_NUMBER.pattern) | values.isin(_MISSING)
        if not ok.all():
            example = str(out.loc[~ok, col].iloc[0])[:20]
            unread.append(f"{col} ({int((~ok).sum())}×, '{example}')")
        out[col] = values.where(ok, "")
    if unread:
        problems.append(Message.of("refresh_import_values_unread", name=name, columns=_listed(unread)))
    if not any(out[c].astype(str).str.match(_NUMBER.pattern).any() for c in mapped):
        raise RefreshError(Message.of("refresh_import_no_values", name=name, table=table))
    return out


def read_kwb_xlsx(path: Path, problems: list[Message] | None = None) -> pd.DataFrame:
    """CBS's published kwb-YYYY.xlsx (short names like gwb_code_10, a_inw, g_wozbag) -> KWB keys, via the
    mapping table data/kwb_xlsx_columns.csv. Missing-value markers ('.', -99995, -99997, ...) stay missing;
    columns the mapping does not know are named in `problems`."""
    from wijk.data.refresh import RefreshError

    try:
        frame = pd.read_excel(path, dtype=str)
    except (ValueError, OSError, KeyError, ImportError) as exc:
        raise RefreshError(Message.of("refresh_xlsx_unreadable", name=path.name, error=type(exc).__name__)) from exc
    with open(data_dir() / "kwb_xlsx_columns.csv", newline="", encoding="utf-8") as fh:
        mapping = {r["short"]: r["key"] for r in csv.DictReader(fh)}
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    code_col = next((c for c in ("gwb_code_10", "gwb_code") if c in frame.columns), None)
    if code_col is None:
        raise RefreshError(Message.of("refresh_xlsx_no_code_column", name=path.name))
    unknown = [c for c in frame.columns if c not in mapping and c not in _XLSX_ID_COLUMNS]
    if unknown and problems is not None:
        problems.append(
            Message.of("refresh_xlsx_columns_unused", name=path.name, n=len(unknown), columns=_listed(unknown))
        )
    frame = frame.rename(columns={c: mapping[c] for c in frame.columns if c in mapping})
    frame["WijkenEnBuurten"] = frame["Codering_3"] = frame[code_col].map(cbs.area_code)
    if "regio" in frame.columns:
        frame["naam"] = frame["regio"].astype(str).str.strip()
    keep = [
        "WijkenEnBuurten",
        "Codering_3",
        *[c for c in ("Gemeentenaam_1", "naam") if c in frame.columns],
        *sorted((set(mapping.values()) - {"Gemeentenaam_1", "Codering_3"}) & set(frame.columns)),
    ]
    frame = frame[frame["WijkenEnBuurten"].map(codes.level_of).notna()]
    return cbs.without_sentinels(frame[keep])


def _read_any_csv(path: Path) -> pd.DataFrame:
    text, _encoding = textfile.decode(path.read_bytes())
    sep = textfile.sniff_separator("\n".join(text.splitlines()[:20]))
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)


def _norm(title: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", title).strip().lower()


def statline_titles_to_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """StatLine CSV exports use titles ('Aantal inwoners (aantal)'); map them to keys via DataProperties."""
    if any(re.search(r"_\d+$", c) for c in frame.columns):
        return frame
    keys: dict[str, str] = {}
    for meta in sorted((data_dir() / "cbs_meta").glob("*_DataProperties.json.gz")):
        with gzip.open(meta, "rt", encoding="utf-8") as fh:
            for prop in json.load(fh):
                if prop.get("Key"):
                    keys.setdefault(_norm(prop["Title"]), prop["Key"])
    keys.update({"wijken en buurten": "WijkenEnBuurten", "codering": "Codering_3", "gemeentenaam": "Gemeentenaam_1"})
    return frame.rename(columns={c: keys.get(_norm(c), c) for c in frame.columns})


def _listed(items: list[str]) -> str:
    return ", ".join(items[:_SHOWN]) + (" …" if len(items) > _SHOWN else "")
