"""A workshop in a real room: a facilitator and three phones (390x844) in one browser.

Phones join, answer (one leaves a question open), see the reveal, round 2 and the close without
any tap, one phone reloads mid-session and keeps its answers; counts and medians are right.
"""

from __future__ import annotations

from tests.browser.conftest import assert_no_exception, wait_for_app
from tests.browser.test_beeld import BUURT, _server_store

PHONE = {"width": 390, "height": 844}
KIDS = "thuiswonende kinderen"
CRIME = "Hoeveel misdrijven per 1.000 inwoners"
LIVE_MS = 60_000  # generous for a loaded test machine; the server's live hub reruns the phones


def _settle(page, timeout: float = 120_000) -> None:
    """wait_for_app for a phone: a joined phone has no sidebar at all, so wait for the page title."""
    page.wait_for_selector('[data-testid="stMain"] h1', state="attached", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=timeout,
    )
    page.wait_for_timeout(500)


def _phone(browser, url: str):
    ctx = browser.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
    ctx.set_default_timeout(120_000)  # a heavily loaded test machine; the waits end early when it is not
    page = ctx.new_page()
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    _settle(page)
    page.get_by_role("button", name="Meedoen").click(timeout=120_000)
    try:
        page.get_by_text("Antwoorden versturen").wait_for(timeout=120_000)
    except Exception:
        page.screenshot(path="/tmp/room14-join.png", full_page=True)
        raise
    _settle(page)
    return ctx, page


def _answer(page, kids: float | None, crime: float) -> None:
    if kids is not None:
        box = page.get_by_label(KIDS)
        box.fill(str(kids))
        box.press("Tab")
    box = page.get_by_label(CRIME)
    box.fill(str(crime))
    box.press("Tab")
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Antwoorden versturen").click()
    try:
        page.get_by_text("antwoord(en) opgeslagen").wait_for(timeout=120_000)
    except Exception:
        page.screenshot(path="/tmp/room14-fail.png", full_page=True)
        raise


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_facilitator_and_three_phones(app_server, app_local, browser):
    ws = _server_store(app_local)
    made = ws.create_workshop(BUURT, 2024, ["pct_met_kinderen", "misdrijven_per_1000"], "Zaal <3>")
    code = made.join_code
    contexts = []
    try:
        # the facilitator resumes from the address (code only) and types the secret
        fctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
        contexts.append(fctx)
        fctx.set_default_timeout(120_000)
        fac = fctx.new_page()
        fac.goto(f"{app_server}/beeld?workshop={code}&weergave=leiden")
        fac.get_by_label("Geheim van de begeleider").wait_for(timeout=120_000)  # a cold server
        fac.get_by_label("Geheim van de begeleider").fill(made.facilitator_secret)
        fac.get_by_role("button", name="Verder leiden").click()
        fac.get_by_role("button", name="Workshop sluiten").wait_for(timeout=30_000)
        assert made.facilitator_secret not in fac.url

        phones = []
        for _ in range(3):
            ctx, page = _phone(browser, f"{app_server}/beeld?workshop={code}")
            contexts.append(ctx)
            phones.append(page)
            assert "deelnemer=" in page.url and made.facilitator_secret not in page.url
            # the phone is the participant's own screen: no menu, no area picker, no way to the other views
            assert not page.get_by_text("Workshop leiden").count() and not page.get_by_label("Gemeente").count()
        assert phones[0].get_by_label(KIDS).input_value() == ""  # no anchor value
        _answer(phones[0], 30, 150)
        _answer(phones[1], 60, 90)
        _answer(phones[2], None, 80)  # leaves the percentage open
        for page in phones:
            assert _no_horizontal_scroll(page)
            assert "12,2%" not in page.inner_text("body")  # no truth before the reveal
        # the counts follow by themselves (both lines may read "2 van 3" on the way: wait for the end state)
        fac.get_by_text("3 van 3").wait_for(timeout=LIVE_MS)  # everyone answered the crime question
        fac.get_by_role("listitem").filter(has_text="Aandeel huishoudens met").filter(has_text="2 van 3").wait_for(
            timeout=LIVE_MS
        )  # one left the percentage open
        assert "3 deelnemers" in fac.inner_text("body")

        fac.get_by_role("button", name="Onthullen").first.click()
        # the revealed panel's metric (not the count lines: "2 van 3 antwoorden" matches "Antwoorden" too)
        fac.get_by_test_id("stMetricLabel").filter(has_text="Antwoorden").first.wait_for(timeout=120_000)
        wait_for_app(fac)
        body = fac.inner_text("body")
        assert "2 van 3" in body and "45,0%" in body  # median of 30 and 60; the open one not counted
        for page in phones:  # no tap: the phones follow the reveal
            page.get_by_text("Jouw antwoorden naast de cijfers").wait_for(timeout=LIVE_MS)
        assert "jij 30,0%" in phones[0].inner_text("body")
        assert "60,0%" not in phones[0].inner_text("body")  # only one's own guess
        assert "geen antwoord van jou" in phones[2].inner_text("body")

        phones[1].reload()  # mid-session: the same participant, the same answers
        phones[1].get_by_text("jij 60,0%").wait_for(timeout=120_000)
        assert "Opgeslagen: 90" in phones[1].inner_text("body")
        fac.reload()
        wait_for_app(fac)
        # a reload of the control view asks for the secret again (never in the address)
        fac.get_by_label("Geheim van de begeleider").fill(made.facilitator_secret)
        fac.get_by_role("button", name="Verder leiden").click()
        fac.get_by_role("button", name="Tweede ronde starten").wait_for(timeout=30_000)
        assert "3 deelnemers" in fac.inner_text("body")  # counted once after the phone's reload

        fac.get_by_role("button", name="Tweede ronde starten").click()
        for page in phones:
            page.get_by_text("ronde 2").first.wait_for(timeout=LIVE_MS)
        _answer(phones[0], 20, 120)
        fac.get_by_role("button", name="Workshop sluiten").click()
        for page in phones:
            page.get_by_text("Deze workshop is gesloten").wait_for(timeout=LIVE_MS)
            assert_no_exception(page)
            assert _no_horizontal_scroll(page)
        assert_no_exception(fac)
        assert ws.workshop_info(code).participant_count == 3
        assert ws.answer_counts(code) == {"pct_met_kinderen": 1, "misdrijven_per_1000": 1}
        assert ws.results(code, made.facilitator_secret, "pct_met_kinderen", 1) == [30.0, 60.0]
    finally:
        for ctx in contexts:
            ctx.close()
        ws.dispose()
