"""AppTest for 'Trends en vergelijken': charts, breaks explained, comparison, ranking, downloads, own data."""
from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP, open_app, page_text
from wijk.localdata import LocalDataset, LocalIndicator


def test_groningen_breaks_explained():
    at = open_app("trends", gemeente="GM0014")
    assert not at.exception
    text = page_text(at)
    assert "Trends en vergelijken" in text and "Haren" in text and "2017 → 2021" in text
    assert len(at.get("vega_lite_chart")) >= 2
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Tabel als CSV") >= 3 and labels.count("Tabel als Excel") >= 3
    assert at.selectbox(key="trends_indicator").value == "inwoners"


def test_buurt_ranking_and_comparison():
    at = open_app("trends", gemeente="GM0014", buurt="BU00140107")
    assert not at.exception
    assert at.multiselect(key="trends_areas").value == ["BU00140107", "WK001401", "GM0014"]
    rank = at.dataframe[0].value
    assert rank["code"].str.startswith("BU0014").all() and len(rank) > 100
    assert not rank["vergelijkbaar"].any()  # 2017 vs 2024 across the 2019 redivision
    assert "Alle buurten van Groningen (GM0014)" in page_text(at)


def test_unchanged_gemeente_and_change_indicator():
    at = open_app("trends", gemeente="GM0344")
    assert not at.exception
    assert "Geen grens- of definitiewijziging" in page_text(at)
    at.selectbox(key="trends_indicator").set_value("pct_0_14").run()
    assert not at.exception
    rank = at.dataframe[0].value
    assert rank["vergelijkbaar"].sum() > 50 and rank["verandering"].notna().sum() > 50
    assert "gestippeld" in page_text(at)


def test_search_adds_an_area_to_compare():
    at = open_app("trends", gemeente="GM0014", lang="en")
    assert not at.exception
    at.text_input(key="trends_search").input("Vinkhuizen").run()
    ms = at.multiselect(key="trends_areas")
    hits = [o for o in ms.options if "Vinkhuizen" in o]
    assert hits, ms.options[:5]
    code = hits[0].split("(")[-1].rstrip(")")
    ms.select(code).run()
    assert not at.exception
    assert code in at.multiselect(key="trends_areas").value
    assert "Trends and comparison" in page_text(at)


def test_own_data_is_plottable():
    ind = LocalIndicator("local:meldingen", "Meldingen overlast", "per1000", "eigen registratie")
    values = pd.DataFrame({"code": ["GM0014"] * 3, "year": [2022, 2023, 2024], "indicator": ["local:meldingen"] * 3,
                           "value": [12.0, 14.5, 13.0], "suppressed": [False] * 3})
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["gemeente"] = "GM0014"
    at.session_state["wb_local_datasets"] = [LocalDataset("Overlast (made up for the test)", "eigen", [ind], values)]
    at.run()
    at.switch_page("pages/trends.py")
    at.run()
    at.selectbox(key="trends_indicator").set_value("local:meldingen").run()
    assert not at.exception
    assert "Meldingen overlast" in page_text(at)
