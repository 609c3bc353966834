"""Two app servers on one PostgreSQL: a phone on server A, the facilitator on server B.

The reveal clicked on B reaches the phone on A without a tap: A's live hub reads the shared state
version and reruns the phone (the page's own backup check, every 10 s here, covers a lost push).
Skipped without a reachable PostgreSQL (see tests/unit/pg_fixture.py).
"""

from __future__ import annotations

from contextlib import contextmanager

from tests.browser.conftest import run_server
from tests.unit.pg_fixture import pg_url  # noqa: F401
from wijk.beeld.workshop import WorkshopStore

BUURT = "BU00140301"


def _server(url: str, local):
    return contextmanager(run_server)(local, url)


def test_reveal_on_server_b_reaches_a_phone_on_server_a(pg_url, browser, tmp_path):  # noqa: F811
    ws = WorkshopStore(pg_url)
    made = ws.create_workshop(BUURT, 2024, ["pct_met_kinderen", "misdrijven_per_1000"], "Twee servers")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with _server(pg_url, tmp_path / "a") as server_a, _server(pg_url, tmp_path / "b") as server_b:
        phone_ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
        fac_ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
        for ctx in (phone_ctx, fac_ctx):
            ctx.set_default_timeout(120_000)
        try:
            phone = phone_ctx.new_page()
            phone.goto(f"{server_a}/beeld?workshop={made.join_code}", wait_until="domcontentloaded")
            phone.get_by_role("button", name="Meedoen").click()
            box = phone.get_by_label("Hoeveel misdrijven per 1.000 inwoners")
            box.fill("75")
            box.press("Tab")
            phone.wait_for_timeout(300)
            phone.get_by_role("button", name="Antwoorden versturen").click()
            phone.get_by_text("antwoord(en) opgeslagen").wait_for()
            assert ws.answer_counts(made.join_code)["misdrijven_per_1000"] == 1  # stored in PostgreSQL

            fac = fac_ctx.new_page()
            fac.goto(f"{server_b}/beeld?workshop={made.join_code}&weergave=leiden", wait_until="domcontentloaded")
            fac.get_by_label("Geheim van de begeleider").fill(made.facilitator_secret)
            fac.get_by_role("button", name="Verder leiden").click()
            fac.get_by_text("1 deelnemers").wait_for()  # the phone on A, seen from B
            fac.get_by_role("button", name="Onthullen").nth(1).click()  # the crime question
            phone.get_by_text("Jouw antwoorden naast de cijfers").wait_for(timeout=60_000)  # no tap on A
            # the revealed view streams in after its heading: wait (bounded) for the phone's own answer
            phone.get_by_text("jij 75,0").first.wait_for(timeout=60_000)
            assert not phone.locator('[data-testid="stException"]').count()
        finally:
            phone_ctx.close()
            fac_ctx.close()
            ws.dispose()
