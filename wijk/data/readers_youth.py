"""Readers of the CBS youth-care files (issue 18), and gemeente names to codes for the export that has no codes."""

from __future__ import annotations

import csv
import re
from dataclasses import replace

import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import Catalogue, stem
from wijk.core.paths import data_dir
from wijk.core.store import OBSERVATION_COLUMNS
from wijk.data.raw_values import melt, name_rows
from wijk.data.readers_geo import read_pdok_gemeenten
from wijk.data.source_files import NAME_COLUMNS, ReadResult, SourceFile, column_map, discover

_YOUTH_NL = {"NL00", "NL01"}  # CBS's country row in the youth-care tables -> the app's NL code
_NAME_SUFFIX = re.compile(r"\s*\((?:gemeente|[A-Za-z]{1,3}\.)\)\s*$")


def _youth_code(raw: object) -> str:
    code = codes.clean(raw)
    return codes.NL_CODE if code in _YOUTH_NL else code


def _year_tables(spec: str) -> dict[int, str]:
    """'2021:85075NED;2022:85335NED' -> {2021: '85075NED', 2022: '85335NED'}."""
    out = {}
    for part in spec.split(";"):
        year, _, table = part.partition(":")
        if table:
            out[int(year)] = table.strip()
    return out


def _kwb_tables() -> dict[int, str]:
    with open(data_dir() / "cbs_tables.csv", newline="", encoding="utf-8") as fh:
        return {int(r["year"]): r["table_id"] for r in csv.DictReader(fh) if r["kind"] == "kwb"}


def _youth_observations(frame: pd.DataFrame, src: SourceFile, year: int, table: str) -> pd.DataFrame:
    """One year's youth-care rows -> observations; KWB population columns get that year's KWB table."""
    kwb = _kwb_tables()
    colmap = {}
    for column, (indicator, tbl, _) in column_map(src.reader).items():
        if column in frame.columns or any(stem(c) == column for c in frame.columns):
            name = column if column in frame.columns else next(c for c in frame.columns if stem(c) == column)
            colmap[name] = (indicator, kwb.get(year, tbl) if tbl == "KWB" else (tbl or table), name)
    return melt(frame, colmap, replace(src, year=year))


def read_youth_wijk(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    """CBS 85075NED (2021) / 85335NED (2022) per gemeente and wijk, with the KWB counts of that year.

    Blank youth-care cells are suppressed (0-7) or unknown: they stay missing. NL00 -> NL01."""
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame["code"] = frame["gwb_code_10"].map(_youth_code)
    tables = _year_tables(src.table)
    parts, names = [], []
    for year, rows in frame.groupby(frame["year"].str.strip().astype(int), sort=True):
        parts.append(_youth_observations(rows, src, int(year), tables.get(int(year), src.table)))
        named = rows[
            rows["recs"].str.strip().isin(["Wijk", "Gemeente"] if int(year) not in PDOK_NAME_YEARS else ["Wijk"])
        ]
        names.append(name_rows([pd.DataFrame({"code": named["code"], "name": named["regio"].str.strip()})], int(year)))
    obs = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=OBSERVATION_COLUMNS)
    return ReadResult(obs, pd.concat(names, ignore_index=True) if names else pd.DataFrame(columns=NAME_COLUMNS))


# gemeente names of these years come from the wijk- en buurtkaart (PDOK); the youth file's copy of
# 2022 has damaged punctuation ('Nuenen. Gerwen en Nederwetten')
PDOK_NAME_YEARS = (2022,)


def read_youth_gemeente(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    """CBS 85335NED per gemeente (first column a pandas index); 'Wijken' holds padded codes, NL00 = country."""
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame["code"] = frame["Wijken"].map(_youth_code)
    return ReadResult(_youth_observations(frame, src, src.year, src.table))


def _fold_name(name: str) -> str:
    return re.sub(r"[\s.,]+", " ", str(name).lower()).strip()


def gemeente_name_index(names: pd.DataFrame) -> dict[str, str]:
    """Folded gemeente name -> code, from (code, name) rows; names shared by two codes are left out."""
    rows = names[names["code"].map(codes.level_of) == "gemeente"]
    index: dict[str, set[str]] = {}
    for code, name in zip(rows["code"], rows["name"]):
        index.setdefault(_fold_name(name), set()).add(code)
    return {n: next(iter(c)) for n, c in index.items() if len(c) == 1}


def code_for_gemeente_name(name: str, index: dict[str, str]) -> str | None:
    """A StatLine region name -> code: 'Nederland' -> NL01; exact (folded) first, then without a
    CBS suffix such as ' (gemeente)' or ' (L.)' when that leaves one gemeente."""
    if name.strip().lower() == "nederland":
        return codes.NL_CODE
    folded = _fold_name(name)
    if folded in index:
        return index[folded]
    return index.get(_fold_name(_NAME_SUFFIX.sub("", name)))


def sibling_gemeente_names(src: SourceFile, catalogue: Catalogue) -> pd.DataFrame:
    """Gemeente (code, name) rows the build reads from the other source files beside `src`:
    the youth-care file (2021, 2022) and the wijk- en buurtkaart gemeenten (the store's names)."""
    parts = []
    for other in discover(src.path.parent):
        if other.reader == "jeugdzorg_wijk":
            frame = pd.read_csv(other.path, dtype=str, keep_default_na=False, usecols=["gwb_code_10", "regio"])
            parts.append(
                pd.DataFrame({"code": frame["gwb_code_10"].map(_youth_code), "name": frame["regio"].str.strip()})
            )
        elif other.reader == "pdok_gemeenten":
            parts.append(read_pdok_gemeenten(other, catalogue).names[["code", "name"]])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["code", "name"])


def read_youth_indicators(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    """CBS 'Indicatoren jeugdzorg; gemeenten' StatLine export (';', decimal comma, BOM): gemeenten by
    NAME only, mapped to codes through the gemeente names of the other sources. A region that does not
    map raises (the build must not drop a gemeente silently). The period is kept in the variable:
    '2022*' is CBS's mark for provisional figures."""
    frame = pd.read_csv(src.path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    index = gemeente_name_index(sibling_gemeente_names(src, catalogue))
    region = frame.columns[0]
    frame["code"] = [code_for_gemeente_name(n, index) for n in frame[region]]
    unmapped = frame.loc[frame["code"].isna(), region].tolist()
    if unmapped:
        raise ValueError(f"{src.relpath}: no gemeente code for {unmapped}")
    for column in frame.columns:
        if column not in (region, "Perioden", "code"):
            frame[column] = frame[column].str.replace(",", ".", regex=False)
    periods = frame["Perioden"].str.strip()
    parts = []
    for period, rows in frame.groupby(periods, sort=True):
        colmap = {
            c: (ind, tbl or src.table, f"{c} [{period}]")
            for c, (ind, tbl, _) in column_map(src.reader).items()
            if c in rows.columns
        }
        parts.append(melt(rows, colmap, replace(src, year=int(period[:4]))))
    return ReadResult(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=OBSERVATION_COLUMNS))
