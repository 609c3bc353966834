"""References and deviations: an area's figure against its wijk, gemeente and the Netherlands.

The reference chain comes from `codes.chain` (buurt -> wijk -> gemeente -> NL01), every reference
figure from `Store.figure` for the same year. How far off a figure is gets a plain sign
("hoger dan de gemeente") from documented thresholds (THRESHOLDS below), never a score.
"""

from __future__ import annotations

from dataclasses import dataclass

from wijk.core import codes
from wijk.core.catalogue import Indicator, format_value
from wijk.core.i18n import t, with_level
from wijk.core.provenance import described_year, is_old
from wijk.core.store import Figure, Store

# How far off counts as a difference, per unit (documented, not tuned per area):
# - percentages ("pct"): the difference in percentage points. Below 2 pp is "about equal" (within the
#   noise of counts rounded to 5 in a small buurt); from 8 pp on it is "much" higher/lower.
# - rates, amounts, distances, densities: the relative difference. Below 10 % "about equal",
#   from 50 % on "much" (half as much again, or less than two thirds).
# - counts (inhabitants, households) and codes (urbanity class) are not compared: a buurt always
#   has fewer inhabitants than its gemeente, and a class is not a quantity.
THRESHOLDS: dict[str, tuple[str, float, float]] = {
    "pct": ("points", 2.0, 8.0),
    "default": ("relative", 0.10, 0.50),
}
NOT_COMPARED = ("count", "code", "ha")


@dataclass(frozen=True)
class Deviation:
    diff: float  # area minus reference, in the indicator's unit (percentage points for pct)
    relative: float | None  # diff / reference (None when the reference is 0)
    direction: str  # higher | lower | similar
    strength: str  # much | clear | '' (similar)
    points: bool = False  # True when diff is measured in percentage points (pct indicators)

    @property
    def score(self) -> float:
        """How far off relative to the 'much' threshold (1.0 = exactly 'much'); for ranking only."""
        if self.direction == "similar":
            return 0.0
        size = abs(self.diff) if self.points else abs(self.relative) if self.relative is not None else 1.0
        return size / THRESHOLDS["pct" if self.points else "default"][2]


@dataclass(frozen=True)
class Reference:
    code: str
    level: str
    name: str
    figure: Figure
    deviation: Deviation | None


@dataclass(frozen=True)
class Comparison:
    indicator: Indicator
    figure: Figure
    references: tuple[Reference, ...]
    newer: Reference | None = None  # an old figure: the enclosing area's newer figure, shown beside it

    @property
    def missing(self) -> bool:
        return self.figure.value is None

    def reference(self, level: str) -> Reference | None:
        return next((r for r in self.references if r.level == level), None)

    @property
    def main(self) -> Reference | None:
        """The reference a reader compares with first: the gemeente, or NL for a gemeente itself."""
        return self.reference("gemeente") or self.reference("land")


def _kind(unit: str) -> str:
    return unit if unit in THRESHOLDS else "default"


def deviation(value: float | None, reference: float | None, unit: str) -> Deviation | None:
    """How far `value` is from `reference` for an indicator of this unit; None when not comparable."""
    if value is None or reference is None or unit in NOT_COMPARED:
        return None
    mode, similar, much = THRESHOLDS[_kind(unit)]
    diff = value - reference
    relative = diff / reference if reference else None
    if mode == "points":
        size = abs(diff)
    elif relative is None:
        size = 0.0 if diff == 0 else float("inf")
    else:
        size = abs(relative)
    if size < similar:
        direction, strength = "similar", ""
    else:
        direction = "higher" if diff > 0 else "lower"
        strength = "much" if size >= much else "clear"
    return Deviation(diff, relative, direction, strength, mode == "points")


def reference_chain(store: Store, code: str, year: int) -> list[tuple[str, str, str]]:
    """(code, level, name) of every area above `code`, nearest first, up to NL01."""
    return [(c, codes.level_of(c) or "", store.areas.name(c, year)) for c in codes.chain(code)[1:]]


def compare(
    store: Store,
    code: str,
    year: int,
    indicator: str,
    chain: list[tuple[str, str, str]] | None = None,
    strict: bool = True,
) -> Comparison:
    """The figure of `code` with the same figure for each area above it (same year).

    strict=False takes the latest figure of the area (Store.latest) and compares it with the
    references of that same figure year; without an area figure each reference takes its latest."""
    ind = store.catalogue.get(indicator)
    fig = store.figure(code, year, indicator, strict=strict)
    refs = []
    for ref_code, level, name in chain if chain is not None else reference_chain(store, code, year):
        if strict:
            ref_fig = store.figure(ref_code, year, indicator)
        elif fig.value is not None:
            ref_fig = store.figure(ref_code, fig.year, indicator)
        else:
            ref_fig = store.latest(ref_code, indicator, year)
        refs.append(Reference(ref_code, level, name, ref_fig, deviation(fig.value, ref_fig.value, ind.unit)))
    newer = None
    if not strict and fig.value is not None and is_old(fig.year, fig.period, year):
        newer = newer_enclosing(store, year, indicator, fig, chain or reference_chain(store, code, year))
    return Comparison(ind, fig, tuple(refs), newer)


def newer_enclosing(
    store: Store, year: int, indicator: str, fig: Figure, chain: list[tuple[str, str, str]]
) -> Reference | None:
    """For an old figure: the nearest enclosing wijk or gemeente with a figure describing a later year."""
    for ref_code, level, name in chain:
        if level == "land":
            continue
        other = store.latest(ref_code, indicator, year)
        if other.value is not None and described_year(other.year, other.period) > described_year(fig.year, fig.period):
            return Reference(ref_code, level, name, other, None)
    return None


def compare_many(
    store: Store, code: str, year: int, indicators: list[str], strict: bool = True
) -> dict[str, Comparison]:
    chain = reference_chain(store, code, year)
    return {i: compare(store, code, year, i, chain, strict) for i in indicators if i in store.catalogue}


def sign_text(ref: Reference | None, lang: str = "nl") -> str:
    """'veel hoger dan de gemeente', 'ongeveer gelijk aan de wijk'; '' when there is nothing to say."""
    if ref is None or ref.deviation is None:
        return ""
    dev = ref.deviation
    key = "profiel_sign_similar" if dev.direction == "similar" else f"profiel_sign_{dev.strength}_{dev.direction}"
    return t(key, lang, ref=t(f"profiel_ref_{ref.level}", lang))


def value_text(fig: Figure, unit: str, lang: str = "nl") -> str:
    """The figure formatted; a missing one says so for its year (never 0)."""
    if fig.suppressed:
        return t("profiel_suppressed", lang)
    return format_value(fig.value, unit, lang, missing=t("missing_value", lang, year=fig.year))


def ref_label(ref: Reference, lang: str = "nl") -> str:
    """'wijk Oud-Noord', 'gemeente Groningen', 'Nederland'; a name that starts with its level word alone."""
    return t("profiel_ref_short_land", lang) if ref.level == "land" else with_level(ref.level, ref.name, lang)


def reference_text(comp: Comparison, lang: str = "nl") -> str:
    """'wijk Oud-Zuid 5,3% · gemeente Groningen 11,6% · Nederland 15,2%' (missing ones say '–')."""
    return references_text(comp.references, comp.indicator.unit, lang)


def references_text(refs: tuple[Reference, ...], unit: str, lang: str = "nl") -> str:
    """The references of a figure in one line; suppressed ones say 'onderdrukt', missing ones '–' (never 0)."""
    parts = []
    for ref in refs:
        if ref.figure.suppressed:
            shown = t("profiel_suppressed", lang)
        else:
            shown = "–" if ref.figure.value is None else format_value(ref.figure.value, unit, lang)
        parts.append(f"{ref_label(ref, lang)} {shown}")
    return " · ".join(parts)


def nearest_available(comp: Comparison, lang: str = "nl") -> str:
    """For a figure the area lacks: the closest parent that has it, e.g. 'wijk Oud-Noord: € 25,6 dzd'."""
    for ref in comp.references:
        if ref.level != "land" and ref.figure.value is not None:
            return f"{with_level(ref.level, ref.name, lang)}: {value_text(ref.figure, comp.indicator.unit, lang)}"
    return ""
