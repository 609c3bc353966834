"""Comparison logic on real embedded rows: reference chain, deviations, plain signs."""

from __future__ import annotations

from wijk.profile.references import THRESHOLDS, compare, compare_many, deviation, reference_text, sign_text, value_text

BUURT = "BU00140107"  # Laanhuizen, wijk Oud-Zuid, gemeente Groningen


def test_deviation_percentage_points():
    assert deviation(16.0, 15.0, "pct").direction == "similar"
    d = deviation(20.0, 15.0, "pct")
    assert (d.direction, d.strength, d.points) == ("higher", "clear", True)
    d = deviation(5.0, 15.0, "pct")
    assert (d.direction, d.strength) == ("lower", "much")
    assert d.diff == -10.0


def test_deviation_relative_for_rates():
    assert deviation(105.0, 100.0, "per1000").direction == "similar"
    d = deviation(120.0, 100.0, "per1000")
    assert (d.direction, d.strength) == ("higher", "clear")
    assert abs(d.relative - 0.2) < 1e-9
    assert deviation(40.0, 100.0, "per1000").strength == "much"
    assert THRESHOLDS["pct"][0] == "points"


def test_no_deviation_for_counts_codes_or_missing():
    assert deviation(1325.0, 243768.0, "count") is None
    assert deviation(1.0, 2.0, "code") is None
    assert deviation(None, 10.0, "pct") is None
    assert deviation(10.0, None, "pct") is None


def test_compare_uses_the_chain_and_real_figures(store):
    comp = compare(store, BUURT, 2024, "pct_met_kinderen")
    assert [r.level for r in comp.references] == ["wijk", "gemeente", "land"]
    assert [r.code for r in comp.references] == ["WK001401", "GM0014", "NL01"]
    for ref in comp.references:
        assert ref.figure.value == store.figure(ref.code, 2024, "pct_met_kinderen").value
    assert comp.figure.value == store.figure(BUURT, 2024, "pct_met_kinderen").value
    assert comp.main.level == "gemeente"
    # 8.5 % of households against 17.7 % in Groningen: much lower
    assert comp.main.deviation.direction == "lower" and comp.main.deviation.strength == "much"
    assert sign_text(comp.main, "nl") == "veel lager dan de gemeente"
    assert sign_text(comp.main, "en") == "much lower than the municipality"


def test_gemeente_is_compared_with_the_country(store):
    comp = compare(store, "GM0014", 2024, "pct_65plus")
    assert [r.code for r in comp.references] == ["NL01"]
    assert comp.main.level == "land"
    assert "Nederland" in sign_text(comp.main, "nl")


def test_missing_figure_says_so_never_zero(store):
    comp = compare(store, BUURT, 2024, "pct_sociaal_minimum")
    assert comp.missing
    text = value_text(comp.figure, "pct", "nl")
    assert text == "niet beschikbaar voor 2024 in de ingebouwde data"
    assert "0" not in text.replace("2024", "")
    assert sign_text(comp.main) == ""


def test_reference_text_names_each_level(store):
    comps = compare_many(store, BUURT, 2024, ["pct_65plus", "rivm_eenzaam", "not_an_indicator"])
    assert set(comps) == {"pct_65plus", "rivm_eenzaam"}
    text = reference_text(comps["pct_65plus"], "nl")
    assert "wijk Oud-Zuid" in text and "gemeente Groningen" in text and "Nederland" in text
    # no RIVM estimate of exactly 2024 (strict comparison): shown as a dash, not 0
    assert reference_text(comps["rivm_eenzaam"], "nl").endswith("Nederland –")


def test_income_2017_against_the_gemeente(store):
    comp = compare(store, BUURT, 2017, "pct_sociaal_minimum")
    gm = store.value("GM0014", 2017, "pct_sociaal_minimum")
    assert comp.main.figure.value == gm
    assert comp.main.deviation.diff == comp.figure.value - gm


def test_missing_buurt_figure_points_to_the_nearest_parent_that_has_it(store):
    from wijk.profile.references import compare, nearest_available

    comp = compare(store, "BU00140301", 2020, "inkomen_per_inwoner")
    assert comp.missing
    near = nearest_available(comp)
    wijk_value = store.value("WK001403", 2020, "inkomen_per_inwoner")
    assert near.startswith("wijk ") and f"{wijk_value:.1f}".replace(".", ",") in near


def test_level_word_is_not_doubled_before_a_name_that_starts_with_it():
    from wijk.core.i18n import with_level

    assert with_level("wijk", "Oud-Noord", "nl") == "wijk Oud-Noord"
    assert with_level("wijk", "Wijk 00 Annen", "nl") == "Wijk 00 Annen"
    assert with_level("wijk", "Wijk 00 Annen", "en") == "Wijk 00 Annen"
    assert with_level("wijk", "Wijkerbroek", "nl") == "wijk Wijkerbroek"  # a word, not the level word
    assert with_level("gemeente", "Groningen", "en") == "municipality Groningen"


def test_reference_text_names_a_wijk_once(store):
    from wijk.profile.references import compare, reference_text

    text = reference_text(compare(store, "BU16800000", 2024, "inwoners"), "nl")
    assert "Wijk 00 Annen" in text and "wijk Wijk" not in text
