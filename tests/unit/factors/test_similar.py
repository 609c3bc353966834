"""Vergelijkbare buurten on real embedded rows: self at distance 0 when included, excluded otherwise."""

from __future__ import annotations

import numpy as np
import pytest

from wijk.factors import model as factors
from wijk.factors import similar

BUURT = "BU00140107"


@pytest.fixture(scope="module")
def space(store):
    return similar.build_space(store, 2024)


def test_space_covers_the_country_on_context(store, space):
    assert {"log_inwoners", "stedelijkheid", "pct_0_14", "pct_65plus", "pct_met_kinderen"} <= set(space.features)
    n_buurten = len(store.level_frame(2024, "buurt"))
    assert len(space.codes) + space.left_out == n_buurten
    assert len({c[2:6] for c in space.codes}) > 300  # buurten of the whole country, not one gemeente
    assert np.isfinite(space.z).all()


def test_self_is_nearest_at_distance_zero_when_included(space):
    with_self = similar.most_similar(space, BUURT, 5, include_self=True)
    assert with_self[0].code == BUURT and with_self[0].distance == 0.0
    assert len(with_self) == 5


def test_self_is_excluded_otherwise(space):
    without = similar.most_similar(space, BUURT, 5)
    assert len(without) == 5 and BUURT not in [n.code for n in without]
    dists = [n.distance for n in without]
    assert dists == sorted(dists) and dists[0] >= 0
    with_self = similar.most_similar(space, BUURT, 6, include_self=True)
    assert [n.code for n in with_self[1:]] == [n.code for n in without]


def test_distance_is_symmetric_and_matches_definition(space):
    a = BUURT
    b = similar.most_similar(space, a, 1)[0]
    back = {n.code: n.distance for n in similar.most_similar(space, b.code, len(space.codes) - 1)}
    assert back[a] == pytest.approx(b.distance)
    i, j = space.index_of(a), space.index_of(b.code)
    manual = np.sqrt(((space.z[i] - space.z[j]) ** 2 * space.weights).sum() / space.weights.sum())
    assert b.distance == pytest.approx(manual)


def test_groups_weigh_equally(space):
    per_group = {
        g: sum(w for f, w in zip(space.features, space.weights) if f in fs) for g, fs in similar.GROUPS.items()
    }
    assert all(v == pytest.approx(1.0) for v in per_group.values())


def test_years_without_context_and_incomplete_buurten(store, space):
    assert similar.build_space(store, 2020) is None  # only RIVM estimates per buurt in 2020
    s2017 = similar.build_space(store, 2017)
    assert s2017 is not None and "pct_15_24" not in s2017.features  # too sparse in 2017: not used
    frame = similar.context_frame(store, 2024)
    incomplete = frame[frame[space.features].isna().any(axis=1)].index[0]
    assert space.index_of(incomplete) is None
    with pytest.raises(KeyError):
        similar.most_similar(space, incomplete)


def test_compare_with_neighbours_on_risk_and_protective(store, space):
    basis = factors.level_basis(store, 2024, "buurt")
    neighbours = similar.most_similar(space, BUURT)
    diff = similar.compare(store, BUURT, neighbours, basis)
    assert set(diff["kind"]) <= {"risk", "protective"}
    row = diff[diff["indicator"] == "misdrijven_per_1000"].iloc[0]
    vals = [store.value(n.code, 2024, "misdrijven_per_1000") for n in neighbours]
    assert row["ref_value"] == pytest.approx(float(np.median([v for v in vals if v is not None])))
    scale = basis.scales["misdrijven_per_1000"].scale
    assert row["deviation"] == pytest.approx((row["value"] - row["ref_value"]) / scale)
    table = similar.neighbour_table(store, space, neighbours)
    assert list(table["code"]) == [n.code for n in neighbours]
    assert not {"misdrijven_per_1000", "deviation"} & set(table.columns)  # context only, no league table
    assert table["inwoners"].iloc[0] == pytest.approx(store.value(neighbours[0].code, 2024, "inwoners"))
