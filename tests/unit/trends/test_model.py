"""The ranking with a minimum population and a default comparison year, and the 'since when' lens, on
real embedded rows."""

from __future__ import annotations

import pandas as pd

from wijk.profile.model import load_layout
from wijk.trends import model as trends


def test_ranking_leaves_out_small_areas_and_says_how_many(store):
    view = trends.rank_view(store, "GM0014", "pct_65plus", 2024, None)
    assert view.min_inwoners == 200 and len(view.table) > 50
    assert (view.table["inwoners"] >= 200).all() and view.excluded > 0
    assert list(view.table["rank"]) == list(range(1, len(view.table) + 1))
    assert "BU00141200" not in set(view.table["code"]) or store.value("BU00141200", 2024, "inwoners") >= 200
    everyone = trends.rank_view(store, "GM0014", "pct_65plus", 2024, None, min_inwoners=0)
    assert len(everyone.table) == len(view.table) + view.excluded


def test_groningen_buurten_2024_default_says_why_none_is_comparable(store):
    """Done-when: the ranking for Groningen buurten 2024 with the defaults shows comparable areas, or says
    why none are. In the embedded data the only earlier buurt year is 2017, across the 2019 redivision."""
    since, why = trends.default_since(store, "GM0014", "inwoners", 2024)
    if since is None:
        assert "2019" in why and "2017" in why and "vergelijkbaar" in why
    else:
        view = trends.rank_view(store, "GM0014", "inwoners", 2024, since)
        assert view.comparable > 0


def test_default_comparison_year_has_comparable_areas(store):
    since, why = trends.default_since(store, "GM0344", "pct_0_14", 2024)
    assert since == 2017 and why == ""
    view = trends.rank_view(store, "GM0344", "pct_0_14", 2024, since)
    assert view.comparable > 50


def test_rank_display_is_dutch_with_a_dash_for_missing(store):
    view = trends.rank_view(store, "GM0344", "pct_0_14", 2024, 2017)
    html = trends.rank_display(view, "pct", 2024, "nl").to_html()
    first = view.table.iloc[0]
    assert f"{first['value']:.1f}".replace(".", ",") + "%" in html
    assert "None" not in html and "nan" not in html and "–" in html
    assert "procentpunt" in html and "waarde 2024" in html and "verandering sinds 2017" in html
    en = trends.rank_display(view, "pct", 2024, "en").to_html()
    assert "percentage points" in en and "value 2024" in en


def test_lens_then_and_now_where_comparable(store):
    headline = list(load_layout().headline)
    utrecht = trends.lens(store, "GM0344", 2017, headline)
    row = utrecht.set_index("indicator").loc["pct_65plus"]
    assert row["then_year"] == 2017 and row["now_year"] == 2024 and row["comparable"]
    then, now = store.value("GM0344", 2017, "pct_65plus"), store.value("GM0344", 2024, "pct_65plus")
    assert row["change"].endswith("procentpunt") and f"{abs(now - then):.1f}".replace(".", ",") in row["change"]
    gron = trends.lens(store, "GM0014", 2017, headline).set_index("indicator")
    assert not gron.loc["inwoners", "comparable"] and "Haren" in gron.loc["inwoners", "note"]
    assert gron.loc["inwoners", "change"] == "–"
    shown = trends.lens_display(gron.reset_index(), "nl")
    assert "2.017" not in shown.to_string() and "kerncijfer" in shown.columns
    assert set(shown["nu (jaar)"]) - {"–"} <= {"2017", "2020", "2022", "2023", "2024"}


def test_lens_year_after_every_figure(store):
    out = trends.lens(store, "GM0344", 2030, ["pct_65plus"])
    assert not out["comparable"].any() and "2024" in out["note"].item()
    assert isinstance(out, pd.DataFrame)
