"""The youth workshop deck (issue 18): scoped questions name the area and year their truth comes from."""

import pytest

from wijk.beeld import perception as P

BUURT, WIJK, GM = "BU00140301", "WK001403", "GM0014"


@pytest.fixture(scope="module")
def buurt_questions(store):
    return {q.id: q for q in P.available_questions(store, BUURT, 2024)}


def test_wijk_youth_care_on_a_buurt_is_asked_as_the_wijks(store, buurt_questions):
    q = buurt_questions["pct_jeugdzorg_0_24"]
    assert (q.code, q.year) == (WIJK, 2022)
    assert "Oud-Noord" in q.text("nl") and "2022" in q.text("nl") and "0-24" in q.text("nl")
    truth = P.truth_for(store, q, BUURT, 2024)
    assert truth.value == pytest.approx(store.value(WIJK, 2022, "pct_jeugdzorg_0_24"))
    assert truth.gemeente == pytest.approx(store.value(GM, 2022, "pct_jeugdzorg_0_24"))
    assert "85335NED" in P.source_line(store, q, BUURT, 2024) and WIJK in P.source_line(store, q, BUURT, 2024)


def test_child_protection_is_asked_for_the_gemeente(store, buurt_questions):
    q = buurt_questions["pct_jeugdbescherming"]
    assert (q.code, q.year) == (GM, 2022)
    assert "gemeente Groningen" in q.text("nl") and "voorlopig" in q.text("nl")
    truth = P.truth_for(store, q, BUURT, 2024)
    assert truth.value == 1.4 and truth.nl == 1.2


def test_spec_round_trip_keeps_where_the_truth_comes_from(store, buurt_questions):
    q = buurt_questions["pct_jeugdbescherming"]
    again = P.Question.from_spec(q.to_spec())
    assert again == q
    assert P.truth_for(store, again, BUURT, 2024).value == 1.4
    old = {k: v for k, v in q.to_spec().items() if k not in ("code", "year")}  # a spec stored before issue 18
    assert P.Question.from_spec(old).code == ""


def test_unscoped_questions_stay_exactly_the_area_and_year(buurt_questions):
    assert buurt_questions["pct_met_kinderen"].code == "" and buurt_questions["pct_met_kinderen"].year == 0


def test_the_jeugd_deck_only_holds_questions_with_a_truth(store, buurt_questions):
    deck = P.deck_questions(list(buurt_questions.values()), "jeugd")
    ids = [q.id for q in deck]
    assert ids[:4] == ["pct_jeugdzorg_0_24", "pct_traj_gi", "pct_jeugdbescherming", "cbs_pct_jeugdhulp"]
    assert "pct_met_kinderen" in ids
    for q in deck:
        assert P.truth_for(store, q, BUURT, 2024) is not None, q.id
    assert ("scholen_binnen_3km" in ids) == (
        store.value(BUURT, 2024, "scholen_binnen_3km") is not None
        or store.value(WIJK, 2024, "scholen_binnen_3km") is not None
        or "scholen_binnen_3km" in buurt_questions
    )


def test_the_country_is_asked_as_the_country(store):
    q = next(q for q in P.available_questions(store, "NL01", 2024) if q.id == "pct_jeugdzorg_0_24")
    assert (q.code, q.year) == ("NL01", 2022) and "Nederland" in q.text("nl")


def test_no_youth_question_without_any_figure_in_the_chain(store):
    assert P.scoped_area(store, "WK999999", 2024, "pct_jeugdzorg_0_24", "latest") is None
    assert P.scoped_area(store, "GM9999", 2024, "pct_jeugdbescherming", "gemeente") is None
    assert P.scoped_area(store, BUURT, 2024, "pct_jeugdbescherming", "") is None  # exact: the buurt has none
