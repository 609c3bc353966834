"""Browser: the youth lens as a person sees it (issue 18), in Groningen, Rotterdam and a rural gemeente."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, wait_for_app


def _open_lens(page, base: str, path: str) -> str:
    page.goto(f"{base}/{path}")
    wait_for_app(page)
    assert_no_exception(page)
    page.get_by_text("Jeugd-lens", exact=False).first.click()
    page.get_by_text("Buurtcijfers zeggen niets over dit gezin of dit kind").wait_for(timeout=60_000)
    page.locator('[data-testid="stTable"]').first.wait_for(timeout=60_000)
    wait_for_app(page)
    assert_no_exception(page)
    body = page.inner_text("body")
    return body


def test_oud_noord_youth_lens(app_server, page, tmp_path):
    body = _open_lens(page, app_server, "profiel?gemeente=GM0014&wijk=WK001403&jaar=2024")
    assert "Jeugd in Oud-Noord" in body
    assert "Jeugdzorg (CBS, 2022, 2021)" in body
    assert "320" in body and "4,6%" in body  # 2021: 320 youths, per 100 inhabitants aged 0-24
    assert "300" in body  # 2022
    assert "1,4% (voorlopig)" in body and "gemeente Groningen" in body
    assert "cijfers van de hele gemeente" in body
    page.screenshot(path=str(tmp_path / "youth_oud_noord.png"), full_page=True)


@pytest.mark.parametrize(
    "path,name",
    [
        ("factoren?gemeente=GM0599&wijk=WK059903&jaar=2024", "Delfshaven"),  # Rotterdam
        ("profiel?gemeente=GM1680&wijk=WK168000&jaar=2024", "Wijk 00 Annen"),  # rural Aa en Hunze
    ],
)
def test_other_gemeenten(app_server, page, path, name):
    body = _open_lens(page, app_server, path)
    assert f"Jeugd in {name}" in body
    assert "Jeugdzorg (CBS, 2022, 2021)" in body
    assert "(voorlopig)" in body


def test_jeugd_deck_end_to_end_facilitator_and_two_phones(app_server, page, browser, tmp_path):
    import re

    page.goto(f"{app_server}/beeld?gemeente=GM0014&wijk=WK001403&buurt=BU00140301&jaar=2024")
    wait_for_app(page)
    page.get_by_text("Workshop leiden").first.click()
    wait_for_app(page)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Kant-en-klare vragenset").click()
    page.get_by_role("option", name=re.compile("Jeugd: jeugdhulp")).click()
    page.get_by_text("Het verhaal van Groningen").wait_for(timeout=30_000)  # the deck's facilitator script
    wait_for_app(page)
    page.get_by_role("button", name="Workshop aanmaken").click()
    page.get_by_text("Code:").first.wait_for(timeout=60_000)
    wait_for_app(page)
    assert_no_exception(page)
    code = re.search(r"Code:\s*([A-Z0-9]{6})", page.inner_text("body")).group(1)
    body = page.inner_text("body")
    # the questions name whose figure they ask about: the wijk's youth care, the gemeente's child protection
    assert "in Oud-Noord kregen jeugdzorg (2022)" in body and "in gemeente Groningen" in body

    phones = []
    for n in range(2):
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
        phone = ctx.new_page()
        phone.goto(f"{app_server}/beeld?workshop={code}")
        phone.get_by_role("button", name="Meedoen").wait_for(timeout=60_000)  # narrow: the sidebar is collapsed
        phone.get_by_role("button", name="Meedoen").click()
        phone.get_by_text("Antwoorden versturen").wait_for(timeout=60_000)
        phone.wait_for_timeout(2000)
        # no preset guesses (issue 14): answer every question of the form, then send
        boxes = phone.locator('[data-testid="stForm"] [data-testid="stNumberInput"] input')
        for i in range(boxes.count()):
            boxes.nth(i).fill(str(10 + n))
            boxes.nth(i).press("Tab")  # commit the value before the form is sent
        phone.get_by_role("button", name="Antwoorden versturen").click()
        phone.get_by_text("antwoord(en) opgeslagen").first.wait_for(timeout=120_000)
        assert_no_exception(phone)
        assert "4,4%" not in phone.inner_text("body")  # no truth before the reveal
        phones.append(ctx)

    page.get_by_role("button", name="Onthullen").first.click()
    page.get_by_text("4,4%").first.wait_for(timeout=60_000)  # 300 / (1.790 + 5.045): WK001403, 2022
    wait_for_app(page)
    assert_no_exception(page)
    page.screenshot(path=str(tmp_path / "youth_deck_reveal.png"), full_page=True)
    for ctx in phones:
        ctx.close()
