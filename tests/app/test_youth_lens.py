"""AppTest of the youth lens switch on the profile and factor screens (issue 18)."""

from __future__ import annotations

import pytest

from tests.app.conftest import open_app, page_text, rendered, static_tables


def _frames(at) -> str:
    frames = [*(df.value for df in [*at.table, *at.dataframe]), *static_tables(at)]
    return rendered("\n".join(f.to_string() for f in frames))


def _switch_on(at, page: str):
    at.toggle(key=f"{page}_jeugd_lens").set_value(True).run()
    assert not at.exception
    return at


@pytest.mark.parametrize("page", ["profiel", "factoren"])
def test_switch_shows_youth_care_for_oud_noord(page):
    at = open_app(page, gemeente="GM0014", wijk="WK001403", jaar="2024")
    assert not at.exception
    assert "Jeugd in Oud-Noord" not in page_text(at)  # off by default
    _switch_on(at, page)
    text, frames = page_text(at), _frames(at)
    assert "Jeugd in Oud-Noord" in text
    assert "zeggen niets over dit gezin" in text  # the guard stays visible
    assert "Jeugdzorg (CBS, 2022, 2021)" in text
    assert "320" in frames and "wijk Oud-Noord" in frames and "4,6%" in frames  # 320 / (1.820 + 5.145)
    assert "1,4% (voorlopig)" in frames and "gemeente Groningen" in frames
    assert "cijfers van de hele gemeente" in text


PROTECTION = {
    "Jongeren met jeugdbescherming (CBS-percentage)",
    "Jongeren met jeugdhulp (CBS-percentage)",
    "Jongeren met jeugdreclassering (CBS-percentage)",
}


def test_buurt_page_says_the_youth_care_is_the_wijks():
    at = _switch_on(open_app("profiel", gemeente="GM0014", wijk="WK001403", buurt="BU00140301", jaar="2024"), "profiel")
    assert "hele wijk Oud-Noord, niet van deze buurt" in page_text(at)
    checked = 0
    for df in at.table:
        v = df.value.map(rendered)  # st.table cells are Markdown: foreign text arrives escaped
        if "Van wie (gebied)" not in v.columns:
            continue
        buurt_rows = v[v["Van wie (gebied)"].astype(str).str.startswith("buurt")]
        if "Cijfer" not in v.columns:  # the youth-care table: wijk, gemeente, NL only
            assert buurt_rows.empty and v["Van wie (gebied)"].str.startswith("wijk Oud-Noord").any()
            checked += 1
        else:  # no gemeente percentage on a buurt line
            assert not buurt_rows["Cijfer"].isin(PROTECTION).any()
            checked += v["Cijfer"].isin(PROTECTION).any()
    assert checked >= 2


def test_switch_survives_a_page_switch_and_english():
    at = _switch_on(open_app("profiel", gemeente="GM0599", wijk="WK059903", jaar="2024", lang="en"), "profiel")
    assert "Young people in Delfshaven" in page_text(at)
    at.switch_page("pages/factoren.py")
    at.run()
    assert not at.exception
    assert "Young people in Delfshaven" in page_text(at)
    assert "(provisional)" in _frames(at)
