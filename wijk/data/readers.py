"""Readers for the real source files: each turns one file into observations and names.

An observation is one value: (code, year, indicator, value, table, variable, source, priority).
Which file is read how is data (data/source_files.csv); which column is which indicator is data
too (the CBS name stem in data/indicators.csv, other columns in data/source_columns.csv).
"""
from __future__ import annotations

import csv
import gzip
import json
import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from wijk import codes
from wijk.catalogue import Catalogue, stem
from wijk.paths import data_dir

OBS_COLUMNS = ["code", "year", "indicator", "value", "table", "variable", "source", "priority", "boundary_year", "period"]
NAME_COLUMNS = ["code", "year", "name"]
_SUFFIX_NUM = re.compile(r"_(\d+)$")


@dataclass
class SourceFile:
    path: Path
    relpath: str
    reader: str
    year: int
    table: str
    title: str
    origin: str
    licence: str
    priority: int
    complete: str
    boundary_year: int
    edition: bool = False  # the file defines which areas exist in its year (a KWB edition or its map)
    join_edition: bool = False  # its codes are kept only where that year's edition has them

    @property
    def source_id(self) -> str:
        return self.relpath


@dataclass(frozen=True)
class PeriodRule:
    source: str
    indicators: tuple[str, ...]
    period: str

    def matches(self, relpath: str, indicator: str) -> bool:
        return bool(re.fullmatch(self.source, relpath)) and any(fnmatch.fnmatchcase(indicator, p) for p in self.indicators)


def period_rules(path: Path | None = None) -> list[PeriodRule]:
    """data/reference_periods.csv: the period a figure describes, per source file and indicator."""
    p = path or data_dir() / "reference_periods.csv"
    if not p.exists():
        return []
    with open(p, newline="", encoding="utf-8") as fh:
        return [PeriodRule(r["source"], tuple(r["indicator"].split("|")), r["period"]) for r in csv.DictReader(fh)]


def reference_period(relpath: str, indicator: str, year: int, rules: list[PeriodRule]) -> str:
    """'2014', '2024-01-01', '2020-autumn', 'before:2024'; the figure's own year when no rule says otherwise."""
    for rule in rules:
        if rule.matches(relpath, indicator):
            return rule.period.format(year=year)
    return str(year)




@dataclass
class ReadResult:
    observations: pd.DataFrame
    names: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NAME_COLUMNS))


def _rules(path: Path | None = None) -> list[dict[str, str]]:
    with open(path or data_dir() / "source_files.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def column_map(reader: str, path: Path | None = None) -> dict[str, tuple[str, str, str]]:
    """Non-catalogue column mappings for one reader: column stem -> (indicator, table, CBS variable or '')."""
    with open(path or data_dir() / "source_columns.csv", newline="", encoding="utf-8") as fh:
        return {r["column"]: (r["indicator"], r["cbs_table"], (r.get("variable") or "").strip())
                for r in csv.DictReader(fh) if r["reader"] == reader}


def discover(source_dir: Path) -> list[SourceFile]:
    """All files below source_dir that a rule in source_files.csv knows how to read, sorted."""
    found = []
    rules = _rules()
    for path in sorted(p for p in source_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(source_dir).as_posix()
        for rule in rules:
            m = re.fullmatch(rule["pattern"], rel) or re.search("(?:^|/)(?:" + rule["pattern"] + ")$", rel)
            if not m:
                continue
            groups = m.groupdict()
            fmt = {k: v for k, v in groups.items() if v}
            year = int(groups["year"])
            found.append(SourceFile(
                path=path, relpath=rel, reader=rule["reader"], year=year,
                table=rule["cbs_table"].format(**fmt), title=rule["title"].format(**fmt),
                origin=rule["origin"], licence=rule["licence"], priority=int(rule["priority"]),
                complete=rule["complete"],
                boundary_year=int(groups.get("boundary") or (rule.get("boundary") or "").strip() or year),
                edition=(rule.get("edition") or "").strip() == "1",
                join_edition=(rule.get("join_edition") or "").strip() == "1",
            ))
            break
    return found


def to_number(series: pd.Series) -> pd.Series:
    """CBS values to floats: '.', '', padding and negative sentinels (-99999999) become missing."""
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        series = series.astype(str).str.strip().replace({".": None, "": None, "nan": None, "None": None})
    values = pd.to_numeric(series, errors="coerce")
    return values.where(values > -99999990)


def _melt(frame: pd.DataFrame, colmap: dict[str, tuple], src: SourceFile) -> pd.DataFrame:
    """frame: code column + value columns; colmap: column -> (indicator, table, variable[, year]).

    A fourth element gives the year of a column that holds another year than the file's
    (e.g. misdrijven_2021 in a 2024 file); its boundaries stay those of the file.
    """
    parts = []
    rules = period_rules()
    for column, spec in colmap.items():
        indicator, table, variable = spec[:3]
        year = spec[3] if len(spec) > 3 else src.year
        values = to_number(frame[column])
        part = pd.DataFrame({"code": frame["code"], "value": values}).dropna()
        part["indicator"], part["table"], part["variable"] = indicator, table, variable
        part["year"] = year
        part["period"] = reference_period(src.relpath, indicator, year, rules)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=OBS_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["source"] = src.source_id
    out["priority"] = src.priority
    out["boundary_year"] = src.boundary_year
    out = out[out["code"].map(codes.level_of).notna()]
    return out[OBS_COLUMNS]


def statline_columns(columns: list[str], catalogue: Catalogue, extra: dict[str, tuple[str, str]],
                     table: str) -> dict[str, tuple[str, str, str]]:
    """Map StatLine columns to indicators by name stem (never by position).

    A stem that occurs more than once in one table (e.g. 'Nederland' for two groupings) is
    addressed as 'Nederland@2' for its second occurrence in CBS's own column order.
    """
    def order(c: str) -> int:
        m = _SUFFIX_NUM.search(c)
        return int(m.group(1)) if m else 10**6

    seen: dict[str, int] = {}
    mapping: dict[str, tuple[str, str, str]] = {}
    for column in sorted(columns, key=order):
        s = stem(column)
        seen[s] = seen.get(s, 0) + 1
        ind = catalogue.by_stem(f"{s}@{seen[s]}") or (catalogue.by_stem(s) if seen[s] == 1 else None)
        if ind is not None:
            mapping[column] = (ind.id, table, column)
        elif s in extra:
            mapping[column] = (extra[s][0], extra[s][1], extra[s][2] or column)
    return mapping


def read_statline(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    code_col = next(c for c in ("Codering_3", "WijkenEnBuurten", "code") if c in frame.columns)
    frame["code"] = frame[code_col].map(codes.clean)
    mapping = statline_columns(list(frame.columns), catalogue, column_map("kwb_statline"), src.table)
    obs = _melt(frame, mapping, src)
    names = []
    for name_col in ("buurt_naam", "naam"):
        if name_col in frame.columns:
            names.append(pd.DataFrame({"code": frame["code"], "name": frame[name_col].str.strip()}))
    if "Gemeentenaam_1" in frame.columns:
        gm = pd.DataFrame({"code": frame["code"].map(codes.gemeente_of), "name": frame["Gemeentenaam_1"].str.strip()})
        names.append(gm.dropna().drop_duplicates("code"))
    return ReadResult(obs, _names(names, src.year))


def _names(parts: list[pd.DataFrame], year: int) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame(columns=NAME_COLUMNS)
    names = pd.concat(parts, ignore_index=True)
    names = names[(names["name"].fillna("") != "") & names["code"].map(codes.level_of).notna()]
    names["year"] = year
    return names.drop_duplicates("code")[NAME_COLUMNS]


def _mapped(frame: pd.DataFrame, reader: str, src: SourceFile) -> dict[str, tuple]:
    """Columns named in source_columns.csv; a '{year}' in the column name gives each column its year."""
    extra = column_map(reader)
    out: dict[str, tuple] = {}
    for pattern, (indicator, table, variable) in extra.items():
        if "{year}" in pattern:
            rx = re.compile(re.escape(pattern).replace(re.escape("{year}"), r"(\d{4})"))
            for c in frame.columns:
                m = rx.fullmatch(c)
                if m:
                    out[c] = (indicator, table, variable or c, int(m.group(1)))
    for c in frame.columns:
        if stem(c) in extra and c not in out:
            indicator, table, variable = extra[stem(c)]
            out[c] = (indicator, table, variable or c)
    return out


def read_crime(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame["code"] = frame["WijkenEnBuurten"].map(codes.clean)
    return ReadResult(_melt(frame, _mapped(frame, src.reader, src), src))


def read_income(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame["code"] = [codes.clean(w) or (codes.NL_CODE if s == "NL" else codes.clean(g))
                     for w, g, s in zip(frame["wk_code"], frame["gm_code"], frame["soort_regio"])]
    names = pd.DataFrame({"code": frame["code"], "name": frame["regionaam"].str.strip()})
    return ReadResult(_melt(frame, _mapped(frame, src.reader, src), src), _names([names], src.boundary_year))


def read_rivm(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame = frame[frame["Marges"].str.strip() == "MW00000"].copy()
    frame["code"] = frame["Codering_3"].map(codes.clean)
    return ReadResult(_melt(frame, _mapped(frame, src.reader, src), src))


def read_woonikveilig(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    """One row per area of one KWB indeling: the KWB block and year columns (crime, RIVM series).

    Only the columns named in source_columns.csv are read; the file's own derivations
    (misdrijven_per1000, misdrijven_laatste12mnd, *_laatst, stedelijkheidLabel, oppervlakteLandKm2)
    are not CBS figures and are left out.
    """
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame["code"] = frame["code"].map(codes.clean)
    names = pd.DataFrame({"code": frame["code"], "name": frame["naam"].str.strip()})
    return ReadResult(_melt(frame, _mapped(frame, src.reader, src), src), _names([names], src.boundary_year))


def read_pdok_gemeenten(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    with gzip.open(src.path, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    rows = [f["properties"] for f in features if f["properties"].get("water", "NEE") != "JA"]
    frame = pd.DataFrame(rows)
    frame["code"] = frame["gemeentecode"].map(codes.clean)
    frame = frame.drop_duplicates("code")
    names = pd.DataFrame({"code": frame["code"], "name": frame["gemeentenaam"].str.strip()})
    return ReadResult(_melt(frame, _mapped(frame, src.reader, src), src), _names([names], src.year))


def read_kaart(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    code_col = "BU_CODE" if "BU_CODE" in frame.columns else "WK_CODE"
    name_col = "BU_NAAM" if code_col == "BU_CODE" else "WK_NAAM"
    frame["code"] = frame[code_col].map(codes.clean)
    names = [pd.DataFrame({"code": frame["code"], "name": frame[name_col].str.strip()}),
             pd.DataFrame({"code": frame["GM_CODE"].map(codes.clean), "name": frame["GM_NAAM"].str.strip()})]
    frame = frame.drop(columns=[c for c in frame.columns if c.startswith("GM_")])
    return ReadResult(_melt(frame, _mapped(frame, src.reader, src), src), _names(names, src.year))


READERS = {
    "kwb_statline": read_statline,
    "crime_csv": read_crime,
    "woonikveilig": read_woonikveilig,
    "income_wijk": read_income,
    "rivm_18plus": read_rivm,
    "rivm_65plus": read_rivm,
    "pdok_gemeenten": read_pdok_gemeenten,
    "kaart": read_kaart,
}


def read(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    return READERS[src.reader](src, catalogue)
