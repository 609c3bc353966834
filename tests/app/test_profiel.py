"""AppTest of the profile page: default open, buurt via URL, unknown code, a sparse year, language."""

from __future__ import annotations

from tests.app.conftest import card_values, open_app, page_cards, page_text
from tests.fixtures.local_dataset_made_up import made_up_dataset
from wijk.core.catalogue import format_value
from wijk.profile.model import build_profile


def _open_default(**params):
    """profiel is the default page (first in app.PAGES): a plain run keeps the sidebar and the frame's
    messages in the element tree, which AppTest drops after switch_page."""
    return open_app(None, **params)


def _fmt(store, code, year, ind="inwoners", lang="nl"):
    return format_value(store.value(code, year, ind), "count", lang)


def test_default_open_shows_groningen(store):
    at = _open_default()
    assert not at.exception
    text = page_text(at)
    assert "Buurtprofiel: Groningen" in text
    assert "Buurtcijfers zeggen niets over dit gezin" in text
    assert f"Inwoners {_fmt(store, 'GM0014', 2024)}" in text
    assert "Bewoners" in [h.value for h in at.header]
    assert len(at.get("download_button")) == 4  # printable HTML; CSV for Dutch Excel, .xlsx, sources


def test_buurt_via_url_shows_its_real_population(store):
    at = open_app("profiel", buurt="BU00140107")
    assert not at.exception
    text = page_text(at)
    assert "Buurtprofiel: Laanhuizen" in text
    assert f"Inwoners {_fmt(store, 'BU00140107', 2024)}" in text  # 1.325 in the embedded data
    assert "gemeente Groningen" in text and "wijk Oud-Zuid" in text
    assert "geteld" in text  # crime is counted where committed
    profile = build_profile(store, "BU00140107", 2024)
    shown = page_cards(at)
    assert len(shown) == len(profile.headline) + sum(len(s.rows) for s in profile.sections)  # one per figure
    cards = {c.label: c for c in shown}
    inwoners = cards["Inwoners"]  # its provenance is in the card's own <details>, opened in the browser
    assert inwoners.summaries == ["Wat betekent dit?", "Herkomst van de cijfers"]
    assert inwoners.facts("CBS-tabel")[0] == "85984NED" and inwoners.facts("Gebiedscode")[0] == "BU00140107"
    assert inwoners.facts("Waarde")[0] == _fmt(store, "BU00140107", 2024)
    assert inwoners.facts("Betreft periode")[0] == "1 januari 2024"
    assert inwoners.table[0][1:] == ["buurt", "wijk Oud-Zuid", "gemeente Groningen", "Nederland"]
    assert inwoners.definition.startswith("Aantal inwoners op 1 januari")  # the metric's help text of old
    assert "Herkomst van de cijfers" not in [e.label for e in at.expander]  # no server round trip to open it
    assert len(at.get("vega_lite_chart")) >= 1
    headers = [h.value for h in at.header]
    order = ["Bewoners", "Werk en inkomen", "Wonen", "Veiligheid", "Voorzieningen"]
    assert [h for h in headers if h in order] == order


def test_unknown_code_gives_a_message_not_an_exception():
    at = _open_default(buurt="BU99999999")
    assert not at.exception
    text = page_text(at)
    assert "BU99999999" in text and "bestaat niet" in text
    assert "Buurtprofiel: Groningen" in text


def test_year_without_figures_says_not_available():
    at = open_app("profiel", buurt="BU00140107", jaar="2020")
    assert not at.exception
    # default: the newest figure per indicator, each with its year (inhabitants of 2017 here)
    assert "Ouder cijfer: van 2017" in page_text(at)
    at.toggle(key="profiel_strict").set_value(True).run()  # strict: only figures of exactly 2020
    assert not at.exception
    text = page_text(at)
    assert "niet beschikbaar voor 2020 in de ingebouwde data" in text
    assert "Niet beschikbaar voor 2020 in de ingebouwde data: " in text  # the section's list under its cards
    assert "schatting" in text  # RIVM estimates labelled as such
    values = card_values(at)
    assert values["Inwoners"] == "–" and "0" not in values["Inwoners"]


def test_year_2017_has_income(store):
    at = open_app("profiel", buurt="BU00140107", jaar="2017")
    assert not at.exception
    values = card_values(at)
    assert values["Inwoners"] == _fmt(store, "BU00140107", 2017)
    assert "Huishoudens onder of rond het sociaal minimum" in values


def test_language_switch_url_and_sidebar(store):
    at = open_app("profiel", buurt="BU00140107", lang="en")
    assert not at.exception
    text = page_text(at)
    assert "Neighbourhood profile: Laanhuizen" in text
    assert f"Inhabitants {_fmt(store, 'BU00140107', 2024, lang='en')}" in text
    assert "Area figures say nothing about this family" in text
    assert "Residents" in [h.value for h in at.header]
    at = _open_default(buurt="BU00140107")
    assert "Buurtprofiel: Laanhuizen" in page_text(at)
    at.radio(key="w_lang").set_value("en").run()
    assert not at.exception
    assert "Neighbourhood profile: Laanhuizen" in page_text(at)
    assert "Key figures" in [s.value for s in at.subheader]


def test_small_buurt_warns_and_switches_to_wijk():
    at = open_app("profiel", buurt="BU00140004")  # Noorderplantsoen: 10 inhabitants
    assert not at.exception
    assert "Kleine buurt" in page_text(at)
    at.button(key="profiel_to_wijk").click().run()
    assert not at.exception
    assert "Buurtprofiel: Centrum" in page_text(at)


def test_own_data_section_shows_source_and_suppressed():
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["buurt"] = "BU00140107"
    at.session_state["wb_local_datasets"] = [made_up_dataset()]
    at.run()
    at.switch_page("pages/profiel.py").run()
    assert not at.exception
    text = page_text(at)
    values = card_values(at)
    assert values["Meldingen jongerenwerk (verzonnen)"] == "42"
    assert values["Kleine groep (verzonnen)"] == "onderdrukt"
    assert "Testbron jongerenwerk" in text


def test_gemeente_subtitle_has_no_empty_part():
    """'gemeente GM0014 · · cijfers 2024': a gemeente has no parents besides NL."""
    at = _open_default(gemeente="GM0014", jaar="2024")
    captions = [str(c.value) for c in at.caption]
    assert "gemeente GM0014 · cijfers 2024" in captions
    assert not any("·  ·" in c or "· ·" in c for c in captions)


def test_a_wijk_named_wijk_is_named_once():
    at = _open_default(gemeente="GM1680", wijk="WK168000", buurt="BU16800000", jaar="2024")
    assert not at.exception
    text = page_text(at)
    assert "buurt BU16800000 · Wijk 00 Annen · gemeente Aa en Hunze · cijfers 2024" in text
    assert "wijk Wijk" not in text


def test_a_small_buurt_summary_starts_with_its_people():
    at = _open_default(gemeente="GM0014", wijk="WK001405", buurt="BU00140505", jaar="2024")  # 75 inhabitants
    summary = next(m.value for m in at.markdown if m.value.startswith("- Driebond"))
    lines = summary.splitlines()
    assert "75 inwoners" in lines[1] and "Misdrijven" not in summary
    assert "zoals misdrijven, staan niet in deze samenvatting" in summary


def test_households_have_the_national_figure(store):
    """CBS publishes the NL total; the 2024 data has it (the card must not say 'Nederland –')."""
    at = _open_default(gemeente="GM0855", wijk="WK085512", buurt="BU08551201", jaar="2024")
    nl = _fmt(store, "NL01", 2024, "huishoudens")
    assert nl == "8.374.404"
    households = next(c for c in page_cards(at) if c.label == "Huishoudens")
    assert f"Nederland {nl}" in households.lines[0]


def test_a_renumbered_buurt_shows_its_old_figures_with_the_old_code(store):
    """Bijlmermuseum-Noord BU0363TG01 was BU03639402: RIVM 2020 and KWB 2017 income appear, labelled."""
    at = open_app("profiel", buurt="BU0363TG01", jaar="2024")
    assert not at.exception
    text = page_text(at)
    income = store.latest("BU0363TG01", "inkomen_per_inwoner", 2024)
    lonely = store.latest("BU0363TG01", "rivm_eenzaam", 2024)
    assert income.carried_from == "BU03639402" and lonely.carried_from == "BU03639402"
    assert format_value(income.value, "eur1000", "nl") in text
    assert "zelfde gebied, in 2017 code BU03639402" in text and "zelfde gebied, in 2020 code BU03639402" in text
    assert "Dit cijfer is gepubliceerd onder code BU03639402" in text


def test_an_old_code_says_what_it_was_and_offers_the_current_area():
    at = open_app("profiel", buurt="BU03639402", jaar="2020")
    assert not at.exception
    assert "BU03639402) is een oude buurtcode" in page_text(at)
    button = next(b for b in at.button if b.key == "wb_old_code_BU0363TG01")
    assert "Bijlmermuseum-Noord" in button.label
    button.click().run()
    assert not at.exception and at.session_state["wb_selection"].buurt == "BU0363TG01"


def test_a_2020_buurt_of_tilburg_names_its_gemeente():
    at = _open_default(gemeente="GM0855", wijk="WK085510", buurt="BU08551001", jaar="2020")
    assert not at.exception
    text = page_text(at)
    assert "gemeente Tilburg" in text and "gemeente GM0855" not in text
