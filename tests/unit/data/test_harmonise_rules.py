"""The rules of wijk/data/harmonise.py, one test each, on tiny hand-made fixtures.

MADE-UP FIXTURES, not CBS figures: FIXTURE_CATALOGUE is a nine-indicator catalogue written here (so a
change to data/indicators.csv cannot hide a broken rule), and every observation frame is built by
`fixture_obs` for invented areas of gemeenten GM9990 and GM9991:

    NL01 ─ GM9990 ─ WK999000 ─ BU99900001, BU99900002, BU99900003
         │        └ WK999001 ─ BU99900101, BU99900102
         └ GM9991 ─ WK999100 ─ BU99910001

tests/unit/data/test_harmonise.py covers the same module with the real catalogue; these add the rules it does not
pin: which source wins, derivation at a code, the sums up the whole chain buurt -> wijk -> gemeente -> NL,
completeness, the coverage gate, the level a parent is pooled from, and that missing stays missing.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from wijk.core.catalogue import Catalogue, Indicator
from wijk.core.store import VALUE_COLUMNS
from wijk.data.harmonise import harmonise


def _indicator(id_: str, aggregate: str, numerator: str = "", denominator: tuple[str, ...] = (), scale: float = 1):
    return Indicator(
        id=id_,
        domain="fixture",
        role="context",
        unit="pct" if numerator or aggregate.startswith("weighted") else "count",
        cbs_stem="",
        numerator=numerator,
        denominator=denominator,
        scale=scale,
        aggregate=aggregate,
        label_nl=id_,
        label_en=id_,
        definition_nl="made-up fixture indicator",
        definition_en="made-up fixture indicator",
    )


FIXTURE_CATALOGUE = Catalogue(
    [
        _indicator("inwoners", "sum"),  # harmonise judges completeness and coverage by `inwoners`
        _indicator("huishoudens", "sum"),
        _indicator("kinderen", "sum"),
        _indicator("werkenden", "sum"),
        _indicator("werkzoekenden", "sum"),
        _indicator("pct_kinderen", "ratio", "kinderen", ("inwoners",), 100),
        _indicator("pct_werkloos", "ratio", "werkzoekenden", ("werkenden", "werkzoekenden"), 100),
        _indicator("pct_laag_inkomen", "weighted:huishoudens"),  # CBS publishes only the share
        _indicator("mediaan_leeftijd", "none"),  # a median: never summed, never pooled
    ]
)
ALL_COMPLETE = {(2024, "buurt"): {"all"}, (2024, "wijk"): {"all"}, (2024, "gemeente"): {"all"}}


def fixture_obs(rows, year: int = 2024) -> pd.DataFrame:
    """MADE-UP observations: (code, indicator, value) or (code, indicator, value, {column: override})."""
    out = []
    for row in rows:
        code, indicator, value = row[:3]
        base = {
            "code": code,
            "year": year,
            "indicator": indicator,
            "value": float(value),
            "table": "FIXTURE",
            "variable": indicator,
            "source": "made-up fixture",
            "priority": 0,
            "boundary_year": year,
            "period": str(year),
        }
        out.append({**base, **(row[3] if len(row) > 3 else {})})
    return pd.DataFrame(out)


def run(rows, complete=None, year: int = 2024) -> pd.DataFrame:
    return harmonise(fixture_obs(rows, year), FIXTURE_CATALOGUE, complete or {})


def one(values: pd.DataFrame, code: str, indicator: str, year: int = 2024):
    sel = values[(values["code"] == code) & (values["indicator"] == indicator) & (values["year"] == year)]
    assert len(sel) <= 1, f"{code} {indicator} {year} twice in the output"
    return None if sel.empty else sel.iloc[0]


# ---- one value per (code, year, indicator) ------------------------------------------------------------------


def test_best_priority_wins_and_a_tie_goes_to_the_first_source_by_name():
    rows = [
        ("BU99900001", "huishoudens", 10, {"source": "b-file", "priority": 1}),
        ("BU99900001", "huishoudens", 20, {"source": "a-file", "priority": 1}),
    ]
    assert one(run(rows), "BU99900001", "huishoudens")["value"] == 20  # tie: a-file before b-file
    best = one(
        run([*rows, ("BU99900001", "huishoudens", 30, {"source": "z-file", "priority": 0})]),
        "BU99900001",
        "huishoudens",
    )
    assert (best["value"], best["source"]) == (30, "z-file")  # a lower priority number wins over the name


def test_an_own_figure_defaults_to_method_cbs_its_year_as_boundary_and_period_and_full_coverage():
    frame = fixture_obs([("BU99900001", "huishoudens", 200)]).drop(columns=["boundary_year", "period"])
    values = harmonise(frame, FIXTURE_CATALOGUE, {})
    assert list(values.columns) == VALUE_COLUMNS
    row = one(values, "BU99900001", "huishoudens")
    assert (row["method"], row["boundary_year"], row["period"], row["coverage"], row["n_parts"]) == (
        "cbs",
        2024,
        "2024",
        1.0,
        0,
    )


# ---- derived indicators at one code ----------------------------------------------------------------------------


def test_a_share_at_a_buurt_is_its_own_numerator_over_its_own_denominator():
    values = run([("BU99900001", "inwoners", 500), ("BU99900001", "kinderen", 100)])
    row = one(values, "BU99900001", "pct_kinderen")
    assert row["value"] == pytest.approx(20.0) and row["method"] == "derived" and row["coverage"] == 1.0
    assert row["variable"] == "kinderen / inwoners × 100" and row["priority"] == 0.5  # worst input + 0.5


def test_a_zero_denominator_gives_no_share_not_zero_or_infinity():
    # rounded CBS counts can give an area children but 0 inhabitants
    values = run([("BU99900001", "inwoners", 0), ("BU99900001", "kinderen", 5)])
    assert one(values, "BU99900001", "pct_kinderen") is None


def test_a_denominator_of_two_parts_needs_both_parts():
    values = run(
        [
            ("BU99900001", "werkenden", 90),
            ("BU99900001", "werkzoekenden", 10),
            ("BU99900002", "werkzoekenden", 10),  # no count of werkenden here
        ]
    )
    row = one(values, "BU99900001", "pct_werkloos")
    assert row["value"] == pytest.approx(10.0)
    assert row["variable"] == "werkzoekenden / werkenden + werkzoekenden × 100"
    # without `werkenden` the denominator is unknown: not werkzoekenden / werkzoekenden = 100%
    assert one(values, "BU99900002", "pct_werkloos") is None


def test_a_cbs_share_is_kept_over_the_derived_one_unless_it_ranks_lower():
    counts = [("BU99900001", "inwoners", 500), ("BU99900001", "kinderen", 100)]
    kept = one(run([*counts, ("BU99900001", "pct_kinderen", 21.0)]), "BU99900001", "pct_kinderen")
    assert kept["value"] == 21.0 and kept["method"] == "cbs"
    lower = [("BU99900001", "pct_kinderen", 21.0, {"priority": 5, "source": "older file"})]
    replaced = one(run([*counts, *lower]), "BU99900001", "pct_kinderen")
    assert replaced["value"] == pytest.approx(20.0) and replaced["method"] == "derived"


def test_a_parent_share_is_not_derived_from_a_summed_count_but_pooled_from_the_same_buurten():
    # CBS's own wijk total (1000) and the buurten (998, within rounding) differ: kinderen is summed from the
    # buurten, so kinderen / own total would divide two different sets of people
    values = run(
        [
            ("WK999000", "inwoners", 1000),
            ("BU99900001", "inwoners", 500),
            ("BU99900001", "kinderen", 100),
            ("BU99900002", "inwoners", 498),
            ("BU99900002", "kinderen", 100),
        ]
    )
    assert one(values, "WK999000", "kinderen")["method"] == "sum"
    share = one(values, "WK999000", "pct_kinderen")
    assert share["method"] == "ratio" and share["value"] == pytest.approx(200 / 998 * 100)
    assert share["coverage"] == pytest.approx(0.998) and share["n_parts"] == 2


# ---- counts summed up the chain -----------------------------------------------------------------------------


CHAIN = [
    ("BU99900001", "huishoudens", 100),
    ("BU99900002", "huishoudens", 110),
    ("BU99900003", "huishoudens", 120),
    ("BU99900101", "huishoudens", 200),
    ("BU99900102", "huishoudens", 210),
    ("BU99910001", "huishoudens", 300),
]


def test_counts_are_summed_buurt_to_wijk_to_gemeente_to_country_when_the_sources_are_complete():
    values = run(CHAIN, ALL_COMPLETE)
    expected = {
        "WK999000": (330, 3),
        "WK999001": (410, 2),
        "WK999100": (300, 1),
        "GM9990": (740, 2),  # summed from its two wijken
        "GM9991": (300, 1),
        "NL01": (1040, 2),  # from the two gemeenten
    }
    for code, (total, parts) in expected.items():
        row = one(values, code, "huishoudens")
        assert (row["value"], row["n_parts"], row["method"], row["coverage"]) == (total, parts, "sum", 1.0), code


def test_a_sum_needs_a_complete_source_or_children_that_add_up_to_the_parent_total():
    assert one(run(CHAIN), "WK999000", "huishoudens") is None  # nothing says these are all the buurten
    this_gemeente = run(CHAIN, {(2024, "buurt"): {"GM9990"}})
    assert one(this_gemeente, "WK999000", "huishoudens")["value"] == 330
    assert one(this_gemeente, "WK999100", "huishoudens") is None  # GM9991's source is not known complete
    assert one(this_gemeente, "GM9990", "huishoudens") is None  # nor are the wijken (no wijk-level scope)


@pytest.mark.parametrize(
    ("second_buurt", "summed"),
    [
        (497, True),  # 997 of 1000: within CBS's rounding to 5 per buurt (3 x 2 buurten)
        (490, False),  # 990 of 1000: more than rounding; a buurt is missing from the file
    ],
)
def test_children_complete_a_parent_when_their_inhabitants_match_its_total_within_rounding(second_buurt, summed):
    values = run(
        [
            ("WK999000", "inwoners", 1000),
            ("BU99900001", "inwoners", 500),
            ("BU99900001", "huishoudens", 200),
            ("BU99900002", "inwoners", second_buurt),
            ("BU99900002", "huishoudens", 210),
        ]
    )
    row = one(values, "WK999000", "huishoudens")
    assert (row is not None and row["value"] == 410) if summed else row is None


def test_cbs_own_parent_figure_is_never_replaced_by_the_sum_of_its_children():
    values = run([*CHAIN, ("WK999000", "huishoudens", 333)], ALL_COMPLETE)
    row = one(values, "WK999000", "huishoudens")
    assert row["value"] == 333 and row["method"] == "cbs"
    assert one(values, "GM9990", "huishoudens")["value"] == 333 + 410  # the gemeente sums CBS's wijk figure


def test_children_on_different_boundaries_are_not_summed():
    rows = [
        ("BU99900001", "huishoudens", 100, {"boundary_year": 2023}),
        ("BU99900002", "huishoudens", 110),
        ("BU99900003", "huishoudens", 120),
    ]
    assert one(run(rows, ALL_COMPLETE), "WK999000", "huishoudens") is None


def test_an_unknown_boundary_year_stays_unknown_and_gives_no_share_and_no_sum():
    """A count whose source names no indeling (crime without MapYear): kept, never given the figure's year,
    never divided by inhabitants and never summed into a parent (the areas may not be the same)."""
    unknown = {"boundary_year": None}
    rows = [
        ("BU99900001", "inwoners", 1000),
        ("BU99900001", "kinderen", 100, unknown),
        ("BU99900002", "inwoners", 1100),
        ("BU99900002", "kinderen", 110, unknown),
        ("BU99900003", "inwoners", 1200),
        ("BU99900003", "kinderen", 120),
    ]
    out = run(rows, ALL_COMPLETE)
    kept = one(out, "BU99900001", "kinderen")
    assert kept["value"] == 100 and pd.isna(kept["boundary_year"])
    assert one(out, "BU99900003", "kinderen")["boundary_year"] == 2024
    assert one(out, "BU99900001", "pct_kinderen") is None  # no share on an unknown indeling
    assert one(out, "BU99900003", "pct_kinderen")["value"] == 10  # a known one still gets its share
    assert one(out, "WK999000", "kinderen") is None  # no parent sum with children of unknown indeling
    assert one(out, "WK999000", "inwoners")["value"] == 3300


def test_without_known_inhabitants_every_known_child_must_have_the_count():
    rows = [
        ("BU99900001", "huishoudens", 100),
        ("BU99900002", "huishoudens", 110),
        ("BU99900003", "kinderen", 40),  # a known buurt of the wijk without a household count
    ]
    values = run(rows, ALL_COMPLETE)
    assert one(values, "WK999000", "huishoudens") is None  # 210 would understate the wijk
    assert one(values, "WK999000", "kinderen") is None  # and 40 likewise


def test_each_year_is_aggregated_on_its_own():
    rows_2023 = [(c, i, v + 1) for c, i, v in CHAIN]
    obs = pd.concat([fixture_obs(CHAIN, 2024), fixture_obs(rows_2023, 2023)], ignore_index=True)
    values = harmonise(obs, FIXTURE_CATALOGUE, {(2024, "buurt"): {"all"}})  # only 2024's file is complete
    assert one(values, "WK999000", "huishoudens", 2024)["value"] == 330
    assert one(values, "WK999000", "huishoudens", 2023) is None


# ---- shares and averages pooled for a parent ----------------------------------------------------------------


def test_a_pooled_share_uses_numerator_and_denominator_of_the_same_buurten():
    # BU3 has inhabitants but no count of children: it is left out of the denominator too
    values = run(
        [
            ("WK999000", "inwoners", 1000),
            ("BU99900001", "inwoners", 500),
            ("BU99900001", "kinderen", 100),
            ("BU99900002", "inwoners", 480),
            ("BU99900002", "kinderen", 48),
            ("BU99900003", "inwoners", 20),
        ]
    )
    row = one(values, "WK999000", "pct_kinderen")
    assert row["value"] == pytest.approx(148 / 980 * 100)  # not 148 / 1000
    assert row["n_parts"] == 2 and row["coverage"] == pytest.approx(0.98)


@pytest.mark.parametrize(("covered", "kept"), [(900, True), (899, False)])
def test_a_pooled_share_needs_children_covering_90_percent_of_the_parent(covered, kept):
    values = run(
        [
            ("WK999000", "inwoners", 1000),
            ("BU99900001", "inwoners", covered),
            ("BU99900001", "kinderen", 90),
            ("BU99900002", "inwoners", 1000 - covered),  # no count of children here
        ]
    )
    row = one(values, "WK999000", "pct_kinderen")
    if kept:
        assert row["coverage"] == pytest.approx(0.9) and row["value"] == pytest.approx(90 / covered * 100)
    else:
        assert row is None


def test_a_share_published_without_counts_is_weighted_by_its_denominator_and_marked_weighted():
    values = run(
        [
            ("WK999000", "inwoners", 1000),
            ("BU99900001", "inwoners", 500),
            ("BU99900001", "huishoudens", 100),
            ("BU99900001", "pct_laag_inkomen", 10),
            ("BU99900002", "inwoners", 500),
            ("BU99900002", "huishoudens", 300),
            ("BU99900002", "pct_laag_inkomen", 30),
        ]
    )
    row = one(values, "WK999000", "pct_laag_inkomen")
    assert row["value"] == pytest.approx((10 * 100 + 30 * 300) / 400)  # not the plain mean 20
    assert row["method"] == "weighted" and row["coverage"] == pytest.approx(1.0)


def test_a_share_pooled_partly_from_published_shares_is_marked_weighted():
    values = run(
        [
            ("WK999000", "inwoners", 1000),
            ("BU99900001", "inwoners", 500),
            ("BU99900001", "kinderen", 100),
            ("BU99900002", "inwoners", 500),
            ("BU99900002", "pct_kinderen", 10),  # CBS gave only the share here
        ]
    )
    row = one(values, "WK999000", "pct_kinderen")
    assert row["value"] == pytest.approx((100 + 10 * 500 / 100) / 1000 * 100) and row["method"] == "weighted"


def test_a_parent_is_pooled_from_the_child_level_that_covers_it_best():
    values = run(
        [
            ("GM9990", "inwoners", 2000),
            # both wijken: all 2000 inhabitants
            ("WK999000", "inwoners", 1000),
            ("WK999000", "huishoudens", 400),
            ("WK999000", "pct_laag_inkomen", 10),
            ("WK999001", "inwoners", 1000),
            ("WK999001", "huishoudens", 100),
            ("WK999001", "pct_laag_inkomen", 20),
            # the buurten with the share: 1900 of them (enough to pass the 90% gate, but less than the wijken)
            ("BU99900001", "inwoners", 1000),
            ("BU99900001", "huishoudens", 400),
            ("BU99900001", "pct_laag_inkomen", 50),
            ("BU99900101", "inwoners", 900),
            ("BU99900101", "huishoudens", 90),
            ("BU99900101", "pct_laag_inkomen", 50),
        ]
    )
    row = one(values, "GM9990", "pct_laag_inkomen")
    assert row["value"] == pytest.approx((10 * 400 + 20 * 100) / 500) and row["n_parts"] == 2  # the two wijken
    assert row["coverage"] == pytest.approx(1.0)


def test_a_pooled_share_never_replaces_cbs_own_parent_figure():
    values = run(
        [
            ("WK999000", "inwoners", 1000),
            ("WK999000", "pct_laag_inkomen", 12),
            ("BU99900001", "inwoners", 1000),
            ("BU99900001", "huishoudens", 100),
            ("BU99900001", "pct_laag_inkomen", 30),
        ]
    )
    row = one(values, "WK999000", "pct_laag_inkomen")
    assert row["value"] == 12 and row["method"] == "cbs"


def test_an_indicator_the_catalogue_does_not_aggregate_stays_missing_at_the_parent():
    rows = [*CHAIN, *[(c, "mediaan_leeftijd", 40) for c, _i, _v in CHAIN]]
    values = run(rows, ALL_COMPLETE)
    assert values.loc[values["indicator"] == "mediaan_leeftijd", "code"].str.startswith("BU").all()


# ---- missing stays missing ----------------------------------------------------------------------------------


def test_missing_is_never_filled_with_zero_or_written_as_an_empty_row():
    rows = [
        ("WK999000", "inwoners", 1000),
        ("BU99900001", "inwoners", 500),
        ("BU99900001", "kinderen", 0),  # a real 0 stays 0
        ("BU99900001", "werkzoekenden", 5),  # no werkenden: no pct_werkloos
        ("BU99900002", "inwoners", 500),  # no kinderen, no households
        ("BU99900003", "huishoudens", 0),
    ]
    values = run(rows, ALL_COMPLETE)
    assert values["value"].notna().all()  # a missing figure is an absent row, not a NaN row
    zeros = set(map(tuple, values.loc[values["value"] == 0, ["code", "indicator"]].to_numpy()))
    assert zeros == {("BU99900001", "kinderen"), ("BU99900001", "pct_kinderen"), ("BU99900003", "huishoudens")}
    assert one(values, "WK999000", "kinderen") is None and one(values, "WK999000", "huishoudens") is None
    assert one(values, "BU99900002", "pct_kinderen") is None and one(values, "BU99900001", "pct_werkloos") is None
    assert not math.isnan(one(values, "WK999000", "inwoners")["value"])


def test_a_nan_child_count_blocks_the_parent_sum():
    people = [(f"BU9990000{i}", "inwoners", 100 * i) for i in (1, 2, 3)]  # the buurt exists through inwoners
    obs = fixture_obs(CHAIN + people)
    obs.loc[(obs["code"] == "BU99900003") & (obs["indicator"] == "huishoudens"), "value"] = np.nan
    values = harmonise(obs, FIXTURE_CATALOGUE, ALL_COMPLETE)
    assert one(values, "WK999000", "huishoudens") is None
