"""Series over the years: one area and indicator, with gemeente/NL references, breaks and their reasons.

Figures are joined across years on the CBS code only, never on names. A series breaks where a rule in
data/boundary_changes.csv (merger, redivision) or data/definition_changes.csv (classification or source
change) lies between two years, or where the area CBS gives for the code (opp_totaal) changed. A
'caution' (e.g. kaart-rounded against computed percentages) keeps the link but draws it dotted.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import format_value
from wijk.core.comparability import Break, boundary_year, breaks_between, source_years
from wijk.core.i18n import t
from wijk.core.owndata import OWN_PREFIX, OwnDataset, dataset_for
from wijk.core.settings import SMALL_AREA  # inhabitants below which a figure is flagged as fragile
from wijk.core.store import Figure, Store

MAX_AREAS = 6
SERIES_COLUMNS = [
    "series",
    "role",
    "code",
    "name",
    "indicator",
    "year",
    "period",
    "x",
    "value",
    "text",
    "segment",
    "boundary_year",
    "table",
    "source",
    "method",
    "suppressed",
]
_YEARS: weakref.WeakKeyDictionary[Store, list[int]] = weakref.WeakKeyDictionary()


def store_years(store: Store) -> list[int]:
    """Every year the store holds a figure for (areas or values), computed once per store."""
    if store not in _YEARS:
        held = {int(y) for y in pd.unique(store.values["year"])} if len(store.values) else set()
        _YEARS[store] = sorted(held | set(store.years()))
    return _YEARS[store]


def reference(fig: Figure) -> tuple[float, str]:
    """Where a figure sits on the time axis: its reference period when the store knows it
    (e.g. '2020-09' for RIVM autumn 2020, '2014' for KWB 2017 income), else its edition year."""
    raw = str(getattr(fig, "reference_period", "") or getattr(fig, "period", "") or "").strip()
    m = re.match(r"^(\d{4})(?:[-/ ]?(?:M|-)?(\d{1,2}))?", raw)
    if not m:
        return float(fig.year), str(fig.year)
    year, month = int(m.group(1)), int(m.group(2)) if m.group(2) else None
    return (year + (month - 0.5) / 12 if month and 1 <= month <= 12 else float(year)), raw


@dataclass
class Series:
    code: str
    indicator: str
    role: str  # area | gemeente | land | compare
    figures: list[Figure] = field(default_factory=list)
    boundary_years: list[int] = field(default_factory=list)
    breaks: list[Break] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return [f.year for f in self.figures]

    def segments(self, split_cautions: bool = False) -> list[int]:
        """Segment number per figure: it goes up at every real break (one comparable stretch). For
        drawing, split_cautions also splits at a caution, which the chart then joins with a dotted link
        (so a solid line never runs over a dotted one)."""
        hard = {(b.before, b.after) for b in self.breaks if split_cautions or b.kind != "caution"}
        out, seg = [], 0
        for i, f in enumerate(self.figures):
            if i and (self.figures[i - 1].year, f.year) in hard:
                seg += 1
            out.append(seg)
        return out


def _own(datasets: tuple[OwnDataset, ...], indicator: str) -> OwnDataset | None:
    return dataset_for(datasets, indicator)


def build_series(
    store: Store, code: str, indicator: str, role: str = "area", datasets: tuple[OwnDataset, ...] = ()
) -> Series:
    """All years the store (or own data) holds for this code and indicator, with breaks between them."""
    own = _own(datasets, indicator) if indicator.startswith(OWN_PREFIX) else None
    local = indicator.startswith(OWN_PREFIX)
    years = (
        sorted({int(y) for y in own.values.loc[own.values["code"] == code, "year"]})
        if own
        else ([] if local else store_years(store))
    )
    src_years, out = source_years(store), Series(code, indicator, role)
    for year in years:
        fig = own.figure(code, year, indicator) if own else store.figure(code, year, indicator)
        if fig.value is None and not fig.suppressed and not local:  # the old code of the same area, said so
            fig = store.carried_figure(code, year, indicator) or fig
        if (fig.value is None and not fig.suppressed) or fig.year != year:  # strict: never another year's figure
            continue
        out.figures.append(fig)
        out.boundary_years.append(year if local else boundary_year(fig, src_years))
    for i in range(1, len(out.figures)):
        a, b = out.figures[i - 1], out.figures[i]
        out.breaks += breaks_between(store, code, indicator, a, b, out.boundary_years[i - 1], out.boundary_years[i])
    return out


ADDITIVE_UNITS = ("count", "ha")


def is_additive(store: Store, indicator: str, datasets: tuple[OwnDataset, ...] = ()) -> bool:
    """Counts and areas grow with the size of the area: a gemeente or NL line beside them says nothing."""
    own = _own(datasets, indicator) if indicator.startswith(OWN_PREFIX) else None
    if own is not None:
        ind = own.indicator(indicator)
        return ind is not None and ind.unit in ADDITIVE_UNITS
    return indicator in store.catalogue and store.catalogue.get(indicator).unit in ADDITIVE_UNITS


def trend(store: Store, code: str, indicator: str, datasets: tuple[OwnDataset, ...] = ()) -> list[Series]:
    """The area's series plus its gemeente and NL, each per year (the gemeente of that year's code).

    For counts (inhabitants, households) the references are left out: their scale would flatten the
    area's own line and a count is not comparable across areas of different size.
    """
    out = [build_series(store, code, indicator, "area", datasets)]
    if is_additive(store, indicator, datasets):
        return out
    gm = codes.gemeente_of(code)
    if gm and gm != code:
        out.append(build_series(store, gm, indicator, "gemeente", datasets))
    if code != codes.NL_CODE:
        out.append(build_series(store, codes.NL_CODE, indicator, "land", datasets))
    return out


def compare(store: Store, area_codes: list[str], indicator: str, datasets: tuple[OwnDataset, ...] = ()) -> list[Series]:
    """Up to six areas of any level on one indicator over all years, each with its own breaks."""
    chosen = list(dict.fromkeys(c for c in area_codes if c))[:MAX_AREAS]
    return [build_series(store, c, indicator, "compare", datasets) for c in chosen]


def label(store: Store, code: str, lang: str = "nl") -> str:
    return f"{store.areas.name(code, lang=lang)} ({code})"


def unit_of(store: Store, indicator: str, datasets: tuple[OwnDataset, ...] = ()) -> str:
    if indicator in store.catalogue:
        return store.catalogue.get(indicator).unit
    own = _own(datasets, indicator)
    ind = own.indicator(indicator) if own is not None else None
    return ind.unit if ind is not None and ind.unit in UNITS else "number"


UNITS = ("count", "pct", "per1000", "eur1000", "km", "per_km2", "ha", "number", "code")


def series_frame(
    store: Store, series: list[Series], lang: str = "nl", datasets: tuple[OwnDataset, ...] = ()
) -> pd.DataFrame:
    """The table behind a time-series chart: one row per area and year (missing years left out).
    `x` is the point's place on the time axis (its reference period), `text` the value as shown."""
    rows = []
    for s in series:
        name, unit = label(store, s.code, lang), unit_of(store, s.indicator, datasets)
        for f, by, seg in zip(s.figures, s.boundary_years, s.segments(split_cautions=True)):
            x, period = reference(f)
            rows.append(
                {
                    "series": name,
                    "role": s.role,
                    "code": s.code,
                    "name": store.areas.name(s.code, f.year, lang)
                    if not f.carried_from
                    else f"{store.areas.name(s.code, None, lang)} · "
                    + t("figure_carried_from", lang, code=f.carried_from, year=f.boundaries),
                    "indicator": s.indicator,
                    "year": f.year,
                    "period": period,
                    "x": x,
                    "value": f.value,
                    "text": format_value(f.value, unit, lang, missing="–"),
                    "segment": f"{s.code}:{seg}",
                    "boundary_year": by,
                    "table": f.table,
                    "source": f.source,
                    "method": f.method,
                    "suppressed": f.suppressed,
                }
            )
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


def breaks_frame(store: Store, series: list[Series], lang: str = "nl") -> pd.DataFrame:
    """Every break of every series; a caution between two years that a real break already separates is
    left out (a dotted line must never cross a break the app declares)."""
    rows = []
    for s in series:
        hard = {(b.before, b.after) for b in s.breaks if b.kind != "caution"}
        rows += [
            {
                "series": label(store, s.code),
                "code": s.code,
                "before": b.before,
                "after": b.after,
                "kind": b.kind,
                "reason": b.text(lang),
            }
            for b in s.breaks
            if b.kind != "caution" or (b.before, b.after) not in hard
        ]
    return pd.DataFrame(rows, columns=["series", "code", "before", "after", "kind", "reason"])


def profile(store: Store, area_codes: list[str], year: int, indicators: list[str], lang: str = "nl") -> pd.DataFrame:
    """Many indicators for one year and up to six areas: the table behind the heat table."""
    chosen = list(dict.fromkeys(area_codes))[:MAX_AREAS]
    rows = []
    for ind_id in indicators:
        ind = store.catalogue.get(ind_id)
        for c in chosen:
            f = store.figure(c, year, ind_id)
            rows.append(
                {
                    "indicator": ind_id,
                    "label": ind.label(lang),
                    "unit": ind.unit,
                    "series": label(store, c),
                    "code": c,
                    "year": year,
                    "value": f.value,
                    "text": format_value(f.value, ind.unit, lang),
                    "table": f.table,
                    "source": f.source,
                    "method": f.method,
                }
            )
    out = pd.DataFrame(
        rows,
        columns=["indicator", "label", "unit", "series", "code", "year", "value", "text", "table", "source", "method"],
    )
    grp = out.groupby("indicator")["value"]
    lo, hi = grp.transform("min"), grp.transform("max")
    out["rel"] = ((out["value"] - lo) / (hi - lo).where(hi > lo)).fillna(0.5).where(out["value"].notna())
    return out


def _wide_col(store: Store, year: int, indicator: str, prefix: str) -> pd.Series:
    w = store.wide(year)
    col = w[indicator] if indicator in w.columns else pd.Series(index=w.index[:0], dtype=float)
    return col[col.index.str.startswith(prefix)].dropna()


def _figures(store: Store, year: int, indicator: str, wanted: Sequence[str]) -> dict[str, Figure]:
    """Figures (with table and source) of these codes, read through the store's code index (no pass
    over all values); the boundaries are left to the source, as the ranking has always read them."""
    out = {}
    for code in wanted:
        f = store.figure(code, year, indicator)
        if f.value is not None:
            out[code] = Figure(code, year, indicator, f.value, f.table, "", f.source, f.method)
    return out


def ranking(
    store: Store,
    gemeente: str,
    indicator: str,
    year: int,
    since: int | None = None,
    level: str = "buurt",
    lang: str = "nl",
) -> pd.DataFrame:
    """All buurten (or wijken) of a gemeente on one indicator, with the change since an earlier year
    where comparable: same code, figures in both years and no boundary or definition break between."""
    prefix = codes.PREFIXES[level] + gemeente[2:6]
    now = _wide_col(store, year, indicator, prefix)
    then = _wide_col(store, since, indicator, prefix) if since else pd.Series(dtype=float)
    pop, pop_year = _population(store, year, prefix, set(now.index))
    src_years = source_years(store)
    figs = {y: _figures(store, y, indicator, [str(c) for c in now.index]) for y in {year, since} if y}
    f = store.areas.frame
    f = f[(f["year"] == year) & f["code"].astype(str).str.startswith(prefix)]
    names = dict(zip(f["code"].astype(str), f["name"]))
    rows = []
    for key, value in now.items():
        code = str(key)
        change, reason = None, t("trends_rank_no_figure", lang, year=since) if since else ""
        if since and code in then.index:
            a, b = sorted([figs[since][code], figs[year][code]], key=lambda fig: fig.year)
            found = breaks_between(
                store, code, indicator, a, b, boundary_year(a, src_years), boundary_year(b, src_years)
            )
            found.sort(key=lambda x: x.kind == "caution")  # real breaks first
            change = None if found and found[0].kind != "caution" else float(value) - float(then[code])
            reason = found[0].text(lang) if found else ""
        inw = pop.get(code)
        rows.append(
            {
                "code": code,
                "name": names.get(code) or store.areas.name(code) or code,  # never an empty or 'None' name
                "year": year,
                "value": float(value),
                "value_since": float(then[code]) if change is not None else None,
                "change": change,
                "comparable": change is not None,
                "inwoners": inw,
                "inwoners_year": pop_year.get(code),
                "small": bool(inw is not None and inw < SMALL_AREA),
                "note": reason,
                "source": figs[year][code].source if code in figs[year] else "",
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "code",
            "name",
            "year",
            "value",
            "value_since",
            "change",
            "comparable",
            "inwoners",
            "inwoners_year",
            "small",
            "note",
            "source",
        ],
    )
    out = out.sort_values(["value", "code"], ascending=[False, True]).reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    return out


def _population(store: Store, year: int, prefix: str, wanted: set[str]) -> tuple[dict[str, float], dict[str, int]]:
    """Inhabitants per code in the year, or (when that year has none for the code) in the nearest year
    that has them: the year used is returned beside it, so it can be stated."""
    pop = {str(c): float(v) for c, v in _wide_col(store, year, "inwoners", prefix).items()}
    used = dict.fromkeys(pop, year)
    missing = wanted - set(pop)
    for y in sorted((y for y in store_years(store) if y != year), key=lambda y: (abs(y - year), -y)):
        if not missing:
            break
        col = _wide_col(store, y, "inwoners", prefix)
        for code in missing & set(col.index):
            pop[code], used[code] = float(col[code]), y
        missing -= set(col.index)
    return pop, used


def ranking_years(store: Store, gemeente: str, indicator: str, level: str = "buurt") -> list[int]:
    """Years in which any buurt (wijk) of the gemeente has the indicator."""
    held = store.years_held(codes.PREFIXES[level] + gemeente[2:6], (indicator,)).get(indicator, [])
    return [y for y in store_years(store) if y in held]  # read through the store: no year's wide frame built


def indicator_meta(
    store: Store, indicator: str, datasets: tuple[OwnDataset, ...] = (), lang: str = "nl"
) -> tuple[str, str, str]:
    """(label, unit label, definition or source) of a catalogue or own-data indicator."""
    if indicator in store.catalogue:
        ind = store.catalogue.get(indicator)
        return ind.label(lang), ind.unit_label(lang), ind.definition(lang)
    for ds in datasets:
        li = ds.indicator(indicator)
        if li is not None:
            return li.label_for(lang), li.unit, f"{ds.name}: {li.source}"
    return indicator, "", ""


def indicator_choices(
    store: Store, code: str, datasets: tuple[OwnDataset, ...] = (), own_suffix: str = "", lang: str = "nl"
) -> dict[str, str]:
    """Indicators with a figure for this area in any year (catalogue order), then own-data indicators."""
    have = store.indicators_of(code)  # through the code index: no year's wide frame built for one area
    out = {i.id: i.label(lang) for i in store.catalogue if i.id in have}
    for ds in datasets:
        out.update({li.id: f"{li.label_for(lang)} ({own_suffix or ds.name})" for li in ds.indicators})
    return out


def area_options(store: Store, code: str, extra: Sequence[str] = (), lang: str = "nl") -> dict[str, str]:
    """Areas to offer for comparison: the chosen ones, the area's chain, its siblings and all gemeenten."""
    areas = store.areas
    year = max(areas.years_for(code) or areas.years())
    parent = codes.parent_of(code)
    pool = [*extra, *codes.chain(code)]
    pool += [a.code for a in areas.children(parent, year)] if parent else []
    pool += [a.code for a in areas.children(code, year)] + [a.code for a in areas.gemeenten(year)]
    return {c: label(store, c, lang) for c in dict.fromkeys(pool) if areas.exists(c) or c == codes.NL_CODE}


def indicators_in_year(store: Store, area_codes: list[str], year: int, lang: str = "nl") -> dict[str, str]:
    """Catalogue indicators with a figure for at least one of the areas in that year."""
    w = store.wide(year)
    rows = w.loc[[c for c in area_codes if c in w.index]]
    have = set(rows.columns[rows.notna().any()]) if len(rows) else set()
    return {i.id: i.label(lang) for i in store.catalogue if i.id in have}
