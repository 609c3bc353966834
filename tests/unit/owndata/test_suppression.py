"""Celafscherming: small counts, rates on small numerators or denominators, and every cell that
differencing would give away become 'onderdrukt' (None), never 0.

The property tests play the attacker: they take what is shown, assume every parent equals the
sum of its children in the upload, and solve for each hidden cell (rank test, numpy).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijk.owndata.suppression import (
    DEFAULT_COUNT,
    DEFAULT_DENOMINATOR,
    Thresholds,
    is_suppressed,
    sums,
    suppress,
    without_denominator,
)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["A", "B", "C", "D", "E", "F", "G", "H"],
            "indicator": ["local:n"] * 3 + ["local:p"] * 3 + ["local:r", "local:q"],
            "value": [4, 5, 0, 50.0, 50.0, None, 20.0, 30.0],
            "unit": ["count", "count", "count", "pct", "pct", "pct", "per1000", "pct"],
            "denominator": [None, None, None, 9, 10, 3, 500, None],
        }
    )


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


@pytest.mark.parametrize(
    "value,unit,den,expected",
    [
        (4, "count", None, True),
        (5, "count", None, False),
        (4.9, "count", None, True),
        (80.0, "pct", 9, True),
        (50.0, "pct", 10, False),
        (80.0, "pct", None, False),
        (7.5, "pct", 40, True),
        (92.5, "pct", 40, True),
        (12.5, "pct", 40, False),  # 3, 37 (3 not), 5 of 40
        (6.0, "per1000", 500, True),
        (10.0, "per1000", 500, False),
        (3.0, "per1000", 9.0, True),
        (None, "count", None, False),
        (float("nan"), "pct", 2, False),
    ],
)
def test_is_suppressed(value, unit, den, expected):
    assert is_suppressed(value, unit, den) is expected


@pytest.mark.parametrize("count,den", [(0, 10), (5, 0), (5.5, 10), (True, 10), (5, 10_000)])
def test_invalid_thresholds(count, den):
    with pytest.raises(ValueError):
        Thresholds(count, den)


def test_rates_without_denominator_are_listed():
    assert without_denominator(_frame()) == ["local:q"]


# --- the examples (made-up figures) --------------------------------------------------


def _long(cells: dict[str, float], indicator: str = "local:n", unit: str = "count") -> pd.DataFrame:
    return pd.DataFrame(
        {"code": list(cells), "year": 2024, "indicator": indicator, "value": list(cells.values()), "unit": unit}
    )


def test_differencing_example_hides_a_second_cell():
    out = suppress(_long({"WK001403": 30, "BU00140300": 12, "BU00140301": 15, "BU00140302": 3}))
    hidden = dict(zip(out["code"], out["suppressed"]))
    assert hidden == {"WK001403": False, "BU00140300": True, "BU00140301": False, "BU00140302": True}
    assert out["value"].isna().sum() == 2  # 30 - 15 = 12 + 3: neither follows on its own


def test_rate_example_numerator_three_of_forty():
    frame = pd.concat(
        [
            _long({"WK001403": 40}),
            _long({"WK001403": 3}, "local:num"),
            _long({"WK001403": 7.5}, "local:pct", "pct").assign(denominator=40.0, numerator=3.0),
        ]
    )
    out = suppress(frame.reset_index(drop=True))
    hidden = dict(zip(out["indicator"], out["suppressed"]))
    assert hidden == {"local:n": False, "local:num": True, "local:pct": True}  # both cells that hold the 3
    assert "numerator" not in out and "denominator" not in out


def test_parent_of_a_single_hidden_child_is_hidden():
    out = suppress(_long({"WK001403": 3 + 0, "BU00140302": 3}))
    assert out["suppressed"].all()
    out = suppress(_long({"WK001403": 103, "BU00140302": 3}))  # an only child: the parent is its partner
    assert out["suppressed"].all()


def test_no_hierarchy_no_secondary():
    out = suppress(_long({"BU00140300": 12, "BU00140302": 3, "BU00140401": 15}))
    assert list(out["suppressed"]) == [False, True, False]


# --- property: nothing hidden can be solved for ------------------------------------------------


def _attacker_recovers(cells: dict[str, float], hidden: set[str]) -> set[str]:
    """Every hidden cell the attacker pins down: unknowns = all cells; equations = shown values and
    parent = sum(children in the upload). x_i is determined iff adding e_i does not raise the rank."""
    order = sorted(cells)
    idx = {c: i for i, c in enumerate(order)}
    rows = []
    for c in order:
        if c not in hidden:
            rows.append(np.eye(len(order))[idx[c]])
    for parent, kids in sums(set(cells)).items():
        row = np.zeros(len(order))
        row[idx[parent]] = 1
        for k in kids:
            row[idx[k]] = -1
        rows.append(row)
    m = np.array(rows) if rows else np.zeros((0, len(order)))
    rank = np.linalg.matrix_rank(m) if len(m) else 0
    found = set()
    for c in hidden:
        unit = np.eye(len(order))[idx[c]][None, :]
        if np.linalg.matrix_rank(np.vstack([m, unit])) == rank:
            found.add(c)
    return found


@st.composite
def hierarchies(draw):
    """A made-up upload: a gemeente, some wijken, some buurten; parents equal the sum of their children."""
    gm = "GM0014"
    cells: dict[str, float] = {}
    n_wijk = draw(st.integers(1, 4))
    small = st.integers(0, 6) | st.integers(0, 60)
    for w in range(n_wijk):
        wk = f"WK0014{w:02d}"
        kids = {f"BU0014{w:02d}{b:02d}": float(draw(small)) for b in range(draw(st.integers(0, 5)))}
        cells.update(kids)
        total = sum(kids.values()) if kids else float(draw(small))
        if draw(st.booleans()) or not kids:
            cells[wk] = total
        cells.setdefault("_gm", 0.0)
        cells["_gm"] += total
    total = cells.pop("_gm")
    if draw(st.booleans()):
        cells[gm] = total
    return cells


@settings(max_examples=150, deadline=None)
@given(hierarchies(), st.integers(2, 12))
def test_no_suppressed_value_can_be_recovered(cells, threshold):
    out = suppress(_long(cells), Thresholds(count=threshold))
    hidden = set(out.loc[out["suppressed"], "code"])
    assert {c for c, v in cells.items() if v < threshold} <= hidden  # primary rule
    assert not _attacker_recovers(cells, hidden)
    shown = out[~out["suppressed"]]
    assert (shown["value"] >= threshold).all()  # nothing small is shown
    assert out.loc[out["suppressed"], "value"].isna().all()


@settings(max_examples=60, deadline=None)
@given(hierarchies())
def test_least_squares_cannot_pin_a_hidden_value(cells):
    """The same with numpy's least squares: the minimum-norm solution and a null-space shift differ."""
    out = suppress(_long(cells))
    hidden = sorted(out.loc[out["suppressed"], "code"])
    if not hidden:
        return
    groups = sums(set(cells))
    a, b = [], []
    for parent, kids in groups.items():
        row = [(1.0 if c == parent else -1.0 if c in kids else 0.0) for c in hidden]
        if any(row):
            a.append(row)
            b.append(
                -sum(cells[c] for c in [parent] if c not in hidden) + sum(cells[k] for k in kids if k not in hidden)
            )
    if not a:
        return
    a = np.array(a)
    _, s, vt = np.linalg.svd(a)
    null = vt[int((s > 1e-9).sum()) :]
    assert null.shape[0] > 0
    assert (np.abs(null).max(axis=0) > 1e-7).all()  # every hidden cell moves along some null direction
