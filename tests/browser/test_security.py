"""Hostile text in every URL parameter and every upload label, on all seven screens, in both languages:
no link and no image made from that text, no outside request (Playwright's request log), no exception.

Only the app's own host may be asked for anything; a basemap host (PDOK) is allowed for map tiles
only, in case one is configured. The uploaded file is MADE UP (real Groningen codes, invented figures).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from tests.browser.conftest import assert_no_exception, wait_for_app
from wijk.core.i18n import t

SCREENS = ["profiel", "factoren", "kaart", "beeld", "trends", "eigen-data", "data"]
NAV = {
    "profiel": "nav_profiel",
    "factoren": "nav_factoren",
    "kaart": "nav_kaart",
    "beeld": "nav_beeld",
    "trends": "nav_trends",
    "eigen-data": "nav_eigen_data",
    "data": "nav_data",
}
LINK = "[Inloggen](https://evil.example/login)"
IMAGE = "![p](https://evil.example/x.png)"
HTML = '<img src="https://evil.example/y.png">'
HOSTILE = {"gemeente": IMAGE, "wijk": HTML, "buurt": "www.evil.example", "jaar": LINK}
ALLOWED_OUTSIDE = (".pdok.nl",)  # a configured basemap: tiles only


def hostile_query(lang: str) -> str:
    return "&".join(f"{k}={quote(v)}" for k, v in {**HOSTILE, "lang": lang}.items())


def outside(requests: list[str], base: str) -> list[str]:
    own = urlsplit(base).netloc
    bad = []
    for url in requests:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.netloc == own:
            continue
        if parts.hostname and parts.hostname.endswith(ALLOWED_OUTSIDE) and "tile" in parts.path.lower():
            continue
        bad.append(url)
    return bad


def assert_inert(page, requests: list[str], base: str) -> None:
    assert_no_exception(page)
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href + ' ' + e.innerText)")
    assert not [x for x in links if "evil" in x.lower() or "inloggen" in x.lower()], links
    images = page.eval_on_selector_all("img", "els => els.map(e => e.src)")
    assert not [s for s in images if "evil" in s.lower() or not s.startswith((base, "data:", "blob:"))], images
    assert not outside(requests, base), outside(requests, base)


@pytest.fixture
def logged(page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    return page, requests


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("screen", SCREENS)
def test_hostile_url_on_every_screen(app_server, logged, screen, lang):
    page, requests = logged
    page.goto(f"{app_server}/{screen}?{hostile_query(lang)}")
    wait_for_app(page)
    page.locator('[data-testid="stMain"] h1').first.wait_for(state="visible", timeout=45_000)
    page.locator('[data-testid="stAlert"]').first.wait_for(state="visible", timeout=45_000)
    wait_for_app(page)
    alerts = " ".join(page.eval_on_selector_all('[data-testid="stAlert"]', "els => els.map(e => e.innerText)"))
    assert "evil.example" in alerts.replace("\u2060", "").lower()  # the bad value is named, as plain text
    assert_inert(page, requests, app_server)


UPLOAD = (
    "# VERZONNEN TESTDATA / MADE-UP TEST DATA\n"
    f"gebiedscode;jaar;{LINK};{IMAGE};{HTML.replace(chr(34), '')}\n"
    "BU00140107;2024;120;95;30\nBU00140000;2024;80;60;40\nWK001401;2024;213;160;75\n"
).encode()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_hostile_upload_labels_on_every_screen(app_server, logged, lang):
    page, requests = logged
    page.goto(f"{app_server}/eigen-data?{hostile_query(lang)}")
    wait_for_app(page)
    page.locator('[data-testid="stMain"] h1').first.wait_for(state="visible", timeout=45_000)
    wait_for_app(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": f"{LINK}.csv", "mimeType": "text/csv", "buffer": UPLOAD}]
    )
    wait_for_app(page)
    source = page.get_by_label(t("eigen_map_source", lang))
    source.wait_for(state="visible", timeout=45_000)
    source.fill(f"{IMAGE} {HTML}")
    source.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name=t("eigen_process", lang)).click()  # one step: in use at once
    wait_for_app(page)
    page.get_by_text(t("eigen_used_profile", lang)).first.wait_for(state="visible", timeout=45_000)
    assert_inert(page, requests, app_server)
    for screen in SCREENS:  # in the same session: the hostile labels are now on every screen
        page.locator('[data-testid="stSidebar"]').get_by_role("link", name=t(NAV[screen], lang)).first.click()
        wait_for_app(page)
        page.locator('[data-testid="stMain"] h1').first.wait_for(state="visible", timeout=45_000)
        wait_for_app(page)
        assert_inert(page, requests, app_server)
