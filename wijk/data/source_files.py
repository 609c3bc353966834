"""The source files a build reads: which rule of data/source_files.csv knows a file, its reference periods
(data/reference_periods.csv), its extra column mappings (data/source_columns.csv), and what a reader returns."""

from __future__ import annotations

import csv
import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from wijk.core.paths import data_dir

NAME_COLUMNS = ["code", "year", "name"]


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
    boundary_year: int | None  # None: the file's indeling is unknown (rule boundary 'unknown')
    edition: bool = False  # the file defines which areas exist in its year (a KWB edition or its map)
    join_edition: bool = False  # its codes are kept only where that year's edition has them

    @property
    def source_id(self) -> str:
        return self.relpath

    @property
    def indeling(self) -> int:
        """The boundary year for readers that need one (maps, names); their rules always name it."""
        if self.boundary_year is None:
            raise ValueError(f"{self.relpath}: boundary year unknown")
        return self.boundary_year


@dataclass(frozen=True)
class PeriodRule:
    source: str
    indicators: tuple[str, ...]
    period: str

    def matches(self, relpath: str, indicator: str) -> bool:
        return bool(re.fullmatch(self.source, relpath)) and any(
            fnmatch.fnmatchcase(indicator, p) for p in self.indicators
        )


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
        return {
            r["column"]: (r["indicator"], r["cbs_table"], (r.get("variable") or "").strip())
            for r in csv.DictReader(fh)
            if r["reader"] == reader
        }


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
            found.append(
                SourceFile(
                    path=path,
                    relpath=rel,
                    reader=rule["reader"],
                    year=year,
                    table=rule["cbs_table"].format(**fmt),
                    title=rule["title"].format(**fmt),
                    origin=rule["origin"],
                    licence=rule["licence"],
                    priority=int(rule["priority"]),
                    complete=rule["complete"],
                    boundary_year=_boundary_year(groups.get("boundary"), rule.get("boundary"), year),
                    edition=(rule.get("edition") or "").strip() == "1",
                    join_edition=(rule.get("join_edition") or "").strip() == "1",
                )
            )
            break
    return found


def _boundary_year(from_name: str | None, from_rule: str | None, year: int) -> int | None:
    """The indeling a file describes: named in its file name, else its rule, else its own year; None when the
    rule says 'unknown' (crime whose table names no MapYear: stored, but never divided by inhabitants)."""
    rule = (from_rule or "").strip()
    if from_name:
        return int(from_name)
    if rule == "unknown":
        return None
    return int(rule or year)
