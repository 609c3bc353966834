"""The risk/protective framework: data/factors.csv, one row per indicator that measures a factor."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from wijk.core.i18n import in_lang
from wijk.core.paths import data_dir

KINDS = ("protective", "risk", "outcome")  # display order: protective first
STRENGTHS = ("strong", "moderate", "weak")
OWN_PROVIDER = "eigen data"  # data/factors.csv 'provider' of a factor only the user's own data can measure


@dataclass(frozen=True)
class FactorIndicator:
    """One row of data/factors.csv: one indicator measuring one factor."""

    factor_id: str
    domain: str
    kind: str  # risk | protective | outcome
    factor_nl: str
    factor_en: str
    indicator: str
    unfavourable: str  # high | low
    strength: str  # strong | moderate | weak
    explanation_nl: str
    explanation_en: str
    reference: str
    provider: str  # what would provide it: "CBS-verversing" | OWN_PROVIDER

    def factor(self, lang: str = "nl") -> str:
        return in_lang(self, "factor", lang)

    def explanation(self, lang: str = "nl") -> str:
        return in_lang(self, "explanation", lang)

    @property
    def sign(self) -> int:
        return sign_of(self.unfavourable)


def sign_of(unfavourable: str) -> int:
    """+1 when high is unfavourable, -1 when low is, 0 when unknown."""
    return {"high": 1, "low": -1}.get(unfavourable, 0)


class Framework:
    def __init__(self, rows: list[FactorIndicator]):
        bad = [r for r in rows if r.kind not in KINDS or r.strength not in STRENGTHS or not sign_of(r.unfavourable)]
        if bad:
            raise ValueError(f"invalid framework rows: {[r.indicator for r in bad]}")
        self.rows = rows

    def __iter__(self):
        return iter(self.rows)

    def of_kind(self, kind: str) -> list[FactorIndicator]:
        return [r for r in self.rows if r.kind == kind]

    def indicator_ids(self) -> list[str]:
        return list(dict.fromkeys(r.indicator for r in self.rows))


def load_framework(path: Path | None = None) -> Framework:
    path = path or data_dir() / "factors.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        return Framework([FactorIndicator(**{k: (v or "").strip() for k, v in r.items()}) for r in csv.DictReader(fh)])


@lru_cache(maxsize=1)
def default_framework() -> Framework:
    return load_framework()
