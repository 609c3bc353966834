"""The moment of truth in a real browser: facilitator, projector and two phones.

The projector (1280x720, then 1920x1080) shows the real value as the largest text on the screen, needs
no scrolling and keeps the join code until the facilitator closes joining; a phone that opens the
join link again (a re-scanned QR code) is still one participant with its answers.
"""

from __future__ import annotations

import os
import time

from tests.browser.conftest import assert_no_exception, wait_until_fresh
from tests.browser.test_beeld import BUURT, _server_store
from tests.browser.test_beeld_room import LIVE_MS, _answer, _phone, _settle

TRUTH_KIDS = "12,2%"  # households with children, Indische buurt, CBS KWB 2024

_LARGEST = """() => {
  let best = null, size = 0;
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const r = el.getBoundingClientRect();
    if (!own || r.width === 0 || r.height === 0) continue;
    const s = parseFloat(getComputedStyle(el).fontSize);
    if (s > size) { size = s; best = el.innerText.trim(); }
  }
  return [best, size];
}"""

_LOWEST_BOTTOM = """() => Math.max(...[...document.querySelectorAll(
  '[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]')]
  .filter(e => e.getBoundingClientRect().height > 0).map(e => e.getBoundingClientRect().bottom))"""


def _quiet(page) -> None:
    """The projector has no sidebar (wait_for_app's sign): wait until no run is under way or fading."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=LIVE_MS,
    )
    page.wait_for_timeout(800)
    wait_until_fresh(page, LIVE_MS)


def _check_screen(screen, code: str) -> None:
    text, size = screen.evaluate(_LARGEST)
    assert text == TRUTH_KIDS and size >= 60, (text, size)  # the real value is the largest text
    assert screen.evaluate(_LOWEST_BOTTOM) <= screen.viewport_size["height"] + 1  # no scrolling needed
    body = screen.inner_text("body")
    assert code in body and "Vraag 1 van 3" in body and "2 van 2 deelnemers antwoordden" in body
    assert "te hoog" in body  # the gap in one sentence: medians 30 and 60 against 12,2%


def test_projector_and_one_phone_one_participant(app_server, app_local, browser):
    ws = _server_store(app_local)
    made = ws.create_workshop(BUURT, 2024, ["pct_met_kinderen", "misdrijven_per_1000", "pct_sociaal_minimum"], "Scherm")
    code, secret = made.join_code, made.facilitator_secret
    contexts = []
    try:
        fctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
        contexts.append(fctx)
        fctx.set_default_timeout(120_000)
        fac = fctx.new_page()
        fac.goto(f"{app_server}/beeld?workshop={code}&weergave=leiden")
        fac.get_by_label("Geheim van de begeleider").fill(secret)
        fac.get_by_role("button", name="Verder leiden").click()
        fac.get_by_role("button", name="Workshop sluiten").wait_for()

        sctx = browser.new_context(viewport={"width": 1280, "height": 720}, locale="nl-NL")
        contexts.append(sctx)
        sctx.set_default_timeout(120_000)
        screen = sctx.new_page()
        screen.goto(f"{app_server}/beeld?workshop={code}&weergave=scherm&sleutel={made.presenter_key}")
        screen.get_by_text("Doe mee op je telefoon").wait_for()

        join = f"{app_server}/beeld?workshop={code}"
        ctx_a, phone_a = _phone(browser, join)
        ctx_b, phone_b = _phone(browser, join)
        contexts += [ctx_a, ctx_b]
        phone_a.get_by_label("sociaal minimum").fill("40")
        _answer(phone_a, 30, 150)
        _answer(phone_b, 60, 90)
        token_a = phone_a.url.split("deelnemer=")[1].split("&")[0]
        kept = [c for c in ctx_a.cookies() if c["name"] == f"wijk_deelnemer_{code}"]
        assert len(kept) == 1 and kept[0]["value"] == token_a and secret not in kept[0]["value"]
        assert kept[0]["sameSite"] == "Strict" and kept[0]["path"] == "/" and not kept[0]["secure"]  # http here
        assert 0 < kept[0]["expires"] - time.time() <= 24 * 3600

        again = ctx_a.new_page()  # the same phone scans the QR code again: the join link, no token
        again.goto(join, wait_until="domcontentloaded")
        again.get_by_text("Antwoorden versturen").wait_for(timeout=LIVE_MS)
        _settle(again)
        assert f"deelnemer={token_a}" in again.url
        assert "Opgeslagen: 30" in again.inner_text("body") and "Opgeslagen: 150" in again.inner_text("body")
        assert ws.workshop_info(code).participant_count == 2  # still two phones, two participants

        fac.get_by_role("button", name="Onthullen").first.click()
        screen.locator(".wijk-real").get_by_text(TRUTH_KIDS).wait_for(timeout=LIVE_MS)
        _quiet(screen)
        _check_screen(screen, code)
        screen.set_viewport_size({"width": 1920, "height": 1080})
        _quiet(screen)
        _check_screen(screen, code)

        fac.get_by_role("button", name="Meedoen sluiten (code en QR van het scherm)").click()
        screen.wait_for_function(f"() => !document.body.innerText.includes('{code}')", timeout=LIVE_MS)
        assert TRUTH_KIDS in screen.inner_text("body")

        # the third view: households around the social minimum (CBS) beside what residents report (RIVM)
        screen.set_viewport_size({"width": 1280, "height": 720})
        fac.get_by_role("button", name="Onthullen").last.click()
        screen.get_by_text("Bewoners zelf:").wait_for(timeout=LIVE_MS)
        _quiet(screen)
        body = screen.inner_text("body")
        assert "Vraag 3 van 3" in body and "RIVM-modelschatting" in body and "50120NED" in body
        text, _size = screen.evaluate(_LARGEST)
        assert text.endswith("%") and text in screen.locator(".wijk-real").inner_text()
        assert screen.evaluate(_LOWEST_BOTTOM) <= 721
        for page in (fac, screen, phone_a, phone_b, again):
            assert_no_exception(page)
    finally:
        for ctx in contexts:
            ctx.close()
        ws.dispose()


_CHART_TITLE = """() => {
  const svg = document.querySelector('[data-testid="stMain"] .vega-embed svg');
  const head = document.querySelector('.st-key-wijk_present_chart_title');
  if (!svg || !head) return null;
  const [h, c] = [head.getBoundingClientRect(), svg.getBoundingClientRect()];
  return [head.innerText.trim(), svg.querySelectorAll('.role-title text').length,
          h.left >= c.left - 1 && h.right <= c.right + 1 && h.bottom <= c.top + 1,
          head.scrollWidth <= head.clientWidth + 1];
}"""


def test_projector_shows_a_long_question_whole(app_server, app_local, browser):
    """A question with a long label and a long text (youth care per 100 young people; the share of
    trajectories through a certified institution): the whole question is readable on the projector
    at 1280x720 and 1920x1080, nothing scrolls, and the chart's title is a heading above the chart
    that wraps within its width (Vega clipped a long title at the chart's edge)."""
    from wijk.beeld.perception import available_questions
    from wijk.core.store import Store

    ids = ["pct_jeugdzorg_0_24", "pct_traj_gi"]
    qs = {q.id: q for q in available_questions(Store.load(), BUURT, 2024) if q.id in ids}
    ws = _server_store(app_local)
    made = ws.create_workshop(BUURT, 2024, ids, "Lange vragen")
    code = made.join_code
    for value in (2.0, 6.0):
        token = ws.join(code)
        assert not ws.submit_all(code, token, {"pct_jeugdzorg_0_24": value, "pct_traj_gi": value * 5}, round=1)
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, locale="nl-NL")
    ctx.set_default_timeout(120_000)
    shots = os.environ.get("WIJK_SHOTS_DIR")  # screenshots for a person to look at (not asserted)
    try:
        screen = ctx.new_page()
        screen.goto(f"{app_server}/beeld?workshop={code}&weergave=scherm&sleutel={made.presenter_key}")
        screen.get_by_text("Doe mee op je telefoon").wait_for()
        for qid in ids:
            ws.reveal(code, made.facilitator_secret, qid)
            q = qs[qid]
            title = f"{q.label('nl')} · ronde 1"
            screen.get_by_text(f"Vraag {ids.index(qid) + 1} van 2").wait_for(timeout=LIVE_MS)
            for size in ({"width": 1280, "height": 720}, {"width": 1920, "height": 1080}):
                screen.set_viewport_size(size)
                _quiet(screen)
                screen.wait_for_function(f"({_CHART_TITLE})() !== null", timeout=LIVE_MS)
                assert q.text("nl") in screen.locator(".st-key-wijk_present_question").inner_text()
                assert screen.evaluate(_LOWEST_BOTTOM) <= size["height"] + 1  # no scrolling
                heading, vega_titles, above_and_within, not_cut = screen.evaluate(_CHART_TITLE)
                assert heading == title and vega_titles == 0  # the whole title, and Vega draws none
                assert above_and_within and not_cut
                if shots:
                    screen.screenshot(path=f"{shots}/workshop-long-title-{qid}-{size['width']}x{size['height']}.png")
        assert_no_exception(screen)
    finally:
        ctx.close()
        ws.dispose()
