"""Three views of the buurt: the register (CBS), what residents report (RIVM model estimate), the room.

Real embedded figures for Oude Westen, Rotterdam (BU05990111): households around the social minimum
24,9% (KWB 2017) against 41,1% of adults who find it hard to make ends meet (RIVM 2016)."""

from __future__ import annotations

import pytest

from wijk.beeld import perception as P
from wijk.beeld.charts import group_chart
from wijk.beeld.report import collect_items, report_html, three_views
from wijk.beeld.views import load_pairs, residents_figure, residents_line, three_views_html
from wijk.beeld.workshop import WorkshopStore

ROTTERDAM_BUURT = "BU05990111"  # Oude Westen


@pytest.fixture
def ws(tmp_path):
    s = WorkshopStore(f"sqlite:///{tmp_path / 'ws.sqlite'}")
    yield s
    s.dispose()


def test_pairs_are_data_and_registered_crime_has_no_invented_residents_view():
    pairs = load_pairs()
    assert pairs["pct_sociaal_minimum"] == "rivm_moeite_rondkomen"
    assert "misdrijven_per_1000" not in pairs  # no residents' source for safety in the data: no mark


def test_residents_figure_is_the_same_area_nearest_year(store):
    deck = P.deck_questions(P.available_questions(store, ROTTERDAM_BUURT, 2024))
    qs = {q.id: q for q in deck}
    minimum = qs["pct_sociaal_minimum"]
    assert (minimum.code, minimum.year) == (ROTTERDAM_BUURT, 2017)  # the newest register year, named
    fig = residents_figure(store, minimum, ROTTERDAM_BUURT, 2024)
    assert (fig.code, fig.year, fig.value, fig.table) == (ROTTERDAM_BUURT, 2016, 41.1, "50120NED")
    low40 = qs["pct_huish_laagste_40"]  # a wijk figure for the buurt: the residents of that wijk
    wijk = residents_figure(store, low40, ROTTERDAM_BUURT, 2024)
    assert (wijk.code, wijk.year) == (low40.code, 2020) and low40.code.startswith("WK0599")
    assert residents_line(fig, minimum, "en", short=True).startswith("Residents themselves: 41.1%")
    line = residents_line(fig, minimum, "nl")
    assert "41,1%" in line and "RIVM-modelschatting" in line and "50120NED" in line and ROTTERDAM_BUURT in line
    assert residents_figure(store, qs["misdrijven_per_1000"], ROTTERDAM_BUURT, 2024) is None


def test_reveal_chart_draws_the_residents_mark(store):
    q = {q.id: q for q in P.available_questions(store, ROTTERDAM_BUURT, 2024)}["pct_sociaal_minimum"]
    spec = str(group_chart(q, [30, 50], 24.9, 20.0, "nl", "", 41.1).to_dict())
    assert "bewoners zelf (RIVM-schatting): 41,1%" in spec and "#1f5fa8" in spec


def test_report_closes_with_three_views_for_two_default_deck_questions(store, ws):
    deck = P.deck_questions(P.available_questions(store, ROTTERDAM_BUURT, 2024))
    made = ws.create_workshop(ROTTERDAM_BUURT, 2024, [q.id for q in deck], "Rotterdam")
    code, secret = made.join_code, made.facilitator_secret
    ws.set_question_specs(code, secret, {q.id: q.to_spec() for q in deck})
    for a, b in [(40, 50), (60, 70), (30, 45)]:
        token = ws.join(code)
        ws.submit(code, token, "pct_sociaal_minimum", a)
        ws.submit(code, token, "pct_huish_laagste_40", b)
    for qid in ("pct_sociaal_minimum", "pct_huish_laagste_40", "pct_met_kinderen"):
        ws.reveal(code, secret, qid)
    items = collect_items(store, ws, code, secret, deck)
    rows = {r.question.id: r for r in three_views(items)}
    assert set(rows) == {"pct_sociaal_minimum", "pct_huish_laagste_40"}  # kids: no residents' view
    assert (rows["pct_sociaal_minimum"].register, rows["pct_sociaal_minimum"].room) == (pytest.approx(24.9), 40)
    assert rows["pct_sociaal_minimum"].residents.value == 41.1
    html = report_html("Rotterdam", "Oude Westen", ROTTERDAM_BUURT, 2024, [], items, "nl")
    assert "Drie blikken op de buurt" in html and html.count("class='tv-row'") == 2
    assert html.count("class='tv-res'") >= 3 and "modelschatting" in html and "50120NED" in html
    assert three_views_html([], "nl") == ""
