"""Browser smoke test of the map page: a Groningen buurt, the deck canvas drawn, no exception box.

Opens the app at the buurt, then switches page through the navigation (as a user does).
"""
from __future__ import annotations

from tests.browser.conftest import assert_no_exception, wait_for_app

CANVAS_DRAWN = """() => {
  const root = document.querySelector('[data-testid="stDeckGlJsonChart"]');
  const c = root && root.querySelector('canvas');
  if (!c) return false;
  const r = c.getBoundingClientRect();
  return c.width > 0 && c.height > 0 && r.width > 0 && r.height > 0;
}"""


def test_kaart_draws_deck_canvas(app_server, page, tmp_path):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(app_server) and not r.url.startswith("data:") else None)
    page.goto(f"{app_server}/?buurt=BU00140000&jaar=2024&lang=nl")
    wait_for_app(page)
    page.get_by_role("link", name="Kaart", exact=True).first.click()
    wait_for_app(page)
    page.wait_for_function(CANVAS_DRAWN, timeout=45_000)
    page.wait_for_timeout(1500)  # let deck.gl paint before the picture
    shot = tmp_path / "kaart.png"
    page.locator('[data-testid="stDeckGlJsonChart"]').screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000  # a drawn map, not an empty box
    page.screenshot(path=str(tmp_path / "kaart_page.png"), full_page=True)
    body = page.inner_text("body")
    assert "Binnenstad-Noord" in body and "Grenzen van 2022, cijfers van 2024" in body
    assert "buurt=BU00140000" in page.url
    assert not [u for u in outside if "kaart" in u or "style" in u], outside  # no outside basemap request
    assert_no_exception(page)


def test_hover_shows_tooltip_and_click_selects_the_buurt(app_server, page):
    page.goto(f"{app_server}/?buurt=BU00140000&jaar=2024&lang=nl")
    wait_for_app(page)
    page.get_by_role("link", name="Kaart", exact=True).first.click()
    wait_for_app(page)
    page.wait_for_function(CANVAS_DRAWN, timeout=45_000)
    page.wait_for_timeout(1500)
    box = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.bounding_box()
    x, y = box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.78  # a buurt in the south of the gemeente
    page.mouse.move(x, y, steps=5)
    page.wait_for_timeout(800)
    tips = page.evaluate("() => Array.from(document.querySelectorAll('.deck-tooltip')).map(e => e.innerText)")
    assert any("(BU0014" in tip for tip in tips), tips
    page.mouse.click(x, y)
    page.wait_for_function("() => !location.search.includes('buurt=BU00140000')", timeout=30_000)
    wait_for_app(page)
    assert "buurt=BU0014" in page.url
    assert_no_exception(page)
