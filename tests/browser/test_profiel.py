"""Browser smoke test: the profile of a Groningen buurt shows its real population figure."""

from __future__ import annotations

from tests.browser.conftest import assert_no_exception, wait_for_app
from wijk.core.catalogue import format_value

BUURT = "BU00140107"  # Laanhuizen, gemeente Groningen


def test_profiel_shows_real_population(app_server, page, store):
    expected = format_value(store.value(BUURT, 2024, "inwoners"), "count", "nl")  # "1.325" in the embedded data
    page.goto(f"{app_server}/profiel?buurt={BUURT}")
    wait_for_app(page)
    page.get_by_text("Buurtprofiel: Laanhuizen").first.wait_for(timeout=30_000)
    metric = page.locator('[data-testid="stMetricValue"]', has_text=expected)
    metric.first.wait_for(timeout=30_000)
    assert metric.count() >= 1
    assert page.get_by_text("Buurtcijfers zeggen niets over dit gezin").count() >= 1
    assert_no_exception(page)


def test_a_cards_provenance_appears_when_its_expander_is_opened(app_server, page):
    """The provenance of a card is made when its expander is opened (issue 22): a person who opens it
    sees the CBS table of the figure, as before."""
    page.goto(f"{app_server}/profiel?buurt={BUURT}")
    wait_for_app(page)
    expander = page.locator('[data-testid="stExpander"]', has_text="Herkomst van de cijfers").first
    expander.wait_for(timeout=30_000)
    assert expander.locator("table").count() == 0  # closed: nothing made yet
    expander.locator("summary").click()
    expander.locator("table", has_text="85984NED").first.wait_for(timeout=60_000)
    assert_no_exception(page)
