"""The store's compact structures give what the plain ones gave: same rows, same figures, same names."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wijk.core import memory
from wijk.core.areas import AreaIndex
from wijk.core.store import Store
from wijk.core.store_index import CodeIndex, compact_values

SAMPLE = ["BU05991571", "BU00140107", "BU0363KR02", "GM0014", "GM0599", "WK059915", "NL01", "BU05320102"]


def _shuffled(values: pd.DataFrame) -> pd.DataFrame:
    """The same rows in another order, each code's rows scattered (the order a local refresh leaves)."""
    return values.sample(frac=1.0, random_state=3).reset_index(drop=True)


def test_the_loaded_values_hold_each_codes_rows_together(store):
    codes = store.values["code"].cat.codes.to_numpy()
    runs = 1 + int(np.count_nonzero(codes[1:] != codes[:-1]))
    assert runs == len(np.unique(codes))
    assert store._code_index().order is None  # no sorted copy of the rows


def test_grouping_keeps_every_row_and_dtype_and_only_moves_rows():
    values = pd.DataFrame(
        {
            "code": pd.Categorical(["B", "A", "B", "C", "A"]),
            "year": np.array([2024, 2024, 2020, 2024, 2017], dtype="int16"),
            "indicator": pd.Categorical(["x", "x", "y", "x", "y"]),
            "value": [1.0, 2.0, np.nan, 4.0, 5.0],
            "boundary_year": pd.array([2024, None, 2020, 2024, 2017], dtype="Int16"),
        }
    )
    dtypes = values.dtypes.to_dict()
    out = compact_values(values.copy())
    assert out.dtypes.to_dict() == dtypes
    assert out["code"].astype(str).tolist() == ["A", "A", "B", "B", "C"]  # in category order
    assert out["year"].tolist() == [2024, 2017, 2024, 2020, 2024]  # each code's rows in their own order
    assert out["value"].tolist()[:3] == [2.0, 5.0, 1.0] and out["boundary_year"].isna().tolist()[0]
    assert (
        out.sort_values(["code", "year"])
        .reset_index(drop=True)
        .equals(values.sort_values(["code", "year"]).reset_index(drop=True))
    )


def _by_year_and_indicator(rows: pd.DataFrame) -> pd.DataFrame:
    """A code's rows in one order (within a year the values' order decides, and that differs)."""
    cols = ["year", "indicator", "value", "boundary_year"]
    return rows[cols].astype({"indicator": str}).sort_values(cols[:2]).reset_index(drop=True)


def test_grouped_and_scattered_values_give_the_same_figures(store):
    scattered = Store(_shuffled(store.values), store.areas.frame, store.catalogue)
    scattered.carried = store.carried
    assert scattered._code_index().order is not None  # the sorted-copy path
    for code in SAMPLE:
        assert scattered.indicators_of(code) == store.indicators_of(code)
        for indicator in ("inwoners", "misdrijven", "rivm_eenzaam", "inkomen_per_inwoner", "pct_koop"):
            for year in (2017, 2020, 2022, 2024, 2025):
                assert scattered.figure(code, year, indicator) == store.figure(code, year, indicator)
                assert scattered.value(code, year, indicator) == store.value(code, year, indicator)
            assert scattered.latest(code, indicator, 2024) == store.latest(code, indicator, 2024)
        mine, theirs = store._code_rows(code), scattered._code_rows(code)
        assert (mine is None) == (theirs is None)
        if mine is not None:
            assert _by_year_and_indicator(mine).equals(_by_year_and_indicator(theirs))
            for rows in (mine, theirs):
                assert (np.diff(rows["year"].to_numpy().astype(int)) <= 0).all()  # newest year first


def test_a_codes_rows_put_its_own_boundaries_first_within_a_year():
    values = pd.DataFrame(
        {
            "code": pd.Categorical(["A", "A", "A", "B"]),
            "year": np.array([2024, 2024, 2023, 2024], dtype="int16"),
            "indicator": pd.Categorical(["x", "x", "x", "x"]),
            "value": [1.0, 2.0, 3.0, 4.0],
            "boundary_year": pd.array([2023, 2024, None, 2024], dtype="Int16"),
        }
    )
    other = values.iloc[[0, 3, 2, 1]].reset_index(drop=True)  # A, B, A, A
    grouped, scattered = CodeIndex.build(values), CodeIndex.build(other)
    assert grouped.order is None and scattered.order is not None
    assert grouped.rows("A").tolist() == [1, 0, 2]  # 2024 on its own boundaries, 2024 on 2023's, then 2023
    assert values["value"].to_numpy()[grouped.rows("A")].tolist() == [2.0, 1.0, 3.0]
    assert other["value"].to_numpy()[scattered.rows("A")].tolist() == [2.0, 1.0, 3.0]
    assert grouped.position("A", 2024, "x") == 0  # the first in the values' order, as before
    assert grouped.position("Z", 2024, "x") is None and grouped.position("A", 2024, "nope") is None
    assert len(grouped.rows("Z")) == 0


def _plain_get(frame: pd.DataFrame, code: str, year: int):
    rows = frame[(frame["code"] == code) & (frame["year"] == year)]
    if rows.empty:
        return None
    row = rows.iloc[-1]
    ny = None if pd.isna(row["name_year"]) else int(row["name_year"])
    return (str(row["code"]), int(row["year"]), str(row["level"]), str(row["name"]), None if ny == year else ny)


def test_area_lookups_match_a_plain_frame_lookup(store):
    areas = store.areas
    frame = areas.frame
    for code in [*SAMPLE, "BU00030000", "WK0363TG", "NOPE"]:
        assert areas.exists(code) == bool((frame["code"] == code).any())
        assert areas.years_for(code) == sorted(int(y) for y in frame.loc[frame["code"] == code, "year"])
        for year in (2016, 2017, 2020, 2022, 2024, 2030):
            area = areas.get(code, year)
            plain = _plain_get(frame, code, year)
            assert (area is None) == (plain is None) and areas.exists(code, year) == (plain is not None)
            if area is not None:
                assert (area.code, area.year, area.level, area.name, area.name_year) == plain
                assert type(area.year) is int and type(area.name) is str and type(area.level) is str


def test_area_lookups_on_a_tiny_frame_and_odd_keys():
    frame = pd.DataFrame(
        {
            "code": ["GM0001", "GM0001", "BU00010001"],
            "year": [2017, 2024, 2024],
            "level": ["gemeente", "gemeente", "buurt"],
            "name": ["Oud", "Nieuw", None],
            "name_year": pd.array([None, None, 2023], dtype="Int64"),
            "wijk": [None, None, "WK000100"],
            "gemeente": [None, None, "GM0001"],
        }
    )  # made-up areas, test fixture
    areas = AreaIndex(frame)
    assert areas.years() == [2017, 2024] and areas.years_for("GM0001") == [2017, 2024]
    assert areas.name("GM0001") == "Nieuw" and areas.name("GM0001", 2017) == "Oud"
    assert areas.get("BU00010001", 2024).name == "BU00010001"  # no name: the code
    assert areas.get("BU00010001", 2024).name_year == 2023
    assert areas.get("GM0001", np.int64(2024)).name == "Nieuw"
    assert areas.get("GM0001", 1990) is None and areas.get("GM0001", 2020) is None
    assert not areas.exists("GM0002") and not areas.exists("GM0001", 2020)
    empty = AreaIndex(frame.iloc[0:0])
    assert empty.years() == [] and empty.get("GM0001", 2024) is None and empty.years_for("GM0001") == []


def test_trim_and_allocator_settings_are_safe_to_repeat():
    memory.return_freed_memory()
    memory.return_freed_memory()  # once per process: the second does nothing
    memory.trim()
    memory.trim()


def test_counts_of_parts_are_narrowed_only_when_every_count_fits(store):
    assert store.values["n_parts"].dtype == np.int16
    small = pd.DataFrame({"code": pd.Categorical(["A", "B"]), "n_parts": np.array([0, 13967], dtype="int32")})
    big = pd.DataFrame({"code": pd.Categorical(["A", "B"]), "n_parts": np.array([0, 40000], dtype="int32")})
    assert compact_values(small)["n_parts"].tolist() == [0, 13967]
    wide = compact_values(big)  # empties `big`
    assert wide["n_parts"].dtype == np.int32 and wide["n_parts"].max() == 40000 and big.empty
    figure = store.figure("NL01", 2017, "pct_sociaal_minimum")
    assert type(figure.n_parts) is int and figure.n_parts > 8000


def test_the_wide_frames_kept_are_the_last_years_asked_and_a_dropped_one_is_made_the_same_again(store):
    fresh = Store(store.values, store.areas.frame, store.catalogue)
    years = fresh.years()
    first = fresh.wide(years[0]).copy()
    for year in years[1:]:
        fresh.wide(year)
    assert len(fresh._wide) == min(len(years), Store.WIDE_CACHED)
    assert list(fresh._wide) == years[-Store.WIDE_CACHED :]
    assert fresh.wide(years[0]).equals(first)  # made again: the same frame
    assert fresh.wide(years[-1]) is fresh.wide(years[-1])  # a kept one is served as it is
