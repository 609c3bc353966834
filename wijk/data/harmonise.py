"""From raw observations to the harmonised store: resolve, derive, aggregate.

- One value per (code, year, indicator): the source with the best priority wins.
- Derived indicators (shares, rates) are computed from their counts at every level.
- Counts for a wijk, gemeente or the country are summed from the level below only when the
  children are complete (their population matches the parent's own CBS figure, or the source
  is known to hold every area); CBS's own totals are never replaced.
- Shares for a parent without its own counts are recomputed from summed counts of the lowest
  level that has them (or weighted by the denominator), with the number of parts recorded.
Missing stays missing: nothing is filled with 0.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from wijk import codes
from wijk.catalogue import Catalogue

OUT_COLUMNS = ["code", "year", "indicator", "value", "table", "variable", "source", "method", "n_parts", "coverage", "priority"]
LEVEL_STEPS = [("wijk", "buurt"), ("gemeente", "wijk"), ("land", "gemeente")]
LEVEL_ORDER = {"buurt": 0, "wijk": 1, "gemeente": 2, "land": 3}


def resolve(obs: pd.DataFrame) -> pd.DataFrame:
    """Keep the best-priority value per (code, year, indicator); ties go to the first source by name."""
    obs = obs.sort_values(["priority", "source"], kind="stable")
    out = obs.drop_duplicates(["code", "year", "indicator"], keep="first").copy()
    if "method" not in out.columns:
        out["method"] = "cbs"
    if "n_parts" not in out.columns:
        out["n_parts"] = 0
    out["method"] = out["method"].fillna("cbs")
    out["n_parts"] = out["n_parts"].fillna(0).astype(int)
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
        if ind.id in values.columns:
            ok &= ~(values[ind.id].notna() & (prio[ind.id] <= p))
        if not ok.any():
            continue
        idx = ratio.index[ok]
        num_var = var.loc[idx, ind.numerator].astype(str)
        den_var = var.loc[idx, list(ind.denominator)].astype(str).agg(" + ".join, axis=1)
        part = pd.DataFrame({
            "code": idx, "indicator": ind.id, "value": ratio[ok].values,
            "table": _table_of(base, idx, ind.numerator),
            "variable": (num_var + " / " + den_var + f" × {ind.scale:g}").values,
            "source": first.loc[idx, "source"].values, "priority": p[ok].values,
            "method": "derived", "n_parts": 0,
        })
        new.append(part)
    if not new:
        return yobs
    add = pd.concat(new, ignore_index=True)
    add["year"] = yobs["year"].iloc[0]
    add["level"] = add["code"].map(codes.level_of)
    keep = yobs.set_index(["code", "indicator"]).index.difference(add.set_index(["code", "indicator"]).index)
    kept = yobs.set_index(["code", "indicator"]).loc[keep].reset_index()
    return pd.concat([kept, add], ignore_index=True)


def _table_of(base: pd.DataFrame, idx, indicator: str):
    t = base[base["indicator"] == indicator].set_index("code")["table"]
    return t.reindex(idx).values


def _complete_parents(yobs: pd.DataFrame, parent_level: str, child_level: str,
                      complete_scopes: set[str]) -> dict[str, float]:
    """Parents whose children are complete, with the children's population check."""
    inw = yobs[yobs["indicator"] == "inwoners"].set_index("code")["value"]
    kids = inw[inw.index.map(codes.level_of) == child_level]
    if kids.empty:
        return {}
    parents = _parent_column(kids.reset_index(), parent_level).values
    sums = kids.groupby(parents).sum()
    counts = kids.groupby(parents).size()
    ok: dict[str, float] = {}
    for parent, total in sums.items():
        own = inw.get(parent, np.nan)
        scope_ok = "all" in complete_scopes or (codes.gemeente_of(parent) or "") in complete_scopes
        if not np.isnan(own):
            if abs(total - own) <= max(0.01 * own, 3 * counts[parent]):
                ok[parent] = total
        elif scope_ok:
            ok[parent] = total
    return ok


def aggregate_sums(yobs: pd.DataFrame, catalogue: Catalogue, parent_level: str, child_level: str,
                   complete_scopes: set[str]) -> pd.DataFrame:
    children = yobs[yobs["level"] == child_level]
    if children.empty:
        return yobs
    sum_ids = [i.id for i in catalogue if i.aggregate == "sum" and not i.derived]
    children = children[children["indicator"].isin(sum_ids)].copy()
    children["parent"] = _parent_column(children, parent_level)
    complete = _complete_parents(yobs, parent_level, child_level, complete_scopes)
    existing = set(zip(yobs.loc[yobs["level"] == parent_level, "code"], yobs.loc[yobs["level"] == parent_level, "indicator"]))
    inw = children[children["indicator"] == "inwoners"].set_index("code")["value"]
    rows = []
    for (parent, ind), grp in children.groupby(["parent", "indicator"], sort=True):
        if (parent, ind) in existing or parent not in complete:
            continue
        covered = inw.reindex(grp["code"]).sum()
        if ind != "inwoners" and covered < 0.99 * complete[parent]:
            continue  # some children lack this count: a sum would understate it
        rows.append({
            "code": parent, "indicator": ind, "value": float(grp["value"].sum()),
            "table": grp["table"].mode().iat[0], "variable": grp["variable"].mode().iat[0],
            "source": grp["source"].mode().iat[0], "priority": float(grp["priority"].max()) + 1,
            "method": "sum", "n_parts": int(len(grp)),
        })
    if not rows:
        return yobs
    add = pd.DataFrame(rows)
    add["year"] = yobs["year"].iloc[0]
    add["level"] = parent_level
    return pd.concat([yobs, add], ignore_index=True)


def _share_inputs(values: pd.DataFrame, ind) -> tuple[pd.DataFrame, str, float] | None:
    """Per code: numerator and denominator to pool for a share or average, and the method."""
    if ind.derived:
        den_cols, scale = list(ind.denominator), ind.scale
        if not all(d in values.columns for d in den_cols):
            return None
        den = values[den_cols].sum(axis=1, min_count=len(den_cols))
        exact = pd.DataFrame({"num": values.get(ind.numerator), "den": den}).dropna() if ind.numerator in values.columns else None
        approx = pd.DataFrame({"num": values[ind.id] * den / scale, "den": den}).dropna() if ind.id in values.columns else None
        if exact is not None and approx is not None:
            approx = approx.drop(exact.index, errors="ignore")
            both = pd.concat([exact.assign(m="ratio"), approx.assign(m="weighted")])
        else:
            both = exact.assign(m="ratio") if exact is not None else (approx.assign(m="weighted") if approx is not None else None)
        return (both, scale) if both is not None else None
    if ind.aggregate.startswith("weighted:"):
        w = ind.aggregate.split(":", 1)[1]
        if ind.id not in values.columns or w not in values.columns:
            return None
        return pd.DataFrame({"num": values[ind.id] * values[w], "den": values[w], "m": "weighted"}).dropna(), 1.0
    return None


def aggregate_shares(yobs: pd.DataFrame, catalogue: Catalogue, min_coverage: float = 0.9) -> pd.DataFrame:
    """Shares and averages for parents that lack them, pooled from the level below that covers best.

    Coverage is the share of the parent's inhabitants living in the parts used (or, when the
    parent's population is unknown, the share of its direct child areas represented). Below
    `min_coverage` the parent stays missing: a partial pool is not the parent's figure.
    """
    values = yobs.pivot(index="code", columns="indicator", values="value")
    lv = pd.Series(values.index.map(codes.level_of), index=values.index)
    inw = values["inwoners"] if "inwoners" in values.columns else pd.Series(np.nan, index=values.index)
    universe = _implied_areas(values.index)
    have = pd.MultiIndex.from_frame(yobs[["code", "indicator"]])
    labels = yobs.groupby(["indicator", "level"], observed=True)[["table", "variable", "source"]].agg(
        lambda s: s.value_counts().index[0] if s.notna().any() else None)
    frames = []
    for ind in catalogue:
        got = _share_inputs(values, ind)
        if got is None:
            continue
        parts, scale = got
        parts = parts[parts["den"] > 0]
        parts = parts.assign(level=lv.reindex(parts.index).values, inw=inw.reindex(parts.index).values)
        cands = []
        for parent_level, child_level in [(p, c) for p in ("wijk", "gemeente", "land") for c in ("buurt", "wijk", "gemeente")
                                          if LEVEL_ORDER[c] < LEVEL_ORDER[p]]:
            sub = parts[parts["level"] == child_level]
            if sub.empty:
                continue
            cands.append(_pool(sub, parent_level, child_level, inw, universe))
        if not cands:
            continue
        pooled = pd.concat(cands, ignore_index=True)
        pooled = pooled[pooled["coverage"] >= min_coverage]
        pooled = pooled.sort_values(["parent", "coverage", "src_level_order"], ascending=[True, False, True])
        pooled = pooled.drop_duplicates("parent")
        pooled = pooled[~pd.MultiIndex.from_arrays([pooled["parent"], [ind.id] * len(pooled)]).isin(have)]
        if pooled.empty:
            continue
        pooled["value"] = pooled["num"] / pooled["den"] * scale
        pooled["indicator"] = ind.id
        pooled["table"], pooled["variable"], pooled["source"] = zip(*[
            _label(labels, ind, m, lvl, scale) for m, lvl in zip(pooled["method"], pooled["src_level"])])
        frames.append(pooled)
    if not frames:
        return yobs
    add = pd.concat(frames, ignore_index=True).rename(columns={"parent": "code"})
    add["level"] = add["code"].map(codes.level_of)
    add["priority"] = 9.0
    add["year"] = yobs["year"].iloc[0]
    add["coverage"] = add["coverage"].round(4)
    return pd.concat([yobs, add[["code", "indicator", "value", "method", "n_parts", "coverage", "level",
                                 "table", "variable", "source", "priority", "year"]]], ignore_index=True)


def _implied_areas(codes_present) -> pd.Series:
    """Every area present plus its ancestors: the universe against which coverage is judged."""
    allc = set()
    for c in codes_present:
        allc.update(codes.chain(c))
    idx = sorted(allc)
    return pd.Series([codes.level_of(c) for c in idx], index=idx)


def _pool(sub: pd.DataFrame, parent_level: str, child_level: str, inw: pd.Series, universe: pd.Series) -> pd.DataFrame:
    direct = {"wijk": "buurt", "gemeente": "wijk", "land": "gemeente"}[parent_level]
    frame = sub.reset_index().rename(columns={sub.index.name or "index": "code"})
    frame["parent"] = _parent_column(frame, parent_level).values
    frame["unit"] = frame["code"] if child_level == direct else frame["code"].map(
        codes.wijk_of if direct == "wijk" else codes.gemeente_of)
    g = frame.groupby("parent")
    out = pd.DataFrame({
        "num": g["num"].sum(), "den": g["den"].sum(), "n_parts": g.size(),
        "inw_sum": g["inw"].sum(), "inw_all": g["inw"].apply(lambda s: s.notna().all()),
        "units": g["unit"].nunique(), "exact": g["m"].apply(lambda s: (s == "ratio").all()),
    })
    kids = universe[universe == direct].index
    kid_parents = pd.Series(kids).map(
        (lambda c: codes.NL_CODE) if parent_level == "land" else (codes.wijk_of if parent_level == "wijk" else codes.gemeente_of))
    n_kids = kid_parents.value_counts()
    own = inw.reindex(out.index)
    by_pop = out["inw_sum"] / own
    by_units = out["units"] / n_kids.reindex(out.index)
    out["coverage"] = by_pop.where(own.notna() & (own > 0) & out["inw_all"], by_units).fillna(0.0)
    out["method"] = np.where(out["exact"], "ratio", "weighted")
    out["src_level"] = child_level
    out["src_level_order"] = LEVEL_ORDER[child_level]
    return out.reset_index(names="parent")


def _label(labels: pd.DataFrame, ind, method: str, level: str, scale: float) -> tuple:
    key = ind.numerator if (ind.derived and method == "ratio") else ind.id
    if (key, level) not in labels.index:
        return (None, None, None)
    lab = labels.loc[(key, level)]
    variable = lab["variable"]
    if ind.derived and method == "ratio":
        dens = [labels.loc[(d, level), "variable"] if (d, level) in labels.index else d for d in ind.denominator]
        variable = f"{variable} / {' + '.join(dens)} × {scale:g}"
    return (lab["table"], variable, lab["source"])


def harmonise(obs: pd.DataFrame, catalogue: Catalogue, complete: dict[tuple[int, str], set[str]] | None = None) -> pd.DataFrame:
    """obs: raw observations (readers.OBS_COLUMNS); complete: (year, child level) -> scopes."""
    complete = complete or {}
    resolved = resolve(obs)
    resolved["level"] = resolved["code"].map(codes.level_of)
    out = []
    for year, yobs in resolved.groupby("year", sort=True):
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
    result.loc[result["method"].isin(["cbs", "derived", "sum"]), "coverage"] = 1.0
    result = result.sort_values(["year", "code", "indicator"], kind="stable").reset_index(drop=True)
    return result[OUT_COLUMNS]
