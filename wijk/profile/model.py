"""The neighbourhood profile: which figures show where (data/profile_sections.csv), built for one area.

`build_profile(store, code, year)` returns everything the profile page, the summary and the
exports need: headline comparisons, sections in the order of the four questions (Bewoners, Werk en
inkomen, Wonen, Veiligheid, Voorzieningen, then the RIVM estimates), and the small-buurt check.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from wijk.core import codes, settings
from wijk.core.i18n import t, with_level
from wijk.core.paths import data_dir
from wijk.core.provenance import coverage_text, is_old, period_text
from wijk.core.store import Figure, Store
from wijk.profile.references import (
    Comparison,
    Reference,
    compare_many,
    deviation,
    reference_chain,
    sign_text,
    value_text,
)

# Small-buurt check (documented thresholds): fewer inhabitants than SMALL_AREA (data/settings.toml: one
# rounding step of CBS is then 2.5 % or more of the total and shares jump); or half or more of the
# figures the wijk has are missing for the buurt: too small (or suppressed) for a reliable picture.
SMALL_MISSING_SHARE = 0.5
AGE_IDS = settings.ids("profile", "age_chart")
HOUSEHOLD_IDS = settings.ids("profile", "household_chart")


@dataclass(frozen=True)
class SectionDef:
    id: str
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    sections: tuple[SectionDef, ...]
    headline: dict[str, str]  # indicator -> always | if_data
    notes: dict[str, str]  # indicator -> label key of its note

    def all_ids(self) -> list[str]:
        return [i for s in self.sections for i in s.indicators]


@lru_cache(maxsize=2)
def load_layout(path: Path | None = None) -> Layout:
    path = path or data_dir() / "profile_sections.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    order: dict[str, list[str]] = {}
    for r in rows:
        order.setdefault(r["section"], []).append(r["indicator"])
    return Layout(
        tuple(SectionDef(s, tuple(ids)) for s, ids in order.items()),
        {r["indicator"]: r["headline"] for r in rows if r["headline"]},
        {r["indicator"]: r["note"] for r in rows if r["note"]},
    )


@dataclass
class Section:
    id: str
    rows: list[Comparison]  # figures with a value (headline figures are not repeated here)
    missing: list[Comparison]  # figures without a value for this area and year
    notes: list[str] = field(default_factory=list)  # label keys, once each


@dataclass
class SmallCheck:
    small: bool
    inhabitants: float | None
    missing_share: float  # of the figures the wijk has, the share missing for the buurt


@dataclass
class Profile:
    code: str
    year: int
    level: str
    name: str
    parents: list[tuple[str, str, str]]  # (code, level, name), nearest first
    headline: list[Comparison]
    sections: list[Section]
    small: SmallCheck
    layout: Layout
    comparisons: dict[str, Comparison]
    strict: bool = False

    def other_years(self) -> list[int]:
        """Years of shown figures that are not the selected year (newest first)."""
        return sorted(
            {
                c.figure.year
                for c in self.comparisons.values()
                if c.figure.value is not None and c.figure.year != self.year
            },
            reverse=True,
        )

    def is_estimate(self, indicator: str) -> bool:
        """A model estimate (data/indicators.csv 'estimate'), labelled as such."""
        comp = self.comparisons.get(indicator)
        return comp is not None and comp.indicator.estimate


def small_check(comps: dict[str, Comparison], level: str) -> SmallCheck:
    """Is this buurt too small for reliable figures? Only buurten are checked."""
    inw = comps["inwoners"].figure.value if "inwoners" in comps else None
    wijk_has = [c for c in comps.values() if (r := c.reference("wijk")) is not None and r.figure.value is not None]
    share = sum(c.missing for c in wijk_has) / len(wijk_has) if wijk_has else 0.0
    small = level == "buurt" and ((inw is not None and inw < settings.SMALL_AREA) or share >= SMALL_MISSING_SHARE)
    return SmallCheck(small, inw, share)


def build_profile(
    store: Store, code: str, year: int, layout: Layout | None = None, strict: bool = False
) -> Profile | None:
    """The profile of one area as bounded in `year`; None when the area is not in the data for that year.

    By default each figure is the newest there is for this area (Store.latest), with its own year
    and period; strict=True keeps only figures of exactly `year` (for comparisons over time)."""
    area = store.areas.get(code, year)
    if area is None:
        return None
    layout = layout or load_layout()
    comps = compare_many(store, code, year, layout.all_ids(), strict=strict)
    headline = [
        c
        for i, c in comps.items()
        if layout.headline.get(i) == "always" or (layout.headline.get(i) == "if_data" and not c.missing)
    ]
    shown = {c.indicator.id for c in headline}
    sections = []
    for sdef in layout.sections:
        ids = [i for i in sdef.indicators if i in comps]
        rows = [comps[i] for i in ids if not comps[i].missing and i not in shown]
        missing = [comps[i] for i in ids if comps[i].missing and i not in shown]
        notes = list(dict.fromkeys(layout.notes[i] for i in ids if i in layout.notes and not comps[i].missing))
        sections.append(Section(sdef.id, rows, missing, notes))
    parents = reference_chain(store, code, year)
    return Profile(
        code,
        year,
        area.level,
        area.name,
        parents,
        headline,
        sections,
        small_check(comps, area.level),
        layout,
        comps,
        strict,
    )


def parents_text(profile: Profile, lang: str = "nl") -> str:
    """'wijk Oud-Noord · gemeente Groningen' (NL left out; '' for a gemeente; no 'wijk Wijk 00')."""
    return " · ".join(with_level(lv, n, lang) for _, lv, n in profile.parents if lv != "land" and n)


def subtitle(profile: Profile, year_key: str, lang: str = "nl") -> str:
    """'buurt BU00140301 · wijk Oud-Noord · gemeente Groningen · cijfers 2024': empty parts left out."""
    parts = [f"{t('level_' + profile.level, lang)} {profile.code}", parents_text(profile, lang)]
    return " · ".join(p for p in [*parts, t(year_key, lang, year=profile.year)] if p.strip())


def chart_frame(profile: Profile, ids: tuple[str, ...], lang: str = "nl") -> pd.DataFrame:
    """Long frame (group, area, pct, order) of the area against its main reference, for a chart.

    Only indicators where the area has a value; the reference row is left out when it is missing.
    """
    rows = []
    for n, i in enumerate(ids):
        comp = profile.comparisons.get(i)
        if comp is None or comp.missing:
            continue
        group = comp.indicator.label(lang)
        rows.append({"group": group, "area": profile.name, "pct": comp.figure.value, "order": n})
        ref = comp.main
        if ref is not None and ref.figure.value is not None:
            rows.append({"group": group, "area": ref.name, "pct": ref.figure.value, "order": n})
    return pd.DataFrame(rows, columns=["group", "area", "pct", "order"])


def export_frame(profile: Profile, lang: str = "nl") -> pd.DataFrame:
    """Every profile figure as one row: value, year, references, sign and provenance (missing = '')."""
    rows = []
    for sec in [("headline", profile.headline)] + [(s.id, s.rows + s.missing) for s in profile.sections]:
        for comp in sec[1]:
            fig, ind = comp.figure, comp.indicator
            row = {
                t("profiel_col_section", lang): t(f"profiel_section_{sec[0]}", lang),
                t("profiel_col_indicator", lang): ind.label(lang)
                + (" " + t("profiel_estimate_tag", lang) if profile.is_estimate(ind.id) else ""),
                t("profiel_col_value", lang): "" if fig.value is None else round(fig.value, 2),
                t("profiel_col_unit", lang): ind.unit_label(lang),
                t("profiel_col_shown", lang): value_text(fig, ind.unit, lang),
                t("profiel_col_year", lang): fig.year,
                t("prov_period", lang): period_text(fig.period, lang) if fig.value is not None else "",
                t("prov_boundary", lang): fig.boundary_text(lang) if fig.value is not None else "",
            }
            for level in codes.PARENT_LEVELS:
                ref = comp.reference(level)
                row[t(f"profiel_col_{level}", lang)] = (
                    "" if ref is None or ref.figure.value is None else round(ref.figure.value, 2)
                )
            row[t("profiel_col_sign", lang)] = sign_text(comp.main, lang)
            row[t("prov_table", lang)] = fig.table
            row[t("prov_variable", lang)] = fig.variable
            row[t("prov_area", lang)] = fig.code
            row[t("prov_method", lang)] = fig.method_text(lang) if fig.method else ""
            row[t("prov_coverage", lang)] = coverage_text(fig, lang)
            old = fig.value is not None and is_old(fig.year, fig.period, profile.year)
            row[t("profiel_col_old", lang)] = t("figure_old_tag", lang) if old else ""
            row[t("profiel_col_carried", lang)] = fig.carried_from
            newer = comp.newer.figure if comp.newer is not None else None
            row[t("profiel_col_newer", lang)] = (
                f"{comp.newer.code} {newer.year}: {round(newer.value, 2)}"
                if comp.newer and newer and newer.value
                else ""
            )
            rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class LocalRow:
    dataset: str
    source: str
    label: str
    unit: str
    figure: Figure
    references: tuple[Reference, ...] = ()  # the wijk/gemeente/NL rows of the same upload and year

    @property
    def main(self) -> Reference | None:
        """The reference read first, as on CBS cards: the gemeente, else the Netherlands."""
        return next((r for lv in ("gemeente", "land") for r in self.references if r.level == lv), None)


def local_rows(
    datasets: list, code: str, year: int, parents: list[tuple[str, str, str]] | tuple = ()
) -> list[LocalRow]:
    """Own-data figures for this area: the selected year when the dataset has it, else its latest year.

    `parents` ((code, level, name), nearest first, as `Profile.parents`): every parent the upload has
    a row for in that year becomes a reference of the figure, like the wijk/gemeente/NL of a CBS card.
    A suppressed reference stays suppressed and a missing one missing (never 0); a parent the upload
    has no row for is left out."""
    out = []
    for ds in datasets:
        years = ds.years()
        if not years:
            continue
        use = year if year in years else max(years)
        present = ds.codes(use)
        above = [(c, lv, name) for c, lv, name in parents if c in present and c != code]
        for ind in ds.indicators:
            fig = ds.figure(code, use, ind.id)
            refs = []
            for ref_code, level, name in above:
                ref_fig = ds.figure(ref_code, use, ind.id)
                refs.append(Reference(ref_code, level, name, ref_fig, deviation(fig.value, ref_fig.value, ind.unit)))
            out.append(LocalRow(ds.name, ds.source or ind.source, ind.label, ind.unit, fig, tuple(refs)))
    return out
