"""wijk.data.crosswalk: the same-area rule on labelled made-up pairs (not CBS figures), the thresholds
read from data/crosswalk_rules.csv, and carrying rows of an old code to its new one."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from wijk.core.paths import data_dir
from wijk.data import crosswalk

NAN = math.nan
RULES = crosswalk.load_rules(data_dir())


def test_thresholds_are_data():
    assert crosswalk.Rules(share_min=0.8, pop_ratio_max=1.4, pop_min=50) == RULES


@pytest.mark.parametrize(
    "share_old, share_new, best, inw_old, inw_new, relation",
    [
        (0.95, 0.93, True, 2255, 2265, "zelfde"),  # Bijlmermuseum-Noord: renumbered, nothing moved
        (0.95, 0.93, True, NAN, 2265, "zelfde"),  # no 2017 count: geometry decides alone
        (0.95, 0.93, True, 5210, 50, "inwoners"),  # BU05320102-like: the same outline, another place
        (0.95, 0.93, True, 20, 45, "zelfde"),  # tiny counts (rounded to 5) are not judged
        (0.30, 0.97, False, 5210, 900, "gesplitst"),  # the new buurt is one part of the old one
        (0.97, 0.30, False, 900, 5210, "samengevoegd"),  # the old buurt is one part of the new one
        (0.60, 0.55, True, 1000, 1000, "verschoven"),  # the line moved: neither holds 80% of the other
        (0.85, 0.85, False, 1000, 1000, "verschoven"),  # not each other's best partner
        (0.79, 0.95, True, 1000, 1000, "gesplitst"),  # just below the threshold on one side
    ],
)
def test_same_area_rule(share_old, share_new, best, inw_old, inw_new, relation):
    assert crosswalk.judge(share_old, share_new, best, inw_old, inw_new, RULES) == relation


def test_carry_copies_old_rows_under_the_new_code_once():
    values = pd.DataFrame(
        {
            "code": ["BU99990001", "BU99990001", "BU99990002", "BU9999AA01", "BU99990003"],
            "year": [2017, 2024, 2020, 2020, 2017],
            "indicator": ["inkomen", "inwoners", "eenzaam", "eenzaam", "inkomen"],
            "value": [16.1, 100.0, 50.0, 40.0, 20.0],
            "boundary_year": [2017, 2024, 2020, 2020, 2017],
        }
    )  # made-up codes and values (labelled fixture)
    cw = pd.DataFrame(
        {
            "code_2019": ["BU99990001", "BU99990002", "BU99990003"],
            "code_2024": ["BU9999AA02", "BU9999AA01", "BU9999AA03"],
            "relation": ["zelfde", "zelfde", "gesplitst"],
            "carried": [1, 1, 0],
        }
    )
    out = crosswalk.carry(values, cw)
    got = {(r.code, r.year, r.indicator, r.carried_from) for r in out.itertuples()}
    # the 2024 row stays with its code; BU9999AA01 already has its own 2020 figure; a split carries nothing
    assert got == {("BU9999AA02", 2017, "inkomen", "BU99990001")}


def test_a_figure_from_before_a_redivision_is_not_carried():
    """Groningen set every buurt code anew in 2019 (data/boundary_changes.csv): the 2017 figure of a code
    describes another area than that code's 2019 polygon, so only its 2020-indeling figure travels."""
    values = pd.DataFrame(
        {
            "code": ["BU00140808", "BU00140808"],
            "year": [2017, 2020],
            "indicator": ["inwoners", "eenzaam"],
            "value": [100.0, 40.0],
            "boundary_year": [2017, 2020],
        }
    )  # made-up values on a real code (labelled fixture)
    cw = pd.DataFrame({"code_2019": ["BU00140808"], "code_2024": ["BU00140110"], "carried": [1]})
    out = crosswalk.carry(values, cw)
    assert list(zip(out["code"], out["year"])) == [("BU00140110", 2020)]
