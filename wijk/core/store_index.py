"""One compact index over the store's values: a code's rows, and the figure of exactly one year, by position.

It replaces a second copy of the values (one frame per year with a (code, indicator) index, about
60 MB with its hash tables): lookups read the values' own columns at a row position instead. When each
code's rows lie together in the values (the embedded values are written by code), the index is only
where each code's rows start (no sorted copy of the rows, their years and indicators: about 11 MB).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class CodeIndex:
    order: np.ndarray | None  # row positions sorted by code, newest year first, own boundaries first
    # (None: the values hold each code's rows together, and spans are positions in the values)
    code_numbers: dict[str, int]  # code -> its number n (its category number)
    bounds: np.ndarray  # code n's rows are [bounds[2n], bounds[2n + 1]) of `order` (or of the values)
    years: np.ndarray  # the year of each row of the values
    indicators: np.ndarray  # the indicator (category number) of each row of the values
    boundary: Any  # the boundary year of each row of the values (an array; None: the rows' own years)
    indicator_numbers: dict[str, int]
    getters: tuple[tuple[str, Callable[[int], Any]], ...]  # (column, value at a row position)
    _getter_of: dict[str, Callable[[int], Any]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_getter_of", dict(self.getters))  # by column, made once (frozen dataclass)

    @classmethod
    def build(cls, values: pd.DataFrame) -> CodeIndex:
        code_col = _categorical(values["code"])
        ind_col = _categorical(values["indicator"])
        year = values["year"].to_numpy()
        boundary = values["boundary_year"].array if "boundary_year" in values.columns else None
        cat_codes = _numbers(code_col)
        n_codes = len(code_col.cat.categories)
        change = np.flatnonzero(cat_codes[1:] != cat_codes[:-1]) + 1
        run_starts = np.r_[0, change] if len(cat_codes) else change
        if len(run_starts) == len(np.unique(cat_codes[run_starts])) and (cat_codes >= 0).all():
            order = None  # each code's rows lie together: a span is where its run starts and ends
            run_codes = cat_codes[run_starts]
            first, last = np.zeros(n_codes, dtype=np.int64), np.zeros(n_codes, dtype=np.int64)
            first[run_codes], last[run_codes] = run_starts, np.r_[run_starts[1:], len(cat_codes)]
        else:
            own = ~(_float(boundary) == year) if boundary is not None else np.zeros(len(year), dtype=bool)
            order = np.lexsort((own, -year.astype(int), cat_codes))
            order = order.astype(np.int32) if len(order) < 2**31 else order
            sorted_codes = cat_codes[order]
            numbers = np.arange(n_codes)
            first = np.searchsorted(sorted_codes, numbers, side="left")
            last = np.searchsorted(sorted_codes, numbers, side="right")
        bounds = np.column_stack((first, last)).reshape(-1)
        bounds = bounds.astype(np.int32) if len(cat_codes) < 2**31 else bounds
        return cls(
            order,
            {str(c): i for i, c in enumerate(code_col.cat.categories)},
            bounds,
            year,
            _numbers(ind_col),
            boundary,
            {str(c): i for i, c in enumerate(ind_col.cat.categories)},
            tuple((str(name), _getter(values[name])) for name in values.columns if name not in KNOWN_COLUMNS),
        )

    def span(self, code: str) -> tuple[int, int] | None:
        """Where a code's rows are (in `order`, or in the values), None when it has none."""
        n = self.code_numbers.get(code)
        if n is None:
            return None
        start, end = int(self.bounds[2 * n]), int(self.bounds[2 * n + 1])
        return (start, end) if end > start else None

    def rows(self, code: str) -> np.ndarray:
        """A code's row positions in the values, newest year first, own boundaries first within a year
        (then in the values' order); empty when it has none."""
        span = self.span(code)
        if span is None:
            return np.zeros(0, dtype=np.int64)
        start, end = span
        if self.order is not None:
            return self.order[start:end]
        years = self.years[start:end].astype(np.int64)
        own = ~(_float(self.boundary[start:end]) == years) if self.boundary is not None else np.zeros(len(years), bool)
        return start + np.lexsort((own, -years))

    def position(self, code: str, year: int, indicator: str) -> int | None:
        """The row of this code, year and indicator (the first in the values' order when several)."""
        span, number = self.span(code), self.indicator_numbers.get(indicator)
        if span is None or number is None:
            return None
        start, end = span
        if self.order is None:
            hits = np.flatnonzero((self.years[start:end] == year) & (self.indicators[start:end] == number))
            return start + int(hits[0]) if len(hits) else None
        rows = self.order[start:end]
        found = rows[(self.years[rows] == year) & (self.indicators[rows] == number)]
        return int(found.min()) if len(found) else None

    def cell(self, column: str, position: int) -> Any:
        """One column's value at a row position (no row made)."""
        return self._getter_of[column](position)

    def row(self, position: int) -> dict[str, Any]:
        """One row's values by column (a category's own value, NaN where a category is missing)."""
        return {name: get(position) for name, get in self.getters}


def compact_values(values: pd.DataFrame) -> pd.DataFrame:
    """The same rows with each code's rows together (in their order; the code index then needs no sorted
    copy of the rows), and the count of parts in 16 bits when every count fits (3 MB less; the same
    numbers). Column by column, each old column dropped once moved (no second copy of the frame at any
    time). `values` is emptied."""
    order = None
    if len(values) and isinstance(values["code"].dtype, pd.CategoricalDtype):
        order = np.argsort(_numbers(values["code"]), kind="stable")
        order = None if (order[1:] > order[:-1]).all() else order
    columns = {}
    for name in list(values.columns):
        cells = values.pop(name).array
        cells = cells.take(order) if order is not None else cells
        columns[name] = _narrow(cells) if name in NARROW_COLUMNS else cells
    return pd.DataFrame(columns, copy=False)


NARROW_COLUMNS = ("n_parts",)  # counts stored as int32 that fit in int16


def _narrow(cells: Any) -> Any:
    """Integer cells in int16 when all fit (the same values), else as they are."""
    numbers = np.asarray(cells)  # numpy-backed cells: a view (nullable ones are no integer array)
    if numbers.dtype.kind not in "iu" or not len(numbers):
        return cells
    info = np.iinfo(np.int16)
    return numbers.astype(np.int16) if info.min <= numbers.min() and numbers.max() <= info.max else cells


def _float(boundary: Any) -> np.ndarray:
    """Boundary years as floats, NaN where the source names no indeling."""
    return np.asarray(boundary.to_numpy(dtype="float64", na_value=np.nan))


def held_years(values: pd.DataFrame, prefix: str, indicators: tuple[str, ...]) -> dict[str, list[int]]:
    """indicator -> the years (ascending) in which a code starting with `prefix` has a value of it: what the
    years' wide frames hold, read from the values' columns in one pass (no wide frame built)."""
    code_col, ind_col = _categorical(values["code"]), _categorical(values["indicator"])
    code_ok = np.asarray(pd.Index(code_col.cat.categories).astype(str).str.startswith(prefix), dtype=bool)
    ind_names = [str(c) for c in ind_col.cat.categories]
    asked = set(indicators)
    wanted = [n for n, name in enumerate(ind_names) if name in asked]
    if not wanted or not code_ok.any():
        return {}
    ind_ok = np.zeros(len(ind_names), dtype=bool)
    ind_ok[wanted] = True
    code_n, ind_n = _numbers(code_col), _numbers(ind_col)
    rows = (code_n >= 0) & (ind_n >= 0) & code_ok[code_n] & ind_ok[ind_n] & pd.notna(values["value"].to_numpy())
    years = values["year"].to_numpy()[rows].astype(np.int64)
    if not len(years):
        return {}
    first, span = int(years.min()), int(years.max()) - int(years.min()) + 1
    held = np.bincount(ind_n[rows].astype(np.int64) * span + (years - first), minlength=len(ind_names) * span)
    out: dict[str, list[int]] = {}
    for cell in np.flatnonzero(held):
        out.setdefault(ind_names[cell // span], []).append(first + int(cell % span))
    return out


KNOWN_COLUMNS = ("code", "year", "indicator", "priority")  # asked for, or never read from a row


def _numbers(col: pd.Series) -> np.ndarray:
    """A categorical column's category numbers, a view (`.cat.codes` copies them: about 12 MB in all)."""
    return cast(pd.Categorical, col.array).codes


def _categorical(col: pd.Series) -> pd.Series:
    return col if isinstance(col.dtype, pd.CategoricalDtype) else col.astype("category")


def _getter(col: pd.Series) -> Callable[[int], Any]:
    """Reads one cell by row position without making a row (no copy of the column)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = col.cat.categories.to_numpy(dtype=object)
        numbers = _numbers(col)
        return lambda i: cats[numbers[i]] if numbers[i] >= 0 else np.nan
    cells = col.array if isinstance(col.dtype, pd.api.extensions.ExtensionDtype) else col.to_numpy()
    return cells.__getitem__
