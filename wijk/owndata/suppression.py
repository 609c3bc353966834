"""Privacy: celafscherming (statistical disclosure control) for own data, before anything is shown or stored.

Rules, after the practice of CBS and Amsterdam's BBGA:
1. Primary: a count under `count` (default 5) is suppressed. A percentage or rate (per 1,000) is
   suppressed when its denominator is under `denominator` (default 10), or when its numerator, or
   the complement (denominator minus numerator), is under `count`: 3 of 40 (7.5%) would otherwise
   give away the 3 next to the count 40, and 37 of 40 the 3 who are not counted.
2. Secondary (against differencing): counts of one indicator and year form a hierarchy (NL, GM, WK,
   BU rows in one upload; a row's parent is its nearest ancestor in the upload). An attacker may
   assume every parent equals the sum of its children in the upload. After the primary rule, every
   hidden cell that the shown cells determine through these sums (solved exactly, as linear
   algebra) gets a partner: the smallest shown cell in one of its sums is hidden too, until no
   hidden value can be recovered. The partner costs the least information.
A suppressed value becomes None (NaN in frames) with suppressed=True, never 0. Numerators,
denominators and the suppressed values themselves are dropped: never shown, echoed or stored.
The thresholds can be raised; the page does not let them go below the defaults.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijk.core import codes

DEFAULT_COUNT = 5
DEFAULT_DENOMINATOR = 10
MIN_COUNT = DEFAULT_COUNT
MIN_DENOMINATOR = DEFAULT_DENOMINATOR
MAX_THRESHOLD = 1000
RATE_UNITS = ("pct", "per1000")
_TOL = 1e-9


@dataclass(frozen=True)
class Thresholds:
    count: int = DEFAULT_COUNT
    denominator: int = DEFAULT_DENOMINATOR

    def __post_init__(self) -> None:
        for name in ("count", "denominator"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_THRESHOLD:
                raise ValueError(f"threshold {name} must be an integer from 1 to {MAX_THRESHOLD}")

    def as_tuple(self) -> tuple[int, int]:
        return (self.count, self.denominator)


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def is_suppressed(
    value: float | None,
    unit: str,
    denominator: float | None,
    thresholds: Thresholds = Thresholds(),
    numerator: float | None = None,
) -> bool:
    """Whether one value must be hidden by the primary rule. Missing values stay missing (not 'suppressed')."""
    if value is None or _missing(value):
        return False
    if unit == "count":
        return float(value) < thresholds.count
    if unit in RATE_UNITS and denominator is not None and not _missing(denominator):
        den = float(denominator)
        top = (
            float(numerator) if numerator is not None and not _missing(numerator) else float(value) * den / _scale(unit)
        )
        return den < thresholds.denominator or top < thresholds.count or den - top < thresholds.count
    return False


def _scale(unit: str) -> float:
    return 100.0 if unit == "pct" else 1000.0


def suppress(frame: pd.DataFrame, thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """Apply both rules to a long frame: code, year, indicator, value, unit (+ denominator, numerator).

    Returns a copy with `value` NaN and `suppressed` True where a rule hits; the numerator and
    denominator columns are dropped so they can never be shown or stored.
    """
    out = frame.copy()
    nan = pd.Series(float("nan"), index=out.index)
    value = pd.to_numeric(out["value"], errors="coerce")
    den = pd.to_numeric(out["denominator"], errors="coerce") if "denominator" in out else nan
    top = pd.to_numeric(out["numerator"], errors="coerce") if "numerator" in out else nan
    unit = out["unit"].astype(str)
    scale = pd.Series(np.where(unit == "pct", 100.0, 1000.0), index=out.index)
    top = top.where(top.notna(), value * den / scale)
    small_count = (unit == "count") & value.notna() & (value < thresholds.count)
    rate = unit.isin(RATE_UNITS) & value.notna() & den.notna()
    small_rate = rate & ((den < thresholds.denominator) | (top < thresholds.count) | (den - top < thresholds.count))
    hit = small_count | small_rate
    previous = out["suppressed"].astype(bool) if "suppressed" in out else pd.Series(False, index=out.index)
    out["suppressed"] = (hit | previous).astype(bool)
    if {"code", "year", "indicator"} <= set(out.columns):
        out["suppressed"] = protect_hierarchy(out.assign(value=value))
    out["value"] = value.where(~out["suppressed"])
    return out.drop(columns=[c for c in ("denominator", "numerator") if c in out])


def protect_hierarchy(frame: pd.DataFrame) -> pd.Series:
    """The `suppressed` column after secondary suppression of counts (rule 2); same index as frame."""
    hidden = frame["suppressed"].astype(bool).copy()
    counts = frame[(frame["unit"].astype(str) == "count") & (frame["value"].notna() | hidden)]
    for _, sub in counts.groupby(["year", "indicator"], sort=False):
        cells = {str(c): i for c, i in zip(sub["code"], sub.index)}
        values = {str(c): float(v) if pd.notna(v) else math.inf for c, v in zip(sub["code"], sub["value"])}
        extra = secondary({c for c, i in cells.items() if hidden[i]}, values)
        for code in extra:
            hidden[cells[code]] = True
    return hidden


def sums(cells: set[str]) -> dict[str, list[str]]:
    """The additive relations an attacker may assume: parent -> its children among `cells`."""
    groups: dict[str, list[str]] = defaultdict(list)
    for code in sorted(cells):
        parent = next((a for a in codes.chain(code)[1:] if a in cells), None)
        if parent is not None:
            groups[parent].append(code)
    return dict(groups)


def secondary(hidden: set[str], values: dict[str, float]) -> set[str]:
    """Cells to hide in addition to `hidden` so no hidden cell is determined by the shown ones.

    `values` maps every cell of one indicator and year to its value (for choosing the cheapest
    partner). Returns the extra codes. Each tree of sums (one gemeente, say) is solved on its own.
    """
    if not hidden:
        return set()
    groups = sums(set(values))
    extra: set[str] = set()
    for tree in _trees(groups):
        tree_hidden = hidden & tree["cells"]
        if tree_hidden:
            extra |= _protect(tree_hidden, tree["groups"], values)
    return extra


def _trees(groups: dict[str, list[str]]) -> list[dict]:
    """The sums split into independent trees (cells linked through shared sums)."""
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        parent.setdefault(c, c)
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for top, kids in groups.items():
        for k in kids:
            parent[find(k)] = find(top)
    trees: dict[str, dict] = {}
    for top, kids in groups.items():
        tree = trees.setdefault(find(top), {"cells": set(), "groups": {}})
        tree["cells"].update([top, *kids])
        tree["groups"][top] = kids
    return list(trees.values())


def _protect(hidden: set[str], groups: dict[str, list[str]], values: dict[str, float]) -> set[str]:
    hidden = set(hidden)
    extra: set[str] = set()
    while True:
        exposed = recoverable(hidden, groups)
        if not exposed:
            return extra
        cell = sorted(exposed)[0]
        candidates = {c for p, kids in groups.items() if cell == p or cell in kids for c in [p, *kids]} - hidden
        if not candidates:  # cannot happen for tree-shaped sums; hide the cheapest shown cell of any sum
            candidates = {c for p, kids in groups.items() for c in [p, *kids]} - hidden
        if not candidates:
            return extra
        pick = min(candidates, key=lambda c: (values.get(c, math.inf), codes.level_of(c) == "gemeente", c))
        hidden.add(pick)
        extra.add(pick)


def recoverable(hidden: set[str], groups: dict[str, list[str]]) -> set[str]:
    """Hidden cells whose value follows from the shown cells through the sums (exact linear algebra).

    The sums restricted to the hidden cells form A·h = b (b from the shown cells). A hidden cell is
    determined exactly when its coordinate is zero in every vector of A's null space.
    """
    order = sorted(hidden)
    index = {c: i for i, c in enumerate(order)}
    rows = []
    for parent, kids in groups.items():
        row = np.zeros(len(order))
        for c, sign in [(parent, 1.0), *[(k, -1.0) for k in kids]]:
            if c in index:
                row[index[c]] = sign
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    out: set[str] = set()
    matrix = np.array(rows)
    for comp in _components(matrix):
        a = matrix[:, comp]
        a = a[np.abs(a).sum(axis=1) > 0]
        if a.shape[0] == 0:
            continue
        _, s, vt = np.linalg.svd(a)
        rank = int((s > _TOL).sum())
        null = vt[rank:].T
        for j, col in enumerate(comp):
            if null.shape[1] == 0 or np.abs(null[j]).max() < 1e-7:
                out.add(order[col])
    return out


def _components(a: np.ndarray) -> list[list[int]]:
    """Columns (hidden cells) linked through shared rows (sums), as separate small systems."""
    parent = list(range(a.shape[1]))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in a:
        cols = np.nonzero(row)[0]
        for c in cols[1:]:
            parent[find(int(c))] = find(int(cols[0]))
    comps: dict[int, list[int]] = defaultdict(list)
    for i in range(a.shape[1]):
        comps[find(i)].append(i)
    return list(comps.values())


def without_denominator(frame: pd.DataFrame) -> list[str]:
    """Indicator ids of rates whose denominator is unknown: the small-number check cannot run."""
    if "denominator" not in frame:
        return sorted(frame.loc[frame["unit"].isin(RATE_UNITS), "indicator"].unique())
    rates = frame[frame["unit"].isin(RATE_UNITS)]
    return sorted(rates.loc[rates["denominator"].isna() & rates["value"].notna(), "indicator"].unique())
