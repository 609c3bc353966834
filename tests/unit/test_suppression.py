"""The privacy rule: small counts and rates on small denominators become 'onderdrukt' (None), never 0."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from wijk.suppression import DEFAULT_COUNT, DEFAULT_DENOMINATOR, Thresholds, is_suppressed, suppress, without_denominator


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "code": ["A", "B", "C", "D", "E", "F", "G", "H"],
        "indicator": ["local:n"] * 3 + ["local:p"] * 3 + ["local:r", "local:q"],
        "value": [4, 5, 0, 50.0, 50.0, None, 2.0, 30.0],
        "unit": ["count", "count", "count", "pct", "pct", "pct", "per1000", "pct"],
        "denominator": [None, None, None, 9, 10, 3, 500, None],
    })


def test_defaults():
    assert (DEFAULT_COUNT, DEFAULT_DENOMINATOR) == (5, 10) and Thresholds().as_tuple() == (5, 10)


def test_suppress_counts_and_small_denominators():
    out = suppress(_frame())
    assert list(out["suppressed"]) == [True, False, True, True, False, False, False, False]
    assert math.isnan(out.loc[0, "value"]) and out.loc[1, "value"] == 5  # NaN, never 0
    assert math.isnan(out.loc[3, "value"]) and out.loc[4, "value"] == 50.0
    assert math.isnan(out.loc[5, "value"]) and not out.loc[5, "suppressed"]  # missing stays missing
    assert "denominator" not in out.columns  # never shown or stored


def test_thresholds_are_configurable():
    out = suppress(_frame(), Thresholds(count=6, denominator=600))
    assert list(out["suppressed"]) == [True, True, True, True, True, False, True, False]


def test_already_suppressed_stays_suppressed():
    f = _frame().assign(suppressed=[False] * 7 + [True])
    assert suppress(f)["suppressed"].iloc[-1]


@pytest.mark.parametrize("value,unit,den,expected", [
    (4, "count", None, True), (5, "count", None, False), (4.9, "count", None, True),
    (80.0, "pct", 9, True), (80.0, "pct", 10, False), (80.0, "pct", None, False),
    (3.0, "per1000", 9.0, True), (None, "count", None, False), (float("nan"), "pct", 2, False),
])
def test_is_suppressed(value, unit, den, expected):
    assert is_suppressed(value, unit, den) is expected


@pytest.mark.parametrize("count,den", [(0, 10), (5, 0), (5.5, 10), (True, 10), (5, 10_000)])
def test_invalid_thresholds(count, den):
    with pytest.raises(ValueError):
        Thresholds(count, den)


def test_rates_without_denominator_are_listed():
    assert without_denominator(_frame()) == ["local:q"]
