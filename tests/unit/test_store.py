"""The harmonised store on the real embedded data."""
from wijk import codes


def test_groningen_2024_population_is_cbs_own_total(store):
    f = store.figure("GM0014", 2024, "inwoners")
    assert f.value == 243768 and f.method == "cbs" and f.table == "85984NED"
    assert f.variable.startswith("AantalInwoners")


def test_buurten_do_not_sum_exactly_and_we_do_not_correct(store):
    buurten = store.level_frame(2024, "buurt", within="GM0014")
    assert buurten["inwoners"].sum() == 243755  # random rounding to 5 (DOMAIN.md)
    assert store.value("GM0014", 2024, "inwoners") == 243768


def test_shares_are_recomputed_from_summed_counts_not_averaged(store):
    buurten = store.level_frame(2024, "buurt", within="GM0014").dropna(subset=["inw_0_14", "inwoners"])
    expected = buurten["inw_0_14"].sum() / store.value("GM0014", 2024, "inwoners") * 100
    got = store.value("GM0014", 2024, "pct_0_14")
    assert abs(got - expected) < 0.05
    naive_mean = buurten["pct_0_14"].mean()
    assert abs(got - naive_mean) > 0.5  # an average over buurten would be a different (wrong) number


def test_wijk_counts_sum_from_buurten_when_complete(store):
    f = store.figure("WK001401", 2024, "huishoudens")
    buurten = store.level_frame(2024, "buurt", within="WK001401")
    assert f.method == "sum" and f.n_parts == len(buurten)
    assert f.value == buurten["huishoudens"].sum()


def test_missing_stays_missing(store):
    f = store.figure("BU00140107", 2024, "bijstand")
    assert f.value is None and f.missing
    assert store.value("BU00140107", 2024, "woz") is None
    w = store.wide(2024)
    assert not (w.fillna(-1) == 0).all().any()


def test_each_value_knows_table_and_year(store):
    sample = store.values.sample(500, random_state=1)
    assert sample["table"].notna().all()
    assert sample["variable"].notna().all()
    assert set(sample["year"].unique()) <= set(store.years())


def test_codes_are_clean_and_known_levels(store):
    cs = store.values["code"].astype(str).unique()
    assert all(c == c.strip() and codes.level_of(c) for c in cs)


def test_partial_pools_are_not_passed_off_as_the_country(store):
    # 2017 shares from 84 Groningen kaart buurten must not become an NL figure
    assert store.value("NL01", 2017, "pct_westers") is None
    f = store.figure("NL01", 2017, "pct_sociaal_minimum")
    assert f.value is not None and f.n_parts > 8000 and f.method == "weighted"


def test_area_names_and_years(store):
    assert store.areas.name("BU00140107", 2024) == "Laanhuizen"
    assert store.areas.name("GM0014") == "Groningen"
    assert 2024 in store.years_for("BU00140107")
    assert [a.code for a in store.areas.search("BU00140107")] == ["BU00140107"]
    assert store.areas.search("groningen")[0].code == "GM0014"


def test_recomputed_references_match_cbs_own_totals(store):
    # Groningen 2024: CBS's own wijk figures add up to CBS's own gemeente figure (within rounding to 5)
    wijken = store.level_frame(2024, "wijk", within="GM0014")
    own = store.value("GM0014", 2024, "inwoners")
    assert abs(wijken["inwoners"].sum() - own) <= 5 * len(wijken)
    # the country is the sum of CBS's own gemeente totals
    gemeenten = store.level_frame(2024, "gemeente")
    assert store.value("NL01", 2024, "inwoners") == gemeenten["inwoners"].sum() == 17942942
