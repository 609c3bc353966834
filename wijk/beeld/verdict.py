"""How far off a guess is: judged against the size of the figure and how much buurten differ.

A 3-point miss on 4% is large, on 60% small; a miss is also small when buurten differ far more than
that. The thresholds and the bands of words ("bijna twee keer zo hoog als de werkelijkheid") are
data: data/verdicts.toml. Pure logic (no Streamlit).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wijk.core.paths import data_dir

MIN_AREAS = 20  # fewer areas with a figure: no spread, the size of the figure alone decides


@dataclass(frozen=True)
class Verdict:
    side: str  # close | high | low (guess against the real value)
    words: str  # the band's key (i18n beeld_size_<words>); '' when close or no ratio can be formed
    ratio: float | None  # guess / real value (None when the real value is 0 or negative)


@dataclass(frozen=True)
class Rules:
    relative: float
    spread: float
    floor_points: float
    high: tuple[tuple[float, str], ...]  # (from ratio, words), ascending
    low: tuple[tuple[float, str], ...]


@functools.cache
def load_rules(path: Path | None = None) -> Rules:
    """data/verdicts.toml (read once; the file is part of the release)."""
    with open(path or data_dir() / "verdicts.toml", "rb") as fh:
        raw = tomllib.load(fh)
    close = raw["close"]

    def bands(key: str) -> tuple[tuple[float, str], ...]:
        return tuple(sorted((float(b["from"]), str(b["words"])) for b in raw[key]))

    return Rules(
        float(close["relative"]), float(close["spread"]), float(close["floor_points"]), bands("high"), bands("low")
    )


def is_close(gap: float, truth: float, spread: float | None, percent: bool, rules: Rules | None = None) -> bool:
    """About right: small against the figure and (when known) against how much buurten differ."""
    rules = rules or load_rules()
    miss = abs(gap)
    if percent and miss <= rules.floor_points:
        return True
    if miss > rules.relative * abs(truth):
        return False
    return spread is None or spread <= 0 or miss <= rules.spread * spread


def judge(guess: float, truth: float, spread: float | None, percent: bool, rules: Rules | None = None) -> Verdict:
    """Close, or too high / too low with the words for how much."""
    rules = rules or load_rules()
    gap = guess - truth
    if is_close(gap, truth, spread, percent, rules):
        return Verdict("close", "", guess / truth if truth > 0 else None)
    side = "high" if gap > 0 else "low"
    if truth <= 0:
        return Verdict(side, "", None)
    ratio = max(guess, 0.0) / truth
    words = ""
    for start, key in rules.high if side == "high" else rules.low:
        if ratio >= start:
            words = key
    return Verdict(side, words, ratio)


def area_spread(store, code: str, year: int, indicator: str) -> float | None:
    """How much areas of the same level differ (buurten for a buurt, gemeenten for a gemeente) on an
    indicator in one year: the interquartile range. None when fewer than MIN_AREAS have a figure.
    Made once per store (every phone of a room asks it at each reveal)."""
    return store.derived(("area_spread", code[:2], year, indicator), lambda: _spread(store, code, year, indicator))


def _spread(store, code: str, year: int, indicator: str) -> float | None:
    wide = store.wide(year)
    if indicator not in wide.columns:
        return None
    column = wide[indicator].to_numpy(dtype=float, na_value=np.nan)  # numpy: a phone's reveal runs this
    vals = column[np.asarray(wide.index.str.startswith(code[:2]))]
    vals = vals[~np.isnan(vals)]
    if len(vals) < MIN_AREAS:
        return None
    q1, q3 = np.percentile(vals, [25, 75])  # linear interpolation, as pandas' quantile
    return float(q3 - q1)
