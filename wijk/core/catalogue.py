"""The indicator catalogue (data/indicators.csv): what each indicator is and how to show it."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from wijk.core.i18n import in_lang, load_labels, t
from wijk.core.numbers import number
from wijk.core.paths import data_dir

UNITLESS = ("count", "number", "code")  # units shown without a unit label
_SUFFIX = re.compile(r"_\d+$")


def stem(column: str) -> str:
    """CBS column name without its edition suffix: 'AantalInwoners_5' -> 'AantalInwoners'."""
    return _SUFFIX.sub("", column.strip())


@dataclass(frozen=True)
class Indicator:
    id: str
    domain: str
    role: str  # context | risk | protective | outcome
    unit: str
    cbs_stem: str
    numerator: str
    denominator: tuple[str, ...]
    scale: float
    aggregate: str  # sum | ratio | weighted:<id> | none
    label_nl: str
    label_en: str
    definition_nl: str
    definition_en: str
    estimate: bool = False  # a model estimate (RIVM health monitor), labelled as such wherever it is shown

    @property
    def derived(self) -> bool:
        return bool(self.numerator)

    @property
    def stems(self) -> list[str]:
        """CBS name stems of this indicator, newest first ('A|B': B is the older name of A)."""
        return [s for s in self.cbs_stem.split("|") if s]

    def label(self, lang: str = "nl") -> str:
        return in_lang(self, "label", lang)

    def definition(self, lang: str = "nl") -> str:
        return in_lang(self, "definition", lang)

    def unit_label(self, lang: str = "nl") -> str:
        return unit_label(self.unit, lang)

    def formula(self) -> str:
        """Human-readable derivation, e.g. 'inw_0_14 / inwoners x 100'."""
        if not self.derived:
            return ""
        return f"{self.numerator} / ({' + '.join(self.denominator)}) × {self.scale:g}"


class Catalogue:
    def __init__(self, indicators: list[Indicator]):
        self._by_id = {i.id: i for i in indicators}
        self._by_stem = {s: i for i in indicators for s in i.stems}

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, indicator_id: str) -> bool:
        return indicator_id in self._by_id

    def get(self, indicator_id: str) -> Indicator:
        return self._by_id[indicator_id]

    def ids(self) -> list[str]:
        return list(self._by_id)

    def by_stem(self, stem_with_occurrence: str) -> Indicator | None:
        return self._by_stem.get(stem_with_occurrence)

    def derived(self) -> list[Indicator]:
        return [i for i in self if i.derived]


def _row_to_indicator(row: dict[str, str]) -> Indicator:
    return Indicator(
        id=row["id"],
        domain=row["domain"],
        role=row["role"],
        unit=row["unit"],
        cbs_stem=row["cbs_stem"],
        numerator=row["numerator"],
        denominator=tuple(d for d in row["denominator"].split("+") if d),
        scale=float(row["scale"] or 1),
        aggregate=row["aggregate"] or "none",
        label_nl=row["label_nl"],
        label_en=row["label_en"],
        definition_nl=row["definition_nl"],
        definition_en=row["definition_en"],
        estimate=row.get("estimate") == "1",
    )


def load_catalogue(path: Path | None = None) -> Catalogue:
    path = path or data_dir() / "indicators.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        return Catalogue([_row_to_indicator(r) for r in csv.DictReader(fh)])


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    return load_catalogue()


def unit_label(unit: str, lang: str = "nl") -> str:
    """'%', 'per 1.000', 'x € 1.000' (label unit_<unit>); '' for counts, numbers and codes; an unknown unit as is."""
    if unit in UNITLESS:
        return ""
    key = f"unit_{unit}"
    return t(key, lang) if key in load_labels() else unit


def format_value(value: float | None, unit: str, lang: str = "nl", missing: str | None = None) -> str:
    """Format a figure for display; missing values get a word, never 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing if missing is not None else t("value_unknown", lang)
    if unit in ("count", "code"):
        return number(value, 0, lang)
    if unit == "pct":
        return number(value, 1, lang) + "%"
    if unit in ("per1000", "number", "km"):
        return number(value, 1, lang)
    if unit == "eur1000":
        return t("value_eur1000", lang, value=number(value, 1, lang))
    return number(value, 0, lang)
