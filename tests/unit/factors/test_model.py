"""The framework table and its application to an area: standardisation, direction, references, missing."""

from __future__ import annotations

import numpy as np
import pytest

from tests.fixtures.local_factors_made_up import made_up_factor_dataset
from wijk.factors import model as factors
from wijk.factors.framework import load_framework
from wijk.factors.model import IQR_TO_SD, KINDS, SMALL_AREA, deviation, robust_scale

BUURT = "BU00140107"  # Laanhuizen, Groningen: 2024 with registered crime


@pytest.fixture(scope="module")
def framework():
    return load_framework()


@pytest.fixture(scope="module")
def basis_2024(store, framework):
    return factors.level_basis(store, 2024, "buurt", framework)


def test_framework_is_valid_data(store, framework):
    kinds = {r.kind for r in framework}
    assert kinds == set(KINDS)
    for r in framework:
        assert r.indicator in store.catalogue or (r.indicator.startswith("eigen:") and r.provider == "eigen data")
        assert r.explanation("nl") and r.explanation("en") and r.reference
        assert r.provider in ("CBS-verversing", "eigen data")
        if r.indicator in store.catalogue:  # the framework agrees with the catalogue's role
            assert store.catalogue.get(r.indicator).role == r.kind
    ids = framework.indicator_ids()
    for needed in (
        "bijstand_per_1000",
        "arbeidsparticipatie",
        "pct_laag_inkomen",
        "afstand_huisarts",
        "pct_jeugdzorg",
        "wmo_per_1000",
        "misdrijven_per_1000",
        "pct_sociaal_minimum",
    ):
        assert needed in ids


def test_robust_scale_on_real_crime_rates(store):
    col = store.level_frame(2024, "buurt")["misdrijven_per_1000"].to_numpy()
    s = robust_scale(col)
    vals = col[~np.isnan(col)]
    q1, q3 = np.percentile(vals, [25, 75])
    assert s.method == "iqr" and s.n == len(vals)
    assert s.median == pytest.approx(np.median(vals))
    assert s.scale == pytest.approx((q3 - q1) / IQR_TO_SD)
    assert s.scale < np.std(vals)  # the point of robust: skewed rates do not blow up the spread


def test_robust_scale_falls_back_and_refuses():
    assert robust_scale([1, 2, np.nan, 3]) is None  # too few areas
    s = robust_scale([5.0] * 10 + [1.0, 9.0])  # IQR 0 -> SD
    assert s.method == "sd" and s.scale > 0
    assert robust_scale([4.0] * 20) is None  # no spread at all


def test_direction_handling():
    s = factors.Scale(0.0, 2.0, 100, "iqr")
    assert deviation(12, 10, s, "high") == pytest.approx(1.0)  # more crime than reference: unfavourable
    assert deviation(12, 10, s, "low") == pytest.approx(-1.0)  # more income than reference: favourable
    assert deviation(8, 10, s, "low") == pytest.approx(1.0)
    assert deviation(8, 10, s, "") is None and deviation(None, 10, s, "high") is None


def test_view_against_gemeente_and_nl_uses_real_values(store, framework, basis_2024):
    for ref, ref_code in (("gemeente", "GM0014"), ("nl", "NL01")):
        view = factors.factor_view(store, BUURT, 2024, ref, framework=framework, basis=basis_2024)
        assert view.ref_code == ref_code
        crime = {r.indicator: r for r in view.rows}["misdrijven_per_1000"]
        assert crime.value == pytest.approx(store.value(BUURT, 2024, "misdrijven_per_1000"))
        assert crime.ref_value == pytest.approx(store.value(ref_code, 2024, "misdrijven_per_1000"))
        scale = basis_2024.scales["misdrijven_per_1000"]
        assert crime.deviation == pytest.approx((crime.value - crime.ref_value) / scale.scale)
        assert crime.chain["gemeente"] == pytest.approx(store.value("GM0014", 2024, "misdrijven_per_1000"))
        assert crime.strength == "moderate" and crime.kind == "risk"


def test_low_is_unfavourable_for_income_2017(store, framework):
    frame = store.level_frame(2017, "buurt")
    nl = store.value("NL01", 2017, "inkomen_per_inwoner")
    code = frame[frame["inkomen_per_inwoner"] < nl].index[0]
    view = factors.factor_view(store, code, 2017, "nl", framework=framework)
    row = {r.indicator: r for r in view.rows}["inkomen_per_inwoner"]
    assert row.unfavourable == "low" and row.deviation > 0  # below NL = less favourable = positive


def test_missing_lists_reasons_per_year(store, framework):
    code = "BU00140000"  # a Groningen buurt with 2017 income figures
    assert store.value(code, 2017, "pct_sociaal_minimum") is not None
    view = factors.factor_view(store, code, 2024, framework=framework, strict=True)
    missing = {m.indicator: m for m in view.missing}
    latest = {r.indicator: r for r in factors.factor_view(store, code, 2024, framework=framework).rows}
    assert latest["pct_sociaal_minimum"].year == 2017 and latest["pct_sociaal_minimum"].period == "2014"
    assert missing["pct_sociaal_minimum"].reason == "other_years" and 2017 in missing["pct_sociaal_minimum"].years
    assert missing["bijstand_per_1000"].reason == "not_embedded"
    assert missing["bijstand_per_1000"].provider == "CBS-verversing"
    assert missing["eigen:verhuismobiliteit"].reason == "not_measured"
    assert missing["pct_jeugdzorg"].kind == "outcome"
    shown = {r.indicator for r in view.rows}
    assert not shown & set(missing)  # a figure is either shown or missing, never both


def test_outcome_signals_stay_apart_and_there_is_no_net_score(store, framework):
    view = factors.factor_view(store, BUURT, 2020, framework=framework)
    assert {r.kind for r in view.rows} <= set(KINDS)
    assert [r.indicator for r in view.panel("outcome")] == ["rivm_angst_depressie"]
    assert not any(hasattr(view, a) for a in ("score", "total", "rank"))


def test_small_area_flag_from_real_population(store, framework, basis_2024):
    frame = store.level_frame(2024, "buurt")
    tiny = frame[frame["inwoners"] < SMALL_AREA].index[0]
    view = factors.factor_view(store, tiny, 2024, framework=framework, basis=basis_2024)
    assert view.small and view.inhabitants == store.value(tiny, 2024, "inwoners")
    assert not factors.factor_view(store, BUURT, 2024, framework=framework, basis=basis_2024).small


def test_reference_falls_back_to_median_when_missing(store, basis_2024):
    value, label = factors._reference(None, basis_2024.frame, "misdrijven_per_1000", "GM0014", "Groningen", "buurt")
    gron = store.level_frame(2024, "buurt", within="GM0014")["misdrijven_per_1000"].dropna()
    assert value == pytest.approx(gron.median()) and label == "median:buurt:Groningen"


def test_gemeente_is_compared_with_nl(store, framework):
    view = factors.factor_view(store, "GM0014", 2024, "gemeente", framework=framework)
    assert view.ref_code == "NL01" and view.reference == "nl" and view.level == "gemeente"


def test_local_data_joins_the_panels(store, framework, basis_2024):
    ds = made_up_factor_dataset()
    view = factors.factor_view(store, BUURT, 2024, framework=framework, basis=basis_2024, local=[ds])
    local = {r.indicator: r for r in view.rows if r.local}
    assert local["local:jongerenoverlast"].kind == "risk" and local["local:jongerenoverlast"].source == ds.source
    assert local["local:sportdeelname"].kind == "protective" and local["local:sportdeelname"].deviation is not None
    assert local["local:buurthuis_bezoek"].deviation is None  # no stated direction: not signed
    vals = ds.values[ds.values["indicator"] == "local:jongerenoverlast"]["value"].dropna()
    row = local["local:jongerenoverlast"]
    assert row.ref_value == pytest.approx(vals.median())  # no gemeente figure: median of the dataset's buurten
    tiny = factors.factor_view(store, "BU00140004", 2024, framework=framework, basis=basis_2024, local=[ds])
    assert {m.indicator: m.reason for m in tiny.missing}["local:jongerenoverlast"] == "suppressed"


@pytest.mark.parametrize("level", ["buurt", "gemeente"])
def test_a_basis_holds_the_levels_rows_and_the_years_each_indicator_has_data(store, framework, level):
    """The years with data are made once per level and store: the same for every year's basis, and what a
    scan of each year's rows of the level finds."""
    ids = framework.indicator_ids()
    b24, b22 = factors.level_basis(store, 2024, level, framework), factors.level_basis(store, 2022, level, framework)
    assert b24.years_with == b22.years_with and b24.years_with
    for year in store.years():
        rows = factors.level_rows(store.wide(year), level)
        for i in ids:
            has = i in rows.columns and bool(rows[i].notna().any())
            assert (year in b24.years_with.get(i, [])) == has, (i, year)
    rows = factors.level_rows(store.wide(2024), level)
    assert list(b24.frame.columns) == [i for i in ids if i in rows.columns]
    assert b24.frame.index.equals(rows.index)
    assert len(b24.frame) > (300 if level == "gemeente" else 10_000)
