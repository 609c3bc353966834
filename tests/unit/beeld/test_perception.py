"""Unit tests for wijk.beeld.perception and wijk.beeld.group on the real embedded rows."""

from __future__ import annotations

import pytest

from tests.fixtures.made_up_localdata import made_up_dataset
from wijk.beeld import perception as P
from wijk.beeld.group import aggregate, histogram_bins

BUURT = "BU00140301"  # Indische buurt, Groningen


def test_questions_only_for_indicators_with_data(store):
    for code, year in [(BUURT, 2024), ("WK001403", 2020), (BUURT, 2017), ("GM0014", 2023)]:
        qs = P.available_questions(store, code, year)
        assert qs, (code, year)
        for q in qs:
            assert store.value(q.code or code, q.year or year, q.id) is not None, (code, year, q.id)
    ids_2024 = {q.id for q in P.available_questions(store, BUURT, 2024)}
    assert {"pct_met_kinderen", "pct_0_14", "pct_15_24", "misdrijven_per_1000"} <= ids_2024
    assert "inkomen_per_inwoner" in ids_2024  # KWB 2024 publishes income for this buurt
    assert "inkomen_per_inwoner" in {q.id for q in P.available_questions(store, "WK001403", 2020)}
    # below gemeente in 2022: the RIVM health series (2024 indeling for every year) and questions that
    # name the area (wijk, gemeente) or the year (latest figure) they ask about
    assert all(
        q.id == "rivm_gezondheid_reeks" or (q.code and (q.code != BUURT or q.year != 2022))
        for q in P.available_questions(store, BUURT, 2022)
    )


def test_units_and_input_kinds_fit(store):
    qs = {q.id: q for q in P.available_questions(store, BUURT, 2024)}
    assert (qs["pct_met_kinderen"].kind, qs["pct_met_kinderen"].unit) == ("pct", "pct")
    assert (qs["misdrijven_per_1000"].kind, qs["misdrijven_per_1000"].unit) == ("number", "per1000")
    assert qs["gem_huishoudensgrootte"].kind == "compare"
    for q in qs.values():  # counts, codes and areas are never asked as a number
        assert q.unit not in ("count", "code", "ha")
        assert q.kind in ("pct", "number", "compare")
    assert qs["pct_met_kinderen"].text("nl") == (
        "Hoeveel procent van de huishoudens in Indische buurt heeft thuiswonende kinderen (2024)?"
    )
    assert "1000 inhabitants" in qs["misdrijven_per_1000"].text("en") and "2024" in qs["misdrijven_per_1000"].text("en")
    assert "Groningen" in qs["gem_huishoudensgrootte"].text("nl")  # compared with its gemeente
    gm = {q.id: q for q in P.available_questions(store, "GM0014", 2024)}
    assert "Nederland" in gm["gem_huishoudensgrootte"].text("nl")
    assert "the Netherlands" in gm["gem_huishoudensgrootte"].text("en")
    inc = {q.id: q for q in P.available_questions(store, "WK001403", 2020)}["inkomen_per_inwoner"]
    assert (inc.kind, inc.unit, inc.unfavourable) == ("number", "eur1000", "low")


def test_direction_from_questions_csv_or_role(store):
    qs = {q.id: q for q in P.available_questions(store, "WK001403", 2020)}
    assert qs["pct_huish_laagste_40"].unfavourable == "high"
    assert qs["rivm_vrijwilligerswerk"].unfavourable == "low"  # protective role, no template
    assert {q.id: q for q in P.available_questions(store, BUURT, 2024)}["pct_0_14"].unfavourable == ""


def test_questions_hold_no_figures(store):
    for q in P.available_questions(store, BUURT, 2024):
        spec = repr(q.to_spec())
        assert "12,2" not in spec and "55,9" not in spec
        assert P.Question.from_spec(q.to_spec()) == q


def test_deck_and_default_selection(store):
    qs = P.available_questions(store, BUURT, 2024)
    deck = [q.id for q in P.deck_questions(qs)]
    assert deck[:5] == ["pct_met_kinderen", "pct_0_14", "pct_15_24", "misdrijven_per_1000", "inkomen_per_inwoner"]
    chosen = P.default_selection(qs)
    assert P.MIN_QUESTIONS <= len(chosen) <= P.MAX_QUESTIONS
    w2020 = P.available_questions(store, "WK001403", 2020)
    # the income questions take the newest figure when the asked year has none (scope 'latest'), named with its year
    assert P.default_selection(w2020)[:3] == ["inkomen_per_inwoner", "pct_sociaal_minimum", "pct_huish_laagste_40"]
    assert len(P.default_selection(w2020)) >= P.MIN_QUESTIONS


def test_own_local_indicators_become_questions(store):
    ds = made_up_dataset()
    qs = {q.id: q for q in P.available_questions(store, BUURT, 2024, [ds])}
    assert "local:schoolbezoek" in qs and "local:jeugdbescherming" not in qs  # suppressed: no question
    q = qs["local:schoolbezoek"]
    assert (q.kind, q.unfavourable, q.source) == ("pct", "low", "Made-up test source")
    assert "local:schoolbezoek" in [x.id for x in P.deck_questions(list(qs.values()))]
    truth = P.truth_for(store, q, BUURT, 2024, [ds])
    assert (truth.value, truth.gemeente, truth.nl) == (91.0, 95.0, None)
    assert P.score(q, 70, truth).direction == "negative"  # fewer at school than real: too negative


def test_truth_and_score(store):
    qs = {q.id: q for q in P.available_questions(store, BUURT, 2024)}
    kids = qs["pct_met_kinderen"]
    truth = P.truth_for(store, kids, BUURT, 2024)
    assert truth.value == pytest.approx(12.18, abs=0.01)
    assert truth.gemeente == pytest.approx(17.74, abs=0.01)
    assert truth.nl == store.value("NL01", 2024, "pct_met_kinderen") > truth.gemeente
    s = P.score(kids, 30, truth)
    assert s.gap == pytest.approx(30 - truth.value)
    assert s.direction == "higher"  # no good or bad direction for households with children
    assert s.beats_baseline is False  # the gemeente average (17.7) was closer
    assert P.score(kids, 14, truth).direction == "close"  # within 5 points
    crime = qs["misdrijven_per_1000"]
    ct = P.truth_for(store, crime, BUURT, 2024)
    assert P.score(crime, 300, ct).direction == "negative"
    assert P.score(crime, 20, ct).direction == "positive"
    assert P.score(crime, 53, ct).direction == "close"  # within 15% of 55.9 (CBS 2024)
    assert P.score(crime, 57, ct).beats_baseline is True  # closer than Groningen's 61.3


def test_compare_questions(store):
    q = {q.id: q for q in P.available_questions(store, BUURT, 2024)}["gem_huishoudensgrootte"]
    truth = P.truth_for(store, q, BUURT, 2024)
    # 1.4 persons per household against 1.7 in Groningen: lower
    assert truth.value == -1.0 and truth.area_value == pytest.approx(1.4, abs=0.01)
    assert truth.reference == 0.0  # guessing 'the average' means guessing 'same'
    assert P.score(q, -1, truth).direction == "close"
    assert P.format_answer(q, 1, "nl") == "hoger"
    assert P.format_gap(q, -2, "nl") == "-2 stap(pen)"


def test_overall_and_baseline(store):
    qs = [
        q
        for q in P.available_questions(store, BUURT, 2024)
        if q.id in ("misdrijven_per_1000", "pct_65plus", "pct_met_kinderen")
    ]
    truths = {q.id: P.truth_for(store, q, BUURT, 2024) for q in qs}
    guesses = {"misdrijven_per_1000": 300, "pct_65plus": 40, "pct_met_kinderen": 12}
    scores = {q.id: P.score(q, guesses[q.id], truths[q.id]) for q in qs}
    o = P.overall(qs, scores)
    assert o.n == 3 and o.n_negative == 1 and o.n_close >= 1 and o.verdict in ("negative", "mixed")
    assert o.worst == "misdrijven_per_1000"  # 300 against 55.9: the largest relative gap
    assert o.baseline_n == 3
    assert o.error > o.baseline_error
    accurate = {q.id: P.score(q, truths[q.id].value, truths[q.id]) for q in qs}
    assert P.overall(qs, accurate).verdict == "accurate"
    assert P.overall(qs, {}).verdict == "mixed" and P.overall(qs, {}).worst is None


def test_format_gap_units(store):
    qs = {q.id: q for q in P.available_questions(store, BUURT, 2024)}
    assert P.format_gap(qs["pct_met_kinderen"], 5.25, "nl") == "+5,2 procentpunt"
    assert P.format_gap(qs["misdrijven_per_1000"], -12, "en") == "-12.0"


def test_group_aggregation(store):
    q = {q.id: q for q in P.available_questions(store, BUURT, 2024)}["misdrijven_per_1000"]
    truth = P.truth_for(store, q, BUURT, 2024)  # 55.9 (CBS 2024)
    g = aggregate(q, [25, 50, 60, 100, 200], truth, truth.gemeente)
    assert (g.n, g.median, g.low, g.high) == (5, 60, 25, 200)
    assert (g.q1, g.q3) == (50, 100)
    assert (g.n_above, g.n_below, g.n_close, g.n_negative) == (2, 1, 2, 2)
    assert sum(c for _, _, c in g.bins) == 5
    assert g.bins[0][0] == 0 and g.bins[-1][1] >= 200
    kids = {q.id: q for q in P.available_questions(store, BUURT, 2024)}["pct_met_kinderen"]
    gk = aggregate(kids, [10, 30, 60, 100], P.truth_for(store, kids, BUURT, 2024))
    assert gk.n_negative is None  # no unfavourable direction
    assert [b[:2] for b in gk.bins][:2] == [(0, 10), (10, 20)] and gk.bins[-1][2] == 1  # 100 counted
    empty = aggregate(kids, [], None)
    assert (empty.n, empty.median, empty.n_negative) == (0, None, None)


def test_histogram_bins_compare(store):
    q = {q.id: q for q in P.available_questions(store, BUURT, 2024)}["gem_huishoudensgrootte"]
    assert [c for _, _, c in histogram_bins(q, [-1, 1, 1, 0])] == [1, 1, 2]


def test_source_line_after_reveal_names_table_variable_year_and_area(store):
    from wijk.beeld import perception as P

    q = next(q for q in P.available_questions(store, "BU00140301", 2024) if q.id == "pct_met_kinderen")
    line = P.source_line(store, q, "BU00140301", 2024)
    assert "85984NED" in line and "HuishoudensMetKinderen" in line and "2024" in line and "BU00140301" in line


def test_every_deck_question_has_a_true_value_in_the_latest_year(store):
    """A deck never asks what cannot be revealed, in a city buurt, a wijk, big cities, rural."""
    latest = max(store.years())
    for code in ("BU00140301", "WK001403", "GM0599", "GM0363", "GM1680"):
        questions = P.available_questions(store, code, latest)
        picked = P.deck_questions(questions)
        assert len(picked) >= P.MIN_QUESTIONS, code
        for q in picked:
            assert P.truth_for(store, q, code, latest) is not None, (code, q.id)


def test_deck_keeps_room_for_own_figures():
    def q(i):
        return P.Question(i, "pct", "pct", "", i, i, "", "", i, i)

    qs = [q(f"c{i}") for i in range(10)] + [q("local:a"), q("local:b")]
    picked = P.deck_questions(qs, "d", {"d": [f"c{i}" for i in range(10)] + ["local:*"]})
    assert [x.id for x in picked] == [f"c{i}" for i in range(6)] + ["local:a", "local:b"]


def test_a_question_about_an_older_figure_names_the_area_not_its_code(store):
    """Tarwewijk BU05991571 has no CBS name before 2024: a question on its 2017 figure still names it."""
    qs = {q.id: q for q in P.available_questions(store, "BU05991571", 2024)}
    q = qs["pct_sociaal_minimum"]
    assert q.year < 2024 and q.code == "BU05991571"
    assert "Tarwewijk" in q.text_nl and "BU05991571" not in q.text_nl


def test_a_truth_is_made_once_per_store_and_is_the_same_as_made_afresh(store):
    from wijk.beeld.verdict import _spread, area_spread

    kids = {q.id: q for q in P.available_questions(store, BUURT, 2024)}["pct_met_kinderen"]
    first = P.truth_for(store, kids, BUURT, 2024)
    assert P.truth_for(store, kids, BUURT, 2024) is first  # every phone of a room gets the one made
    assert first == P._truth(store, kids, BUURT, 2024)
    assert first.spread == area_spread(store, BUURT, 2024, kids.id) == _spread(store, BUURT, 2024, kids.id)
    assert first.spread is not None
