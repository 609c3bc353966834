"""Privacy: celafscherming (statistical disclosure control) for own data, before anything is shown or stored.

Rules, after the practice of CBS and Amsterdam's BBGA:
1. Primary: a count under `count` (default 5) is suppressed. A percentage or rate (per 1,000) is
   suppressed when its denominator is under `denominator` (default 10), or when its numerator, or
   the complement (denominator minus numerator), is under `count`: 3 of 40 (7.5%) would otherwise
   give away the 3 next to the count 40, and 37 of 40 the 3 who are not counted.
2. Secondary (against differencing): counts of one indicator and year form a hierarchy (NL, GM, WK,
   BU rows; a row's parent is its nearest ancestor among the rows). With the real hierarchy known,
   a parent minus the children in the file is a cell of its own, and what other sets on the server
   show of the same measure counts as shown (`wijk.owndata.differencing`). Every hidden value that
   the shown ones determine gets a partner (the smallest shown cell that closes the gap), until no
   hidden value can be recovered; when no cell of this upload can do it, Unprotectable.
3. Rates and counts: a hidden rate hides its numerator count (count and denominator would give it
   back), and a hidden count hides the rates built on it (`RateLink`).
A suppressed value becomes None (NaN in frames) with suppressed=True, never 0. Numerators,
denominators and the suppressed values themselves are dropped: never shown, echoed or stored.
The thresholds can be raised; the page does not let them go below the defaults.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from wijk.owndata.differencing import Seen, Unprotectable, nearest_parents, partners

__all__ = ["Seen", "Unprotectable"]

DEFAULT_COUNT = 5
DEFAULT_DENOMINATOR = 10
MIN_COUNT = DEFAULT_COUNT
MIN_DENOMINATOR = DEFAULT_DENOMINATOR
MAX_THRESHOLD = 1000
RATE_UNITS = ("pct", "per1000")


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


def suppress(
    frame: pd.DataFrame,
    thresholds: Thresholds = Thresholds(),
    children: Callable[[str, int], Iterable[str]] | None = None,
    seen: Mapping[tuple[str, int], Seen] | None = None,
    links: Sequence[RateLink] = (),
) -> pd.DataFrame:
    """Apply the rules to a long frame: code, year, indicator, value, unit (+ denominator, numerator).

    Returns a copy with `value` NaN and `suppressed` True where a rule hits; the numerator and
    denominator columns are dropped so they can never be shown or stored. `children` gives the real
    sub-areas of an area in a year (rows missing from the file then count as a cell of their own),
    `seen` what other sets on the server show of the same measure, per (indicator, year), and
    `links` the rates whose numerator or denominator is also uploaded as a count. Raises
    Unprotectable when a hidden value would follow from other sets whatever this upload hides.
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
        for link in links:  # a hidden rate hides its numerator count (else count and denominator give it)
            out["suppressed"] |= _hidden_in(out, link.rate, [link.numerator])
        out["suppressed"] = protect_hierarchy(out.assign(value=value), thresholds.count, children, seen)
        for link in links:  # a hidden count hides the rate (rate x one count gives the other)
            out["suppressed"] |= _hidden_in(out, link.rate, [link.numerator, link.denominator], rate_rows=True)
    out["value"] = value.where(~out["suppressed"])
    return out.drop(columns=[c for c in ("denominator", "numerator") if c in out])


@dataclass(frozen=True)
class RateLink:
    """A rate and the count indicators of the same upload that hold its numerator and denominator."""

    rate: str
    numerator: str = ""
    denominator: str = ""


def _hidden_in(frame: pd.DataFrame, rate: str, counts: list[str], rate_rows: bool = False) -> pd.Series:
    """Rows to hide: the counts' rows where the rate is hidden, or (rate_rows) the rate's where a count is."""
    source = [rate] if not rate_rows else [c for c in counts if c]
    target = [c for c in counts if c] if not rate_rows else [rate]
    if not source or not target:
        return pd.Series(False, index=frame.index)
    hidden_rows = frame[frame["indicator"].isin(source) & frame["suppressed"]]
    keys = pd.MultiIndex.from_arrays([hidden_rows["code"], hidden_rows["year"]])
    here = pd.MultiIndex.from_arrays([frame["code"], frame["year"]])
    return pd.Series(frame["indicator"].isin(target).to_numpy() & here.isin(keys), index=frame.index)


def protect_hierarchy(
    frame: pd.DataFrame,
    count: int = DEFAULT_COUNT,
    children: Callable[[str, int], Iterable[str]] | None = None,
    seen: Mapping[tuple[str, int], Seen] | None = None,
) -> pd.Series:
    """The `suppressed` column after secondary suppression of counts (rule 2); same index as frame."""
    hidden = frame["suppressed"].astype(bool).copy()
    counts = frame[(frame["unit"].astype(str) == "count") & (frame["value"].notna() | hidden)]
    for key, sub in counts.groupby(["year", "indicator"], sort=False):
        year, indicator = cast(tuple[int, str], key)  # a group's key: one value per grouper
        cells = dict(zip(sub["code"].astype(str), sub.index))
        values = {c: float(v) if pd.notna(v) else math.inf for c, v in zip(cells, sub["value"])}
        kids = None if children is None else (lambda area, y=int(year): children(area, y))
        hidden_here = {c for c, h in zip(cells, hidden.loc[sub.index].to_numpy()) if h}
        extra = partners(values, hidden_here, count, kids, (seen or {}).get((indicator, year)))
        hidden[[cells[c] for c in extra]] = True
    return hidden


def sums(cells: set[str]) -> dict[str, list[str]]:
    """The additive relations an attacker may assume: parent -> its children among `cells`."""
    groups: dict[str, list[str]] = defaultdict(list)
    for code, parent in sorted(nearest_parents(cells).items()):
        groups[parent].append(code)
    return dict(groups)


def without_denominator(frame: pd.DataFrame) -> list[str]:
    """Indicator ids of rates whose denominator is unknown: the small-number check cannot run."""
    if "denominator" not in frame:
        return sorted(frame.loc[frame["unit"].isin(RATE_UNITS), "indicator"].unique())
    rates = frame[frame["unit"].isin(RATE_UNITS)]
    return sorted(rates.loc[rates["denominator"].isna() & rates["value"].notna(), "indicator"].unique())
