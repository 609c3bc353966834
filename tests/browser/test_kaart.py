"""Browser tests of the map page: a buurt in Groningen, Amsterdam, Rotterdam, Tilburg and a small rural
gemeente each draws its buurten (approximate 2024 boundaries, said on the map), with its legend, the chosen
buurt outlined, and no exception box.

Screenshots go to tmp_path, or to WIJK_SCREENSHOT_DIR when set (to look at them).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from tests.browser.conftest import assert_no_exception, wait_for_app

CANVAS_DRAWN = """() => {
  const root = document.querySelector('[data-testid="stDeckGlJsonChart"]');
  const c = root && root.querySelector('canvas');
  if (!c) return false;
  const r = c.getBoundingClientRect();
  return c.width > 0 && c.height > 0 && r.width > 0 && r.height > 0;
}"""


def _open_map(page, server: str, query: str) -> None:
    page.goto(f"{server}/kaart?{query}")
    wait_for_app(page)
    page.wait_for_function(CANVAS_DRAWN, timeout=60_000)
    page.wait_for_timeout(2000)  # let deck.gl paint before the picture


def _colours(png: bytes) -> int:
    """Distinct colours in the map picture: an empty panel has a handful, a choropleth many."""
    img = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 170))
    return len({img.tobytes()[i : i + 3] for i in range(0, 200 * 170 * 3, 3)})


def _shots(tmp_path) -> Path:
    folder = Path(os.environ.get("WIJK_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize(
    "name, buurt, expect",
    [
        ("groningen", "BU00140107", "Grenzen van 2024, cijfers van 2024"),
        ("amsterdam", "BU0363TG01", "Grenzen van 2024, cijfers van 2024"),
        ("rotterdam", "BU05990110", "Grenzen van 2024, cijfers van 2024"),
        ("tilburg", "BU08553206", "Grenzen van 2024, cijfers van 2024"),  # Groenewoud Oost: changed since 2019
        ("schiermonnikoog", "BU00880000", "Grenzen van 2024, cijfers van 2024"),
    ],
)
def test_map_for_a_buurt_in_four_gemeenten(app_server, page, tmp_path, name, buurt, expect):
    outside = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(app_server) and not r.url.startswith("data:") and not r.url.startswith("blob:")
            else None
        ),
    )
    _open_map(page, app_server, f"buurt={buurt}&jaar=2024&lang=nl")
    # software WebGL on a busy machine: a picture of the canvas can take half a minute
    shot = page.locator('[data-testid="stDeckGlJsonChart"]').screenshot(timeout=120_000)
    (_shots(tmp_path) / f"kaart_{name}.png").write_bytes(shot)
    page.screenshot(path=str(_shots(tmp_path) / f"kaart_{name}_page.png"), timeout=120_000)
    assert _colours(shot) > 30, "the map panel looks empty"
    body = page.inner_text("body")
    assert expect in body
    assert "Benaderde grenzen" in body and "geen grenzen" not in body and "toont daarom de wijken" not in body
    assert f"({buurt})" in body and "is niet getekend" not in body  # the chosen buurt is drawn and outlined
    assert "Op de kaart" in body and "Basisschool (regulier)" in body  # the legend of the dots
    if name != "schiermonnikoog":  # the island has no special school
        assert "Speciaal" in body  # special education has its own layer in the legend
    legend = page.get_by_text("Op de kaart", exact=True).first
    assert legend.is_visible()
    assert "Effen achtergrond" in body or "BRT-Achtergrondkaart" in body  # the basemap is named
    if "Effen achtergrond" in body:  # the server could not reach PDOK: no tile request at all
        assert not [u for u in outside if "pdok" in u], outside
    assert f"buurt={buurt}" in page.url
    assert_no_exception(page)


def test_hover_shows_tooltip_and_click_selects_the_buurt(app_server, page):
    _open_map(page, app_server, "buurt=BU00140000&jaar=2024&lang=nl")
    box = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.bounding_box(timeout=120_000)
    tips, x, y = [], 0.0, 0.0
    # large rural buurten in the north-east of the gemeente (few facility dots on top), then the centre
    for fx, fy in ((0.78, 0.2), (0.72, 0.3), (0.8, 0.3), (0.5, 0.5)):
        x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
        page.mouse.move(x, y, steps=5)
        try:
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.deck-tooltip'))"
                ".some(e => e.innerText.includes('(BU0014'))",
                timeout=20_000,
            )
        except Exception:  # noqa: BLE001 - nothing picked here: try the next spot
            continue
        tips = page.evaluate("() => Array.from(document.querySelectorAll('.deck-tooltip')).map(e => e.innerText)")
        break
    assert any("(BU0014" in tip for tip in tips), tips
    page.mouse.click(x, y)
    page.wait_for_function("() => !location.search.includes('buurt=BU00140000')", timeout=90_000)
    wait_for_app(page)
    assert "buurt=BU0014" in page.url
    assert_no_exception(page)


def _choose_indicator(page, typed: str, option: str) -> None:
    """Pick an indicator in the map's selectbox by typing part of its name (the list is long)."""
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Indicator").first.click()
    page.keyboard.type(typed)
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page, timeout=120_000)


def test_amsterdam_map_of_older_figures_says_carried_and_old(app_server, page, tmp_path):
    """Bijlmermuseum-Noord (BU0363TG01, code BU03639402 until 2022): a 2024 map of an RIVM 2020 indicator
    colours it with its old code's figure and says so beside the legend; KWB 2017 figures are marked old."""
    _open_map(page, app_server, "buurt=BU0363TG01&jaar=2024&lang=nl")
    _choose_indicator(page, "Ervaren gezondheid", "Ervaren gezondheid goed (18+) (cijfers 2020)")
    page.get_by_text("buurten tonen het cijfer van hun oude code", exact=False).first.wait_for(timeout=60_000)
    page.wait_for_function(CANVAS_DRAWN, timeout=60_000)
    page.screenshot(path=str(_shots(tmp_path) / "kaart_amsterdam_rivm2020_page.png"), timeout=120_000)
    body = page.inner_text("body")
    assert "(zelfde gebied, indeling 2020): alleen de code is veranderd" in body
    assert "Grenzen van 2024, cijfers van 2020" in body and "OUD ·" not in body
    assert_no_exception(page)

    _choose_indicator(page, "sociaal minimum", "Huishoudens onder of rond het sociaal minimum (cijfers 2017)")
    page.get_by_text("(2014, oud)", exact=False).first.wait_for(timeout=60_000)
    page.wait_for_function(CANVAS_DRAWN, timeout=60_000)
    page.screenshot(path=str(_shots(tmp_path) / "kaart_amsterdam_kwb2017_page.png"), timeout=120_000)
    body = page.inner_text("body")
    assert "Huishoudens onder of rond het sociaal minimum (2014, oud)" in body  # the legend's title
    assert "OUD · Deze cijfers beschrijven 2014: meer dan vijf jaar vóór 2024." in body
    assert "(zelfde gebied, indeling 2017)" in body
    assert_no_exception(page)
