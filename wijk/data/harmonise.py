"""From raw observations to the harmonised store: resolve, derive, aggregate.

Rules (each pinned by tests/unit/data/test_harmonise.py on small labelled fixtures):
- One value per (code, year, indicator): the source with the best priority wins.
- A derived indicator (share, rate) is computed at a code only from a numerator and denominator
  that describe the same area: same code, same year and the same boundary year (crime on the 2024
  indeling is not divided by a 2022 population), and, at a parent level, both CBS's own figures.
- A count for a wijk, gemeente or the country is summed from the level below only when every child
  area of that parent (every known child with inhabitants) has the count; CBS's own totals are never
  replaced; a partial sum is never made (it would understate the count).
- A share for a parent without CBS's own figure is pooled from numerator and denominator of the
  same child areas (or weighted by the denominator). Its coverage is the population of those
  children divided by CBS's own parent total; without a parent total in the store the coverage is
  unknown (NaN), never 1.0. Below `min_coverage` the parent stays missing.
Missing stays missing: nothing is filled with 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import numpy as np
import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import Catalogue, Indicator
from wijk.core.store import VALUE_COLUMNS

OWN = ("cbs",)
# (parent, child) from the finest step up: (wijk, buurt), (gemeente, wijk), (land, gemeente)
LEVEL_STEPS = [(p, c) for p, c in zip(reversed(codes.LEVELS[:-1]), reversed(codes.LEVELS[1:]))]
LEVEL_ORDER = {level: len(codes.LEVELS) - 1 - codes.rank(level) for level in codes.LEVELS}  # buurt 0 ... land 3


def resolve(obs: pd.DataFrame) -> pd.DataFrame:
    """Keep the best-priority value per (code, year, indicator); ties go to the first source by name.

    A NaN value is no observation: missing stays missing (an absent row), so it can never be summed as 0.
    """
    obs = obs[obs["value"].notna()]
    obs = obs.sort_values(["priority", "source"], kind="stable")
    out = obs.drop_duplicates(["code", "year", "indicator"], keep="first").copy()
    if "method" not in out.columns:
        out["method"] = "cbs"
    if "n_parts" not in out.columns:
        out["n_parts"] = 0
    out["method"] = out["method"].fillna("cbs")
    out["n_parts"] = out["n_parts"].fillna(0).astype(int)
    if "boundary_year" not in out.columns:
        out["boundary_year"] = out["year"]
    out["boundary_year"] = out["boundary_year"].astype("Int64")  # unknown (<NA>) stays unknown, never the year
    if "period" not in out.columns:
        out["period"] = out["year"].astype(str)
    out["period"] = out["period"].fillna(out["year"].astype(str)).astype(str)
    return out.reset_index(drop=True)


def _parent_column(frame: pd.DataFrame, parent_level: str) -> pd.Series:
    if parent_level == "land":
        return pd.Series(codes.NL_CODE, index=frame.index)
    fn = codes.wijk_of if parent_level == "wijk" else codes.gemeente_of
    return frame["code"].map(fn)


def derive(yobs: pd.DataFrame, catalogue: Catalogue, level: str | None = None) -> pd.DataFrame:
    """Compute derived indicators where numerator and denominator exist at the same code."""
    base = yobs if level is None else yobs[yobs["level"] == level]
    if base.empty:
        return yobs
    values = base.pivot(index="code", columns="indicator", values="value")
    prio = base.pivot(index="code", columns="indicator", values="priority")
    var = base.pivot(index="code", columns="indicator", values="variable")
    bound = base.pivot(index="code", columns="indicator", values="boundary_year")
    period = base.pivot(index="code", columns="indicator", values="period")
    own = base.pivot(index="code", columns="indicator", values="method").isin(OWN)
    first = base.drop_duplicates("code").set_index("code")
    new = []
    for ind in catalogue.derived():
        needed = [ind.numerator, *ind.denominator]
        if not all(n in values.columns for n in needed):
            continue
        den = values[list(ind.denominator)].sum(axis=1, min_count=len(ind.denominator))
        den = den.where(values[list(ind.denominator)].notna().all(axis=1))
        ratio = (values[ind.numerator] / den.replace(0, np.nan)) * ind.scale
        p = prio[needed].max(axis=1) + 0.5
        ok = ratio.notna()
        ok &= bound[needed].notna().all(axis=1)  # an unknown boundary year: no rate (the areas may differ)
        ok &= bound[needed].eq(bound[ind.numerator], axis=0).fillna(False).all(axis=1)  # same boundaries
        if level is not None and level != "buurt":
            ok &= own[needed].all(axis=1)  # parent: only CBS's own counts; pooled shares come later
        if ind.id in values.columns:
            ok &= ~(values[ind.id].notna() & (prio[ind.id] <= p))
        if not ok.any():
            continue
        idx = ratio.index[ok]
        num_var = var.loc[idx, ind.numerator].astype(str)
        den_var = var.loc[idx, list(ind.denominator)].astype(str).agg(" + ".join, axis=1)
        part = pd.DataFrame(
            {
                "code": idx,
                "indicator": ind.id,
                "value": ratio[ok].values,
                "table": _table_of(base, idx, ind.numerator),
                "variable": (num_var + " / " + den_var + f" × {ind.scale:g}").values,
                "source": first.loc[idx, "source"].values,
                "priority": p[ok].values,
                "method": "derived",
                "n_parts": 0,
                "boundary_year": bound.loc[idx, ind.numerator].astype(int).values,
                "period": period.loc[idx, ind.numerator].astype(str).values,
            }
        )
        new.append(part)
    if not new:
        return yobs
    add = pd.concat(new, ignore_index=True)
    add["year"] = yobs["year"].iloc[0]
    add["level"] = add["code"].map(codes.level_of)
    keep = yobs.set_index(["code", "indicator"]).index.difference(add.set_index(["code", "indicator"]).index)
    kept = yobs.set_index(["code", "indicator"]).loc[keep].reset_index()
    return pd.concat([kept, add], ignore_index=True)


def _table_of(base: pd.DataFrame, idx: pd.Index, indicator: str) -> np.ndarray:
    t = base[base["indicator"] == indicator].set_index("code")["table"]
    return t.reindex(idx).to_numpy()


def _children(yobs: pd.DataFrame, parent_level: str, child_level: str) -> pd.DataFrame:
    """Known child areas (any figure this year) with their parent and inhabitants (NaN if unknown)."""
    kids = yobs.loc[yobs["level"] == child_level, ["code"]].drop_duplicates().copy()
    inw = yobs[yobs["indicator"] == "inwoners"].drop_duplicates("code").set_index("code")["value"]
    kids["parent"] = _parent_column(kids, parent_level).values
    kids["inw"] = inw.reindex(kids["code"]).values
    return kids.set_index("code")


def _complete_parents(yobs: pd.DataFrame, parent_level: str, child_level: str, complete_scopes: set[str]) -> set[str]:
    """Parents whose known children are all its children: their inhabitants add up to CBS's own
    parent total (within CBS's rounding to 5 per child), or a source is known to hold every area."""
    kids = _children(yobs, parent_level, child_level)
    if kids.empty:
        return set()
    own = (
        yobs[(yobs["indicator"] == "inwoners") & (yobs["level"] == parent_level) & (yobs["method"].isin(OWN))]
        .drop_duplicates("code")
        .set_index("code")["value"]
    )
    g = kids.groupby("parent")["inw"]
    frame = pd.DataFrame({"sum": g.sum(), "n": g.size()})
    frame["own"] = own.reindex(frame.index)
    scope = pd.Series(
        ["all" in complete_scopes or (codes.gemeente_of(p) or "") in complete_scopes for p in frame.index],
        index=frame.index,
    )
    by_total = (frame["sum"] - frame["own"]).abs() <= np.maximum(0.001 * frame["own"], 3 * frame["n"])
    ok = frame["own"].notna() & by_total | frame["own"].isna() & scope
    return set(frame.index[ok])


def aggregate_sums(
    yobs: pd.DataFrame, catalogue: Catalogue, parent_level: str, child_level: str, complete_scopes: set[str]
) -> pd.DataFrame:
    """Counts of complete parents summed from every child; an inhabited child without the count
    (or, where no child has known inhabitants, any child without it) blocks the sum."""
    children = yobs[yobs["level"] == child_level]
    if children.empty:
        return yobs
    sum_ids = [i.id for i in catalogue if i.aggregate == "sum" and not i.derived]
    kids = _children(yobs, parent_level, child_level)
    complete = _complete_parents(yobs, parent_level, child_level, complete_scopes)
    children = children[children["indicator"].isin(sum_ids) & children["boundary_year"].notna()].copy()
    if children.empty or not complete:
        return yobs
    children["parent"] = kids["parent"].reindex(children["code"]).values
    children = children[children["parent"].isin(complete)]
    none_known = kids["inw"].isna().groupby(kids["parent"]).transform("all")
    needed = kids[(kids["inw"].fillna(0) > 0) | none_known]
    need_n = needed.groupby("parent").size()
    children["needed"] = children["code"].isin(needed.index)
    children = children.sort_values(["parent", "indicator", "code"], kind="stable")
    g = children.groupby(["parent", "indicator"], sort=True, observed=True)
    agg = g.agg(
        value=("value", "sum"),
        n_parts=("code", "size"),
        present=("needed", "sum"),
        n_bound=("boundary_year", "nunique"),
        boundary_year=("boundary_year", "first"),
        table=("table", "first"),
        variable=("variable", "first"),
        source=("source", "first"),
        priority=("priority", "max"),
        period=("period", "first"),
    ).reset_index()
    existing = pd.MultiIndex.from_frame(yobs.loc[yobs["level"] == parent_level, ["code", "indicator"]].astype(str))
    key = pd.MultiIndex.from_arrays([agg["parent"].astype(str), agg["indicator"].astype(str)])
    ok = (~key.isin(existing)) & (agg["n_bound"] == 1) & (agg["present"] >= agg["parent"].map(need_n).fillna(0))
    add = agg[ok].rename(columns={"parent": "code"}).drop(columns=["present", "n_bound"])
    if add.empty:
        return yobs
    add["priority"] = add["priority"].astype(float) + 1
    add["method"], add["coverage"] = "sum", 1.0
    add["year"] = yobs["year"].iloc[0]
    add["level"] = parent_level
    return pd.concat([yobs, add], ignore_index=True)


def _share_inputs(values: pd.DataFrame, ind: Indicator) -> tuple[pd.DataFrame, float] | None:
    """Per code: numerator and denominator to pool for a share or average, and the method."""
    if ind.derived:
        den_cols, scale = list(ind.denominator), ind.scale
        if not all(d in values.columns for d in den_cols):
            return None
        den = values[den_cols].sum(axis=1, min_count=len(den_cols))
        if ind.id not in values.columns:
            return None  # no child passed the same-area check of `derive`
        same_area = values[ind.id].notna()
        exact = (
            pd.DataFrame({"num": values.get(ind.numerator), "den": den})[same_area].dropna()
            if ind.numerator in values.columns
            else None
        )
        approx = (
            pd.DataFrame({"num": values[ind.id] * den / scale, "den": den}).dropna()
            if ind.id in values.columns
            else None
        )
        both: pd.DataFrame | None
        if exact is not None and approx is not None:
            approx = approx.drop(exact.index, errors="ignore")
            both = pd.concat([exact.assign(m="ratio"), approx.assign(m="weighted")])
        else:
            both = (
                exact.assign(m="ratio")
                if exact is not None
                else (approx.assign(m="weighted") if approx is not None else None)
            )
        return (both, scale) if both is not None else None
    if ind.aggregate.startswith("weighted:"):
        w = ind.aggregate.split(":", 1)[1]
        if ind.id not in values.columns or w not in values.columns:
            return None
        return pd.DataFrame({"num": values[ind.id] * values[w], "den": values[w], "m": "weighted"}).dropna(), 1.0
    return None


def aggregate_shares(yobs: pd.DataFrame, catalogue: Catalogue, min_coverage: float = 0.9) -> pd.DataFrame:
    """Shares and averages for parents that lack them, pooled from the level below that covers best.

    Numerator and denominator are summed over the same child areas. Coverage is the population of
    those children divided by the parent's own total; when the store has no parent total it is
    unknown (NaN) and the parent is kept only if its direct child areas are represented to at least
    `min_coverage` (a gate, not a coverage figure). Below `min_coverage` the parent stays missing.
    """
    values = yobs.pivot(index="code", columns="indicator", values="value")
    lv = pd.Series(values.index.map(codes.level_of), index=values.index)
    inw = values["inwoners"] if "inwoners" in values.columns else pd.Series(np.nan, index=values.index)
    universe = _implied_areas(values.index)
    have = pd.MultiIndex.from_frame(yobs[["code", "indicator"]])
    labels = yobs.groupby(["indicator", "level"], observed=True)[["table", "variable", "source"]].agg(_most_common)
    frames = []
    for ind in catalogue:
        got = _share_inputs(values, ind)
        if got is None:
            continue
        parts, scale = got
        parts = parts[parts["den"] > 0]
        parts = parts.assign(level=lv.reindex(parts.index).values, inw=inw.reindex(parts.index).values)
        pooled = _best_pooled(parts, inw, universe, min_coverage)
        if pooled is None:
            continue
        pooled = pooled[~pd.MultiIndex.from_arrays([pooled["parent"], [ind.id] * len(pooled)]).isin(have)]
        if pooled.empty:
            continue
        pooled["value"] = pooled["num"] / pooled["den"] * scale
        pooled["indicator"] = ind.id
        pooled["num_id"] = ind.numerator if ind.derived else ind.id
        pooled["table"], pooled["variable"], pooled["source"] = zip(
            *[_label(labels, ind, m, lvl, scale) for m, lvl in zip(pooled["method"], pooled["src_level"])]
        )
        frames.append(pooled)
    if not frames:
        return yobs
    add = _with_provenance(pd.concat(frames, ignore_index=True).rename(columns={"parent": "code"}), yobs)
    return pd.concat([yobs, add[POOLED_COLUMNS]], ignore_index=True)


POOLED_COLUMNS = [
    "code",
    "indicator",
    "value",
    "method",
    "n_parts",
    "coverage",
    "level",
    "table",
    "variable",
    "source",
    "priority",
    "year",
    "boundary_year",
    "period",
]


def _level_pairs() -> list[tuple[str, str]]:
    """(parent level, child level) for every child level below a parent, in the order they are tried."""
    return [
        (p, c)
        for p in reversed(codes.LEVELS[:-1])
        for c in reversed(codes.LEVELS[1:])
        if LEVEL_ORDER[c] < LEVEL_ORDER[p]
    ]


def _best_pooled(parts: pd.DataFrame, inw: pd.Series, universe: pd.Series, min_coverage: float) -> pd.DataFrame | None:
    """Per parent, the pool of the child level that covers it best (gate at least `min_coverage`); None when
    no child level has parts."""
    cands = []
    for parent_level, child_level in _level_pairs():
        sub = parts[parts["level"] == child_level]
        if sub.empty:
            continue
        cands.append(_pool(sub, parent_level, child_level, inw, universe))
    if not cands:
        return None
    pooled = pd.concat(cands, ignore_index=True)
    pooled = pooled[pooled["gate"] >= min_coverage]
    pooled = pooled.sort_values(["parent", "gate", "src_level_order"], ascending=[True, False, True])
    return pooled.drop_duplicates("parent")


def _with_provenance(add: pd.DataFrame, yobs: pd.DataFrame) -> pd.DataFrame:
    """Pooled rows get their level, year, priority and the boundary year and period of the figures they
    were pooled from (a ratio's numerator, else the indicator itself, at the source level)."""
    add["level"] = add["code"].map(codes.level_of)
    add["priority"] = 9.0
    add["year"] = yobs["year"].iloc[0]
    add["coverage"] = add["coverage"].round(4)
    known = (
        yobs.dropna(subset=["boundary_year"])
        .groupby(["indicator", "level"], observed=True)["boundary_year"]
        .agg(lambda s: int(s.mode().to_numpy()[0]))
    )
    # a group none of whose rows knows its boundary (crime without a MapYear) keeps it missing
    bounds = known.reindex(yobs.groupby(["indicator", "level"], observed=True).size().index).astype("Int64")
    periods = yobs.groupby(["indicator", "level"], observed=True)["period"].agg(lambda s: s.mode().to_numpy()[0])
    key = list(zip(np.where(add["method"] == "ratio", add["num_id"], add["indicator"]), add["src_level"]))
    add["boundary_year"] = [bounds.get(k, y) for k, y in zip(key, add["year"])]
    add["period"] = [periods.get(k, str(y)) for k, y in zip(key, add["year"])]
    return add


def _most_common(s: pd.Series) -> object:
    """The most frequent value of a column (None where it has none)."""
    return s.value_counts().index[0] if s.notna().any() else None


def _implied_areas(codes_present: Iterable[str]) -> pd.Series:
    """Every area present plus its ancestors: the universe against which coverage is judged."""
    allc: set[str] = set()
    for c in codes_present:
        allc.update(codes.chain(c))
    idx = sorted(allc)
    return pd.Series([codes.level_of(c) for c in idx], index=idx)


def _pool(sub: pd.DataFrame, parent_level: str, child_level: str, inw: pd.Series, universe: pd.Series) -> pd.DataFrame:
    direct = codes.below(parent_level)
    frame = sub.reset_index().rename(columns={sub.index.name or "index": "code"})
    frame["parent"] = _parent_column(frame, parent_level).values
    frame["unit"] = (
        frame["code"]
        if child_level == direct
        else frame["code"].map(codes.wijk_of if direct == "wijk" else codes.gemeente_of)
    )
    g = frame.groupby("parent")
    out = pd.DataFrame(
        {
            "num": g["num"].sum(),
            "den": g["den"].sum(),
            "n_parts": g.size(),
            "inw_sum": g["inw"].sum(),
            "inw_all": g["inw"].apply(lambda s: s.notna().all()),
            "units": g["unit"].nunique(),
            "exact": g["m"].apply(lambda s: (s == "ratio").all()),
        }
    )
    kids = universe[universe == direct].index
    kid_parents = pd.Series(kids).map(
        (lambda _code: codes.NL_CODE)
        if parent_level == "land"
        else (codes.wijk_of if parent_level == "wijk" else codes.gemeente_of)
    )
    n_kids = kid_parents.value_counts()
    own = inw.reindex(out.index)
    by_pop = out["inw_sum"] / own
    by_units = out["units"] / n_kids.reindex(out.index)
    known = own.notna() & (own > 0) & out["inw_all"]
    out["coverage"] = by_pop.where(known).clip(upper=1.0)
    out["gate"] = out["coverage"].where(known, by_units).fillna(0.0)
    out["method"] = np.where(out["exact"], "ratio", "weighted")
    out["src_level"] = child_level
    out["src_level_order"] = LEVEL_ORDER[child_level]
    return out.reset_index(names="parent")


def _label(labels: pd.DataFrame, ind: Indicator, method: str, level: str, scale: float) -> tuple:
    key = ind.numerator if (ind.derived and method == "ratio") else ind.id
    if (key, level) not in labels.index:
        return (None, None, None)
    lab = cast(pd.Series, labels.loc[(key, level)])  # one (indicator, level) row
    variable = lab["variable"]
    if ind.derived and method == "ratio":
        dens = [str(labels.loc[(d, level), "variable"]) if (d, level) in labels.index else d for d in ind.denominator]
        variable = f"{variable} / {' + '.join(dens)} × {scale:g}"
    return (lab["table"], variable, lab["source"])


def harmonise(
    obs: pd.DataFrame, catalogue: Catalogue, complete: dict[tuple[int, str], set[str]] | None = None
) -> pd.DataFrame:
    """obs: raw observations (wijk.core.store.OBSERVATION_COLUMNS); complete: (year, child level) -> scopes."""
    complete = complete or {}
    resolved = resolve(obs)
    resolved["level"] = resolved["code"].map(codes.level_of)
    out = []
    for key, yobs in resolved.groupby("year", sort=True):
        year = cast(int, key)  # the group's year
        yobs = derive(yobs.reset_index(drop=True), catalogue)
        for parent_level, child_level in LEVEL_STEPS:
            scopes = complete.get((int(year), child_level), set())
            yobs = aggregate_sums(yobs, catalogue, parent_level, child_level, scopes)
            yobs = derive(yobs, catalogue, level=parent_level)
        yobs = aggregate_shares(yobs, catalogue)
        out.append(yobs)
    result = pd.concat(out, ignore_index=True)
    result["year"] = result["year"].astype(int)
    result["n_parts"] = result["n_parts"].fillna(0).astype(int)
    if "coverage" not in result.columns:
        result["coverage"] = np.nan
    own_figure = result["method"].isin(["cbs", "derived"])
    result.loc[own_figure, "coverage"] = 1.0  # the area's own figure (sums carry their own coverage)
    result = result.sort_values(["year", "code", "indicator"], kind="stable").reset_index(drop=True)
    return result[VALUE_COLUMNS]
