"""The factor chart builders: data in, chart out, inspected through to_dict()."""

from __future__ import annotations

import pytest

from wijk.factors import charts
from wijk.factors import model as factors

BUURT = "BU00140107"


@pytest.fixture(scope="module")
def view(store):
    return factors.factor_view(store, BUURT, 2024, "gemeente")


def _bars(spec):
    layer = spec["layer"][0]
    data = spec["datasets"][layer["data"]["name"]]
    return layer, data


def test_rows_frame_caps_and_keeps_true_deviation():
    row = factors.FactorRow(
        "risk", "F", "x", "X", "per1000", "high", "weak", "uitleg", "CTC", 50.0, 2024, 10.0, "Groningen", 7.5, 100
    )
    f = charts.rows_frame([row], "nl").iloc[0]
    assert f["shown"] == charts.CLIP and f["deviation"] == 7.5 and f["dev_text"] == "+7,5"
    assert f["direction"] == "ongunstiger dan referentie" and f["strength_text"] == "zwak"
    assert f["value_text"] == "50,0" and f["ref_text"] == "10,0"


def test_chart_shows_raw_value_reference_and_strength(store, view):
    frame = charts.rows_frame(view.panel("risk"), "nl")
    spec = charts.diverging_bars(frame, "nl").to_dict()
    layer, data = _bars(spec)
    enc = layer["encoding"]
    assert enc["x"]["scale"]["domain"] == [-charts.CLIP, charts.CLIP]
    tips = {t["field"] for t in enc["tooltip"]}
    assert {"value_text", "ref_text", "ref_label", "strength_text", "dev_text", "year"} <= tips
    labels = {d["label"] for d in data}
    crime_label = store.catalogue.get("misdrijven_per_1000").label("nl") + " (2024)"  # every bar says its year
    assert crime_label in labels
    crime = next(d for d in data if d["label"] == crime_label)
    assert crime["ref_label"] == "Groningen"
    assert enc["color"]["scale"]["range"] == ["#d95f02", "#1b9e77"]
    assert enc["color"]["legend"]["labelLimit"] == 0  # "ongunstiger dan de referentie" is never cut off
    assert spec["layer"][1]["mark"]["type"] == "rule"  # the zero line


def test_outcome_band_uses_its_own_colours_and_wording(store):
    view = factors.factor_view(store, BUURT, 2020, "nl")
    frame = charts.rows_frame(view.panel("outcome"), "en")
    spec = charts.diverging_bars(frame, "en", outcome=True).to_dict()
    layer, data = _bars(spec)
    assert layer["encoding"]["color"]["scale"]["range"] == ["#7570b3", "#b8b8d8"]
    assert "signals of need" in layer["encoding"]["x"]["title"]
    assert data[0]["ref_label"] == "Nederland"


def test_rows_without_deviation_stay_out_of_the_chart():
    rows = [
        factors.FactorRow(
            "protective",
            "F",
            "a",
            "A",
            "pct",
            "",
            "local",
            "",
            "",
            5.0,
            2024,
            4.0,
            "x",
            None,
            0,
            local=True,
            source="bron",
        ),
        factors.FactorRow("protective", "F", "b", "B", "pct", "low", "moderate", "", "", 5.0, 2024, 4.0, "x", -0.5, 9),
    ]
    frame = charts.rows_frame(rows, "nl")
    assert frame.iloc[0]["label"].endswith("eigen data")
    _, data = _bars(charts.diverging_bars(frame, "nl").to_dict())
    assert [d["label"] for d in data] == ["B (2024)"]


def test_an_old_figure_is_marked_old_on_its_bar_and_in_its_year():
    """Income of KWB 2017 describes 2014: ten years before 2024, so the bar and the year say 'oud'."""
    row = factors.FactorRow(
        "risk", "F", "inkomen", "Inkomen", "x1000eur", "low", "moderate", "", "", 16.1, 2017, 25.0, "x", 0.5, 9,
        period="2014", boundary_year=2017, carried_from="BU03639402", old=True,
    )  # fmt: skip
    f = charts.rows_frame([row], "nl").iloc[0]
    assert f["label"] == "Inkomen (2014, oud)"
    assert f["year"] == "2017 (2014) · oud · zelfde gebied, in 2017 code BU03639402"
    new = factors.FactorRow("risk", "F", "b", "B", "pct", "low", "moderate", "", "", 5.0, 2024, 4.0, "x", 0.1, 9)
    assert charts.rows_frame([new], "en").iloc[0]["label"] == "B (2024)"


def test_tables_have_translated_headers_and_providers(view):
    table = charts.table_frame(charts.rows_frame(view.rows, "nl"), "nl")
    assert {"Indicator", "Waarde", "Wijk", "Gemeente", "Nederland", "Sterkte"} <= set(table.columns)
    miss = charts.missing_frame(view.missing, 2024, "en")
    assert "What would provide it" in miss.columns
    assert miss["What would provide it"].str.contains("CBS refresh").any()
    assert miss["What would provide it"].str.contains("Own data").any()


def test_the_similar_areas_table_picks_its_columns_by_name(view):
    frame = charts.rows_frame(view.rows, "nl")
    full = charts.table_frame(frame, "nl")
    diff = charts.table_frame(frame, "nl", charts.SIMILAR_DIFF_COLUMNS)
    assert list(diff.columns) == ["Indicator", "Factor", "Waarde", full.columns[6], full.columns[7], "Sterkte"]
    assert not {"Wijk", "Gemeente", "Nederland"} & set(diff.columns)
    assert diff.equals(full[list(diff.columns)])


def test_median_reference_label_is_readable():
    assert charts.ref_label_text("median:buurt:Groningen", "nl") == "mediaan van de buurten in Groningen"
    assert charts.ref_label_text("median:wijk:Delft", "en") == "median of the districts in Delft"


AMSTERDAM_RECODED = "BU0363AB06"  # a 2022 Amsterdam code, after RIVM measured in 2020, whose area changed (no carry)


def test_a_recoded_buurt_says_why_and_shows_the_surrounding_area_as_context(store):
    view = factors.factor_view(store, AMSTERDAM_RECODED, 2024, "gemeente")
    lonely = next(m for m in view.missing if m.indicator == "rivm_eenzaam")
    assert lonely.reason == "new_code" and lonely.years == (2020,)
    # the context figure is the gemeente's own 2020 figure, never presented as the buurt's
    assert lonely.higher is not None and lonely.higher.code == "GM0363" and lonely.higher.year == 2020
    assert lonely.higher.value == store.value("GM0363", 2020, "rivm_eenzaam")
    assert not any(r.indicator == "rivm_eenzaam" for r in view.rows)

    table = charts.missing_frame(view.missing, 2024, "nl", lambda c: store.areas.name(c, 2024, "nl"))
    row = table[table["Indicator"] == lonely.label].iloc[0]
    context = row["Omliggend gebied (ter oriëntatie)"]
    assert context.startswith("gemeente Amsterdam, 2020: ") and context.endswith("%")
    assert "2020" in row["Waarom ontbreekt het"] and "nog niet bestond" in row["Waarom ontbreekt het"]


def test_a_figure_never_measured_anywhere_has_no_context_figure(store):
    view = factors.factor_view(store, AMSTERDAM_RECODED, 2024, "gemeente")
    unmeasured = [m for m in view.missing if m.reason == "not_measured"]
    assert unmeasured and all(m.higher is None for m in unmeasured)


def test_a_renumbered_buurt_keeps_its_history_in_the_factor_view(store):
    """Bijlmermuseum-Noord BU0363TG01 was BU03639402 (2,255 inhabitants in 2017, 2,265 in 2024): its
    RIVM 2020 and KWB 2017 figures are carried from the old code, labelled with that code."""
    view = factors.factor_view(store, "BU0363TG01", 2024, "gemeente")
    risk, outcome = view.panel("risk"), view.panel("outcome")
    assert len(risk) >= 3 and outcome  # risk factors and signals of need, not 'Geen cijfers'
    carried = [r for r in view.rows if r.carried_from]
    assert carried and all(r.carried_from == "BU03639402" for r in carried)
    income = next(r for r in view.rows if r.indicator == "inkomen_per_inwoner")
    assert income.year == 2017 and income.old and income.value == 16.1
    frame = charts.rows_frame(carried, "nl")
    assert frame["year"].str.contains("zelfde gebied, in 20(?:17|20) code BU03639402").all()
