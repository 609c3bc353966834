"""The frame (app.py): URL selection in and out, messages for bad links, language, page switches."""

from pathlib import Path

from tests.app.conftest import open_app, page_text


def test_default_open_is_groningen():
    at = open_app()
    assert not at.exception
    assert at.sidebar.selectbox(key="w_gemeente").value == "GM0014"
    assert at.query_params["gemeente"] == ["GM0014"] or at.query_params["gemeente"] == "GM0014"


def test_shared_link_opens_the_same_area():
    at = open_app(buurt="BU00140301", jaar="2024")
    assert not at.exception
    assert at.sidebar.selectbox(key="w_wijk").value == "WK001403"
    assert at.sidebar.selectbox(key="w_buurt").value == "BU00140301"
    q = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert q["gemeente"] == "GM0014" and q["wijk"] == "WK001403" and q["buurt"] == "BU00140301"


def test_unknown_code_gives_a_message_not_a_traceback():
    at = open_app("data", buurt="BU99999999")
    assert not at.exception
    text = page_text(at)
    assert "BU99999999" in text and "bestaat niet" in text
    assert at.sidebar.selectbox(key="w_gemeente").value == "GM0014"


def test_garbage_in_the_url_is_harmless():
    at = open_app("data", gemeente="<img src=x onerror=alert(1)>", jaar="20x4", lang="fr")
    assert not at.exception
    assert at.sidebar.radio(key="w_lang").value == "nl"


def test_language_switch_to_english():
    at = open_app("data", lang="en")
    assert not at.exception
    assert "About the data" in page_text(at)
    at.sidebar.radio(key="w_lang").set_value("nl").run()
    assert "Over de data" in page_text(at)


def test_selection_survives_a_page_switch():
    at = open_app("data", buurt="BU00140107")
    assert at.sidebar.selectbox(key="w_buurt").value == "BU00140107"
    at.switch_page("pages/data.py").run()
    assert at.sidebar.selectbox(key="w_buurt").value == "BU00140107"


def test_picking_a_gemeente_resets_wijk_and_buurt():
    at = open_app("data", buurt="BU00140107")
    at.sidebar.selectbox(key="w_gemeente").set_value("GM0363").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="w_wijk").value == ""
    q = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert q["gemeente"] == "GM0363" and "buurt" not in q


def test_search_picks_an_area():
    at = open_app("data")
    at.sidebar.text_input(key="w_search").input("Laanhuizen").run()
    at.sidebar.selectbox(key="w_search_pick").set_value("BU00140107").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="w_buurt").value == "BU00140107"


def test_an_older_year_says_when_boundaries_changed_since():
    at = open_app("data", buurt="BU00140107", jaar="2017")
    text = page_text(at)
    assert "grenzen van 2017" in text and "2019" in text
    at = open_app("data", buurt="BU00140107", jaar="2024")
    assert "grenzen van 2024" not in page_text(at)


def test_a_search_without_hits_says_so_and_offers_suggestions():
    at = open_app("profiel")
    at.sidebar.text_input(key="w_search").input("Indische buurt Zwollerkerspel").run()
    assert not at.exception
    assert any("Niets gevonden" in c.value for c in at.sidebar.caption)
    assert any("(BU00140301)" in o for o in at.sidebar.selectbox(key="w_search_pick").options)


def test_natural_search_finds_the_buurt_first():
    at = open_app("profiel")
    at.sidebar.text_input(key="w_search").input("indische buurt groningen").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="w_search_pick").options[1].endswith("(BU00140301)")


def test_the_front_door_shows_how_it_works_until_dismissed():
    at = open_app(intro=True)
    assert not at.exception
    assert any("Zo werkt het" in m.value for m in at.markdown)
    at.button(key="wb_intro_dismiss").click().run()
    assert not any("Zo werkt het" in m.value for m in at.markdown)


def test_a_deep_link_skips_the_first_use_box():
    at = open_app("profiel", intro=True, gemeente="GM0014", buurt="BU00140301")
    assert not at.exception
    assert not any("Zo werkt het" in m.value for m in at.markdown)


def test_a_page_that_runs_without_the_frame_still_warns_about_the_link_and_cleans_it():
    """A fresh server's first request (or one that raced it) runs the page file alone; it is rerun
    once in the frame, and where it still runs alone it treats the URL like the frame does."""
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    at = AppTest.from_file(str(Path(APP).parent / "pages" / "trends.py"), default_timeout=60)
    at.session_state["wb_intro_show"] = False
    at.query_params["gemeente"] = "GM9999"
    at.query_params["jaar"] = "2024"
    at.run()
    assert not at.exception
    assert any("GM9999" in w.value and "bestaat niet" in w.value for w in at.warning)
    assert at.query_params["gemeente"] in ("GM0014", ["GM0014"]) and at.session_state["wb_frame_recovered"]
