"""Browser test of 'Trends en vergelijken' as a manager uses it: compare 4 areas for one indicator and see
panels with a real y-scale in Dutch numbers, every area's label, and a gap (not a line) where a series
breaks. Read from the SVG Vega draws (Streamlit renders small charts as SVG)."""

from __future__ import annotations

import io

import pandas as pd

from tests.browser.conftest import assert_no_exception, wait_for_app

ADDED = ["Utrecht (GM0344)", "Indische buurt (BU00140301)"]
PANELS = ["Oud-Noord (WK001403)", "Groningen (GM0014)", *ADDED]

# Per panel of the small multiples: title, y-axis labels, the x of every break rule and the screen extent
# of every drawn line segment and point.
PANEL_JS = """() => {
  const out = {};
  document.querySelectorAll('.vega-embed svg g.role-scope').forEach(g => {
    const cls = g.getAttribute('class') || '';
    if (!/concat_\\d+_group/.test(cls)) return;
    const title = g.querySelector('.role-title text');
    if (!title) return;
    const rect = el => { const r = el.getBoundingClientRect(); return [r.left, r.right, r.width]; };
    out[title.textContent] = {
      ylabels: [...g.querySelectorAll('.role-axis')].flatMap(a =>
        [...a.querySelectorAll('.role-axis-label text')].map(t => t.textContent)),
      rules: [...g.querySelectorAll('.mark-rule.role-mark line')].map(l => { const r = l.getBoundingClientRect();
        return (r.left + r.right) / 2; }),
      lines: [...g.querySelectorAll('.mark-line.role-mark path')].map(rect),
      points: [...g.querySelectorAll('.mark-symbol.role-mark path')].map(rect),
    };
  });
  return out;
}"""


def _add_area(page, option: str) -> None:
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Gebieden").first
    wait_for_app(page, timeout=90_000)
    box.locator("input").focus(timeout=90_000)
    page.keyboard.type(option.split(" (")[0])
    page.get_by_role("option", name=option).first.click(force=True, timeout=90_000)
    page.keyboard.press("Escape")
    page.get_by_text(option).first.wait_for(timeout=90_000)
    wait_for_app(page, timeout=90_000)


def _panels(page) -> dict:
    page.wait_for_function(
        "n => document.querySelectorAll('.vega-embed svg .role-title text').length >= n",
        arg=len(PANELS),
        timeout=90_000,
    )
    return page.evaluate(PANEL_JS)


def test_compare_four_areas_gaps_at_breaks_and_dutch_numbers(app_server, page):
    page.goto(f"{app_server}/trends?gemeente=GM0014&wijk=WK001403")
    wait_for_app(page)
    page.get_by_text("Gebieden vergelijken").first.wait_for(timeout=90_000)
    page.get_by_text("Gesorteerd van hoog naar laag").first.wait_for(timeout=90_000)
    for option in ADDED:
        _add_area(page, option)
    page.get_by_text("Gesorteerd van hoog naar laag").first.wait_for(timeout=90_000)
    panels = _panels(page)
    assert set(PANELS) <= set(panels), panels.keys()  # every area labelled above its panel

    for name in PANELS:
        labels = panels[name]["ylabels"]
        assert len(set(labels)) >= 3 and set(labels) != {"0"}, (name, labels)  # a real scale, not only "0"
    assert any("." in lab and lab.replace(".", "").isdigit() for lab in panels["Groningen (GM0014)"]["ylabels"])
    assert not any("," in lab for lab in panels["Groningen (GM0014)"]["ylabels"])  # "240.000", not "240,000"

    # Groningen merged in 2019: a break rule, the 2017 point left of it, and no line crosses it
    gm = panels["Groningen (GM0014)"]
    assert len(gm["rules"]) == 1
    rule_x = gm["rules"][0]
    drawn = [ln for ln in gm["lines"] if ln[2] > 1]
    assert drawn, "the 2022-2024 segment is drawn as a line"
    for left, right, _ in drawn:
        assert not (left + 1 < rule_x < right - 1), f"a line crosses the declared break at x={rule_x}"
    assert any(right < rule_x for _, right, _ in gm["points"])  # 2017 stands alone before the break
    # Oud-Noord: 2017 stands alone before the redivision; a line (2021-2024) never reaches back across it
    on = panels["Oud-Noord (WK001403)"]
    assert on["rules"]
    on_rule = on["rules"][0]
    for left, right, _ in [ln for ln in on["lines"] if ln[2] > 1]:
        assert not (left + 1 < on_rule < right - 1), f"a line crosses Oud-Noord's break at x={on_rule}"
    assert any(right < on_rule for _, right, _ in on["points"])
    assert page.get_by_text("Alle wijkcodes van Groningen zijn bij de herindeling van 2019").count() >= 1
    assert_no_exception(page)


def test_ranking_states_its_minimum_and_why_no_year(app_server, page):
    page.goto(f"{app_server}/trends?gemeente=GM0014&buurt=BU00140107")
    wait_for_app(page)
    page.get_by_text("Gesorteerd van hoog naar laag").first.wait_for(timeout=90_000)
    assert page.get_by_text("met minstens 200 inwoners in de rangorde").count() >= 1
    assert page.get_by_text("Geen enkel gebied is vergelijkbaar tussen 2024").count() >= 1
    assert page.get_by_text("Choose an option").count() == 0
    assert_no_exception(page)


def test_a_download_is_made_when_its_button_is_clicked(app_server, page):
    """The files are made on click, not on every run (issue 22): the first table's Excel and Dutch CSV
    still arrive whole, named for the area and indicator."""
    page.goto(f"{app_server}/trends?gemeente=GM0014&wijk=WK001403")
    wait_for_app(page, timeout=90_000)
    for label, magic, suffix in (("Excel (.xlsx)", b"PK\x03\x04", ".xlsx"), ("CSV voor Excel (NL)", None, ".csv")):
        button = page.locator('[data-testid="stDownloadButton"]', has_text=label).first
        with page.expect_download(timeout=60_000) as info:
            button.click()
        path = info.value.path()
        data = path.read_bytes()
        assert info.value.suggested_filename.startswith("wijkbeeld_") and info.value.suggested_filename.endswith(suffix)
        if magic is not None:
            assert len(data) > 200 and data.startswith(magic)
        else:  # CSV for Dutch Excel: header in the first row, ';' and decimal commas, the area's rows
            table = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
            assert len(table) >= 1 and "WK001403" in data.decode("utf-8-sig")
            assert any(pd.api.types.is_numeric_dtype(table[c]) and c != "Jaar" for c in table.columns)
    assert_no_exception(page)


def test_a_chart_table_is_drawn_when_its_section_is_opened(app_server, page):
    """Issue 22: the table under the series chart is not sent while its section is closed; a click opens
    it, the script runs again and the table is drawn in it."""
    page.goto(f"{app_server}/trends?gemeente=GM0014&wijk=WK001403")
    wait_for_app(page, timeout=90_000)
    section = page.locator('[data-testid="stExpander"]', has_text="De cijfers van deze grafiek als tabel").first
    section.wait_for(timeout=90_000)
    assert section.locator('[data-testid="stDataFrame"]').count() == 0
    section.locator("summary").click()
    section.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=90_000)
    wait_for_app(page, timeout=90_000)
    assert section.locator('[data-testid="stDataFrame"]').count() == 1
    assert_no_exception(page)


def test_the_ranking_reads_without_a_data_grid_and_sorts_when_opened(app_server, page):
    """Issue 22: the ranking is static HTML on first paint (no data grid), its box scrolls with the
    keyboard; the sortable data grid comes when its section is opened."""
    page.goto(f"{app_server}/trends?gemeente=GM0014&buurt=BU00140107")
    wait_for_app(page, timeout=90_000)
    box = page.locator(".wb-table-scroll").first
    box.wait_for(timeout=90_000)
    assert box.get_attribute("aria-label") == "Alle buurten van Groningen (GM0014) op één indicator"
    rows = box.locator("tbody tr")
    assert rows.count() > 50 and "BU0014" in rows.first.inner_text()
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    box.focus()
    page.keyboard.press("End")
    page.wait_for_function("el => el.scrollTop > 0", arg=box.element_handle(), timeout=10_000)
    section = page.locator('[data-testid="stExpander"]', has_text="De rangorde als sorteerbare tabel").first
    section.locator("summary").click()
    section.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=90_000)
    wait_for_app(page, timeout=90_000)
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
    assert_no_exception(page)
