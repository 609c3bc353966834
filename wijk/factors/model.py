"""The risk/protective framework (data/factors.csv) applied to one area and year.

Standardisation (documented choice): robust. For each indicator, the spread is taken over all areas
of the same level and year that have a value: scale = IQR / 1.349 (equal to the standard deviation
for normally distributed data), falling back to the standard deviation when the IQR is 0; fewer
than MIN_AREAS areas: no standardisation. Registered crime per 1,000 is extremely skewed (a
city-centre buurt with 10 residents has thousands per 1,000), which is why the IQR and not the SD.

deviation = (value - reference) / scale, signed so that POSITIVE = UNFAVOURABLE (multiplied by -1
when a low value is the unfavourable one). The reference is the gemeente or NL figure of the same
year; when that figure is missing, the median of the areas of the same level within the gemeente
(or the country), labelled as such. There is never one net score and never a ranking of areas.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import Indicator
from wijk.core.provenance import is_old
from wijk.core.settings import SMALL_AREA  # inhabitants: below this an area is flagged as unreliable
from wijk.core.store import Figure, Store
from wijk.factors.framework import KINDS, OWN_PROVIDER, FactorIndicator, Framework, default_framework, sign_of

MIN_AREAS = 5
IQR_TO_SD = 1.349


# ---- standardisation ------------------------------------------------------------------------
@dataclass(frozen=True)
class Scale:
    median: float
    scale: float
    n: int
    method: str  # iqr | sd


def robust_scale(values) -> Scale | None:
    """Median and IQR/1.349 (SD when the IQR is 0) over the non-missing values; None when too few."""
    arr = np.asarray(values, dtype=float)
    arr = arr[~np.isnan(arr)]
    if len(arr) < MIN_AREAS:
        return None
    q1, med, q3 = np.percentile(arr, [25, 50, 75])
    scale, method = (q3 - q1) / IQR_TO_SD, "iqr"
    if not scale > 0:
        scale, method = float(np.std(arr, ddof=1)), "sd"
    return Scale(float(med), float(scale), int(len(arr)), method) if scale > 0 else None


def deviation(value: float | None, reference: float | None, scale: Scale | None, unfavourable: str) -> float | None:
    """(value - reference) / scale, signed so that positive is unfavourable; None when not computable."""
    if value is None or reference is None or scale is None or not sign_of(unfavourable):
        return None
    return (value - reference) / scale.scale * sign_of(unfavourable)


def level_rows(wide: pd.DataFrame, level: str) -> pd.DataFrame:
    """Rows of one level by code prefix (fast; the codes are validated on the way in)."""
    return wide[wide.index.str.startswith(codes.PREFIXES[level])]


@dataclass
class LevelBasis:
    """Everything per (year, level) that does not depend on the chosen area: cache it."""

    year: int
    level: str
    frame: pd.DataFrame  # the level's rows, framework indicators only
    scales: dict[str, Scale]
    years_with: dict[str, list[int]]  # indicator -> years with data at this level


def level_basis(store: Store, year: int, level: str, framework: Framework | None = None) -> LevelBasis:
    ids = (framework or default_framework()).indicator_ids()
    wide = store.wide(year)
    frame = wide.loc[wide.index.str.startswith(codes.PREFIXES[level]), [i for i in ids if i in wide.columns]]
    scales = {i: s for i in frame.columns if (s := robust_scale(frame[i].to_numpy())) is not None}
    return LevelBasis(year, level, frame, scales, _years_with(store, level, tuple(ids)))


def _years_with(store: Store, level: str, ids: tuple[str, ...]) -> dict[str, list[int]]:
    """indicator -> the years (of the areas' years) with data at this level: the same for every year's basis,
    read through the store (kept there) instead of from every year's wide frame."""
    years = set(store.years())
    held = store.years_held(codes.PREFIXES[level], ids)
    return {i: ys for i, ys in ((i, [y for y in held.get(i, []) if y in years]) for i in ids) if ys}


# ---- the view of one area -------------------------------------------------------------------
@dataclass(frozen=True)
class FactorRow:
    kind: str
    factor: str
    indicator: str
    label: str
    unit: str
    unfavourable: str
    strength: str
    explanation: str
    reference_doc: str
    value: float
    year: int
    ref_value: float | None
    ref_label: str
    deviation: float | None  # positive = unfavourable
    n_areas: int
    local: bool = False
    source: str = ""
    chain: dict = field(default_factory=dict)  # level -> value (wijk, gemeente, land)
    domain: str = ""
    period: str = ""  # the period the figure describes (see wijk.core.provenance.period_text)
    boundary_year: int | None = None
    estimate: bool = False  # a model estimate (data/indicators.csv 'estimate')
    carried_from: str = ""  # the old code of the same area the figure was published under
    old: bool = False  # describes a year more than five years before the selected one


@dataclass(frozen=True)
class MissingRow:
    kind: str
    factor: str
    indicator: str
    label: str
    reason: str  # not_this_area | other_years | new_code | not_embedded | not_measured | suppressed
    years: tuple = ()
    provider: str = ""
    source: str = ""
    unit: str = ""
    higher: Figure | None = None  # the nearest enclosing area's latest figure: context, not this area's


@dataclass
class FactorView:
    code: str
    year: int
    level: str
    reference: str  # gemeente | nl
    ref_code: str
    inhabitants: float | None
    inhabitants_year: int | None
    rows: list[FactorRow]
    missing: list[MissingRow]

    @property
    def small(self) -> bool:
        return self.inhabitants is None or self.inhabitants < SMALL_AREA

    def panel(self, kind: str) -> list[FactorRow]:
        return [r for r in self.rows if r.kind == kind]

    def shows_crime(self, kind: str) -> bool:
        return any(r.domain == "veiligheid" for r in self.panel(kind))

    def shows_estimates(self, kind: str) -> bool:
        return any(r.estimate for r in self.panel(kind))


def _reference(
    value_at_ref: float | None, frame: pd.DataFrame, col: str, ref_code: str, ref_name: str, level: str
) -> tuple[float | None, str]:
    if value_at_ref is not None:
        return value_at_ref, ref_name
    scope = frame if ref_code == codes.NL_CODE else frame[frame.index.str[2:6] == ref_code[2:6]]
    vals = scope[col].dropna() if col in scope.columns else pd.Series(dtype=float)
    if len(vals) >= MIN_AREAS:
        return float(vals.median()), f"median:{level}:{ref_name}"
    return None, ref_name


def _inhabitants(store: Store, code: str, year: int) -> tuple[float | None, int | None]:
    for y in [year, *sorted((y for y in store.years_for(code) if y != year), reverse=True)]:
        v = store.value(code, y, "inwoners")
        if v is not None:
            return v, y
    return None, None


def factor_view(
    store: Store,
    code: str,
    year: int,
    reference: str = "gemeente",
    lang: str = "nl",
    framework: Framework | None = None,
    basis: LevelBasis | None = None,
    local: list | tuple = (),
    strict: bool = False,
    basis_of: Callable[[int], LevelBasis] | None = None,
) -> FactorView:
    """Every framework indicator for the area: values, references, deviations, and what is missing.

    By default each indicator takes the newest figure for this area as bounded in `year`
    (Store.latest); its reference and spread are of that figure's own year. strict=True keeps only
    figures of exactly `year`. `basis_of(year)` gives a (cached) LevelBasis for another year."""
    framework = framework or default_framework()
    level = codes.level_of(code) or "gemeente"
    basis = basis or level_basis(store, year, level, framework)
    bases = {year: basis}

    def basis_for(y: int) -> LevelBasis:
        if y not in bases:
            bases[y] = basis_of(y) if basis_of else level_basis(store, y, level, framework)
        return bases[y]

    ref_code = codes.reference_code(code, reference)
    ref_name = store.areas.name(ref_code, year, lang)
    chain = [c for c in codes.chain(code) if c != code]
    rows, missing = [], []
    for fi in framework:
        ind = store.catalogue.get(fi.indicator) if fi.indicator in store.catalogue else None
        label = ind.label(lang) if ind else fi.factor(lang)
        fig = store.figure(code, year, fi.indicator, strict=strict) if ind else None
        if ind is None or fig is None or fig.value is None:
            missing.append(_missing(store, fi, label, code, year, basis, lang, ind is None))
            continue
        fbasis = basis_for(fig.year)
        ref = _reference(
            store.value(ref_code, fig.year, fi.indicator), fbasis.frame, fi.indicator, ref_code, ref_name, level
        )
        chain_values = {codes.level_of(c): store.value(c, fig.year, fi.indicator) for c in chain}
        rows.append(_factor_row(fi, ind, label, fig, year, fbasis, ref, chain_values, lang))
    for ds in local:
        _add_local(ds, code, year, level, ref_code, ref_name, lang, rows, missing)
    inhabitants, inh_year = _inhabitants(store, code, year)
    return FactorView(
        code,
        year,
        level,
        "gemeente" if ref_code != codes.NL_CODE else "nl",
        ref_code,
        inhabitants,
        inh_year,
        rows,
        missing,
    )


def _factor_row(
    fi: FactorIndicator,
    ind: Indicator,
    label: str,
    fig: Figure,
    year: int,
    basis: LevelBasis,
    reference: tuple[float | None, str],
    chain: dict,
    lang: str,
) -> FactorRow:
    """One shown row: the area's figure beside its reference (value, label) and its deviation on the spread of
    the figure's own year (`basis`); `chain` holds the enclosing areas' values of that year."""
    ref_value, ref_label = reference
    scale = basis.scales.get(fi.indicator)
    value = cast(float, fig.value)  # factor_view makes rows only of figures with a value
    return FactorRow(
        fi.kind,
        fi.factor(lang),
        fi.indicator,
        label,
        ind.unit,
        fi.unfavourable,
        fi.strength,
        fi.explanation(lang),
        fi.reference,
        value,
        fig.year,
        ref_value,
        ref_label,
        deviation(value, ref_value, scale, fi.unfavourable),
        scale.n if scale else 0,
        source=fig.table,
        chain=chain,
        domain=fi.domain,
        period=fig.period,
        boundary_year=fig.boundaries,
        estimate=ind.estimate,
        carried_from=fig.carried_from,
        old=is_old(fig.year, fig.period, year),
    )


def _missing(
    store: Store, fi: FactorIndicator, label: str, code: str, year: int, basis: LevelBasis, lang: str, unmeasured: bool
) -> MissingRow:
    """Why a framework indicator has no value here: never measured, other years, this area, or not embedded."""
    level_years = basis.years_with.get(fi.indicator, [])
    own_years = tuple(y for y in level_years if y != year and store.value(code, y, fi.indicator) is not None)
    # the level was measured, but before this code existed (a recoded or new buurt): say so
    before_code = tuple(y for y in level_years if y < year and not store.areas.exists(code, y))
    reason = (
        "not_measured"
        if unmeasured
        else "other_years"
        if own_years
        else "not_this_area"
        if year in level_years
        else "new_code"
        if before_code
        else "not_embedded"
    )
    years = own_years or (before_code if reason == "new_code" else ())
    unit = store.catalogue.get(fi.indicator).unit if not unmeasured else ""
    higher = None if unmeasured else higher_figure(store, code, year, fi.indicator)
    return MissingRow(fi.kind, fi.factor(lang), fi.indicator, label, reason, years, fi.provider, "", unit, higher)


def higher_figure(store: Store, code: str, year: int, indicator: str) -> Figure | None:
    """The latest figure of the nearest enclosing area (wijk, else gemeente) that has one: shown
    beside a missing buurt figure as context, labelled with its own area and year."""
    for parent in codes.chain(code)[1:]:
        if parent == codes.NL_CODE:
            break
        fig = store.latest(parent, indicator, year)
        if fig.value is not None:
            return fig
    return None


def _add_local(
    ds, code: str, year: int, level: str, ref_code: str, ref_name: str, lang: str, rows: list, missing: list
) -> None:
    """Own data (wijk.core.owndata.OwnDataset): same standardisation, over the dataset's own areas."""
    years = ds.years()
    if not years:
        return
    y = year if year in years else max(years)
    wide = ds.wide(y)
    wide = wide[wide.index.astype(str).str.startswith(codes.PREFIXES[level])]
    for li in ds.indicators:
        if li.role not in KINDS:
            continue
        fig = ds.figure(code, y, li.id)
        factor = f"{ds.name}"
        if fig.value is None:
            missing.append(
                MissingRow(
                    li.role,
                    factor,
                    li.id,
                    li.label_for(lang),
                    "suppressed" if fig.suppressed else "not_this_area",
                    (y,),
                    OWN_PROVIDER,
                    li.source,
                )
            )
            continue
        col = wide[li.id] if li.id in wide.columns else pd.Series(dtype=float)
        scale = robust_scale(col.to_numpy())
        at_ref = col.get(ref_code) if ref_code in col.index else None
        at_ref = None if at_ref is None or (isinstance(at_ref, float) and math.isnan(at_ref)) else float(at_ref)
        ref_value, ref_label = _reference(at_ref, wide, li.id, ref_code, ref_name, level)
        rows.append(
            FactorRow(
                li.role,
                factor,
                li.id,
                li.label_for(lang),
                li.unit,
                li.unfavourable,
                "local",
                li.source,
                li.source,
                fig.value,
                y,
                ref_value,
                ref_label,
                deviation(fig.value, ref_value, scale, li.unfavourable),
                scale.n if scale else 0,
                local=True,
                source=li.source,
            )
        )
