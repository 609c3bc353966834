"""The refresh on the data page, in a real browser, on this machine without internet: one clear message,
no exception box, and the page (with its data) keeps working."""

import socket

import pytest

from tests.browser.conftest import assert_no_exception, wait_for_app


def _online() -> bool:
    try:
        socket.getaddrinfo("opendata.cbs.nl", 443)
        return True
    except OSError:
        return False


def test_refresh_without_internet_says_so_and_keeps_the_page(app_server, page):
    if _online():
        pytest.skip("this machine reaches CBS: the offline message cannot be shown")
    page.goto(f"{app_server}/data?gemeente=GM0014&jaar=2024&lang=nl")
    wait_for_app(page)
    page.get_by_role("button", name="Ververs Groningen vanaf het CBS").click()
    page.get_by_text("Het CBS kon niet worden bereikt").first.wait_for(state="visible", timeout=60_000)
    assert_no_exception(page)
    assert page.get_by_text("niet bereikbaar").count() >= 1
    assert page.get_by_text("Verversen vanaf het CBS").count() >= 1  # the page is still there
