"""AppTest for 'Trends en vergelijken': charts, breaks explained, comparing 4 areas, the lens, the ranking
with its minimum and default year, Dutch placeholders, downloads, own data as plain text."""

from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP, open_app, open_sections, page_source, page_text, static_tables
from wijk.core.owndata import OwnDataset, OwnIndicator

FOUR = ["GM0014", "GM0344", "WK001403", "BU00140301"]


def _spec(chart) -> tuple[dict, dict[str, pd.DataFrame]]:
    """A chart's Vega-Lite spec and its datasets (Streamlit sends them apart, as Arrow)."""
    p = chart.proto
    data = {d.name: pa.ipc.open_stream(io.BytesIO(d.data.data)).read_pandas() for d in p.datasets}
    return json.loads(p.spec), data


def _compare_chart(at):
    for chart in at.get("vega_lite_chart"):
        spec, data = _spec(chart)
        if "concat" in spec:
            return spec, data
    raise AssertionError("no small-multiples comparison chart on the page")


def test_groningen_breaks_explained():
    at = open_app("trends", gemeente="GM0014")
    assert not at.exception
    text = page_text(at)
    assert "Trends en vergelijken" in text and "Haren" in text and "2017 → 2021" in text
    assert len(at.get("vega_lite_chart")) >= 2
    labels = [b.label for b in at.get("download_button")]
    for label in ("Excel (.xlsx)", "CSV voor Excel (NL)", "CSV internationaal"):
        assert labels.count(label) >= 3
    assert at.selectbox(key="trends_indicator").value == "inwoners"


def test_compare_four_areas_for_one_indicator():
    """Done-when: 4 areas, one indicator: a non-zero scale, every label, and the series with a declared
    break (Groningen 2017 | 2022-2024, Oud-Noord 2017 | 2024) drawn in separate segments."""
    at = open_app("trends", gemeente="GM0014", wijk="WK001403")
    at.selectbox(key="trends_indicator").set_value("pct_65plus").run()
    at.multiselect(key="trends_areas").set_value(FOUR).run()
    assert not at.exception
    spec, data = _compare_chart(at)
    titles = [p["title"]["text"] for p in spec["concat"]]
    assert titles == ["Groningen (GM0014)", "Utrecht (GM0344)", "Oud-Noord (WK001403)", "Indische buurt (BU00140301)"]
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    for panel in spec["concat"]:
        lo, hi = panel["layer"][0]["encoding"]["y"]["scale"]["domain"]
        assert hi > lo and hi > 1  # a real scale, not an axis with only "0"
    panels = {p["title"]["text"]: p for p in spec["concat"]}
    gm_points = data[panels["Groningen (GM0014)"]["layer"][0]["data"]["name"]]
    by_segment = gm_points.groupby("segment")["year"].apply(list).tolist()
    assert [2017] in by_segment and not any(2017 in seg and len(seg) > 1 for seg in by_segment)
    oud_noord = data[panels["Oud-Noord (WK001403)"]["layer"][0]["data"]["name"]]
    assert oud_noord["segment"].nunique() == 2  # 2017 and 2024 never joined by a line
    assert not [lay for lay in panels["Oud-Noord (WK001403)"]["layer"] if lay["mark"].get("strokeDash") == [2, 3]]
    assert [lay for lay in panels["Oud-Noord (WK001403)"]["layer"] if lay["mark"]["type"] == "rule"]
    text = page_text(at)
    assert "Aandeel 65 jaar of ouder door de jaren" in text
    assert "Oud-Noord (WK001403), 2017 → 2024" in text  # the break is explained


def _sortable_ranking(at):
    """The ranking as a data grid (numbers stay numbers): made when its section is opened (issue 22)."""
    open_sections(at, "trends_rank_table_open")
    assert not at.exception
    return at.dataframe[-1].value


def test_buurt_lens_ranking_and_comparison():
    at = open_app("trends", gemeente="GM0014", buurt="BU00140107")
    assert not at.exception
    assert at.multiselect(key="trends_areas").value == ["BU00140107", "WK001401", "GM0014"]
    lens = next(f for f in static_tables(at) if "kerncijfer" in f.columns)  # static HTML (issue 22)
    assert "Inwoners" in set(lens["kerncijfer"])
    shown = static_tables(at)[-1]  # the ranking as read: static, numbers written the Dutch way
    assert not at.dataframe and shown["code"].str.startswith("BU0014").all() and len(shown) > 50
    assert shown["inwoners"].str.fullmatch(r"\d{1,3}(\.\d{3})*").all()
    rank = _sortable_ranking(at)
    assert rank["code"].tolist() == shown["code"].tolist()
    assert rank["code"].str.startswith("BU0014").all() and len(rank) > 50
    assert (rank["inwoners"] >= 200).all()  # the default minimum population
    text = page_text(at)
    assert "Alle buurten van Groningen (GM0014)" in text
    assert "met minstens 200 inwoners in de rangorde" in text
    # the default comparison year: none comparable across the 2019 redivision, and the page says why
    assert at.selectbox(key="trends_rank_since").value == 0
    assert "Geen enkel gebied is vergelijkbaar" in text and "2019" in text
    assert "None" not in rank.astype(str).to_string().replace("NaN", "")


def test_minimum_population_is_adjustable_and_stated():
    at = open_app("trends", gemeente="GM0014", buurt="BU00140107")
    n_default = len(static_tables(at)[-1])
    at.number_input(key="trends_rank_min").set_value(1000).run()
    assert not at.exception
    assert len(static_tables(at)[-1]) < n_default
    rank = _sortable_ranking(at)
    assert len(rank) < n_default and (rank["inwoners"] >= 1000).all()
    assert "met minstens 1000 inwoners" in page_text(at)


def test_unchanged_gemeente_default_year_has_comparable_areas():
    at = open_app("trends", gemeente="GM0344")
    assert not at.exception
    assert "Geen grens- of definitiewijziging" in page_text(at)
    at.selectbox(key="trends_indicator").set_value("pct_0_14").run()
    assert not at.exception
    assert at.selectbox(key="trends_rank_since").value == 2017
    rank = _sortable_ranking(at)
    assert rank["verandering sinds 2017"].notna().sum() > 50
    assert "gestippeld" in page_text(at)


def test_dutch_placeholders_everywhere():
    at = open_app("trends", gemeente="GM0014", wijk="WK001403")
    assert not at.exception
    for sb in at.selectbox:
        if sb.key and sb.key.startswith("trends_"):
            assert sb.proto.placeholder == "Kies een optie", sb.key
    for ms in at.multiselect:
        assert ms.proto.placeholder in ("Kies een of meer opties", ""), ms.key
    assert "Choose an option" not in page_text(at)
    en = open_app("trends", gemeente="GM0014", wijk="WK001403", lang="en")
    assert en.selectbox(key="trends_rank_since").proto.placeholder == "Choose an option"


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


def test_own_data_is_plottable_and_its_label_is_plain_text():
    label = "Meldingen [overlast](https://evil.example) **vet**"
    ind = OwnIndicator("local:meldingen", label, "per1000", "eigen registratie")
    values = pd.DataFrame(
        {
            "code": ["GM0014"] * 3,
            "year": [2022, 2023, 2024],
            "indicator": ["local:meldingen"] * 3,
            "value": [12.0, 14.5, 13.0],
            "suppressed": [False] * 3,
        }
    )
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["gemeente"] = "GM0014"
    at.session_state["wb_local_datasets"] = [OwnDataset("Overlast (made up for the test)", "eigen", [ind], values)]
    at.run()
    at.switch_page("pages/trends.py")
    at.run()
    at.selectbox(key="trends_indicator").set_value("local:meldingen").run()
    assert not at.exception
    text, source = page_text(at), page_source(at)
    assert "Meldingen" in text
    assert "](https://evil.example)" not in source and "**vet**" not in source  # escaped, never a link or bold
