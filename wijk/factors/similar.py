"""Vergelijkbare buurten: the buurten in the country most like this one in context, and how it differs.

Context = size (log10 inhabitants), urbanity (CBS code 1-5), age structure (shares per age group)
and household composition (share with children, average household size, share one-person).
Each feature is standardised over all buurten of the year (median / IQR-1.349, SD if the IQR is 0);
each of the four groups weighs equally (a feature weighs 1 / features in its group), and the
distance is the weighted root-mean-square difference. A feature is used only when at least
MIN_COVERAGE of the year's buurten have it; buurten missing a used feature are left out of the search.
Context is not a judgement: nothing here ranks buurten on risk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijk.core import codes, settings
from wijk.core.store import Store
from wijk.factors.model import KINDS, Framework, LevelBasis, default_framework, deviation, level_rows, robust_scale

GROUPS = {group: settings.ids("similar", "groups", group) for group in settings.setting("similar", "groups")}
MIN_COVERAGE = 0.8
K = 5


@dataclass
class ContextSpace:
    """The standardised context of every buurt of one year (build once, cache)."""

    year: int
    codes: np.ndarray  # buurt codes, aligned with z
    z: np.ndarray  # n x f standardised features
    weights: np.ndarray  # f
    features: list[str]
    raw: pd.DataFrame  # the unstandardised features, index = code
    left_out: int  # buurten without complete context

    def index_of(self, code: str) -> int | None:
        hits = np.flatnonzero(self.codes == code)
        return int(hits[0]) if len(hits) else None


def context_frame(store: Store, year: int) -> pd.DataFrame:
    frame = level_rows(store.wide(year), "buurt")
    out = pd.DataFrame(index=frame.index)
    if "inwoners" in frame.columns:
        out["log_inwoners"] = np.log10(frame["inwoners"].where(frame["inwoners"] > 0))
    for group in GROUPS.values():
        for f in group:
            if f in frame.columns and f != "log_inwoners":
                out[f] = frame[f]
    return out


def build_space(store: Store, year: int) -> ContextSpace | None:
    """None when the year has too little context for a search (e.g. 2020: only RIVM estimates)."""
    frame = context_frame(store, year)
    if frame.empty:
        return None
    used = [c for c in frame.columns if frame[c].notna().mean() >= MIN_COVERAGE]
    groups = {g: [f for f in fs if f in used] for g, fs in GROUPS.items()}
    if sum(1 for fs in groups.values() if fs) < 2:
        return None
    features = [f for fs in groups.values() for f in fs]
    weights = np.array([1.0 / len(fs) for fs in groups.values() for _ in fs])
    complete = frame[features].dropna()
    z = np.empty((len(complete), len(features)))
    for j, f in enumerate(features):
        s = robust_scale(complete[f].to_numpy())
        z[:, j] = 0.0 if s is None else (complete[f].to_numpy() - s.median) / s.scale
    return ContextSpace(
        year, complete.index.to_numpy(dtype=str), z, weights, features, complete, len(frame) - len(complete)
    )


@dataclass(frozen=True)
class Neighbour:
    code: str
    distance: float


def most_similar(space: ContextSpace, code: str, k: int = K, include_self: bool = False) -> list[Neighbour]:
    """The k buurten nearest in context. With include_self the buurt itself comes first (distance 0)."""
    i = space.index_of(code)
    if i is None:
        raise KeyError(f"{code} has no complete context in {space.year}")
    d = np.sqrt(((space.z - space.z[i]) ** 2 * space.weights).sum(axis=1) / space.weights.sum())
    not_self = np.ones(len(d), dtype=bool)
    not_self[i] = False
    if not include_self:
        d = np.where(not_self, d, np.inf)
    n = min(k, len(d) - (0 if include_self else 1))
    cand = np.argpartition(d, n)[: n + 1] if n < len(d) else np.arange(len(d))
    order = cand[np.lexsort((not_self[cand], d[cand]))][:n]  # ties: the buurt itself first
    return [Neighbour(str(space.codes[j]), float(d[j])) for j in order]


def compare(
    store: Store, code: str, neighbours: list[Neighbour], basis: LevelBasis, framework: Framework | None = None
) -> pd.DataFrame:
    """Per risk/protective indicator: the buurt, the median of its neighbours, the signed deviation."""
    framework = framework or default_framework()
    codes_ = [n.code for n in neighbours]
    rows = []
    for fi in framework:
        if fi.kind == "outcome" or fi.indicator not in basis.frame.columns:
            continue
        value = store.value(code, basis.year, fi.indicator)
        vals = basis.frame[fi.indicator].reindex(codes_).dropna()
        if value is None or vals.empty:
            continue
        ref = float(vals.median())
        rows.append(
            {
                "kind": fi.kind,
                "factor_id": fi.factor_id,
                "indicator": fi.indicator,
                "value": value,
                "ref_value": ref,
                "n_with_value": len(vals),
                "strength": fi.strength,
                "unfavourable": fi.unfavourable,
                "deviation": deviation(value, ref, basis.scales.get(fi.indicator), fi.unfavourable),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "kind",
            "factor_id",
            "indicator",
            "value",
            "ref_value",
            "n_with_value",
            "strength",
            "unfavourable",
            "deviation",
        ],
    )
    out["kind"] = pd.Categorical(out["kind"], categories=[k for k in KINDS if k != "outcome"], ordered=True)
    return out.sort_values("kind", kind="stable").reset_index(drop=True)


def neighbour_table(store: Store, space: ContextSpace, neighbours: list[Neighbour]) -> pd.DataFrame:
    """Who the neighbours are, on context only (no risk figures: not a league table)."""
    raw = space.raw.reindex([n.code for n in neighbours])
    out = pd.DataFrame(
        {
            "code": [n.code for n in neighbours],
            "name": [store.areas.name(n.code, space.year) for n in neighbours],
            "gemeente": [store.areas.name(codes.gemeente_of(n.code) or n.code, space.year) for n in neighbours],
            "inwoners": (10 ** raw["log_inwoners"]).round().to_numpy() if "log_inwoners" in raw else np.nan,
            "stedelijkheid": raw["stedelijkheid"].to_numpy() if "stedelijkheid" in raw else np.nan,
            "distance": [round(n.distance, 2) for n in neighbours],
        }
    )
    return out
