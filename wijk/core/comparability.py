"""Comparability across years: when two figures of one code may be joined into one series, and why not.

The rules are data: data/boundary_changes.csv (mergers, redivisions, code changes) and
data/definition_changes.csv (classification or source changes). A code whose area (opp_totaal) changed
by more than AREA_TOLERANCE also breaks, even without a rule. Codes only, never names.
"""

from __future__ import annotations

import csv
import fnmatch
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from wijk.core import codes
from wijk.core.i18n import in_lang, t
from wijk.core.numbers import number
from wijk.core.paths import data_dir
from wijk.core.store import Figure, Store

AREA_TOLERANCE = 0.01  # relative change of opp_totaal that counts as a boundary change
POP_FACTOR = 2.0  # inhabitants changing more than this factor between editions: another area
BREAKING_BOUNDARY = ("merger", "redivision", "absorbed", "new code", "code change", "boundary correction")


@dataclass(frozen=True)
class Rule:
    pattern: str
    year: int | None
    kind: str
    note_nl: str
    note_en: str
    table: str = ""

    def matches(self, key: str) -> bool:
        return fnmatch.fnmatchcase(key, self.pattern)

    def note(self, lang: str = "nl") -> str:
        return in_lang(self, "note", lang)


def _rules(path: Path, key: str) -> tuple[Rule, ...]:
    with open(path, newline="", encoding="utf-8") as fh:
        return tuple(
            Rule(
                r[key].strip(),
                int(r["year"]) if r["year"].strip() else None,
                r["kind"].strip(),
                r["note_nl"],
                r["note_en"],
                r.get("table", "").strip(),
            )
            for r in csv.DictReader(fh)
        )


@lru_cache(maxsize=4)
def boundary_rules(path: Path | None = None) -> tuple[Rule, ...]:
    return _rules(path or data_dir() / "boundary_changes.csv", "code")


@lru_cache(maxsize=4)
def definition_rules(path: Path | None = None) -> tuple[Rule, ...]:
    return _rules(path or data_dir() / "definition_changes.csv", "indicator")


def policy_text(lang: str = "nl") -> str:
    return " ".join(r.note(lang) for r in boundary_rules() if r.kind == "policy")


@dataclass(frozen=True)
class Break:
    """Why two neighbouring years of one code are not joined (or, kind 'caution', joined dotted)."""

    code: str
    before: int
    after: int
    kind: str  # boundary | area | population | definition | caution
    note_nl: str
    note_en: str

    def text(self, lang: str = "nl") -> str:
        return in_lang(self, "note", lang)


def source_years(store: Store) -> dict[str, int]:
    src = store.sources if store.sources is not None and "boundary_year" in store.sources else pd.DataFrame()
    return {str(s): int(b) for s, b in zip(src.get("source", []), src.get("boundary_year", [])) if pd.notna(b)}


def boundary_year(fig: Figure, source_years: dict[str, int]) -> int:
    """The year of the boundaries a figure describes (e.g. income 2020 on 2023 boundaries)."""
    if fig.boundary_year is not None:
        return fig.boundary_year
    return source_years.get(fig.source, fig.year)


def population_jump(store: Store, code: str, year_a: int, year_b: int) -> tuple[float, float] | None:
    """(inhabitants in a, in b) when they differ more than POP_FACTOR times: the code names another area."""
    if codes.level_of(code) == "land":
        return None
    a, b = store.value(code, year_a, "inwoners"), store.value(code, year_b, "inwoners")
    if a is None or b is None or (a == 0 and b == 0):
        return None
    if min(a, b) == 0 or max(a, b) / min(a, b) > POP_FACTOR:
        return a, b
    return None


def breaks_between(store: Store, code: str, indicator: str, a: Figure, b: Figure, ba: int, bb: int) -> list[Break]:
    """All reasons not to join figure a (earlier) and b of the same code; empty means comparable."""
    out: list[Break] = []
    if a.boundary_unknown or b.boundary_unknown:  # no indeling named: the two may describe different areas
        unknown = b.year if b.boundary_unknown else a.year
        texts = [t("comparability_boundary_unknown", lang, code=code, year=unknown) for lang in ("nl", "en")]
        out.append(Break(code, a.year, b.year, "boundary", *texts))
    lo, hi = min(ba, bb), max(ba, bb)
    for r in boundary_rules():
        if r.kind in BREAKING_BOUNDARY and r.year is not None and lo < r.year <= hi and r.matches(code):
            out.append(Break(code, a.year, b.year, "boundary", r.note_nl, r.note_en))
    jump = population_jump(store, code, ba, bb) if not out else None
    if jump is not None:
        texts = [
            t("comparability_population_changed", lang, code=code, ya=ba, yb=bb, **_numbers(lang, *jump))
            for lang in ("nl", "en")
        ]
        out.append(Break(code, a.year, b.year, "population", *texts))
    if not out and codes.level_of(code) != "land":
        oa, ob = store.value(code, a.year, "opp_totaal"), store.value(code, b.year, "opp_totaal")
        if oa and ob and abs(ob / oa - 1) > AREA_TOLERANCE:
            texts = [t("trends_area_changed", lang, code=code, **_numbers(lang, oa, ob)) for lang in ("nl", "en")]
            out.append(Break(code, a.year, b.year, "area", *texts))
    for r in definition_rules():
        if not r.matches(indicator):
            continue
        in_range = r.year is None or a.year < r.year <= b.year
        if r.kind == "break" and in_range:
            out.append(Break(code, a.year, b.year, "definition", r.note_nl, r.note_en))
        elif r.kind == "caution" and in_range and (r.table in a.table) != (r.table in b.table):
            out.append(Break(code, a.year, b.year, "caution", r.note_nl, r.note_en))
    return out


def _numbers(lang: str, a: float, b: float) -> dict[str, str]:
    """The two whole numbers {a} and {b} of a break note, as the language writes them."""
    return {"a": number(a, 0, lang), "b": number(b, 0, lang)}


def notes(code: str, indicator: str, lang: str = "nl") -> list[str]:
    """Definition notes on the indicator and boundary rules on the code (also outside the years shown)."""
    return [r.note(lang) for r in definition_rules() if r.kind == "note" and r.matches(indicator)] + [
        r.note(lang) for r in boundary_rules() if r.kind != "policy" and r.matches(code)
    ]


def boundary_changes_since(code: str, year: int, until: int) -> list[Rule]:
    """Rules that changed this code's area after `year` (up to `until`): its figures then describe
    another area than the code does now."""
    return [
        r
        for r in boundary_rules()
        if r.kind in BREAKING_BOUNDARY and r.year is not None and year < r.year <= until and r.matches(code)
    ]
