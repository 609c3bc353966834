from wijk.core.provenance import one_line, summarise


def test_summary_groups_figures_by_table_variable_and_year(store):
    codes = [a.code for a in store.areas.buurten("WK001401", 2024)]
    figs = [store.figure(c, 2024, "pct_0_14") for c in codes] + [store.figure("BU00140107", 2024, "woz")]
    table = summarise(figs)
    assert table["Gebieden"].sum() == sum(f.value is not None for f in figs)  # missing ones are not counted
    assert set(table["CBS-tabel / bron"]) == {"85984NED"}
    assert table["Variabele"].iat[0].startswith("k_0Tot15Jaar")


def test_one_line_names_table_variable_year_and_code(store):
    line = one_line(store.figure("BU00140107", 2024, "inwoners"))
    assert line.startswith("Bron: tabel 85984NED, AantalInwoners_5, 2024 (1 januari 2024), BU00140107")
    old = one_line(store.figure("BU00140000", 2017, "inkomen_per_inwoner"), "en")
    assert "2017 (2014)" in old  # KWB 2017 income describes 2014
    assert one_line(store.figure("BU00140107", 2024, "pct_jeugdzorg")) == ""
    assert one_line(store.figure("BU00140107", 2024, "inwoners"), "en").startswith("Source: table 85984NED")
