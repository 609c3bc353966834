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
