"""The harmonise rules on small fixtures. MADE-UP NUMBERS (labelled fixtures, not CBS figures):
each test builds a handful of observations for invented codes in gemeente GM9990 and checks one rule."""

import math

import pandas as pd
import pytest

from wijk.core.catalogue import load_catalogue
from wijk.data.harmonise import harmonise

CAT = load_catalogue()


def obs(rows, year=2024, boundary=None):
    """rows: (code, indicator, value[, boundary_year]) -> observation frame (made-up fixture)."""
    out = []
    for r in rows:
        code, ind, value = r[:3]
        by = r[3] if len(r) > 3 else (boundary or year)
        out.append(
            {
                "code": code,
                "year": year,
                "indicator": ind,
                "value": float(value),
                "table": "FIXTURE",
                "variable": ind,
                "source": "made-up fixture",
                "priority": 0,
                "boundary_year": by,
                "period": str(year),
            }
        )
    return pd.DataFrame(out)


def get(values, code, ind, year=2024):
    sel = values[(values["code"] == code) & (values["indicator"] == ind) & (values["year"] == year)]
    return None if sel.empty else sel.iloc[0]


def test_wijk_share_uses_numerator_and_denominator_of_the_same_buurten():
    # CBS's own wijk total (1000) includes residents the buurten do not: 148/1000 would mix two sets
    values = harmonise(
        obs(
            [
                ("WK999000", "inwoners", 1000),
                ("BU99900001", "inwoners", 500),
                ("BU99900001", "inw_0_14", 100),
                ("BU99900002", "inwoners", 480),
                ("BU99900002", "inw_0_14", 48),
            ]
        ),
        CAT,
        {},
    )
    row = get(values, "WK999000", "pct_0_14")
    assert row is not None and row["method"] == "ratio" and row["n_parts"] == 2
    assert row["value"] == pytest.approx(148 / 980 * 100)
    assert row["coverage"] == pytest.approx(0.98)  # measured against CBS's own wijk total, not 1.0


def test_share_is_left_missing_when_the_pooled_buurten_cover_too_little():
    values = harmonise(
        obs(
            [
                ("WK999000", "inwoners", 1000),
                ("BU99900001", "inwoners", 500),
                ("BU99900001", "inw_0_14", 100),
                ("BU99900002", "inwoners", 480),
            ]
        ),
        CAT,
        {},
    )
    assert get(values, "WK999000", "pct_0_14") is None  # 50% coverage is not the wijk's figure


def test_a_partial_sum_is_never_made():
    # buurt 2 has inhabitants but no household count: a wijk sum would understate the wijk
    values = harmonise(
        obs(
            [
                ("WK999000", "inwoners", 980),
                ("BU99900001", "inwoners", 500),
                ("BU99900001", "huishoudens", 200),
                ("BU99900002", "inwoners", 480),
            ]
        ),
        CAT,
        {},
    )
    assert get(values, "WK999000", "huishoudens") is None


def test_a_complete_sum_is_labelled_with_its_parts():
    values = harmonise(
        obs(
            [
                ("WK999000", "inwoners", 980),
                ("BU99900001", "inwoners", 500),
                ("BU99900001", "huishoudens", 200),
                ("BU99900002", "inwoners", 480),
                ("BU99900002", "huishoudens", 210),
                ("BU99900003", "inwoners", 0),
            ]
        ),
        CAT,
        {},
    )
    row = get(values, "WK999000", "huishoudens")
    assert row["value"] == 410 and row["method"] == "sum" and row["n_parts"] == 2 and row["coverage"] == 1.0


def test_children_that_do_not_add_up_to_the_parent_total_give_no_sum():
    # the buurten hold 700 of the wijk's 1000 inhabitants: a buurt is missing from the file
    values = harmonise(
        obs(
            [
                ("WK999000", "inwoners", 1000),
                ("BU99900001", "inwoners", 500),
                ("BU99900001", "huishoudens", 200),
                ("BU99900002", "inwoners", 200),
                ("BU99900002", "huishoudens", 90),
            ]
        ),
        CAT,
        {},
    )
    assert get(values, "WK999000", "huishoudens") is None


def test_subset_without_a_parent_total_has_unknown_coverage_not_one():
    # a subset file of buurten (like KWB 2017 here): no CBS total for the gemeente in the store
    rows = []
    for i in range(1, 4):
        rows += [
            (f"BU999000{i:02d}", "inwoners", 100 * i),
            (f"BU999000{i:02d}", "huishoudens", 50 * i),
            (f"BU999000{i:02d}", "pct_sociaal_minimum", 10 * i),
        ]
    values = harmonise(obs(rows, year=2017), CAT, {})
    row = get(values, "GM9990", "pct_sociaal_minimum", 2017)
    assert row is not None and row["method"] == "weighted" and row["n_parts"] == 3
    assert math.isnan(row["coverage"])
    assert row["value"] == pytest.approx((10 * 50 + 20 * 100 + 30 * 150) / 300)


def test_rate_only_where_both_figures_describe_the_same_area():
    # crime of 2022 on the 2024 indeling, inhabitants of 2022 on the 2022 indeling: no rate
    values = harmonise(
        obs([("GM9990", "inwoners", 10000, 2022), ("GM9990", "misdrijven", 450, 2024)], year=2022), CAT, {}
    )
    assert get(values, "GM9990", "misdrijven", 2022)["boundary_year"] == 2024
    assert get(values, "GM9990", "misdrijven_per_1000", 2022) is None
    same = harmonise(obs([("GM9990", "inwoners", 10000), ("GM9990", "misdrijven", 450)]), CAT, {})
    assert get(same, "GM9990", "misdrijven_per_1000")["value"] == pytest.approx(45.0)


def test_country_rate_pools_crime_and_inhabitants_of_the_same_gemeenten():
    values = harmonise(
        obs(
            [
                ("GM9990", "inwoners", 10000),
                ("GM9990", "misdrijven", 450),
                ("GM9991", "inwoners", 30000),
                ("GM9991", "misdrijven", 2700),
            ]
        ),
        CAT,
        {(2024, "gemeente"): {"all"}},
    )
    nl = get(values, "NL01", "misdrijven")
    assert nl["value"] == 3150 and nl["method"] == "sum"
    rate = get(values, "NL01", "misdrijven_per_1000")
    assert rate["value"] == pytest.approx(3150 / 40000 * 1000) and rate["coverage"] == pytest.approx(1.0)


def test_missing_stays_missing():
    values = harmonise(obs([("BU99900001", "inwoners", 500)]), CAT, {})
    assert get(values, "BU99900001", "inw_0_14") is None
    assert not (values["value"] == 0).any()


def test_period_and_boundary_year_are_kept():
    o = obs([("BU99900001", "inkomen_per_inwoner", 25.1)], year=2017)
    o["period"] = "2014"
    values = harmonise(o, CAT, {})
    row = get(values, "BU99900001", "inkomen_per_inwoner", 2017)
    assert row["period"] == "2014" and row["boundary_year"] == 2017
