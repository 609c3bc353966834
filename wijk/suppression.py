"""Privacy: small numbers in own data are suppressed before anything is shown or stored.

Rule: a count under `count` (default 5) is suppressed; a percentage or rate (per 1,000) whose
denominator is under `denominator` (default 10) is suppressed. A suppressed value becomes None
(NaN in frames) with suppressed=True, never 0. The thresholds can be raised; the page does not let
them go below the defaults (MIN_COUNT, MIN_DENOMINATOR).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

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


def is_suppressed(value: float | None, unit: str, denominator: float | None,
                  thresholds: Thresholds = Thresholds()) -> bool:
    """Whether one value must be hidden. Missing values are not 'suppressed' (they stay missing)."""
    if _missing(value):
        return False
    if unit == "count":
        return float(value) < thresholds.count
    if unit in RATE_UNITS and not _missing(denominator):
        return float(denominator) < thresholds.denominator
    return False


def suppress(frame: pd.DataFrame, thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """Apply the rule to a long frame with columns value, unit and (optional) denominator.

    Returns a copy with `value` NaN and `suppressed` True where the rule hits; the denominator
    column is dropped so it can never be shown or stored.
    """
    out = frame.copy()
    value = pd.to_numeric(out["value"], errors="coerce")
    den = pd.to_numeric(out["denominator"], errors="coerce") if "denominator" in out else pd.Series(
        float("nan"), index=out.index)
    unit = out["unit"].astype(str)
    small_count = (unit == "count") & value.notna() & (value < thresholds.count)
    small_base = unit.isin(RATE_UNITS) & value.notna() & den.notna() & (den < thresholds.denominator)
    hit = small_count | small_base
    previous = out["suppressed"].astype(bool) if "suppressed" in out else False
    out["value"] = value.where(~hit)
    out["suppressed"] = hit | previous
    return out.drop(columns=[c for c in ("denominator",) if c in out])


def without_denominator(frame: pd.DataFrame) -> list[str]:
    """Indicator ids of rates whose denominator is unknown: the small-number check cannot run."""
    if "denominator" not in frame:
        return sorted(frame.loc[frame["unit"].isin(RATE_UNITS), "indicator"].unique())
    rates = frame[frame["unit"].isin(RATE_UNITS)]
    return sorted(rates.loc[rates["denominator"].isna() & rates["value"].notna(), "indicator"].unique())
