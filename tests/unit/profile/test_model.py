"""Profile layout (data/profile_sections.csv) and building a profile on real embedded rows."""

from __future__ import annotations

import pandas as pd

from tests.fixtures.local_dataset_made_up import made_up_dataset
from wijk.core.catalogue import load_catalogue
from wijk.core.owndata import OwnDataset, OwnIndicator
from wijk.profile.model import AGE_IDS, build_profile, chart_frame, export_frame, load_layout, local_rows
from wijk.profile.references import reference_chain, references_text, sign_text


def test_layout_sections_in_the_order_of_the_four_questions(store):
    layout = load_layout()
    assert [s.id for s in layout.sections][:5] == ["bewoners", "werk_inkomen", "wonen", "veiligheid", "voorzieningen"]
    assert all(i in store.catalogue for i in layout.all_ids())
    assert {i for i, h in layout.headline.items() if h == "always"} == {
        "inwoners",
        "huishoudens",
        "pct_met_kinderen",
        "pct_65plus",
        "bevolkingsdichtheid",
    }
    estimates = {i.id for i in load_catalogue() if i.estimate}  # data/indicators.csv 'estimate': the RIVM models
    assert estimates and all(i.startswith("rivm") for i in estimates)


def test_headline_2024_has_core_and_safety(store):
    p = build_profile(store, "BU00140107", 2024)
    ids = [c.indicator.id for c in p.headline]
    assert ids[:5] == ["inwoners", "huishoudens", "pct_met_kinderen", "pct_65plus", "bevolkingsdichtheid"]
    assert "misdrijven_per_1000" in ids
    # latest per indicator: the 2017 edition's social-minimum share (period 2014) is the newest for this buurt
    old = p.comparisons["pct_sociaal_minimum"].figure
    assert old.year == 2017 and old.period == "2014"
    strict = build_profile(store, "BU00140107", 2024, strict=True)
    assert "pct_sociaal_minimum" not in [c.indicator.id for c in strict.headline]
    assert p.comparisons["inwoners"].figure.value == store.value("BU00140107", 2024, "inwoners")
    shown = set(ids)
    for sec in p.sections:  # headline figures are not repeated in the sections
        assert not shown & {c.indicator.id for c in sec.rows + sec.missing}
        assert all(not c.missing for c in sec.rows) and all(c.missing for c in sec.missing)


def test_headline_2017_has_income(store):
    ids = [c.indicator.id for c in build_profile(store, "BU00140107", 2017).headline]
    assert "inkomen_per_inwoner" in ids and "pct_sociaal_minimum" in ids


def test_2020_core_figures_stay_missing_not_zero(store):
    p = build_profile(store, "BU00140107", 2020, strict=True)
    core = {c.indicator.id: c for c in p.headline}
    assert core["inwoners"].figure.value is None
    welzijn = next(s for s in p.sections if s.id == "welzijn")
    assert welzijn.rows and all(p.is_estimate(c.indicator.id) for c in welzijn.rows)


def test_unknown_area_gives_none(store):
    assert build_profile(store, "BU99999999", 2024) is None
    assert build_profile(store, "BU00140107", 2022) is None


def test_small_buurt_check(store):
    assert build_profile(store, "BU00140004", 2024).small.small  # 10 inhabitants
    assert not build_profile(store, "BU00140107", 2024).small.small
    assert not build_profile(store, "WK001400", 2024).small.small  # only buurten are flagged


def test_chart_frame_leaves_out_missing(store):
    f = chart_frame(build_profile(store, "BU00140107", 2024), AGE_IDS)
    assert len(f) == 10 and set(f["area"]) == {"Laanhuizen", "Groningen"}
    assert f["pct"].notna().all()
    assert chart_frame(build_profile(store, "BU00140107", 2020, strict=True), AGE_IDS).empty


def test_export_frame_has_year_and_provenance(store):
    f = export_frame(build_profile(store, "BU00140107", 2024, strict=True), "nl")
    row = f[f["Cijfer"] == "Inwoners"].iloc[0]
    assert row["Waarde"] == 1325.0 and row["Jaar"] == 2024 and row["CBS-tabel"] == "85984NED"
    missing = f[f["Cijfer"] == "Huishoudens onder of rond het sociaal minimum"].iloc[0]
    assert missing["Waarde"] == "" and missing["Zoals getoond"].startswith("niet beschikbaar voor 2024")


def test_local_rows_keep_suppressed_as_none():
    rows = local_rows([made_up_dataset()], "BU00140107", 2024)
    by = {r.label: r for r in rows}
    assert by["Meldingen jongerenwerk (verzonnen)"].figure.value == 42.0
    small = by["Kleine groep (verzonnen)"].figure
    assert small.value is None and small.suppressed
    assert all(r.source == "Testbron jongerenwerk" for r in rows)
    # another year: the dataset's latest year is used (and shown)
    assert local_rows([made_up_dataset()], "BU00140107", 2017)[0].figure.year == 2024


def test_local_rows_take_the_wijk_and_gemeente_of_the_upload_as_references(store):
    """Made-up figures: a buurt, its wijk and gemeente in one upload; no NL row, so no NL reference."""
    pct = OwnIndicator("local:pct", "Aandeel (verzonnen)", "pct", "Testbron")
    count = OwnIndicator("local:n", "Aantal (verzonnen)", "count", "Testbron")
    nan = float("nan")
    values = pd.DataFrame(
        [
            ("BU00140107", 2024, "local:pct", 30.0, False),
            ("BU00140107", 2024, "local:n", 120.0, False),
            ("WK001401", 2024, "local:pct", 20.0, False),
            ("WK001401", 2024, "local:n", nan, False),  # the wijk row has no count: missing, not 0
            ("GM0014", 2024, "local:pct", nan, True),  # suppressed stays suppressed
            ("GM0014", 2024, "local:n", 1450.0, False),
        ],
        columns=["code", "year", "indicator", "value", "suppressed"],
    )
    ds = OwnDataset("Referenties (verzonnen)", "Testbron", [pct, count], values, suppressed_with=(5, 10))
    parents = reference_chain(store, "BU00140107", 2024)
    rows = {r.label: r for r in local_rows([ds], "BU00140107", 2024, parents)}
    share = rows["Aandeel (verzonnen)"]
    assert [(r.code, r.level) for r in share.references] == [("WK001401", "wijk"), ("GM0014", "gemeente")]
    assert share.references[0].figure.value == 20.0 and share.references[0].deviation.direction == "higher"
    assert share.references[1].figure.suppressed and share.references[1].figure.value is None
    wijk_name = store.areas.name("WK001401", 2024)
    assert references_text(share.references, "pct", "nl") == f"wijk {wijk_name} 20,0% · gemeente Groningen onderdrukt"
    assert sign_text(share.main, "nl") == ""  # the gemeente is suppressed: nothing to compare with
    n = rows["Aantal (verzonnen)"]
    assert references_text(n.references, "count", "nl") == f"wijk {wijk_name} – · gemeente Groningen 1.450"
    assert n.main.figure.value == 1450.0 and n.main.deviation is None  # counts are not compared
    # the wijk's own profile: only the gemeente above it; no references without parent rows
    wk = local_rows([ds], "WK001401", 2024, reference_chain(store, "WK001401", 2024))
    assert [r.code for r in wk[0].references] == ["GM0014"]
    alone = ds.values[ds.values["code"] == "BU00140107"]
    solo = OwnDataset("Alleen buurt (verzonnen)", "Testbron", [pct, count], alone, suppressed_with=(5, 10))
    assert all(r.references == () for r in local_rows([solo], "BU00140107", 2024, parents))


def test_an_old_figure_is_marked_old_with_the_newer_figure_of_its_wijk(store):
    """KWB 2017 income describes 2014: more than five years before 2024, so the card says OUD and shows
    the wijk's newer figure beside it, labelled as the wijk's."""
    from wijk.profile import card_lines, references

    comp = references.compare(store, "BU0363TG01", 2024, "inkomen_per_inwoner", strict=False)
    lines = card_lines.year_lines(comp.figure, 2024, "nl")
    assert lines[0].startswith("OUD · cijfer 2017 · betreft 2014 · zelfde gebied, in 2017 code BU03639402")
    assert comp.newer is not None and comp.newer.code == "WK0363TG" and comp.newer.figure.year == 2024
    text = card_lines.newer_text(comp, "nl")
    assert text.startswith("Nieuwer cijfer van wijk Bijlmermuseum: ") and "niet van deze buurt" in text
    recent = references.compare(store, "BU0363TG01", 2024, "inwoners", strict=False)
    assert recent.newer is None and not card_lines.year_lines(recent.figure, 2024, "nl")[0].startswith("OUD")
