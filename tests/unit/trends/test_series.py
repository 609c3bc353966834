"""The series builder on real embedded rows: breaks at boundary and definition changes, codes not names,
gemeente and NL references per year, comparison, ranking and the rules as data."""

from __future__ import annotations

import pandas as pd
import pytest

from wijk.core import comparability
from wijk.core.owndata import OwnDataset, OwnIndicator
from wijk.trends import model, series


def test_rules_are_data_and_complete():
    rules = comparability.boundary_rules()
    assert any(r.kind == "policy" for r in rules)
    gm = [r for r in rules if r.pattern == "GM0014"]
    assert (
        gm
        and gm[0].year == 2019
        and gm[0].kind == "merger"
        and "Haren" in gm[0].note_nl
        and "Ten Boer" in gm[0].note_en
    )
    assert {r.pattern for r in rules if r.kind == "redivision"} >= {"WK0014*", "BU0014*"}
    for r in rules + comparability.definition_rules():
        assert r.note_nl and r.note_en
    assert {r.kind for r in comparability.definition_rules()} <= {"note", "break", "caution"}


def test_groningen_breaks_at_2019_and_says_why(store):
    s = series.build_series(store, "GM0014", "inwoners")
    assert s.years == [2017, 2021, 2022, 2023, 2024]  # 2021: KWB population beside the youth-care file
    assert [f.value for f in s.figures][0] == 202620 and s.figures[-1].value == 243768
    assert s.segments() == [0, 1, 1, 1, 1]
    (brk,) = s.breaks
    assert (brk.before, brk.after, brk.kind) == (2017, 2021, "boundary")
    assert "Haren" in brk.text("nl") and "Ten Boer" in brk.text("en")


def test_unchanged_gemeente_is_one_series(store):
    s = series.build_series(store, "GM0344", "inwoners")  # Utrecht: no boundary change 2022-2024
    assert s.years == [2021, 2022, 2023, 2024] and s.breaks == [] and set(s.segments()) == {0}


def test_amsterdam_breaks_at_weesp(store):
    """Weesp joined Amsterdam in 2022 (CBS classification 2023): 2022 is a smaller Amsterdam."""
    s = series.build_series(store, "GM0363", "inwoners")
    assert s.years == [2021, 2022, 2023, 2024] and s.segments() == [0, 0, 1, 1]
    assert "Weesp" in s.breaks[0].text("nl")


def test_area_change_caught_without_a_rule(store, monkeypatch):
    """A refresh may bring a change nobody wrote a rule for: CBS's own area of the code catches it."""
    rules = tuple(r for r in comparability.boundary_rules() if r.pattern != "GM0363")
    monkeypatch.setattr(comparability, "boundary_rules", lambda: rules)
    (brk,) = series.build_series(store, "GM0363", "inwoners").breaks
    assert brk.kind == "area" and "21.949" in brk.text("nl") and "24,365" in brk.text("en")


def test_same_code_and_name_is_not_joined_across_a_redivision(store):
    assert store.areas.name("WK001401", 2017) == store.areas.name("WK001401", 2024) == "Oud-Zuid"
    s = series.build_series(store, "WK001401", "pct_0_14")
    assert s.years == [2017, 2021, 2022, 2024] and s.segments() == [0, 1, 1, 1] and s.breaks[0].kind == "boundary"


def test_never_joined_on_names(store):
    """'Peizerweg' is BU00140808 in 2017 and BU00140110 in 2024: two series, not one."""
    assert store.areas.name("BU00140808", 2017) == store.areas.name("BU00140110", 2024) == "Peizerweg"
    new = series.build_series(store, "BU00140110", "inwoners")
    old = series.build_series(store, "BU00140808", "inwoners")
    assert new.years == [2024] and 2024 not in old.years and 2017 in old.years
    frame = series.series_frame(store, [new])
    assert set(frame["code"]) == {"BU00140110"}


def test_references_per_year(store):
    trend = series.trend(store, "BU00140107", "pct_0_14")
    assert [s.role for s in trend] == ["area", "gemeente", "land"]
    area, gm, nl = trend
    assert gm.code == "GM0014" and nl.code == "NL01"
    for ref in (gm, nl):
        for f in ref.figures:
            assert f.value == pytest.approx(store.value(ref.code, f.year, "pct_0_14"))
    assert gm.years == [2017, 2021, 2022, 2023, 2024] and gm.segments()[0] != gm.segments()[1]
    # the 2017 (pre-merger) gemeente: inhabitants 0-14 / inhabitants of the same wijken (issue 11)
    assert gm.figures[0].value == pytest.approx(12.1440, abs=1e-3)
    assert nl.breaks == [] or all(b.kind == "caution" for b in nl.breaks)


def test_boundary_year_comes_from_the_source(store):
    """Income 2020 is published on 2023 boundaries: after the 2019 redivision, so apart from 2017."""
    s = series.build_series(store, "WK001401", "inkomen_per_inwoner")
    assert s.years == [2017, 2020, 2024] and s.boundary_years == [2017, 2023, 2024]  # KWB 2024 income too
    assert {b.kind for b in s.breaks} == {"boundary", "definition"}


def test_definition_break_and_caution(store):
    income = series.build_series(store, "GM0344", "inkomen_per_inwoner")
    assert (
        income.years[:2] == [2017, 2020] and income.breaks[0].kind == "definition" and income.segments()[:2] == [0, 1]
    )
    share = series.build_series(store, "GM0344", "pct_0_14")  # kaart-rounded (2022, 2023) vs computed
    assert {b.kind for b in share.breaks} == {"caution"} and set(share.segments()) == {0}
    assert any("herkomst" in n for n in comparability.notes("GM0344", "pct_niet_westers"))
    assert any("westers" in n for n in comparability.notes("GM0344", "pct_herkomst_nl"))
    assert any("Haren" in n for n in comparability.notes("GM0014", "inwoners"))
    # RIVM has three measurements on one indeling (2012, 2016, 2020): the note says so, not 'one year'
    rivm = [n for n in comparability.notes("BU00140000", "rivm_eenzaam") if "RIVM" in n]
    assert rivm and all("2012" in n and "50090NED" in n and "geen reeks" not in n for n in rivm)
    assert any("2012" in n and "no series" not in n for n in comparability.notes("BU00140000", "rivm_eenzaam", "en"))


def test_compare_up_to_six_any_level(store):
    codes_ = ["GM0014", "WK001401", "BU00140107", "GM0344", "GM0363", "NL01", "GM0599", "GM0014"]
    comp = series.compare(store, codes_, "inwoners")
    assert [s.code for s in comp] == codes_[:6]
    frame = series.series_frame(store, comp)
    assert set(frame["role"]) == {"compare"} and frame["value"].notna().all()
    assert frame.loc[(frame["code"] == "GM0014") & (frame["year"] == 2024), "value"].item() == 243768


def test_ranking_change_only_where_comparable(store):
    r = series.ranking(store, "GM0344", "pct_0_14", 2024, 2017)
    assert r["code"].str.startswith("BU0344").all() and list(r["rank"]) == list(range(1, len(r) + 1))
    assert r["value"].is_monotonic_decreasing
    comp = r[r["comparable"]]
    assert len(comp) > 50
    for row in comp.itertuples():
        assert row.change == pytest.approx(row.value - store.value(row.code, 2017, "pct_0_14"))
    assert (r.loc[~r["comparable"], "note"] != "").all()
    gron = series.ranking(store, "GM0014", "pct_0_14", 2024, 2017)
    assert not gron["comparable"].any() and gron["change"].isna().all()
    assert gron["note"].str.contains("2019").sum() > 50


def test_ranking_wijken_and_years(store):
    assert series.ranking_years(store, "GM0014", "inkomen_per_inwoner", "wijk") == [2017, 2020, 2024]
    r = series.ranking(store, "GM0014", "inkomen_per_inwoner", 2020, 2017, "wijk")
    assert r["code"].str.startswith("WK0014").all() and not r["comparable"].any()
    assert r["small"].dtype == bool


def test_profile_table(store):
    prof = series.profile(store, ["GM0014", "GM0344", "BU00140107"], 2024, ["inwoners", "pct_0_14", "opp_land"])
    assert len(prof) == 9
    assert prof["rel"].dropna().between(0, 1).all()
    missing = prof[(prof["code"] == "BU00140107") & (prof["indicator"] == "pct_0_14")].iloc[:0]
    missing = prof[(prof["code"] == "GM0344") & (prof["indicator"] == "opp_land")] if missing.empty else missing
    missing = prof[prof["value"].isna()]
    assert missing.empty or (missing["text"] == "onbekend").all()  # missing stays 'onbekend', never 0


def test_own_data_with_several_years(store):
    ind = OwnIndicator("local:meldingen", "Meldingen overlast", "per1000", "Gemeente, eigen registratie")
    values = pd.DataFrame(
        {
            "code": ["GM0014", "GM0014", "GM0014", "BU00140107"],
            "year": [2022, 2023, 2024, 2024],
            "indicator": ["local:meldingen"] * 4,
            "value": [12.0, 14.5, None, 3.0],
            "suppressed": [False, False, True, False],
        }
    )
    ds = OwnDataset("Overlast (test, made up)", "eigen registratie", [ind], values)
    s = series.build_series(store, "GM0014", "local:meldingen", datasets=(ds,))
    assert s.years == [2022, 2023, 2024] and s.figures[-1].suppressed and s.figures[-1].value is None
    assert "local:meldingen" in series.indicator_choices(store, "GM0014", (ds,))
    assert series.indicator_meta(store, "local:meldingen", (ds,))[0] == "Meldingen overlast"


def test_counts_get_no_gemeente_or_nl_line_but_shares_do(store):
    from wijk.trends import series as s

    assert [x.role for x in s.trend(store, "BU00140301", "inwoners")] == ["area"]
    assert [x.role for x in s.trend(store, "BU00140301", "pct_0_14")] == ["area", "gemeente", "land"]


# ---- issue 15: every year the store holds, strict years, reference periods, no dotted link across a break
def test_series_takes_every_year_the_store_holds_even_without_area_rows():
    """Crime 2021-2025 on one indeling (made-up fixture): areas are listed only for 2024, yet the series
    holds all five years, in order, and breaks where the land area of the code changed."""
    from tests.fixtures.trends_madeup_store import CODE, CRIME, made_up_store

    st_ = made_up_store()
    s = series.build_series(st_, CODE, "misdrijven_per_1000")
    assert s.years == [2021, 2022, 2023, 2024, 2025]
    assert [f.value for f in s.figures] == list(CRIME.values())
    assert s.segments() == [0, 0, 1, 1, 1] and s.breaks[0].kind == "area"
    frame = series.series_frame(st_, [s])
    assert list(frame["x"]) == [2021.0, 2022.0, 2023.0, 2024.0, 2025.0]
    assert list(frame["text"])[2] == "44,3"  # Dutch format, one decimal
    assert series.ranking_years(st_, "GM9999", "misdrijven_per_1000") == [2021, 2022, 2023, 2024, 2025]


def test_strict_years_never_take_another_years_figure(store, monkeypatch):
    """Should the store answer a year with a figure of another year (a 'latest' option), the series
    leaves that year out rather than plotting the figure twice."""
    real = store.figure

    def latest(code, year, indicator):
        f = real(code, year, indicator)
        return f if f.value is not None else real(code, 2024, indicator)

    monkeypatch.setattr(store, "figure", latest)
    s = series.build_series(store, "GM0014", "inwoners")
    assert s.years == [2017, 2021, 2022, 2023, 2024] and len(set(s.years)) == len(s.years)


def test_points_sit_at_their_reference_period():
    from dataclasses import dataclass

    from wijk.core.store import Figure

    @dataclass(frozen=True)
    class Dated(Figure):
        reference_period: str = ""

    assert series.reference(Figure("BU1", 2024, "x", 1.0)) == (2024.0, "2024")
    assert series.reference(Dated("BU1", 2017, "x", 1.0, reference_period="2014")) == (2014.0, "2014")
    x, label = series.reference(Dated("BU1", 2020, "x", 1.0, reference_period="2020-09"))
    assert 2020.6 < x < 2020.75 and label == "2020-09"


def test_no_caution_across_a_declared_break(store):
    """Oud-Noord 65+: the kaart-rounded 2017 and computed 2024 would be a dotted 'caution', but the 2019
    redivision lies between them: only the break is reported."""
    s = series.build_series(store, "WK001403", "pct_65plus")
    assert {b.kind for b in s.breaks} == {"boundary", "caution"}
    brk = series.breaks_frame(store, [s])
    assert list(brk["kind"]) == ["boundary"] and "2019" in brk["reason"].item()


def test_health_has_three_like_for_like_points_2012_2016_2020(store):
    """RIVM 2012 (50090NED) -> 2016 -> 2020 (50120NED), all on the 2020 indeling: one unbroken series."""
    s = series.build_series(store, "BU00140000", "rivm_eenzaam")
    assert [(f.year, f.value) for f in s.figures] == [(2012, 33.6), (2016, 39.5), (2020, 47.7)]
    assert [f.table for f in s.figures] == ["50090NED", "50120NED", "50120NED"] and not s.breaks
    lens = model.lens(store, "BU00140000", 2012, ["rivm_eenzaam", "rivm_moeite_rondkomen"], "nl")
    assert list(lens["then_year"]) == [2012, 2012] and lens["comparable"].all()


def test_a_renumbered_buurt_has_its_old_series_labelled(store):
    s = series.build_series(store, "BU0363TG01", "rivm_eenzaam")
    assert [f.year for f in s.figures] == [2012, 2016, 2020] and {f.carried_from for f in s.figures} == {"BU03639402"}
    frame = series.series_frame(store, [s], "nl")
    assert frame["name"].str.endswith("zelfde gebied, in 2020 code BU03639402").all()
    assert "None" not in frame.to_string()
