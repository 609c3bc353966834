"""Browser test (issue 11): the profile and the factor view of one buurt each in Amsterdam, Rotterdam, a
small rural gemeente and Groningen show real figures with their years, no exception box, and no empty
section or panel where the data has figures."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, wait_for_app

BUURTEN = {
    "amsterdam": "BU0363KR02",  # Buitenveldert-Oost-Midden
    "rotterdam": "BU05991086",  # Afrikaanderwijk
    "rural": "BU16800000",  # Aa en Hunze
    "groningen": "BU00140107",  # Laanhuizen
}


@pytest.mark.parametrize("city", list(BUURTEN))
def test_profile_sections_have_figures(app_server, page, city):
    code = BUURTEN[city]
    page.goto(f"{app_server}/profiel?buurt={code}&jaar=2024")
    wait_for_app(page)
    page.locator(".wb-card-value").first.wait_for(timeout=60_000)  # the figure cards (wijk/profile/cards.py)
    main = page.locator("section.main, [data-testid='stMain']").first
    # the sections are drawn after the first cards (read at once, under load only the first one was there):
    # wait (bounded) for the last section's heading, then for the run to end
    main.get_by_text("Gezondheid en welzijn").first.wait_for(timeout=60_000)
    wait_for_app(page)
    assert_no_exception(page)
    text = main.inner_text(timeout=30_000)
    for heading in ("Wonen", "Veiligheid", "Voorzieningen", "Gezondheid en welzijn"):
        assert heading in text, heading
    assert "Geen cijfers" not in text
    assert "cijfer 2025" in text  # crime 2025 on the 2024 indeling: the newest figure
    if city != "amsterdam":  # Amsterdam renumbered its buurten in 2022: no RIVM 2020 (2020 indeling) per buurt
        assert "najaar 2020" in text  # RIVM estimates 2020 with their own period
        assert "Ouder cijfer" in text  # the card says when a figure is older than the selected year


@pytest.mark.parametrize("city", list(BUURTEN))
def test_factor_view_has_three_panels_with_figures(app_server, page, city):
    code = BUURTEN[city]
    page.goto(f"{app_server}/factoren?buurt={code}&jaar=2024")
    wait_for_app(page)
    kinds = ("protective", "risk") if city == "amsterdam" else ("protective", "risk", "outcome")
    for kind in kinds:
        band = page.locator(f".st-key-factoren_band_{kind}")
        band.first.wait_for(timeout=60_000)
        band.locator('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]').first.wait_for(
            timeout=60_000
        )
    assert_no_exception(page)
