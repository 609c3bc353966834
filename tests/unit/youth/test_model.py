"""The youth lens model (issue 18) on the real embedded store: levels and years stay honest."""

import pytest

from wijk.core import codes
from wijk.youth import model as youth

WIJK = "WK001403"  # Oud-Noord, Groningen
BUURT = "BU00140301"


@pytest.fixture(scope="module")
def wijk_lens(store):
    return youth.youth_lens(store, WIJK, 2024)


def _cell(rows, indicator, level):
    row = next(r for r in rows if r.indicator.id == indicator)
    return next(c for c in row.cells if c.level == level)


def test_youth_care_shows_2021_and_2022_whatever_year_is_selected(wijk_lens):
    assert wijk_lens.care_years == [2022, 2021]
    c21 = _cell(wijk_lens.care[2021], "jeugdzorg", "wijk")
    assert c21.code == WIJK and c21.own and c21.figure.value == 320 and c21.figure.year == 2021
    share = _cell(wijk_lens.care[2021], "pct_jeugdzorg_0_24", "wijk").figure
    assert share.value == pytest.approx(320 / (1820 + 5145) * 100)
    assert "k_0Tot15Jaar" not in share.variable and "a_00_14" in share.variable  # denominator named
    gm22 = _cell(wijk_lens.care[2022], "jeugdzorg", "gemeente")
    assert gm22.figure.value == 5535 and gm22.figure.table == "85335NED"
    assert _cell(wijk_lens.care[2022], "jeugdzorg_traj_gi", "gemeente").figure.value == 840


def test_child_protection_is_only_the_gemeentes_and_provisional(wijk_lens):
    for row in wijk_lens.protection:
        assert {c.level for c in row.cells} <= {"gemeente", "land"}
    gm = _cell(wijk_lens.protection, "pct_jeugdbescherming", "gemeente")
    assert gm.figure.value == 1.4 and gm.figure.year == 2022 and gm.provisional and not gm.own
    assert gm.area_label("nl") == "gemeente Groningen"
    assert _cell(wijk_lens.protection, "pct_jeugdbescherming", "land").figure.value == 1.2


def test_a_buurt_gets_its_wijks_youth_care_labelled_as_the_wijks(store):
    lens = youth.youth_lens(store, BUURT, 2024)
    assert lens.level == "buurt" and lens.care_years == [2022, 2021]
    for rows in lens.care.values():
        for row in rows:
            assert [c.level for c in row.cells] == ["wijk", "gemeente", "land"]
            assert not any(c.own for c in row.cells)
    frame = youth.care_frame(lens, "nl")
    assert frame["Van wie (gebied)"].str.startswith(("wijk ", "gemeente ", "Nederland")).all()
    assert not frame["Van wie (gebied)"].str.startswith("buurt").any()
    prot = youth.rows_frame(lens.protection, "nl")
    assert set(prot["Van wie (gebied)"]) == {"gemeente Groningen", "Nederland"}
    assert prot["Waarde"].str.contains("(voorlopig)", regex=False).all()


def test_target_group_uses_the_selected_year_and_says_so(store, wijk_lens):
    cell = _cell(wijk_lens.target, "pct_met_kinderen", "wijk")
    assert cell.figure.year == 2024 and cell.figure.value == store.value(WIJK, 2024, "pct_met_kinderen")


def test_latest_figure_falls_back_to_the_newest_year(store):
    fig = youth.latest_figure(store, WIJK, 2024, "jeugdzorg")
    assert fig.year == 2022 and fig.value == 300
    assert youth.latest_figure(store, WIJK, 2024, "pct_jeugdbescherming").value is None  # never a wijk's


def test_suppressed_wijk_figure_stays_missing(store):
    lens = youth.youth_lens(store, WIJK, 2024)
    judge = _cell(lens.care[2021], "jeugdzorg_traj_rechter", "wijk")
    assert judge.figure.value is None
    frame = youth.care_frame(lens, "nl")
    row = frame[(frame["Jaar"] == 2021) & (frame["Van wie (gebied)"] == "wijk Oud-Noord")].iloc[0]
    assert row["Trajecten via rechter of officier van justitie"] == "–"
    assert row["Jongeren met jeugdzorg"] == "320"


@pytest.mark.parametrize("code", ["WK059903", "WK168000"])  # Rotterdam Delfshaven; Annen in rural Aa en Hunze
def test_other_gemeenten_have_youth_care_too(store, code):
    lens = youth.youth_lens(store, code, 2024)
    assert lens is not None and lens.care_years == [2022, 2021]
    wijk = _cell(lens.care[2022], "jeugdzorg", "wijk")
    assert wijk.figure.value is not None and wijk.figure.value > 0
    gm = _cell(lens.protection, "pct_jeugdbescherming", "gemeente")
    assert gm.code == codes.gemeente_of(code) and gm.figure.value is not None


def test_unknown_area_gives_none(store):
    assert youth.youth_lens(store, "WK999999", 2024) is None


def test_provenance_lists_the_youth_tables(wijk_lens):
    tables = {f.table for f in youth.provenance_figures(wijk_lens)}
    assert {"85075NED", "85335NED"} <= tables
