"""Browser tests of the profile of a Groningen buurt: its real population figure, a card's definition
and provenance opened in the browser (keyboard too), and no WCAG finding with them open."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, wait_for_app, wait_until_fresh
from wijk.core.catalogue import format_value

BUURT = "BU00140107"  # Laanhuizen, gemeente Groningen
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _open(page, app_server: str, lang: str = "nl"):
    page.goto(f"{app_server}/profiel?buurt={BUURT}&lang={lang}")
    wait_for_app(page)
    card = page.locator(".wb-card").filter(has=page.locator(".wb-card-label", has_text="Inwoners")).first
    card.wait_for(timeout=60_000)
    return card


def test_profiel_shows_real_population(app_server, page, store):
    expected = format_value(store.value(BUURT, 2024, "inwoners"), "count", "nl")  # "1.325" in the embedded data
    card = _open(page, app_server)
    assert card.locator(".wb-card-value").inner_text() == expected
    assert page.get_by_text("Buurtprofiel: Laanhuizen").count() >= 1
    assert page.get_by_text("Buurtcijfers zeggen niets over dit gezin").count() >= 1
    assert_no_exception(page)


def test_a_cards_definition_and_provenance_open_in_the_browser(app_server, page):
    """The provenance is in the card (issue 22): a click, or Enter on the focused summary, shows it at
    once, without a server round trip."""
    card = _open(page, app_server)
    prov = card.locator("details.wb-card-prov")
    table = prov.locator("table")
    assert not table.is_visible()  # closed
    prov.locator("summary").click()
    table.wait_for(state="visible", timeout=5_000)
    assert "85984NED" in table.inner_text() and "BU00140107" in table.inner_text()
    definition = card.locator("details.wb-card-def")
    definition.locator("summary").focus()
    page.keyboard.press("Enter")
    definition.locator("p").wait_for(state="visible", timeout=5_000)
    assert "Aantal inwoners op 1 januari" in definition.inner_text()
    assert_no_exception(page)


def test_axe_finds_no_wcag_violation_with_cards_open(app_server, page):
    axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
    card = _open(page, app_server)
    for summary in card.locator("summary").all():
        summary.click()
    wait_until_fresh(page, 60_000)
    violations = axe_sync.Axe().run(page, options=WCAG).response["violations"]
    assert not [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]


def test_chart_table_and_spreadsheet_are_made_when_asked(app_server, page):
    """Issue 22: no data grid on first paint (the age chart's table is made when its section is opened)
    and the profile's Excel file is made when its button is clicked; both still arrive whole."""
    _open(page, app_server)
    section = page.locator('[data-testid="stExpander"]', has_text="De cijfers van deze grafiek als tabel").first
    section.wait_for(timeout=60_000)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    section.locator("summary").click()
    section.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=90_000)
    wait_for_app(page)
    button = page.locator('[data-testid="stDownloadButton"]', has_text="Excel (.xlsx)").first
    with page.expect_download(timeout=60_000) as info:
        button.click()
    data = info.value.path().read_bytes()
    assert info.value.suggested_filename.endswith(".xlsx") and BUURT in info.value.suggested_filename
    assert len(data) > 200 and data.startswith(b"PK\x03\x04")
    assert_no_exception(page)
