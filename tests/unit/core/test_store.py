"""The harmonised store on the real embedded data."""

from wijk.core import codes


def test_groningen_2024_population_is_cbs_own_total(store):
    f = store.figure("GM0014", 2024, "inwoners")
    assert f.value == 243768 and f.method == "cbs" and f.table == "85984NED"
    assert f.variable.startswith("AantalInwoners")


def test_buurten_do_not_sum_exactly_and_we_do_not_correct(store):
    buurten = store.level_frame(2024, "buurt", within="GM0014")
    # random rounding to 5 (DOMAIN.md); 243,790 with the buurten the KWB subset left out (woonikveilig file)
    assert buurten["inwoners"].sum() == 243790
    assert store.value("GM0014", 2024, "inwoners") == 243768


def test_shares_come_from_cbs_own_counts_not_averaged(store):
    f = store.figure("GM0014", 2024, "pct_0_14")
    assert f.method == "derived" and abs(f.value - 28256 / 243768 * 100) < 0.001  # CBS's own gemeente counts
    buurten = store.level_frame(2024, "buurt", within="GM0014").dropna(subset=["inw_0_14", "inwoners"])
    naive_mean = buurten["pct_0_14"].mean()
    assert abs(f.value - naive_mean) > 0.5  # an average over buurten would be a different (wrong) number


def test_pooled_wijk_share_uses_the_same_buurten_for_numerator_and_denominator(store):
    v = store.values
    pooled = v[
        (v["indicator"] == "pct_15_24")
        & (v["method"] == "ratio")
        & (v["year"] == 2024)
        & v["code"].astype(str).str.startswith("WK")
    ]
    assert len(pooled) > 1000
    for _, row in pooled.sample(50, random_state=2).iterrows():
        kids = store.level_frame(2024, "buurt", within=str(row["code"])).dropna(subset=["inw_15_24", "inwoners"])
        assert abs(row["value"] - kids["inw_15_24"].sum() / kids["inwoners"].sum() * 100) < 0.05


def test_wijk_counts_sum_from_buurten_when_complete(store):
    f = store.figure("WK001401", 2024, "inw_15_24")
    buurten = store.level_frame(2024, "buurt", within="WK001401").dropna(subset=["inw_15_24"])
    assert f.method == "sum" and f.n_parts == len(buurten) and f.coverage == 1.0
    assert f.value == buurten["inw_15_24"].sum()


def test_latest_figure_per_indicator_and_strict_year(store):
    code = "BU0363KR02"
    assert store.figure(code, 2024, "misdrijven", strict=False).year == 2025  # newer, same 2024 indeling
    assert store.figure(code, 2024, "misdrijven").year == 2024  # strict: exactly the year asked
    # Amsterdam renumbered its buurten in 2022: the RIVM 2020 figure (2020 indeling) is that of the old
    # code of the same area (buurt crosswalk), said as such; a recoded buurt whose area changed gets none
    carried = store.latest(code, "rivm_eenzaam", 2024)
    assert carried.year == 2020 and carried.carried_from == "BU03639101"
    assert store.figure(code, 2020, "rivm_eenzaam").value is None  # never in the 2020 frame: no area twice
    assert store.latest("BU0363AB06", "rivm_eenzaam", 2024).value is None  # merged: nothing carried
    rivm = store.latest("BU05991086", "rivm_eenzaam", 2024)  # Afrikaanderwijk, Rotterdam: same code in 2020
    assert rivm.year == 2020 and rivm.period == "2020-autumn" and rivm.value is not None
    assert store.figure("BU05991086", 2024, "rivm_eenzaam").value is None
    old = store.latest("BU00140000", "inkomen_per_inwoner", 2017)
    assert old.year == 2017 and old.period == "2014"


def test_latest_skips_a_code_that_names_another_area(store):
    # BU05320102: 5,210 inhabitants in 2017, 50 in 2024 (issue 11): not the same buurt
    a, b = store.value("BU05320102", 2017, "inwoners"), store.value("BU05320102", 2024, "inwoners")
    if a is None or b is None:
        import pytest

        pytest.skip("code not in both editions of the embedded data")
    assert not store.same_area("BU05320102", 2017, 2024)
    fig = store.latest("BU05320102", "inkomen_per_inwoner", 2024)
    assert fig.value is None or fig.year != 2017


def test_missing_stays_missing(store):
    f = store.figure("BU00140107", 2024, "bijstand")
    assert f.value is None and f.missing
    assert store.value("BU00140107", 2024, "pct_jeugdzorg") is None
    w = store.wide(2024)
    assert not (w.fillna(-1) == 0).all().any()


def test_each_value_knows_table_and_year(store):
    sample = store.values.sample(500, random_state=1)
    assert sample["table"].notna().all()
    assert sample["variable"].notna().all()
    assert sample["period"].astype(str).str.len().gt(0).all()  # every value knows the period it describes
    # every figure is on the boundaries of a year the store holds areas for (crime 2025 on 2024)
    assert set(sample["boundary_year"].unique()) <= set(store.years()) | {2023}


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


def test_each_year_shows_its_own_name_never_a_later_one(store):
    # 2017 buurten outside Groningen have no name in the 2017 sources: the code is shown, not the 2024 name
    a17, a24 = store.areas.get("BU05320102", 2017), store.areas.get("BU05320102", 2024)
    if a17 is None or a24 is None:
        import pytest

        pytest.skip("code not in both editions of the embedded data")
    assert a17.name != a24.name and a17.name == "BU05320102"
    names = store.areas.frame if hasattr(store.areas, "frame") else None
    if names is not None and "name_year" in names:
        assert (names["name_year"].dropna() <= names.loc[names["name_year"].notna(), "year"]).all()


def test_the_small_cache_shared_by_sessions_survives_concurrent_eviction():
    """Sixteen sessions filling and evicting a two-entry cache at once (the thread switch forced
    every microsecond): no KeyError, every value is the one asked for, the size holds."""
    import random
    import sys
    import threading

    from wijk.core.store import SmallCache

    cache: SmallCache[int, tuple[int, ...]] = SmallCache(2)
    errors: list[str] = []

    def session(seed: int) -> None:
        rnd = random.Random(seed)
        try:
            for _ in range(5000):
                key = rnd.randrange(8)
                assert cache.get(key, lambda key=key: (key, key, key)) == (key, key, key)
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            errors.append(repr(error))

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=session, args=(i,)) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        sys.setswitchinterval(old)
    assert errors == [] and len(cache) <= 2


def test_a_derived_figure_is_made_once_while_sessions_ask_for_it_at_once(store):
    import copy
    import threading

    from wijk.core.store import SmallCache

    shared = copy.copy(store)  # the real store, with its own empty cache of derived figures
    shared._derived, shared._derived_lock = SmallCache(4), threading.RLock()
    made: list[int] = []
    another = threading.Event()  # a second make started: the figure is being made twice

    def make() -> float:
        made.append(1)
        if len(made) > 1:
            another.set()
        another.wait(0.5)  # give a racing session the time to start a second make
        return 1.5

    start = threading.Barrier(8)
    got: list[float] = []

    def session() -> None:
        start.wait()
        got.append(shared.derived(("spread", "BU", 2024), make))

    threads = [threading.Thread(target=session) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert got == [1.5] * 8 and len(made) == 1
    assert shared.derived(("spread", "BU", 2024), lambda: 2.0) == 1.5  # kept for the next session


def test_concurrent_profiles_read_the_same_figures_as_one_at_a_time(store):
    import copy
    import threading

    from wijk.core.store import SmallCache

    shared = copy.copy(store)  # the real data, with a cache small enough to evict all the time
    shared._records = SmallCache(2)
    codes = ["GM0014", "WK001403", "BU00140107", "GM0363", "NL00", "GM0344"]
    expected = {c: store.latest(c, "inwoners", 2024) for c in codes}
    got: list[bool] = []

    def session(offset: int) -> None:
        for i in range(60):
            code = codes[(i + offset) % len(codes)]
            got.append(shared.latest(code, "inwoners", 2024) == expected[code])

    threads = [threading.Thread(target=session, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(got) == 8 * 60 and all(got)
    assert any(f.value is not None for f in expected.values())


def test_the_embedded_values_have_the_value_columns_in_order():
    import pyarrow.parquet as pq

    from wijk.core.paths import data_dir
    from wijk.core.store import HARMONISED_COLUMNS, OBSERVATION_COLUMNS, VALUE_COLUMNS

    assert pq.read_schema(data_dir() / "values.parquet").names == VALUE_COLUMNS
    assert [c for c in VALUE_COLUMNS if c not in HARMONISED_COLUMNS] == OBSERVATION_COLUMNS
    assert {"code", "year", "indicator", "value", "boundary_year", "period"} <= set(OBSERVATION_COLUMNS)


def test_carried_rows_by_code_are_every_carried_row_of_that_code_newest_first(store):
    """The per-code index of carried rows gives exactly what a scan of all carried rows gives."""
    c = store.carried
    assert len(c) > 1000
    for code in ["BU0363TG01", *c["code"].astype(str).drop_duplicates().sample(25, random_state=1)]:
        scan = c[c["code"].astype(str) == code].sort_values("year", ascending=False, kind="stable")
        got = store.carried_rows(code)
        assert list(got.index) == list(scan.index) and len(got) > 0, code
        assert list(got["year"]) == sorted(got["year"], reverse=True)
    assert store.carried_rows("BU00140107").empty  # a code nothing was carried to
    fig = store.carried_figure("BU0363TG01", 2017, "inkomen_per_inwoner")
    assert fig is not None and fig.carried_from == "BU03639402"


def test_one_value_is_what_the_years_wide_frame_holds_without_building_it():
    """`value` reads one figure through the code index: the same number as `wide(year)` (missing stays
    None), and a profile's population checks no longer build and keep every year's wide frame."""
    import math
    import random

    from wijk.core.store import Store

    fresh = Store.load()
    fresh.value("BU05991571", 2024, "inwoners")
    fresh.value("BU05991571", 2017, "inwoners")
    assert fresh._wide == {}  # the point: nothing per year was built
    rng = random.Random(7)
    for year in fresh.years():
        wide = fresh.wide(year)
        codes, indicators = list(wide.index), list(wide.columns)  # once per year, not once per draw
        for _ in range(400):
            code, ind = rng.choice(codes), rng.choice(indicators)
            cell = wide.at[code, ind]
            assert fresh.value(code, year, ind) == (None if math.isnan(cell) else float(cell))
    assert fresh.value("GM9999", 2024, "inwoners") is None
    assert fresh.value("BU05991571", 2024, "no_such_indicator") is None


def test_a_years_wide_frame_is_its_values_unstacked(store):
    """`wide` fills its grid by position: the same frame as the year's (code, indicator) values
    sorted and unstacked, for every year the values hold (embedded data)."""
    import pandas as pd

    v = store.values
    for year in sorted({int(y) for y in v["year"].unique()}):
        sub = v.loc[v["year"] == year, ["code", "indicator", "value"]]
        sub = sub.assign(code=sub["code"].astype(str), indicator=sub["indicator"].astype(str))
        want = sub.set_index(["code", "indicator"]).sort_index()["value"].unstack("indicator")
        got = store.wide(year)
        pd.testing.assert_frame_equal(got, want, check_exact=True, check_index_type=False, check_column_type=False)
    assert store.wide(1999).empty


def test_a_figure_given_twice_for_one_year_is_refused_not_silently_picked(store):
    import pandas as pd
    import pytest

    from wijk.core.store import Store

    rows = store.values[store.values["code"].astype(str) == "BU05991571"].head(3)
    twice = Store(pd.concat([rows, rows.iloc[:1]], ignore_index=True), store.areas.frame, store.catalogue)
    with pytest.raises(ValueError, match="twice"):
        twice.wide(int(rows["year"].iloc[0]))


def test_the_indicators_of_a_code_are_those_its_years_wide_frames_hold(store):
    """Read through the code index (own rows only, as the wide frames): a sample of codes of every level."""
    import random

    names = store.areas.frame["code"].astype(str).unique().tolist()
    sample = [*random.Random(3).sample(names, 60), "NL00", "GM0599", "BU05991571", "BU0363TG01"]
    years = {int(y) for y in store.values["year"].unique()}  # also years without area rows (RIVM 2016)
    for code in sample:
        held: set[str] = set()
        for year in years:
            w = store.wide(year)
            if code in w.index:
                held |= set(w.columns[w.loc[code].notna().to_numpy()])
        assert store.indicators_of(code) == held, code
    assert store.indicators_of("GM9999") == set()


def test_a_carried_figure_is_the_first_carried_row_of_that_year_and_indicator(store):
    """The carried figure of a year is read from the code's records: the row a scan of the carried rows finds."""
    c = store.carried
    for code in c["code"].astype(str).drop_duplicates().sample(20, random_state=2):
        rows = store.carried_rows(code)
        for year, ind in {(int(y), str(i)) for y, i in zip(rows["year"], rows["indicator"])}:
            scan = rows[(rows["year"].astype(int) == year) & (rows["indicator"].astype(str) == ind)].iloc[0]
            fig = store.carried_figure(code, year, ind)
            assert fig is not None and fig.carried_from == str(scan["carried_from"]), (code, year, ind)
            assert fig.value == float(scan["value"]) and fig.table == str(scan["table"])
    assert store.carried_figure("BU00140107", 2017, "inkomen_per_inwoner") is None
    assert store.carried_figure("BU0363TG01", 2017, "no_such_indicator") is None


def test_the_years_held_under_a_code_prefix_are_those_the_wide_frames_hold(store):
    """`years_held` reads the values in one pass: for a level, a gemeente's buurten and a code that
    matches nothing, the years whose wide frame has a value of the indicator under that prefix."""
    inds = ("inwoners", "pct_0_14", "woz", "inkomen_per_inwoner", "no_such_indicator")
    years = sorted({int(y) for y in store.values["year"].unique()})
    for prefix in ("BU", "WK", "GM", "BU0599", "WK0014", "BU9999"):
        got = store.years_held(prefix, inds)
        for ind in inds:
            want = []
            for year in years:
                w = store.wide(year)
                col = w[ind][w.index.str.startswith(prefix)] if ind in w.columns else w.index[:0]
                if len(col) and col.notna().any():
                    want.append(year)
            assert got.get(ind, []) == want, (prefix, ind)
    assert store.years_held("BU0599", ("inwoners",))["inwoners"][-1] >= 2024
    assert store.years_held("BU9999", inds) == {}
