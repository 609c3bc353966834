"""The Dutch UI in a real browser shows none of Streamlit's English widget words: every screen for a
buurt outside Groningen (Armhoef Noord-West, Tilburg), with a selectbox menu (also filtered to
nothing) and every multiselect menu opened so their texts render."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import assert_no_exception
from tests.browser.test_frame import SCREENS, _shot_dir, open_screen
from wijk.ui.widgets import ARIA_NAMES, ARIA_PREFIXES

AREA = "gemeente=GM0855&wijk=WK085512&buurt=BU08551201&jaar=2024&lang=nl"
# Streamlit's English defaults that the app replaces or avoids (wijk/ui/widgets.py, static/wijkbeeld.css)
DENY = (
    "Choose an option",
    "Choose options",
    "Choose or add",
    "Add an option",
    "No options to select",
    "Select all",
    "matches",  # "Select 3 matches"
    "You can only select up to",
    "Remove an option first",
    "Press Enter",
    "Enter to submit",
    "No results",
    "Drag and drop",
    "Browse files",
    "per file",
    "Limit 200MB",
    "file upload",
)

# Visible text, and the placeholder / aria-label of every element a screen reader can reach
# (hidden ones are left out: the uploader's file input keeps Streamlit's aria-label but is hidden).
SEEN = """() => {
  const reachable = (el) => {
    if (el.closest('[aria-hidden="true"]')) return false;
    const s = getComputedStyle(el);
    return s.display !== 'none' && s.visibility !== 'hidden';
  };
  const attrs = [];
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [aria-placeholder]')) {
    if (!reachable(el)) continue;
    for (const a of ['placeholder', 'aria-label', 'aria-placeholder']) {
      const v = el.getAttribute(a);
      if (v) attrs.push(v);
    }
  }
  return {text: document.body.innerText, attrs};
}"""


def _english(page) -> list[str]:
    seen = page.evaluate(SEEN)
    found = [f"text: {d}" for d in DENY if d in seen["text"]]
    found += [f"attribute: {a}" for a in seen["attrs"] if any(d in a for d in DENY)]
    return found


def _open_menu(page, widget, menu: str = "") -> None:
    """Click the widget open; with `menu` (its dropdown's selector), click again, bounded, while the
    dropdown is not shown (a click that landed while a rerun redrew the widget on a busy machine)."""
    for _ in range(3):
        widget.scroll_into_view_if_needed()
        widget.locator("input").first.click()
        if not menu:
            page.wait_for_timeout(700)
            return
        try:
            page.locator(menu).wait_for(state="visible", timeout=5_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")


def _close_menu(page) -> None:
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)


EMPTY_OPTION = '[data-testid="stSelectboxVirtualDropdown"] [role="listbox"][data-empty="true"] > [role="option"] > span'


def _empty_state_words(page) -> str:
    """The words drawn in place of a filtered dropdown's 'No results' (the stylesheet's ::after).

    Waits (bounded) for the filtered, empty list: on a loaded worker the menu can take longer than
    the fixed pause to redraw after typing."""
    try:
        page.locator(EMPTY_OPTION).first.wait_for(state="attached", timeout=15_000)
    except PlaywrightTimeout:
        return ""
    return page.evaluate(
        f"""() => {{
          const span = document.querySelector('{EMPTY_OPTION}');
          return span ? getComputedStyle(span, '::after').content : '';
        }}"""
    )


@pytest.mark.parametrize("path", SCREENS)
def test_no_english_streamlit_words_on_a_dutch_screen(app_server, page, path):
    open_screen(page, app_server, path, AREA)
    found = {"page": _english(page)}

    # a selectbox menu (the screen's own first one, else the sidebar's gemeente), then filtered to nothing
    main_box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]')
    box = (
        main_box.first
        if main_box.count()
        else page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(0)
    )
    _open_menu(page, box, '[data-testid="stSelectboxVirtualDropdown"]')
    page.locator('[data-testid="stSelectboxVirtualDropdown"]').wait_for(state="visible", timeout=10_000)
    found["selectbox menu"] = _english(page)
    page.keyboard.type("qqxzzy")
    page.wait_for_timeout(700)
    found["selectbox, nothing found"] = _english(page)
    words = _empty_state_words(page)
    if words != '"Geen resultaten"':
        found["selectbox, nothing found"].append(f"in place of 'No results': {words}")
    _close_menu(page)

    multis = page.locator('[data-testid="stMain"] [data-testid="stMultiSelect"]')
    for i in range(multis.count()):
        _open_menu(page, multis.nth(i), '[data-testid="stMultiSelectDropdown"]')
        page.locator('[data-testid="stMultiSelectDropdown"]').wait_for(state="visible", timeout=10_000)
        found[f"multiselect {i + 1} menu"] = _english(page)
        _close_menu(page)

    # typing shows Streamlit's keyboard hint ("Press Enter to apply", in a form "... to submit form")
    search = page.locator('[data-testid="stSidebar"] [data-testid="stTextInput"] input').first
    search.click()
    page.keyboard.type("Tilb")
    page.wait_for_timeout(500)
    found["typing in the search box"] = _english(page)
    form_field = page.locator('[data-testid="stForm"] [data-testid="stNumberInput"] input')
    if form_field.count():
        form_field.first.scroll_into_view_if_needed()
        form_field.first.click()
        page.keyboard.type("12")
        page.wait_for_timeout(500)
        found["typing in a form"] = _english(page)

    # the uploader: one control for screen readers, its button ("Upload" is Dutch too)
    if path == "eigen-data" and page.get_by_role("button", name="file upload").count():
        found["uploader"] = ["the hidden file input is announced as 'file upload'"]

    found = {where: hits for where, hits in found.items() if hits}
    if found:
        page.screenshot(path=str(_shot_dir() / f"english_{path}.png"), full_page=True)
    assert not found, found
    assert_no_exception(page)


NAMES = """() => {
  const out = [];
  for (const el of document.querySelectorAll('[aria-label], [aria-roledescription], button[title], a[title]')) {
    for (const a of ['aria-label', 'aria-roledescription', 'title']) {
      const v = el.getAttribute(a);
      if (v) out.push(v);
    }
  }
  return out;
}"""


RENAMED = """() => [...document.querySelectorAll('[aria-label]')]
  .some(el => el.getAttribute('aria-label') === 'Openen')"""


def _english_names(names: list[str]) -> list[str]:
    return [n for n in names if n in ARIA_NAMES or any(n.startswith(p) for p in ARIA_PREFIXES)]


@pytest.mark.parametrize("path", SCREENS)
def test_streamlits_control_names_are_dutch_for_a_screen_reader(app_server, page, path):
    """Streamlit names its own controls in English ('Open', 'Clear all', 'Remove X', 'Help for X',
    'Fullscreen'); on a Dutch screen the page script renames them (wijk.ui.style, widgets.ARIA_NAMES)."""
    open_screen(page, app_server, path, AREA)
    # the rename runs on the next animation frame after a redraw: wait (bounded) until it has,
    # then give late redraws one more frame; a fixed pause was too short on a loaded machine
    page.wait_for_function(RENAMED, timeout=30_000)
    # a chart drawn after that frame (vega's 'Download as PNG') is renamed on its own redraw: poll,
    # bounded, until no English name is left instead of reading once after a fixed pause
    deadline = time.monotonic() + 20
    while True:
        page.wait_for_timeout(300)
        names = page.evaluate(NAMES)
        left = _english_names(names)
        if not left or time.monotonic() > deadline:
            break
    assert "Openen" in names  # every screen has a selectbox: its button is renamed, not removed
    if left:
        page.screenshot(path=str(_shot_dir() / f"aria_{path}.png"), full_page=True)
    assert not left, sorted(set(left))
    assert_no_exception(page)


def test_the_english_screen_keeps_streamlits_names(app_server, page):
    open_screen(page, app_server, "trends", AREA.replace("lang=nl", "lang=en"))
    page.wait_for_timeout(500)
    names = page.evaluate(NAMES)
    assert "Open" in names and not any(n.startswith("Verwijder ") for n in names)
