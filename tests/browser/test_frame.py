"""The frame as a person meets it: accessible (axe-core, WCAG 2.1 A/AA), Dutch, a first-use path,
no raw pages/ list on a cold deep link, and a profile that fits a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, start_server, wait_for_app, wait_until_fresh

SCREENS = ["profiel", "factoren", "kaart", "beeld", "trends", "eigen-data", "data"]
AREA = "gemeente=GM0014&wijk=WK001403&buurt=BU00140301&jaar=2024"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def open_screen(page, base: str, path: str, query: str, sidebar: bool = True) -> None:
    page.goto(f"{base}/{path}?{query}")
    if sidebar:  # on a phone the sidebar starts collapsed
        wait_for_app(page)
    page.locator('[data-testid="stMain"] h1').first.wait_for(state="visible", timeout=60_000)
    page.wait_for_timeout(1500)
    assert_no_exception(page)


# every element drawn at full opacity: Streamlit fades elements while a run is under way and fades them
# back with a CSS transition, during which axe reads a mixed colour as too little contrast
_OPAQUE = """() => [...document.querySelectorAll('[data-testid="stElementContainer"]')]
  .every(e => getComputedStyle(e).opacity === '1')"""


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_finds_no_wcag_violation_on_any_screen(app_server, page, lang):
    axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_sync.Axe()
    found = {}
    for path in SCREENS:
        open_screen(page, app_server, path, f"{AREA}&lang={lang}")
        # screen readers speak the UI language: the frame's script sets <html lang> once it has run (bounded)
        page.wait_for_function(f"() => document.documentElement.lang === '{lang}'", timeout=30_000)
        wait_until_fresh(page, 60_000)  # a rerun still under way fades the page (a false contrast finding)
        page.wait_for_function(_OPAQUE, timeout=60_000)  # and the fade back takes a moment on a busy machine
        violations = axe.run(page, options=WCAG).response["violations"]
        if violations:
            found[path] = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
    assert not found, found


def test_first_visit_shows_how_it_works_and_it_can_be_dismissed(app_server, page):
    page.goto(app_server)
    wait_for_app(page)
    box = page.locator(".st-key-wb_intro")
    box.wait_for(state="visible", timeout=45_000)
    assert "Zo werkt het" in box.inner_text()
    page.locator(".st-key-wb_intro_dismiss button").click(timeout=60_000)
    wait_for_app(page)
    page.wait_for_timeout(500)
    assert page.locator(".st-key-wb_intro").count() == 0
    assert_no_exception(page)


def test_a_shared_link_goes_straight_to_the_figures(app_server, page):
    open_screen(page, app_server, "profiel", f"{AREA}&lang=nl")
    assert page.locator(".st-key-wb_intro").count() == 0


def test_profile_fits_a_phone_without_sideways_scrolling(browser, app_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL", is_mobile=True)
    page = context.new_page()
    try:
        open_screen(page, app_server, "profiel", f"{AREA}&lang=nl", sidebar=False)
        page.screenshot(path=str(_shot_dir() / "profiel_390.png"), full_page=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"the page scrolls {overflow}px sideways at 390 px"
    finally:
        context.close()


def test_a_deep_link_to_a_cold_server_never_shows_the_raw_page_list(browser, tmp_path_factory):
    """The first request to a fresh server runs Streamlit's old pages/ mode (see wijk/ui/state.py)."""
    server = start_server(tmp_path_factory)
    base = next(server)
    page = browser.new_page()
    try:
        page.goto(f"{base}/factoren?gemeente=GM0363&jaar=2024&lang=nl")
        raw_nav_seen = False
        for _ in range(600):  # until the real page paints (bounded: 60 s)
            raw_nav_seen |= page.locator('[data-testid="stSidebarNav"]').count() > 0
            if page.locator('[data-testid="stMain"] h1').count():
                break
            page.wait_for_timeout(100)
        wait_for_app(page)
        assert page.locator('[data-testid="stMain"] h1').first.inner_text().startswith("Risico")
        # the real frame: its sidebar paints in the same run as the title, but under load a moment later
        frame_label = page.locator('[data-testid="stSidebar"]').get_by_text("Gemeente", exact=True).first
        try:
            frame_label.wait_for(state="attached", timeout=30_000)
        except Exception as err:
            page.screenshot(path=str(_shot_dir() / "cold_server_failure.png"), full_page=True)
            raise AssertionError(
                "no sidebar frame; the page says: " + page.locator("body").inner_text()[:2000]
            ) from err
        assert not raw_nav_seen
        assert_no_exception(page)
    finally:
        page.close()
        next(server, None)


def test_a_cold_deep_link_with_a_bad_gemeente_warns_and_drops_it_from_the_address(browser, tmp_path_factory):
    """The first request to a fresh server (Streamlit's frame-less run, see wijk/ui/state.py) treats
    a bad code in the link like any other run: a warning, the fallback area, and a clean address."""
    server = start_server(tmp_path_factory)
    base = next(server)
    page = browser.new_page()
    try:
        page.goto(f"{base}/profiel?gemeente=GM9999&jaar=2024&lang=nl")
        warning = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text="GM9999")
        warning.first.wait_for(state="visible", timeout=60_000)
        assert "bestaat niet in de gegevens" in warning.first.inner_text()
        for _ in range(300):  # the address is rewritten by the same run (bounded: 30 s)
            if "GM9999" not in page.url:
                break
            page.wait_for_timeout(100)
        assert "GM9999" not in page.url and "gemeente=GM0014" in page.url, page.url
        assert_no_exception(page)
    finally:
        page.close()
        next(server, None)


def _shot_dir():
    from pathlib import Path

    out = Path(__file__).resolve().parents[2] / "tests" / "browser" / "screenshots"
    out.mkdir(exist_ok=True)
    return out
