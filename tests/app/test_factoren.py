"""AppTest of the factor page: a buurt with full data, one with many missing values, a tiny buurt, own data."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP, lazy_keys, open_sections, page_text, shown_tables
from tests.fixtures.local_factors_made_up import SOURCE, made_up_factor_dataset
from wijk.core.i18n import t
from wijk.factors.model import SMALL_AREA
from wijk.ui.session_owndata import SESSION_KEY

BUURT = "BU00140107"  # Laanhuizen, Groningen


def _open(session: dict | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (session or {}).items():
        at.session_state[k] = v
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/factoren.py")
    at.run()
    return at


def _subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def _all_frames_text(at: AppTest) -> str:
    """Every table of the screen, its closed sections opened first (as a click does)."""
    if lazy_keys(at):
        open_sections(at)
    return "\n".join(f.to_string() for f in shown_tables(at))


def test_buurt_with_full_data():
    at = _open(buurt=BUURT)
    assert not at.exception
    text = page_text(at)
    assert "Laanhuizen" in text and "niet de mensen die er wonen" in text and "geen oordeel" in text
    assert "geteld waar ze zijn gepleegd" in text  # crime: counted where committed, next to the panel
    heads = _subheaders(at)
    assert heads.index("Beschermende factoren") < heads.index("Risicofactoren") < heads.index("Signalen van behoefte")
    assert "Vergelijkbare buurten" in heads
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 2  # the risk panel and the similar-buurten comparison
    frames = _all_frames_text(at)
    assert "Misdrijven per 1.000 inwoners" in frames and "Bijstand per 1.000 inwoners" in frames  # shown / missing
    assert "CBS-verversing" in frames
    # the reference choice: switch to NL and the intro follows
    at.radio(key="factoren_ref").set_value("nl").run()
    assert not at.exception
    assert "ten opzichte van Nederland" in page_text(at)
    assert not any("score" in h.lower() for h in heads)


def test_buurt_with_many_missing_values_2020(store):
    at = _open(buurt=BUURT, jaar="2020")
    assert not at.exception
    text = page_text(at)
    assert "(2020)" in text and "modelschattingen" in text
    assert "te weinig contextcijfers" in text  # no similar search for 2020
    expanders = [e.label for e in at.expander]
    assert any(label.startswith("Ontbrekende indicatoren") for label in expanders)
    frames = _all_frames_text(at)
    assert "wel voor dit gebied in 2024" in frames  # crime exists for this buurt in another year
    assert f"{store.areas.name(BUURT, 2020)}" in text


def test_buurt_2017_income_and_similar(store):
    code = "BU00140000"
    assert store.value(code, 2017, "pct_sociaal_minimum") is not None
    at = _open(buurt=code, jaar="2017")
    assert not at.exception
    frames = _all_frames_text(at)
    assert "Huishoudens onder of rond het sociaal minimum" in frames
    assert "Vergelijkbare buurten" in _subheaders(at) and "het meest op" in page_text(at)


def test_tiny_buurt_is_flagged(store):
    frame = store.level_frame(2024, "buurt", within="GM0014")
    tiny = frame[frame["inwoners"] < SMALL_AREA].index[0]
    n = int(store.value(tiny, 2024, "inwoners"))
    at = _open(buurt=tiny)
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert f"{n} inwoners" in warnings and "onbetrouwbaar" in warnings


def test_own_data_takes_part_labelled_with_source():
    at = _open({SESSION_KEY: [made_up_factor_dataset()]}, buurt=BUURT)
    assert not at.exception
    frames = _all_frames_text(at)
    assert "Sportdeelname jeugd (verzonnen) · eigen data" in frames
    assert "Meldingen jongerenoverlast per 1.000 (verzonnen) · eigen data" in frames
    assert SOURCE in frames


def test_gemeente_and_english():
    at = _open(gemeente="GM0014", lang="en")
    assert not at.exception
    text = page_text(at)
    assert "compared with the Netherlands" in text and "not the people who live there" in text
    assert "Choose a neighbourhood" in text


def test_a_recoded_amsterdam_buurt_gets_context_from_its_surroundings():
    # Marnixbuurt-Midden: a 2022 code whose area changed (merged), so no figure is carried to it
    at = _open(gemeente="GM0363", wijk="WK0363AB", buurt="BU0363AB06")
    assert not at.exception
    text = page_text(at)
    assert "Marnixbuurt-Midden" in text
    assert "het cijfer van de wijk of gemeente eromheen" in text  # the empty outcome panel points to context
    # the empty panel's missing list is open, and its table there, so the context is seen without a click
    outcome_missing = [e for e in at.expander if e.label.startswith("Ontbrekende indicatoren")]
    assert any(e.proto.expanded for e in outcome_missing)
    assert "factoren_missing_open_outcome" not in lazy_keys(at, closed=False)
    assert any("gemeente Amsterdam, 2020" in d.value.to_string() for d in at.dataframe)
    frames = _all_frames_text(at)
    assert "gemeente Amsterdam, 2020" in frames and "nog niet bestond" in frames


def test_the_provenance_is_worked_out_when_opened():
    """A lazy expander: closed, no provenance table is made or sent; opened (its state set as a click
    sets it), the table of every figure's CBS table, variable and year is there."""
    at = _open(buurt=BUURT)
    assert any(e.label == "Herkomst van de cijfers" for e in at.expander)
    assert not any("CBS-tabel / bron" in d.value.columns for d in at.dataframe)
    at.session_state["factoren_provenance_open"] = True
    at.run()
    assert not at.exception
    prov = next(d.value for d in at.dataframe if "CBS-tabel / bron" in d.value.columns)
    assert len(prov) >= 5 and {"Variabele", "Jaar"} <= set(prov.columns)


def test_a_closed_section_sends_no_table_until_opened():
    """Issue 22: the tables under the charts, the missing lists, the method and the provenance are
    made when their section is opened, not on every load; opened, the same table is there."""
    at = _open(buurt=BUURT)
    assert not at.exception
    closed = lazy_keys(at)
    kinds = ("protective", "risk", "outcome")
    assert {f"factoren_details_open_{k}" for k in kinds} <= set(closed)
    assert {"factoren_method_open", "factoren_provenance_open", "factoren_similar_detail_open"} <= set(closed)
    land = t("factoren_col_land", "nl")  # the detail tables' column of the NL figure
    before = shown_tables(at)
    assert before and not any(land in f.columns for f in before)
    assert "omgerekend naar dezelfde maat" not in page_text(at)  # the similar-buurten detail
    open_sections(at, "factoren_details_open_risk")
    assert not at.exception
    after = shown_tables(at)
    assert len(after) == len(before) + 1
    detail = next(f for f in after if land in f.columns)
    assert "Misdrijven per 1.000 inwoners" in detail.to_string()
    assert "factoren_details_open_protective" in lazy_keys(at)  # the others stay closed
    open_sections(at, "factoren_similar_detail_open")
    assert "omgerekend naar dezelfde maat" in page_text(at) and "Kenmerken: " in page_text(at)


def test_a_renumbered_buurt_shows_risk_factors_and_signals_of_need():
    """Bijlmermuseum-Noord BU0363TG01 was BU03639402: its old figures are carried, labelled."""
    at = _open(gemeente="GM0363", wijk="WK0363TG", buurt="BU0363TG01")
    assert not at.exception
    text = page_text(at)
    assert "Bijlmermuseum-Noord" in text and "Geen cijfers voor deze factoren" not in text
    frames = _all_frames_text(at)
    assert "zelfde gebied, in 2020 code BU03639402" in frames and "(2014, oud)" in frames  # income of KWB 2017
