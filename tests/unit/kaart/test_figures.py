"""wijk.kaart.figures: which figure colours which buurt. Made-up fixtures (labelled: not CBS figures) for
the rules, then the real data: Amsterdam's renumbered buurten carry their old code's figure, Tilburg's
reused codes are left grey on the 2024 polygons."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from wijk.core.boundaries import reused_codes
from wijk.core.catalogue import load_catalogue
from wijk.core.paths import data_dir
from wijk.core.store import Store
from wijk.kaart import figures, geo, maps
from wijk.kaart import model as kaart

IND = "rivm_ervaren_gezondheid"
# Made-up buurten of a made-up gemeente GM0999 (codes and values invented for the rules, not CBS figures):
# BU09990001 same code, same place since 2019; BU09990002 same code, another place now (rejected pair);
# BU09990103 new code of the same area as old BU09990003 (accepted pair, figures carried);
# BU09990004 no figure at all.
SAME, REUSED, NEW, OLD, NONE = "BU09990001", "BU09990002", "BU09990103", "BU09990003", "BU09990004"
DRAWN = [SAME, REUSED, NEW, NONE]


def _rows(rows, carried_from=None):
    frame = pd.DataFrame(rows, columns=["code", "year", "indicator", "value", "boundary_year", "period"])
    frame = frame.assign(
        table="FIXTURE", variable="made up", source="made up", method="cbs", n_parts=0, coverage=1.0, priority=0.0
    )
    return frame if carried_from is None else frame.assign(carried_from=carried_from)


@pytest.fixture(scope="module")
def made_up() -> Store:
    values = _rows(
        [
            (SAME, 2020, IND, 81.5, 2020, "2020-autumn"),
            (REUSED, 2020, IND, 64.0, 2020, "2020-autumn"),
            (SAME, 2024, "inwoners", 1200.0, 2024, "2024-01-01"),
            (REUSED, 2024, "inwoners", 40.0, 2024, "2024-01-01"),
            (NEW, 2024, "inwoners", 900.0, 2024, "2024-01-01"),
            (REUSED, 2024, "rivm_eenzaam", 50.0, 2024, "2024-autumn"),  # on the 2024 indeling: always fits
            (SAME, 2017, "pct_sociaal_minimum", 9.0, 2017, "2014"),
        ]
    )
    areas = pd.DataFrame(
        {
            "code": DRAWN,
            "year": [2024] * 4,
            "level": ["buurt"] * 4,
            "name": ["Een", "Twee", "Drie", "Vier"],
            "name_year": [2024] * 4,
            "wijk": ["WK099900"] * 4,
            "gemeente": ["GM0999"] * 4,
        }
    )
    store = Store(values, areas, load_catalogue(data_dir() / "indicators.csv"))
    store.carried = _rows(
        [(NEW, 2020, IND, 72.25, 2020, "2020-autumn"), (NEW, 2017, "pct_sociaal_minimum", 12.0, 2017, "2014")], OLD
    )
    return store


def _candidates(store, polygon_year=2024):
    return figures.candidate_rows(store, DRAWN, 2024, polygon_year, "buurt", reused=frozenset({REUSED}))


def test_a_carried_figure_colours_the_new_code_and_missing_stays_missing(made_up):
    d = figures.drawn(_candidates(made_up), IND, 2020, 2024, DRAWN)
    assert d.values == {SAME: 81.5, REUSED: None, NEW: 72.25, NONE: None}  # never 0 for no figure
    assert d.carried == {NEW: (OLD, 2020)}
    assert figures.carried_tips(d, "nl") == {NEW: "zelfde gebied, in 2020 code BU09990003"}
    assert figures.carried_tips(d, "en") == {NEW: "same area, in 2020 code BU09990003"}
    assert {f.code: f.carried_from for f in figures.figures_of(d)} == {SAME: "", NEW: OLD}


def test_a_reused_code_is_not_drawn_and_counted_with_one_sentence(made_up):
    d = figures.drawn(_candidates(made_up), IND, 2020, 2024, DRAWN)
    assert d.reused == [REUSED] and d.values[REUSED] is None
    title, notes = figures.legend_text("Ervaren gezondheid goed (18+) (cijfers 2020)", "Ervaren", d, 2024, "nl")
    assert title == "Ervaren (2020)"  # RIVM autumn 2020 on a 2024 map: four years, not old
    assert not any(n.startswith("OUD") for n in notes)
    assert "1 buurten zonder passende grens" in notes[-1] and notes[-1].count(".") == 1
    assert "1 buurten tonen het cijfer van hun oude code (zelfde gebied, indeling 2020)" in notes[0]


def test_the_reuse_rule_applies_to_old_indelingen_on_2024_polygons_only(made_up):
    on_2019 = figures.drawn(_candidates(made_up, polygon_year=2019), IND, 2020, 2024, DRAWN)
    assert on_2019.values[REUSED] == 64.0 and on_2019.reused == []  # the 2019 polygon is that place
    newer = figures.drawn(_candidates(made_up), "rivm_eenzaam", 2024, 2024, DRAWN)
    assert newer.values[REUSED] == 50.0 and newer.reused == []  # a figure on the 2024 indeling fits its polygon


def test_old_figures_are_marked_in_the_legend_with_the_cards_wording(made_up):
    d = figures.drawn(_candidates(made_up), "pct_sociaal_minimum", 2017, 2024, DRAWN)
    assert d.values == {SAME: 9.0, REUSED: None, NEW: 12.0, NONE: None}
    assert d.described == (2014,) and d.old
    title, notes = figures.legend_text("Sociaal minimum (cijfers 2017)", "Sociaal minimum", d, 2024, "nl")
    assert title == "Sociaal minimum (2014, oud)"
    assert notes[0] == "OUD · Deze cijfers beschrijven 2014: meer dan vijf jaar vóór 2024."
    title_en, notes_en = figures.legend_text("Social minimum", "Social minimum", d, 2024, "en")
    assert title_en == "Social minimum (2014, old)" and notes_en[0].startswith("OLD · These figures describe 2014")
    # the same figures on a 2019 map are five years old, not more: no mark
    assert not figures.drawn(_candidates(made_up), "pct_sociaal_minimum", 2017, 2019, DRAWN).old


def test_older_indicators_are_offered_with_their_newest_fitting_year(made_up):
    rows = _candidates(made_up)
    assert figures.older_years(rows, 2024, {"inwoners", "rivm_eenzaam"}) == {IND: 2020, "pct_sociaal_minimum": 2017}
    assert figures.older_years(rows, 2024, {IND, "pct_sociaal_minimum", "inwoners", "rivm_eenzaam"}) == {}


# ---- the real data ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fac():
    return geo.load_facilities()


def _option(store, year, gm, ind, lang="nl"):
    return next(o for o in kaart.options(store, year, "buurt", gm, [], lang) if o.id == ind)


def _tips(view) -> dict[str, str]:
    feats = json.loads(view.deck.to_json())["layers"][0]["data"]["features"]
    return {f["properties"]["code"]: f["properties"]["tip"] for f in feats}


def test_amsterdam_2024_map_of_rivm_2020_carries_the_old_codes_figures(store, fac):
    opt = _option(store, 2024, "GM0363", IND)
    assert opt.year == 2020 and opt.label == "Ervaren gezondheid goed (18+) (cijfers 2020)"
    view = kaart.build_view(store, "BU0363TG01", 2024, "buurt", "GM0363", opt, fac, None, [], "nl")
    carried = store.carried
    old = carried[(carried["code"] == "BU0363TG01") & (carried["year"] == 2020) & (carried["indicator"] == IND)]
    assert view.values["BU0363TG01"] == pytest.approx(float(old["value"].iloc[0]))
    assert _tips(view)["BU0363TG01"].endswith("\nzelfde gebied, in 2020 code BU03639402")
    # every coloured buurt got its figure through a pair the crosswalk accepted
    cw = pd.read_csv(data_dir() / "buurt_crosswalk.csv", dtype=str)
    accepted = set(zip(cw.loc[cw["carried"] == "1", "code_2019"], cw.loc[cw["carried"] == "1", "code_2024"]))
    assert view.drawn is not None and len(view.drawn.carried) >= 300
    assert all((o, c) in accepted for c, (o, _) in view.drawn.carried.items())
    coloured = {c for c, v in view.values.items() if v is not None}
    assert coloured == set(view.drawn.carried)  # no other buurt coloured: no figure stays 'onbekend'
    grey = sorted(set(view.layer.codes()) - coloured)
    assert grey and "onbekend" in _tips(view)[grey[0]] and "zelfde gebied" not in _tips(view)[grey[0]]
    assert any("buurten tonen het cijfer van hun oude code" in n for n in view.legend_notes)
    assert "Grenzen van 2024, cijfers van 2020" in kaart.boundary_note(view.layer, "nl", view.drawn.year)


def test_amsterdam_2024_map_of_kwb_2017_is_marked_old(store, fac):
    opt = _option(store, 2024, "GM0363", "pct_sociaal_minimum")
    view = kaart.build_view(store, "BU0363TG01", 2024, "buurt", "GM0363", opt, fac, None, [], "nl")
    assert view.legend_title.endswith("(2014, oud)")
    assert view.legend_notes[0].startswith("OUD · Deze cijfers beschrijven 2014")
    html = maps.legend_html(view.legend, view.legend_title)
    assert "(2014, oud)" in html
    table = kaart.values_table(view, opt, "nl")
    row = table[table["Code"] == "BU0363TG01"].iloc[0]
    assert row["Opmerking"] == "zelfde gebied, in 2017 code BU03639402"


def test_tilburg_2020_leaves_reused_codes_grey_and_draws_accepted_ones(store, fac):
    opt = _option(store, 2020, "GM0855", IND)
    view = kaart.build_view(store, "BU08553206", 2020, "buurt", "GM0855", opt, fac, None, [], "nl")
    assert view.layer.boundary_year == 2024
    reused = reused_codes()
    assert "BU08553206" in reused  # Groenewoud Oost: the crosswalk says 'verschoven'
    assert store.value("BU08553206", 2020, IND) is not None  # a figure exists, but for another place
    assert view.values["BU08553206"] is None and "BU08553206" in view.drawn.reused
    assert "onbekend" in _tips(view)["BU08553206"]
    assert view.values["BU08553702"] is not None and "BU08553702" not in reused  # same code, same place
    sentence = next(n for n in view.legend_notes if "zonder passende grens" in n)
    assert sentence.startswith(f"{len(view.drawn.reused)} buurten zonder passende grens")
    assert all(view.values[c] is None for c in reused if c in view.values)


def test_no_rows_draw_nothing_and_offer_nothing(made_up):
    # a 2017 wijk map of Amsterdam: the wijk codes of 2017 meet no 2024 polygon, so no row at all
    rows = figures.candidate_rows(made_up, ["WK099999"], 2024, 2024, "wijk", reused=frozenset())
    assert rows.empty
    d = figures.drawn(rows, IND, 2024, 2024, ["WK099999"])
    assert d.values == {"WK099999": None} and d.year is None and not d.old and not d.reused
    assert figures.older_years(rows, 2024, set()) == {}
