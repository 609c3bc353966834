"""One compact index over the store's values: a code's rows, and the figure of exactly one year, by position.

It replaces a second copy of the values (one frame per year with a (code, indicator) index, about
60 MB with its hash tables): lookups read the values' own columns at a row position instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class CodeIndex:
    order: np.ndarray  # row positions sorted by code, newest year first, own boundaries first
    spans: dict[str, tuple[int, int]]  # each code's [start, end) in `order`
    years: np.ndarray  # the year of each row, in `order`
    indicators: np.ndarray  # the indicator (category number) of each row, in `order`
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
        by = (values["boundary_year"] if "boundary_year" in values.columns else values["year"]).to_numpy(
            "float64", na_value=np.nan
        )
        cat_codes = _numbers(code_col)
        order = np.lexsort((~(by == year), -year.astype(int), cat_codes))
        order = order.astype(np.int32) if len(order) < 2**31 else order
        sorted_codes = cat_codes[order]
        numbers = np.arange(len(code_col.cat.categories))
        starts = np.searchsorted(sorted_codes, numbers, side="left")
        ends = np.searchsorted(sorted_codes, numbers, side="right")
        spans = {str(c): (int(s0), int(e0)) for c, s0, e0 in zip(code_col.cat.categories, starts, ends)}
        return cls(
            order,
            spans,
            year[order],
            _numbers(ind_col)[order],
            {str(c): i for i, c in enumerate(ind_col.cat.categories)},
            tuple((str(name), _getter(values[name])) for name in values.columns if name not in KNOWN_COLUMNS),
        )

    def position(self, code: str, year: int, indicator: str) -> int | None:
        """The row of this code, year and indicator (the first in the values' order when several)."""
        span, number = self.spans.get(code), self.indicator_numbers.get(indicator)
        if span is None or number is None:
            return None
        start, end = span
        hits = np.flatnonzero((self.years[start:end] == year) & (self.indicators[start:end] == number))
        return int(self.order[start + hits].min()) if len(hits) else None

    def cell(self, column: str, position: int) -> Any:
        """One column's value at a row position (no row made)."""
        return self._getter_of[column](position)

    def row(self, position: int) -> dict[str, Any]:
        """One row's values by column (a category's own value, NaN where a category is missing)."""
        return {name: get(position) for name, get in self.getters}


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
