"""The profile's year hint (label profiel_year_hint) describes the embedded data in words: pin each
claim to the coverage, so the sentence cannot go stale when the data changes again."""

from __future__ import annotations

import pytest

from wijk.core.i18n import t


@pytest.fixture(scope="module")
def covered(store):
    cov = store.coverage()
    return {(r.indicator, r.level, int(r.year)) for r in cov.itertuples()}


CLAIMS = [  # (indicator, level, years) the hint names
    ("inwoners", "buurt", [2024]),
    ("woz", "buurt", [2024]),
    ("pct_koop", "buurt", [2024]),
    ("afstand_huisarts", "buurt", [2024]),
    ("misdrijven", "buurt", [2021, 2022, 2023, 2024, 2025]),
    ("rivm_eenzaam", "buurt", [2012, 2016, 2020]),
    ("rivm_moeite_rondkomen", "buurt", [2012, 2016, 2020]),
    ("pct_sociaal_minimum", "buurt", [2017]),
    ("pct_jeugdzorg_0_24", "wijk", [2021, 2022]),
    ("pct_jeugdbescherming", "gemeente", [2022]),
]


@pytest.mark.parametrize(("indicator", "level", "years"), CLAIMS)
def test_every_claim_of_the_hint_holds(covered, indicator, level, years):
    assert all((indicator, level, y) in covered for y in years)


def test_the_hint_names_those_years():
    text = t("profiel_year_hint", "nl")
    for words in ("2021-2025", "2020, 2016 en 2012", "2017", "jeugdzorg", "jeugdbescherming per gemeente (2022)"):
        assert words.lower() in text.lower()
    assert "2020, 2016 and 2012" in t("profiel_year_hint", "en")
