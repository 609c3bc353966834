"""The harmonised store: embedded figures plus local refreshes, queried by area, year, indicator.

Every value carries where it comes from (CBS table, variable, year, method); missing stays None.
"""

from __future__ import annotations

import math
import numbers
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from wijk.core import codes, memory
from wijk.core.areas import AreaIndex
from wijk.core.catalogue import Catalogue, load_catalogue
from wijk.core.i18n import load_labels, t
from wijk.core.paths import data_dir, local_dir
from wijk.core.small_cache import SmallCache
from wijk.core.store_index import CodeIndex, compact_values, held_years

V = TypeVar("V")


@dataclass(frozen=True)
class Figure:
    """One figure for one area and year, with its provenance. value None means missing."""

    code: str
    year: int
    indicator: str
    value: float | None
    table: str = ""
    variable: str = ""
    source: str = ""
    method: str = ""
    n_parts: int = 0
    coverage: float | None = None
    suppressed: bool = False  # own data: a small number hidden for privacy (value is then None)
    boundary_year: int | None = None  # the indeling the figure describes (None: the figure's year)
    boundary_unknown: bool = False  # the source names no indeling (crime without MapYear): no rate made from it
    period: str = ""  # the period the figure describes: '2014', '2024-01-01', '2020-autumn', 'before:2024'
    carried_from: str = ""  # the old code of the same area this figure was published under (buurt crosswalk)

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def boundaries(self) -> int:
        return self.boundary_year if self.boundary_year is not None else self.year

    def boundary_text(self, lang: str = "nl") -> str:
        """The indeling as users read it: '2024', or 'grensjaar onbekend' when the source names none."""
        return t("boundary_year_unknown", lang) if self.boundary_unknown else str(self.boundaries)

    def method_text(self, lang: str = "nl") -> str:
        """How the figure was made ('cijfer van CBS', 'som van de onderliggende gebieden': label method_<method>)."""
        key = f"method_{self.method}"
        return t(key, lang, n=self.n_parts) if key in load_labels() else self.method


class Store:
    WIDE_CACHED = 4  # years whose wide frame is kept (3-6 MB each; a ranking with its change asks two)
    RECORDS_CACHED = 64  # codes whose rows are kept as records (a profile asks ~100 indicators of a few codes)
    DERIVED_CACHED = 1024  # figures derived from many rows (see `derived`)

    def __init__(
        self, values: pd.DataFrame, areas: pd.DataFrame, catalogue: Catalogue, sources: pd.DataFrame | None = None
    ):
        self.catalogue = catalogue
        self.values = values
        self.areas = AreaIndex(areas)
        self.sources = sources if sources is not None else pd.DataFrame()
        self._wide: dict[int, pd.DataFrame] = {}  # the last WIDE_CACHED years asked, oldest asked first
        self._by_code: CodeIndex | None = None
        self._records: SmallCache[str, dict[str, list[dict]]] = SmallCache(self.RECORDS_CACHED)
        self._held: SmallCache[tuple, dict[str, list[int]]] = SmallCache(256)  # see years_held
        self._derived: SmallCache[Hashable, Any] = SmallCache(self.DERIVED_CACHED)
        self._derived_lock = threading.RLock()  # a derived figure may ask for another (truth: spread)
        self._by_code_lock = threading.Lock()
        # One builder per year: concurrent first page loads (a room of phones joining at once)
        # wait for the one build instead of each building the same year's frames.
        self._year_locks: dict[int, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        self.local_error = ""  # set when refreshed local data could not be read (embedded data still works)
        # figures of an old code carried to the new code of the same area (data/carried.parquet): read by
        # `latest` (profile, factors) and `carried_series`, never part of a year's frame (no area twice)
        self.carried = pd.DataFrame(columns=["code", "year", "indicator", "value", "carried_from"])
        # row positions of `carried` per code, newest year first: built once (under _by_code_lock) for the
        # frame it was built from, so a trend's hundreds of lookups do not scan every carried row each time
        self._carried_index: tuple[int, dict[str, np.ndarray]] | None = None

    # ---- loading -------------------------------------------------------------------------
    @classmethod
    def load(cls, data: Path | None = None, local: Path | None = None) -> Store:
        data = data or data_dir()
        local = local or local_dir()
        memory.return_freed_memory()
        values = _read_parquet(data / "values.parquet", skip=BUILD_ONLY_COLUMNS)
        areas = _read_parquet(data / "areas.parquet")
        sources = pd.read_csv(data / "sources.csv") if (data / "sources.csv").exists() else None
        local_error = ""
        if (local / "values.parquet").exists():
            try:
                values, areas = merge_local(
                    values, areas, pd.read_parquet(local / "values.parquet"), pd.read_parquet(local / "areas.parquet")
                )
                if (local / "sources.csv").exists():
                    sources = pd.concat([sources, pd.read_csv(local / "sources.csv")], ignore_index=True)
            except Exception as exc:  # noqa: BLE001 - a damaged refresh must not take the embedded data down with it
                local_error = f"{type(exc).__name__}: {str(exc)[:200]}"
        store = cls(compact_values(values), areas, load_catalogue(data / "indicators.csv"), sources)
        store.local_error = local_error
        if (data / "carried.parquet").exists():
            store.carried = _read_parquet(data / "carried.parquet", skip=BUILD_ONLY_COLUMNS)
        memory.trim()  # the reads' and the area index's temporaries
        return store

    # ---- queries -------------------------------------------------------------------------
    def years(self) -> list[int]:
        return self.areas.years()

    def years_for(self, code: str) -> list[int]:
        return self.areas.years_for(code)

    def _year_lock(self, year: int) -> threading.Lock:
        with self._locks_lock:
            return self._year_locks.setdefault(int(year), threading.Lock())

    def _year_frame(self, year: int) -> pd.DataFrame:
        """The year's values as a grid, codes by indicators, both sorted (made for `wide`).

        Filled by position from the codes' and indicators' numbers: a (code, indicator) index sorted
        and unstacked cost about 60 ms and its temporaries a year; this about 10."""
        v = self.values
        mask = v["year"].to_numpy() == year
        rows, row_keys = pd.factorize(v["code"][mask], sort=True)
        cols, col_keys = pd.factorize(v["indicator"][mask], sort=True)
        cells = rows.astype(np.int64) * len(col_keys) + cols
        size = len(row_keys) * len(col_keys)
        if (rows < 0).any() or (cols < 0).any() or (len(cells) and np.bincount(cells, minlength=size).max() > 1):
            raise ValueError(f"values of {year}: a missing code or indicator, or one figure twice")
        grid = np.full(size, np.nan)
        grid[cells] = v["value"][mask].to_numpy(dtype="float64", na_value=np.nan)
        return pd.DataFrame(
            grid.reshape(len(row_keys), len(col_keys)),
            index=pd.Index(row_keys, name="code").astype(str),
            columns=pd.Index(col_keys, name="indicator").astype(str),
        )

    def figure(self, code: str, year: int, indicator: str, strict: bool = True) -> Figure:
        """The figure of exactly this year (strict, for trends and comparisons), or with
        strict=False the latest figure for this area as bounded in `year` (see `latest`)."""
        if not strict:
            return self.latest(code, indicator, year)
        index = self._code_index()
        position = index.position(code, year, indicator)
        return (
            Figure(code, year, indicator, None)
            if position is None
            else _figure(code, year, indicator, index.row(position))
        )

    def figures(
        self, code: str, year: int, indicators: list[str] | None = None, strict: bool = True
    ) -> dict[str, Figure]:
        ids = indicators or self.catalogue.ids()
        return {i: self.figure(code, year, i, strict) for i in ids}

    def latest(self, code: str, indicator: str, year: int) -> Figure:
        """The newest figure that describes this area as it is bounded in `year`.

        Candidates: figures of `year` or earlier, and later figures on the same indeling (crime of
        2025 on the 2024 indeling for a 2024 buurt). An older figure on other boundaries is skipped
        when the code's inhabitants changed more than POP_BREAK times between the two indelingen
        (the code then names another area). Returns a missing Figure of `year` when none is left.
        """
        for row in self._code_records(code).get(indicator, ()):
            if pd.isna(row["boundary_year"]):  # indeling unknown: only as the figure of its own year
                if row["year"] == year:
                    return _figure(code, year, indicator, row)
                continue
            by = int(row["boundary_year"])
            if not (row["year"] <= year or by == year):
                continue
            if by != year and not self.same_area(code, by, year):
                continue
            return _figure(code, int(row["year"]), indicator, row)
        return Figure(code, year, indicator, None)

    def _code_records(self, code: str) -> dict[str, list[dict]]:
        """One code's rows as plain records per indicator, in `_code_rows` order, then the rows carried from
        the old code of the same area (cached for the last RECORDS_CACHED codes, shared by all sessions:
        treat as read-only)."""
        return self._records.get(code, lambda: self._make_records(code))

    def _make_records(self, code: str) -> dict[str, list[dict]]:
        rows = self._code_rows(code)
        out: dict[str, list[dict]] = {}
        if rows is not None:
            for rec in rows.to_dict("records"):
                out.setdefault(str(rec["indicator"]), []).append(rec)
        for rec in self.carried_rows(code).to_dict("records"):  # older than any own row: after them
            out.setdefault(str(rec["indicator"]), []).append(rec)
        return out

    def carried_rows(self, code: str) -> pd.DataFrame:
        """The rows carried to this code from the old code of the same area, newest year first."""
        c = self.carried
        if c.empty:
            return c
        positions = self._carried_positions(c).get(code)
        return c.iloc[positions] if positions is not None else c.iloc[0:0]

    def _carried_positions(self, carried: pd.DataFrame) -> dict[str, np.ndarray]:
        with self._by_code_lock:
            if self._carried_index is None or self._carried_index[0] != id(carried):
                codes = carried["code"].astype(str).to_numpy()
                years = carried["year"].to_numpy().astype(int)
                order = np.lexsort((-years, codes))  # by code, then newest year first (stable within a year)
                sorted_codes = codes[order]
                starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
                ends = np.r_[starts[1:], len(order)]
                spans = {str(sorted_codes[s]): order[s:e] for s, e in zip(starts, ends)}
                self._carried_index = (id(carried), spans)
            return self._carried_index[1]

    def carried_figure(self, code: str, year: int, indicator: str) -> Figure | None:
        """The figure of exactly this year carried from the old code of the same area (None when none)."""
        for rec in self._code_records(code).get(indicator, ()):  # own rows first, then carried ones newest first
            if rec.get("carried_from") and int(rec["year"]) == year:
                return _figure(code, year, indicator, rec)
        return None

    def same_area(self, code: str, year_a: int, year_b: int) -> bool:
        """False when the code's inhabitants differ more than POP_BREAK times between two years."""
        a, b = self.value(code, year_a, "inwoners"), self.value(code, year_b, "inwoners")
        if not a or not b:
            return True if (a is None or b is None) else a == b
        return max(a, b) / min(a, b) <= POP_BREAK

    def _code_rows(self, code: str) -> pd.DataFrame | None:
        """All rows of one code, newest year first (own boundaries first within a year).

        Read through the code index (no copy of the values)."""
        positions = self._code_index().rows(code)
        if not len(positions):
            return None
        rows = self.values.iloc[positions]
        if "boundary_year" not in rows.columns:
            rows = rows.assign(boundary_year=rows["year"])
        return rows

    def derived(self, key: Hashable, make: Callable[[], V]) -> V:
        """A figure derived from this store's rows (e.g. how much areas differ on an indicator),
        made once and shared by every session: a store never changes (a refresh loads a new one),
        and a room of phones revealing at once must not each scan a year's areas again (the
        first makes it while the others wait for it)."""
        if self._derived.has(key):
            return self._derived.get(key, make)
        with self._derived_lock:
            return self._derived.get(key, make)

    def _code_index(self) -> CodeIndex:
        """Where each code's rows are (about 2 MB; 12 MB more when the values do not hold each code's rows
        together), built once by the first session that needs it while the others wait: serves a code's
        rows and the figure of exactly one year."""
        with self._by_code_lock:
            if self._by_code is None:
                self._by_code = CodeIndex.build(self.values)
            return self._by_code

    def indicators_of(self, code: str) -> set[str]:
        """The indicators with a value for this code in any year (its own rows, not carried ones): what
        the years' wide frames hold for it, read through the code index without building them."""
        index = self._code_index()
        positions = index.rows(code)
        present = pd.notna(self.values["value"].to_numpy()[positions])
        names = list(index.indicator_numbers)  # in category-number order
        return {names[n] for n in np.unique(index.indicators[positions][present])}

    def years_held(self, prefix: str, indicators: Sequence[str]) -> dict[str, list[int]]:
        """indicator -> the years (ascending) in which an area whose code starts with `prefix` (a level's
        'BU', or a gemeente's buurten 'BU0599') has a value of it: what the years' wide frames hold,
        without building every year's frame (kept for the last 256 asked; read-only)."""
        key = (prefix, tuple(indicators))
        return self._held.get(key, lambda: held_years(self.values, *key))

    def value(self, code: str, year: int, indicator: str) -> float | None:
        """The value of exactly this year, or None (the same as `wide(year)` holds, read through the code
        index: one value must not build, and keep, a whole year's wide frame)."""
        index = self._code_index()
        position = index.position(code, year, indicator)
        if position is None:
            return None
        v = index.cell("value", position)
        return float(v) if isinstance(v, numbers.Real) and not math.isnan(v) else None

    def wide(self, year: int) -> pd.DataFrame:
        """All areas of one year as rows, indicators as columns (NaN = missing). Read-only."""
        with self._locks_lock:
            found = self._wide.pop(year, None)
            if found is not None:
                self._wide[year] = found  # now the last asked
                return found
        with self._year_lock(year):
            found = self._wide.get(year)
            frame = found if found is not None else self._year_frame(year)
            with self._locks_lock:
                self._wide[year] = self._wide.pop(year, frame)
                while len(self._wide) > self.WIDE_CACHED:
                    del self._wide[next(iter(self._wide))]
            return frame

    def level_frame(self, year: int, level: str, within: str | None = None) -> pd.DataFrame:
        """Rows of one level in one year, optionally within a gemeente or wijk (by code prefix)."""
        w = self.wide(year)
        lv = w.index.map(codes.level_of)
        out = w[lv == level]
        if within:
            prefix = within[2:]
            out = out[out.index.str[2 : 2 + len(prefix)] == prefix]
        return out

    def indicators_with_data(self, year: int, level: str | None = None) -> list[str]:
        w = self.wide(year) if level is None else self.level_frame(year, level)
        return [c for c in w.columns if w[c].notna().any()]

    def coverage(self) -> pd.DataFrame:
        """How many areas have each indicator, per level and year: the coverage matrix."""
        v = self.values[["code", "year", "indicator"]].copy()
        v["level"] = v["code"].astype(str).map(codes.level_of)
        out = v.groupby(["indicator", "level", "year"], observed=True).size().rename("areas").reset_index()
        out["indicator"] = out["indicator"].astype(str)
        return out


POP_BREAK = 2.0  # a code whose inhabitants change more than this factor names another area


def _figure(code: str, year: int, indicator: str, row: pd.Series | dict[str, Any]) -> Figure:
    cov = row.get("coverage")
    by = row.get("boundary_year")
    period = row.get("period")
    return Figure(
        code,
        year,
        indicator,
        float(row["value"]),
        str(row["table"]),
        str(row["variable"]),
        str(row["source"]),
        str(row["method"]),
        int(row["n_parts"]),
        None if cov is None or pd.isna(cov) else float(cov),
        boundary_year=None if by is None or pd.isna(by) else int(by),
        boundary_unknown=by is not None and pd.isna(by),
        period="" if period is None or pd.isna(period) else str(period),
        carried_from=str(row.get("carried_from") or ""),
    )


BUILD_ONLY_COLUMNS = ("priority",)  # used by the build to pick between sources; never read by the app


def _read_parquet(path: Path, skip: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read with Arrow freeing its buffers as pandas takes them (halves the peak memory), from the pool
    that hands freed pages back (`memory.return_freed_memory`: the frame keeps its buffers)."""
    import pyarrow.parquet as pq

    columns = [c for c in pq.read_schema(path).names if c not in skip] if skip else None
    return pq.read_table(path, columns=columns).to_pandas(self_destruct=True, split_blocks=True)


def merge_local(
    values: pd.DataFrame, areas: pd.DataFrame, local_values: pd.DataFrame, local_areas: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Local refreshed rows replace embedded rows for the same (code, year, indicator)."""

    def key(f: pd.DataFrame, cols: tuple[str, ...] = ("code", "year", "indicator")) -> pd.Series:
        out = f[cols[0]].astype(str)
        for col in cols[1:]:
            out = out + "|" + f[col].astype(str)
        return out

    kept = values[~key(values).isin(set(key(local_values)))]
    frames = [f.astype({c: str for c in TEXT_COLUMNS if c in f.columns}) for f in (kept, local_values)]
    merged = categorise(pd.concat(frames, ignore_index=True))
    kept_areas = areas[~key(areas, ("code", "year")).isin(set(key(local_areas, ("code", "year"))))]
    return merged, pd.concat([kept_areas, local_areas], ignore_index=True)


# The columns of values.parquet, one row per figure (harmonise writes them in this order, the store reads them)
VALUE_COLUMNS = [
    "code",
    "year",
    "indicator",
    "value",
    "table",
    "variable",
    "source",
    "method",
    "n_parts",
    "coverage",
    "priority",
    "boundary_year",
    "period",
]
HARMONISED_COLUMNS = ("method", "n_parts", "coverage")  # how harmonise made a figure: absent from an observation
# A raw observation, as a reader gives it to harmonise: the value columns without the harmonised ones
OBSERVATION_COLUMNS = [c for c in VALUE_COLUMNS if c not in HARMONISED_COLUMNS]
TEXT_COLUMNS = ("code", "indicator", "table", "variable", "source", "method", "period")


def categorise(values: pd.DataFrame) -> pd.DataFrame:
    """The stored dtypes of values.parquet (categories for text, small ints), used by build and refresh."""
    out = values.copy()
    for col in TEXT_COLUMNS:
        out[col] = out[col].astype("category")
    out["year"] = out["year"].astype("int16")
    out["n_parts"] = out["n_parts"].astype("int32")
    out["coverage"] = out["coverage"].astype("float32")
    out["priority"] = out["priority"].astype("float32")
    by = out["boundary_year"] if "boundary_year" in out else out["year"]
    out["boundary_year"] = by.astype("Int16")  # <NA>: the source names no indeling (never filled with the year)
    if "period" not in out:
        out["period"] = out["year"].astype(str)
    out["period"] = out["period"].astype(str).astype("category")
    return out
