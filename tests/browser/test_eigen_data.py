"""Own data in a real browser: one upload is in use at once, on the profile with its references, after a
reload still there (kept for the link), and gone for good after 'Verwijderen'.

The upload is tests/fixtures/owndata_madeup_good.csv: MADE-UP figures (verzonnen testdata) on real
Groningen area codes.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.browser.conftest import assert_no_exception, wait_for_app
from wijk.core.i18n import t

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "owndata_madeup_good.csv"
BUURT = "BU00140107"  # Laanhuizen, wijk Oud-Zuid, gemeente Groningen
SOURCE = "Gemeente Groningen (verzonnen testdata)"
REFERENCES = "wijk Oud-Zuid 94,4% · gemeente Groningen 95,9%"  # the upload's own wijk and gemeente rows


def _own_card_visible(page) -> None:
    """The own-data card of the made-up upload: its value and the references from the same upload."""
    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("heading", name=t("profiel_section_local", "nl")).first.wait_for(timeout=120_000)
    card = main.locator(".wb-card").filter(has=page.locator(".wb-card-label", has_text="leerlingen totaal"))
    card.first.wait_for(timeout=120_000)
    assert card.first.locator(".wb-card-value").inner_text().strip() == "120"
    main.get_by_text(REFERENCES).first.wait_for(timeout=120_000)
    assert main.get_by_text(SOURCE).count() >= 1


def _token(url: str) -> str:
    return parse_qs(urlsplit(url).query).get("eigen", [""])[0]


def test_upload_is_in_use_at_once_and_survives_a_reload(app_server, page):
    page.goto(f"{app_server}/eigen-data?buurt={BUURT}&jaar=2024")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(FIXTURE))
    wait_for_app(page)
    source = page.get_by_label(t("eigen_map_source", "nl"))
    source.wait_for(state="visible", timeout=120_000)
    source.fill(SOURCE)
    source.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name=t("eigen_process", "nl")).click()  # the one step
    wait_for_app(page)
    assert_no_exception(page)
    page.get_by_text("owndata_madeup_good is nu in gebruik").first.wait_for(timeout=120_000)
    token = _token(page.url)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token), page.url

    page.get_by_role("link", name=t("eigen_used_profile", "nl")).click()
    wait_for_app(page)
    _own_card_visible(page)
    assert _token(page.url) == token and f"buurt={BUURT}" in page.url

    page.reload()  # a new session: the own data come back from the link
    wait_for_app(page)
    assert_no_exception(page)
    page.get_by_text("Buurtprofiel: Laanhuizen").first.wait_for(timeout=120_000)
    _own_card_visible(page)
    assert _token(page.url) == token

    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=t("nav_eigen_data", "nl")).first.click()
    wait_for_app(page)
    page.get_by_role("button", name=t("eigen_remove", "nl")).first.click()
    wait_for_app(page)
    page.get_by_text(t("eigen_active_none", "nl")).first.wait_for(timeout=120_000)
    assert _token(page.url) == ""
    page.goto(f"{app_server}/profiel?buurt={BUURT}&jaar=2024&eigen={token}")  # the old link: deleted
    wait_for_app(page)
    assert_no_exception(page)
    page.get_by_text("Bij deze link zijn geen eigen data (meer) bewaard").first.wait_for(timeout=120_000)
    assert page.locator(".wb-card", has_text="leerlingen totaal").count() == 0
