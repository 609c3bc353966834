"""Browser smoke test: join a workshop with a code from a link and submit an answer."""

from __future__ import annotations

import os

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import assert_no_exception, wait_for_app
from wijk.beeld.workshop import WorkshopStore

BUURT = "BU00140301"


def _server_store(app_local) -> WorkshopStore:
    """The app server's workshop database (app_server runs with WIJK_LOCAL_DIR=app_local).

    Named by the fixture, not found by a glob: a cold server started in the same worker (test_frame.py),
    which under pytest-xdist may run first, has a local dir of its own."""
    return WorkshopStore(f"sqlite:///{app_local / 'workshops.sqlite'}")


def test_join_with_code_and_submit(app_server, app_local, page):
    ws = _server_store(app_local)
    made = ws.create_workshop(BUURT, 2024, ["pct_met_kinderen", "misdrijven_per_1000"], "Smoke")
    page.goto(f"{app_server}/beeld?workshop={made.join_code}")
    wait_for_app(page)
    assert_no_exception(page)
    page.get_by_role("button", name="Meedoen").wait_for(timeout=120_000)  # the page itself, not
    code_box = page.get_by_label("Code", exact=True)  # the bare page list shown before the first run
    code_box.wait_for(timeout=120_000)
    page.wait_for_function(  # the code from the link fills the box (bounded wait: a cold, busy server)
        "code => [...document.querySelectorAll('input')].some(i => i.value === code)",
        arg=made.join_code,
        timeout=60_000,
    )
    assert code_box.input_value() == made.join_code
    page.get_by_role("button", name="Meedoen").click()
    page.get_by_text("Antwoorden versturen").wait_for(timeout=30_000)
    wait_for_app(page)
    number = page.get_by_label("Hoeveel misdrijven per 1.000 inwoners")
    number.fill("75")
    number.press("Enter")
    page.get_by_role("button", name="Antwoorden versturen").click()
    page.get_by_text("antwoord(en) opgeslagen").wait_for(timeout=30_000)
    assert_no_exception(page)
    assert made.facilitator_secret not in page.content()
    assert "55,9" not in page.inner_text("body")  # no truth before the reveal
    assert ws.answer_counts(made.join_code)["misdrijven_per_1000"] == 1
    assert ws.workshop_info(made.join_code).participant_count == 1
    ws.dispose()


def test_solo_reveal_draws_what_residents_report(app_server, page):
    """Solo, guessing alone: after the commit, the question around the social minimum shows what
    residents report (RIVM model estimate, 29,9% in 2016) as a line and as a mark on its chart."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{app_server}/beeld?buurt={BUURT}&jaar=2024")
    wait_for_app(page)
    commit = page.get_by_role("button", name="Antwoorden vastleggen en de cijfers zien")
    commit.wait_for(timeout=120_000)
    boxes = page.get_by_test_id("stNumberInputField")
    page.get_by_role("spinbutton", name="sociaal minimum").wait_for(timeout=60_000)
    groups = page.get_by_role("radiogroup")
    for i in range(groups.count()):
        groups.nth(i).get_by_role("radio").first.check(force=True)
    all_filled = "() => [...document.querySelectorAll('[data-testid=stNumberInputField]')].every(i => i.value === '20')"
    for _ in range(5):  # a box redrawn by a rerun still on its way (a busy machine) is typed in again
        for i in range(boxes.count()):
            if boxes.nth(i).input_value() != "20":
                boxes.nth(i).fill("20")
                boxes.nth(i).press("Tab")
        try:
            page.wait_for_function(all_filled, timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    page.wait_for_function(all_filled, timeout=30_000)  # every box holds its answer before the commit
    page.wait_for_timeout(500)
    commit.click()
    line = page.get_by_text("Wat bewoners zelf zeggen: 29,9%")
    line.wait_for(timeout=120_000)
    assert "RIVM-modelschatting, 2016; geen telling" in line.inner_text()
    # the legend names the residents' mark, with its value, on the chart of that question
    chart = page.get_by_test_id("stVegaLiteChart").filter(has_text="bewoners zelf (RIVM-schatting): 29,9%")
    chart.wait_for(timeout=60_000)
    line_box, chart_box = line.bounding_box(), chart.bounding_box()
    assert line_box and chart_box and line_box["y"] < chart_box["y"] < line_box["y"] + 400  # in the same box
    chart.scroll_into_view_if_needed()
    shots = os.environ.get("WIJK_SHOTS_DIR")  # a screenshot for a person to look at (not asserted)
    if shots:
        page.screenshot(path=f"{shots}/workshop-solo-residents.png")
    assert_no_exception(page)
