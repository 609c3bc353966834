"""Every screen opens in a real browser for a Groningen buurt, shows its title and no exception box."""

from pathlib import Path

import pytest

from tests.browser.conftest import assert_no_exception, wait_for_app

ROOT = Path(__file__).resolve().parents[2]
SCREENS = [
    ("profiel", "profiel.py"),
    ("factoren", "factoren.py"),
    ("kaart", "kaart.py"),
    ("beeld", "beeld.py"),
    ("trends", "trends.py"),
    ("eigen-data", "eigen-data.py"),
    ("data", "data.py"),
]


@pytest.mark.parametrize("path,file", SCREENS)
def test_screen_opens_without_exception(app_server, page, path, file):
    if not (ROOT / "pages" / file).exists():
        pytest.skip(f"pages/{file} not built yet")
    page.goto(f"{app_server}/{path}?gemeente=GM0014&wijk=WK001401&buurt=BU00140107&jaar=2024&lang=nl")
    wait_for_app(page)
    page.locator('[data-testid="stMain"] h1').first.wait_for(state="visible", timeout=45_000)
    wait_for_app(page)
    assert_no_exception(page)
    assert "buurt=BU00140107" in page.url  # the selection stays in the URL


def test_unknown_code_shows_a_message_in_the_browser(app_server, page):
    page.goto(f"{app_server}/data?buurt=BU99999999")
    wait_for_app(page)
    page.get_by_text("BU99999999").first.wait_for(state="visible", timeout=45_000)
    assert_no_exception(page)
