"""Disclosure control across what a user can see together (issue #27 item 1), with made-up numbers.

The attacker here is independent of the implementation: it knows the real hierarchy (every parent
is the sum of all its sub-areas, also those missing from a file), takes every value any set shows,
and solves the linear system (numpy rank test) for each cell. Nothing small and nothing hidden may
come out.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijk.core.owndata import OwnDataset, OwnIndicator
from wijk.owndata.across import exposed, seen_before
from wijk.owndata.differencing import Unprotectable
from wijk.owndata.suppression import Thresholds, suppress

WK, B0, B1, B2 = "WK001403", "BU00140300", "BU00140301", "BU00140302"  # WK001403 has exactly these 3 buurten
REAL = {WK: (B0, B1, B2)}
IND = OwnIndicator("local:n", "Jongeren met hulp", "count", "made up")


def _kids(tree: dict[str, tuple[str, ...]]):
    return lambda area, _year: tree.get(area, ())


def _upload(cells: dict[str, float], seen_sets=(), tree=REAL, count: int = 5) -> pd.DataFrame:
    frame = pd.DataFrame({"code": list(cells), "year": 2024, "indicator": IND.id, "value": list(cells.values())})
    seen = seen_before([IND], [_dataset(s) for s in seen_sets])
    return suppress(frame.assign(unit="count"), Thresholds(count=count), _kids(tree), seen)


def _dataset(out: pd.DataFrame, ind: OwnIndicator = IND) -> OwnDataset:
    values = out[["code", "year", "indicator", "value", "suppressed"]].assign(indicator=ind.id)
    return OwnDataset("made up", "made up", [ind], values, suppressed_with=(5, 10))


def _shown(*outs: pd.DataFrame) -> dict[str, float]:
    found: dict[str, float] = {}
    for out in outs:
        for code, value, hidden in zip(out["code"], out["value"], out["suppressed"]):
            if not hidden:
                found[code] = float(value)
    return found


def _recovered(truth: dict[str, float], tree: dict[str, tuple[str, ...]], shown: dict[str, float]) -> set[str]:
    """Cells the attacker pins down: unknowns = every real cell; equations = real sums and the shown
    values that are true for this truth (an unchanged cell of another version). x_i is determined
    iff it does not move in any direction of the system's null space."""
    order = sorted(truth)
    idx = {c: i for i, c in enumerate(order)}
    eye = np.eye(len(order))
    rows = [eye[idx[c]] for c, v in shown.items() if c in idx and math.isclose(v, truth[c])]
    for parent, kids in tree.items():
        if parent in idx:
            row = eye[idx[parent]].copy()
            for k in kids:
                row -= eye[idx[k]]
            rows.append(row)
    m = np.array(rows) if rows else np.zeros((0, len(order)))
    if not len(m):
        return set()
    _, singular, vt = np.linalg.svd(m)
    null = vt[int((singular > 1e-9).sum()) :]  # every change of the cells that keeps all equations true
    return {c for c in order if null.shape[0] == 0 or np.abs(null[:, idx[c]]).max() < 1e-7}


def _secret(truth: dict[str, float], outs: list[pd.DataFrame], count: int = 5) -> set[str]:
    """What must stay unknown: every small cell (in a file or not) and every cell hidden and shown nowhere."""
    shown = _shown(*outs)
    hidden = {c for out in outs for c in out.loc[out["suppressed"], "code"]} - set(shown)
    return {c for c, v in truth.items() if v < count} | hidden


TRUTH = {WK: 30.0, B0: 12.0, B1: 15.0, B2: 3.0}


def test_rows_missing_from_the_file_are_a_cell():
    """WK 30 and every buurt except the small one: 30 - 12 - 15 would give the hidden buurt."""
    out = _upload({WK: 30, B0: 12, B1: 15})
    assert dict(zip(out["code"], out["suppressed"])) == {WK: False, B0: True, B1: False}
    assert math.isnan(out.loc[out["code"] == B0, "value"].iloc[0])
    assert not _recovered(TRUTH, REAL, _shown(out)) & _secret(TRUTH, [out])


def test_a_complete_file_has_no_rest():
    out = _upload({WK: 30, B0: 12, B1: 15, B2: 3})
    assert dict(zip(out["code"], out["suppressed"])) == {WK: False, B0: True, B1: False, B2: True}


def test_a_large_rest_is_no_secret():
    out = _upload({WK: 40, B0: 12, B1: 15})  # the missing buurt has 13
    assert not out["suppressed"].any()


def test_two_shared_uploads():
    """The buurten with the 3 suppressed, then the wijk total alone: the total is hidden too."""
    first = _upload({B0: 12, B1: 15, B2: 3})
    assert list(first["suppressed"]) == [False, False, True]
    second = _upload({WK: 30}, [first])
    assert second["suppressed"].all()
    assert not _recovered(TRUTH, REAL, _shown(first, second)) & _secret(TRUTH, [first, second])


def test_the_same_file_again_without_the_small_row():
    first = _upload({WK: 30, B0: 12, B1: 15, B2: 3})
    again = _upload({WK: 30, B0: 12, B1: 15}, [first])
    assert dict(zip(again["code"], again["suppressed"])) == {WK: False, B0: True, B1: False}
    assert not _recovered(TRUTH, REAL, _shown(first, again)) & _secret(TRUTH, [first, again])


def test_month_one_and_month_two_with_a_new_buurt():
    """Month 1: WK 27 without the new buurt; month 2: WK 30 with the new buurt of 3."""
    month1 = _upload({WK: 27, B0: 12, B1: 15})
    month2 = _upload({WK: 30, B0: 12, B1: 15, B2: 3}, [month1])
    truth1, truth2 = {WK: 27.0, B0: 12.0, B1: 15.0, B2: 0.0}, TRUTH
    shown = _shown(month1, month2)
    assert not _recovered(truth1, REAL, shown) & _secret(truth1, [month1])
    assert not _recovered(truth2, REAL, shown) & _secret(truth2, [month2])
    both = _shown(month1).keys() & _shown(month2).keys()
    assert all(_shown(month1)[c] == _shown(month2)[c] for c in both)  # no small change shown either


def test_an_earlier_set_that_shows_everything_refuses_the_new_one():
    """A set shared before this check existed shows WK 27, 12 and 15: month 2 cannot hide its 3."""
    legacy = pd.DataFrame({"code": [WK, B0, B1], "year": 2024, "value": [27.0, 12.0, 15.0], "suppressed": False})
    with pytest.raises(Unprotectable) as err:
        _upload({WK: 30, B0: 12, B1: 15, B2: 3}, [legacy.assign(indicator=IND.id)])
    assert err.value.code == B2  # the hidden buurt that would follow


def test_other_measures_and_years_do_not_count():
    first = _upload({B0: 12, B1: 15, B2: 3})
    other = OwnIndicator("local:x", "Iets anders", "count", "made up")
    frame = pd.DataFrame({"code": [WK], "year": 2024, "indicator": IND.id, "value": [30.0], "unit": "count"})
    seen = seen_before([IND], [_dataset(first, other)])
    assert not suppress(frame, Thresholds(), _kids(REAL), seen)["suppressed"].any()
    later = seen_before([IND], [_dataset(first.assign(year=2023))])
    assert not suppress(frame, Thresholds(), _kids(REAL), later)["suppressed"].any()


def test_same_measure_is_label_in_any_case_and_unit():
    first = _upload({B0: 12, B1: 15, B2: 3})
    same = OwnIndicator("local:y", "  jongeren MET hulp ", "count", "other source")
    frame = pd.DataFrame({"code": [WK], "year": 2024, "indicator": IND.id, "value": [30.0], "unit": "count"})
    seen = seen_before([IND], [_dataset(first, same)])
    assert suppress(frame, Thresholds(), _kids(REAL), seen)["suppressed"].all()


def test_sharing_is_checked_again_against_what_was_shared_since():
    first = _dataset(_upload({B0: 12, B1: 15, B2: 3}))
    alone = _dataset(_upload({WK: 30}))  # processed before `first` was shared
    assert exposed(alone, [first], 5, _kids(REAL)) == B2
    assert exposed(alone, [], 5, _kids(REAL)) is None
    assert exposed(_dataset(_upload({WK: 30}, [_upload({B0: 12, B1: 15, B2: 3})])), [first], 5, _kids(REAL)) is None


# --- property: random small hierarchies, rows missing, two uploads ------------------------------


@st.composite
def worlds(draw):
    """A made-up gemeente (fake codes) with its real hierarchy and true counts, and two uploads of some rows."""
    gm, tree, truth = "GM9999", {}, {}
    small = st.integers(0, 6) | st.integers(0, 40)
    wijken = [f"WK9999{w:02d}" for w in range(draw(st.integers(1, 3)))]
    tree[gm] = tuple(wijken)
    for wk in wijken:
        tree[wk] = tuple(f"BU{wk[2:]}{b:02d}" for b in range(draw(st.integers(1, 4))))
        for bu in tree[wk]:
            truth[bu] = float(draw(small))
        truth[wk] = sum(truth[b] for b in tree[wk])
    truth[gm] = sum(truth[w] for w in wijken)
    codes = sorted(truth)
    first = [c for c in codes if draw(st.booleans()) or draw(st.booleans())]
    second = [c for c in codes if draw(st.booleans())]
    return tree, truth, first, second


@settings(max_examples=150, deadline=None)
@given(worlds(), st.integers(2, 8))
def test_no_hidden_cell_can_be_recovered_across_two_uploads(world, count):
    tree, truth, first_rows, second_rows = world
    first = _upload({c: truth[c] for c in first_rows}, tree=tree, count=count)
    outs = [first]
    with contextlib.suppress(Unprotectable):  # refused: the second upload shows nothing
        outs.append(_upload({c: truth[c] for c in second_rows}, [first], tree=tree, count=count))
    shown = _shown(*outs)
    assert all(v >= count for v in shown.values())  # primary rule
    assert not _recovered(truth, tree, shown) & _secret(truth, outs, count)


@pytest.mark.parametrize("wijk_rows", [True, False])
def test_a_real_gemeente_with_rows_missing(store, wijk_rows):
    """Groningen's real 2024 hierarchy, made-up counts (a third small), some rows missing (all wijk rows, or not)."""
    from wijk.owndata.differencing import real_children

    children = real_children(store.areas.frame)
    rng = np.random.default_rng(3)
    tree: dict[str, tuple[str, ...]] = {"GM0014": tuple(children("GM0014", 2024))}
    for wk in tree["GM0014"]:
        tree[wk] = tuple(children(wk, 2024))
    truth = {
        bu: float(rng.integers(0, 5) if rng.random() < 0.33 else rng.integers(5, 80))
        for wk in tree["GM0014"]
        for bu in tree[wk]
    }
    for wk in tree["GM0014"]:
        truth[wk] = sum(truth[b] for b in tree[wk])
    truth["GM0014"] = sum(truth[w] for w in tree["GM0014"])
    rows = {c: v for c, v in truth.items() if (wijk_rows or not c.startswith("WK")) and rng.random() > 0.1}
    out = _upload(rows, tree=tree)
    small = sum(v < 5 for v in rows.values())
    assert out["suppressed"].sum() > small if wijk_rows else small > 0  # with wijk rows, partners were needed
    assert not _recovered(truth, tree, _shown(out)) & _secret(truth, [out])
