"""The figures a map draws: one figure year per map, each area's own figure or, for a buurt whose code
changed, the figure carried from the old code of the same area (data/carried.parquet, accepted by the
crosswalk). A figure of an old indeling is never drawn on the 2024 polygon of a code that now names
another place (wijk.core.boundaries.reused_codes); such buurten are counted, not coloured.

Pure logic (no Streamlit). Missing stays missing: an area without a fitting figure gets None.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wijk.core.boundaries import CARRY_BEFORE, NEW_POLYGON_YEAR, POLYGON_YEAR, reused_codes
from wijk.core.comparability import boundary_changes_since
from wijk.core.i18n import t
from wijk.core.provenance import described_year, is_old
from wijk.core.store import Figure, SmallCache, Store

ROW_COLUMNS = ["code", "year", "indicator", "value", "table", "variable", "source", "method", "period"]
# one map's candidate rows per store, shared by the sessions; a store that is replaced (a data refresh)
# takes its cache with it, so no id of a freed store can ever serve another store's rows
_ROWS: weakref.WeakKeyDictionary[Store, SmallCache[tuple, pd.DataFrame]] = weakref.WeakKeyDictionary()
_ROWS_LOCK = threading.Lock()


@dataclass
class Drawn:
    """What one map colours: code -> value, the figure year, and how the figures were found."""

    values: dict[str, float | None] = field(default_factory=dict)
    year: int | None = None  # the figure year drawn (None: nothing drawn)
    described: tuple[int, ...] = ()  # the years the drawn figures describe (income of KWB 2017: 2014)
    old: bool = False  # the figures describe a year more than five years before the map's year
    carried: dict[str, tuple[str, int]] = field(default_factory=dict)  # code -> (old code, its indeling)
    reused: list[str] = field(default_factory=list)  # codes left grey: the code names another place now
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # the drawn rows (for the provenance)


def _own_rows(store: Store, wanted: list[str], year_max: int) -> pd.DataFrame:
    """The store's rows of these codes up to a year, found through the code categories (no string scan)."""
    v = store.values
    col = v["code"]
    if hasattr(col, "cat"):
        idx = col.cat.categories.get_indexer(pd.Index(wanted))
        mask = np.isin(col.cat.codes.to_numpy(), idx[idx >= 0])
    else:
        mask = col.astype(str).isin(wanted).to_numpy()
    mask = mask & (v["year"].to_numpy() <= year_max)
    cols = ROW_COLUMNS + (["boundary_year"] if "boundary_year" in v.columns else [])
    out = v.loc[mask, [c for c in cols if c in v.columns]]
    out = out.assign(carried_from="")
    if "boundary_year" not in out.columns:
        out = out.assign(boundary_year=out["year"])
    return out


def candidate_rows(
    store: Store,
    wanted: list[str],
    year_max: int,
    polygon_year: int | None,
    level: str,
    reused: frozenset[str] | None = None,
) -> pd.DataFrame:
    """Every figure up to `year_max` that could colour these codes: own rows and carried rows, with
    `fits` False for an own row of an old indeling whose code now names another place (reused: those
    codes, by default the crosswalk's; given, nothing is cached)."""
    if reused is not None:
        return _candidates(store, wanted, year_max, polygon_year, level, reused)
    with _ROWS_LOCK:
        cache = _ROWS.setdefault(store, SmallCache(8))
    key = (id(store.values), id(store.carried), tuple(wanted), year_max, polygon_year, level)
    return cache.get(key, lambda: _candidates(store, wanted, year_max, polygon_year, level, reused_codes()))


def _candidates(
    store: Store, wanted: list[str], year_max: int, polygon_year: int | None, level: str, reused: frozenset[str]
) -> pd.DataFrame:
    own = _own_rows(store, wanted, year_max)
    c = store.carried
    carried = c[c["code"].astype(str).isin(wanted).to_numpy() & (c["year"].to_numpy() <= year_max)]
    frames = [f for f in (own, carried) if not f.empty]
    if not frames:
        empty = pd.DataFrame(columns=[*ROW_COLUMNS, "boundary_year", "carried_from"])
        return empty.astype({"year": int, "value": float}).assign(fits=pd.Series(dtype=bool))
    rows = pd.concat([f.astype({k: str for k in ROW_COLUMNS if k in f.columns and k != "value"}) for f in frames])
    rows = rows.astype({"year": int, "value": float})
    rows["carried_from"] = rows["carried_from"].fillna("").astype(str)
    rows = rows[rows["value"].notna()]
    by = pd.to_numeric(rows["boundary_year"], errors="coerce")
    rows["boundary_year"] = by
    rows["fits"] = _fits(rows, polygon_year, level, reused)
    rows = rows.drop_duplicates(["code", "year", "indicator"], keep="first")
    return rows.reset_index(drop=True)


def _fits(rows: pd.DataFrame, polygon_year: int | None, level: str, reused: frozenset[str]) -> np.ndarray:
    """Whether an own row may colour the 2024 polygon of its code: always, unless the row is on an
    indeling before CARRY_BEFORE and the crosswalk (or a redivision before 2019) says the code is another
    place now. Carried rows were accepted by the crosswalk when they were made."""
    fits = np.ones(len(rows), dtype=bool)
    if level != "buurt" or polygon_year != NEW_POLYGON_YEAR or rows.empty:
        return fits
    by = rows["boundary_year"].to_numpy(dtype=float)
    own = (rows["carried_from"] == "").to_numpy()
    check = own & (np.nan_to_num(by, nan=CARRY_BEFORE) < CARRY_BEFORE)
    code_of = rows["code"].to_numpy(dtype=object)
    redone: dict[tuple[str, int], bool] = {}
    for i in np.flatnonzero(check):
        code, b = str(code_of[i]), int(by[i])
        if code in reused:
            fits[i] = False
            continue
        if (code, b) not in redone:
            redone[(code, b)] = bool(boundary_changes_since(code, b, POLYGON_YEAR))
        fits[i] = not redone[(code, b)]
    return fits


def older_years(rows: pd.DataFrame, year: int, taken: set[str]) -> dict[str, int]:
    """Indicators without a figure in `year` but with a fitting older one: indicator -> its newest year."""
    ok = rows[((rows["year"] < year) & rows["fits"].astype(bool) & ~rows["indicator"].isin(taken)).to_numpy()]
    return {str(i): int(y) for i, y in ok.groupby("indicator")["year"].max().items()}


def drawn(rows: pd.DataFrame, indicator: str, fig_year: int, map_year: int, wanted: list[str]) -> Drawn:
    """The values of one indicator and figure year for the codes drawn, with what the legend says of them."""
    sel = rows[((rows["indicator"] == indicator) & (rows["year"] == fig_year) & rows["code"].isin(wanted)).to_numpy()]
    fits = sel["fits"].astype(bool).to_numpy()
    fit = sel[fits]
    reused = sorted(set(sel["code"][~fits]) - set(fit["code"]))
    values: dict[str, float | None] = dict.fromkeys(wanted)
    values.update({str(c): float(v) for c, v in zip(fit["code"], fit["value"])})
    carried = {
        str(c): (str(o), int(b) if pd.notna(b) else fig_year)
        for c, o, b in zip(fit["code"], fit["carried_from"], fit["boundary_year"])
        if o
    }
    described = tuple(sorted({described_year(int(y), str(p)) for y, p in zip(fit["year"], fit["period"])}))
    old = bool(len(fit)) and all(is_old(int(y), str(p), map_year) for y, p in zip(fit["year"], fit["period"]))
    return Drawn(values, fig_year if len(fit) else None, described, old, carried, reused, fit)


def figures_of(d: Drawn) -> list[Figure]:
    """The drawn rows as Figures (for the provenance panel), each with the old code it was carried from."""
    out = []
    for r in d.rows.to_dict("records"):
        by = r.get("boundary_year")
        out.append(
            Figure(
                str(r["code"]),
                int(r["year"]),
                str(r["indicator"]),
                float(r["value"]),
                str(r.get("table", "")),
                str(r.get("variable", "")),
                str(r.get("source", "")),
                str(r.get("method", "")),
                boundary_year=None if by is None or pd.isna(by) else int(by),
                period=str(r.get("period") or ""),
                carried_from=str(r.get("carried_from") or ""),
            )
        )
    return out


def legend_text(label: str, base: str, d: Drawn | None, year: int, lang: str) -> tuple[str, list[str]]:
    """The legend's title and notes. The title names the year the figures describe when that is not the
    map's year, with 'oud' when more than five years before it (the wording of cards and factor bars:
    'Gemiddeld inkomen (2014, oud)'); the notes say it in a sentence, count the buurten coloured with a
    figure carried from their old code, and the buurten left grey because their code names another place."""
    if not label:
        return t("kaart_legend_areas", lang), []
    if d is None or d.year is None:
        return label, []
    described = ", ".join(str(y) for y in d.described)
    notes = []
    if d.old:
        label = f"{base or label} ({described}, {t('figure_old_tag', lang)})"
        notes.append(t("kaart_legend_old", lang, old=t("figure_old_tag", lang).upper(), described=described, year=year))
    elif d.described != (year,):
        label = f"{base or label} ({described})"
    if d.carried:
        olds = ", ".join(str(b) for b in sorted({b for _, b in d.carried.values()}))
        notes.append(t("kaart_legend_carried", lang, n=len(d.carried), year=olds))
    if d.reused:
        notes.append(t("kaart_reused", lang, n=len(d.reused), year=d.year))
    return label, notes


def carried_tips(d: Drawn | None, lang: str) -> dict[str, str]:
    """code -> the tooltip line of a carried figure: 'zelfde gebied, in 2020 code BU03639402'."""
    if d is None:
        return {}
    return {c: t("figure_carried_from", lang, code=o, year=b) for c, (o, b) in d.carried.items()}
