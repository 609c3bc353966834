"""AppTest: every chart has its numbers as a table nearby (an expander with a dataframe), with
localised headers and the values as the UI shows them. On the profile, trends and map screens the
table is made when its expander is opened (issue 22), so these tests open it first."""

from __future__ import annotations

from tests.app.conftest import lazy_keys, open_app, open_sections

TILBURG = {"gemeente": "GM0855", "wijk": "WK085512", "buurt": "BU08551201", "jaar": "2024"}


def _tables(at) -> list:
    return [d.value for d in at.dataframe]


def test_profile_charts_have_tables():
    at = open_app("profiel", lang="nl", **TILBURG)
    assert not at.exception
    assert not _tables(at)  # not sent while closed
    assert open_sections(at, "profiel_chart_") == [
        "profiel_chart_age_table_open",
        "profiel_chart_households_table_open",
    ]
    assert not at.exception
    charts = at.get("vega_lite_chart")
    tables = [t for t in _tables(at) if list(t.columns)[:1] == ["Groep"]]
    assert len(charts) == 2 and len(tables) == 2
    age = next(t for t in tables if "Aandeel 0-14 jaar" in t["Groep"].tolist())
    assert list(age.columns) == ["Groep", "Armhoef Noord-West", "Tilburg"]
    assert all(v.endswith("%") and "," in v for v in age["Tilburg"])


def test_profile_tables_in_english():
    at = open_app("profiel", lang="en", **TILBURG)
    open_sections(at, "profiel_chart_")
    tables = [t for t in _tables(at) if list(t.columns)[:1] == ["Group"]]
    assert len(tables) == 2 and any("Share aged 0-14" in t["Group"].tolist() for t in tables)


def test_trends_charts_have_tables():
    at = open_app("trends", lang="nl", **TILBURG)
    assert not at.exception
    closed = ["trends_series_table_open", "trends_compare_table_open", "trends_heat_table_open"]
    assert set(closed) <= set(lazy_keys(at))
    assert not any(list(t.columns)[:1] in (["Jaar"], ["Indicator"]) for t in _tables(at))  # not sent while closed
    for key in closed:
        open_sections(at, key)
    assert not at.exception
    years = [t for t in _tables(at) if list(t.columns)[:1] == ["Jaar"]]
    assert len(years) == 2  # the series and the comparison
    series = years[0]
    assert "Armhoef Noord-West (BU08551201)" in series.columns and 2024 in series["Jaar"].tolist()
    assert "885" in series["Armhoef Noord-West (BU08551201)"].tolist()
    assert any(list(t.columns)[:1] == ["Indicator"] for t in _tables(at))  # the heat table


def test_the_map_has_a_table_of_its_colours():
    at = open_app("kaart", lang="nl", **TILBURG)
    assert not at.exception
    assert not any(list(t.columns)[:2] == ["Gebied", "Code"] for t in _tables(at))  # not sent while closed
    open_sections(at, "kaart_values_table_open")
    assert not at.exception
    table = next(t for t in _tables(at) if list(t.columns)[:2] == ["Gebied", "Code"])
    label = at.selectbox(key="kaart_indicator").format_func(at.selectbox(key="kaart_indicator").value)
    assert table.columns[2] == label
    assert "BU08551201" in table["Code"].tolist() or "WK085512" in table["Code"].tolist()
