"""Browser smoke test: join a workshop with a code from a link and submit an answer."""

from __future__ import annotations

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
