"""Areas per year: names, hierarchy, existence and type-ahead search (codes are identity)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijk.core import codes
from wijk.core.area_search import SearchIndex
from wijk.core.i18n import DEFAULT_LANG, t

NO_YEAR = -1  # name_year of a row whose name is of its own year


@dataclass(frozen=True)
class Area:
    code: str
    year: int
    level: str
    name: str
    name_year: int | None  # the year the name comes from, when not the area's own year

    def label(self) -> str:
        return f"{self.name} ({self.code})" if self.name != self.code else self.code


class AreaIndex:
    """All areas that have figures, per year. Built once from data/areas.parquet."""

    def __init__(self, frame: pd.DataFrame):
        frame = frame.copy()
        frame["name"] = frame["name"].fillna(frame["code"]).astype(str)
        frame["year"] = frame["year"].astype(int)
        self.frame = frame.sort_values(["year", "level", "name", "code"]).reset_index(drop=True)
        # What `get` reads, as compact arrays (a frame row lookup costs ~0.4 ms, and a screen asks for
        # thousands of names): per-row lists and a dict keyed by (code, year) held about 16 MB, this 4.
        row_codes = _shared(self.frame["code"].to_numpy(dtype=object).tolist())
        row_years = self.frame["year"].to_numpy().astype(np.int64)
        self._code_numbers: dict[str, int] = {}
        numbers = np.array(
            [self._code_numbers.setdefault(c, len(self._code_numbers)) for c in row_codes], dtype=np.int64
        )
        self._first_year = int(row_years.min()) if len(row_years) else 0
        span = int(row_years.max()) - self._first_year + 1 if len(row_years) else 0
        # the frame position of each code's row in each year (-1: none; the last row when several)
        self._row_at = np.full((len(self._code_numbers), span), -1, dtype=np.int32)
        self._row_at[numbers, row_years - self._first_year] = np.arange(len(row_years), dtype=np.int32)
        level_numbers, self._level_names = pd.factorize(self.frame["level"].to_numpy(dtype=object))
        self._levels = level_numbers.astype(np.int8)
        self._names = np.array(_shared(self.frame["name"].to_numpy(dtype=object).tolist()), dtype=object)
        name_years = self.frame["name_year"].astype("Int32").array
        self._name_years = name_years.to_numpy(dtype=np.int32, na_value=NO_YEAR)
        self._search: SearchIndex | None = None
        # lists per (level, parent, year) and the years: the frame never changes after this, and
        # the sidebar asks for the same lists on every script run (every live page poll's rerun)
        self._lists: dict[tuple[str, str, int], tuple[Area, ...]] = {}
        self._years = sorted(int(y) for y in np.unique(row_years))

    def _row(self, code: str, year: int) -> int | None:
        """The frame position of a code's row in `year` (None when the code has none that year)."""
        n = self._code_numbers.get(code)
        offset = year - self._first_year if isinstance(year, (int, np.integer)) else None
        if n is None or offset is None or not 0 <= offset < self._row_at.shape[1]:
            return None
        i = int(self._row_at[n, offset])
        return i if i >= 0 else None

    @property
    def search_index(self) -> SearchIndex:
        """Built on the first search only (start-up stays fast)."""
        if self._search is None:
            self._search = SearchIndex(self.frame)
        return self._search

    def years(self) -> list[int]:
        return list(self._years)

    def years_for(self, code: str) -> list[int]:
        n = self._code_numbers.get(code)
        return [] if n is None else [self._first_year + int(y) for y in np.flatnonzero(self._row_at[n] >= 0)]

    def exists(self, code: str, year: int | None = None) -> bool:
        if year is None:
            return code in self._code_numbers
        return self._row(code, year) is not None

    def get(self, code: str, year: int) -> Area | None:
        i = self._row(code, year)
        if i is None:
            return None
        ny = int(self._name_years[i])
        level = str(self._level_names[self._levels[i]])
        return Area(code, int(year), level, self._names[i], None if ny in (NO_YEAR, year) else ny)

    def name(self, code: str, year: int | None = None, lang: str = DEFAULT_LANG) -> str:
        """The area's name in `year` (else its newest name); the country in the UI language."""
        if code == codes.NL_CODE:
            return t("area_nl", lang)
        years = [year] if year is not None and self.exists(code, year) else list(reversed(self.years_for(code)))
        for y in years:
            area = self.get(code, y)
            if area is not None:
                return area.name
        return code

    def _level(self, level: str, year: int) -> pd.DataFrame:
        f = self.frame
        return f[(f["year"] == year) & (f["level"] == level)]

    def _listed(self, level: str, parent_col: str, parent: str, year: int) -> list[Area]:
        key = (level, parent, int(year))
        found = self._lists.get(key)
        if found is None:
            f = self._level(level, year)
            found = tuple(self._areas(f[f[parent_col] == parent] if parent_col else f))
            self._lists[key] = found
        return list(found)

    def gemeenten(self, year: int) -> list[Area]:
        return self._listed("gemeente", "", "", year)

    def wijken(self, gemeente: str, year: int) -> list[Area]:
        return self._listed("wijk", "gemeente", gemeente, year)

    def buurten(self, wijk: str, year: int) -> list[Area]:
        return self._listed("buurt", "wijk", wijk, year)

    def children(self, code: str, year: int) -> list[Area]:
        level = codes.level_of(code)
        if level == "gemeente":
            return self.wijken(code, year)
        if level == "wijk":
            return self.buurten(code, year)
        if level == "land":
            return self.gemeenten(year)
        return []

    def _areas(self, f: pd.DataFrame) -> list[Area]:
        return [Area(c, int(y), lv, n, None) for c, y, lv, n in zip(f["code"], f["year"], f["level"], f["name"])]

    def _search_rows(self, year: int | None) -> pd.Index:
        """The areas a search may offer: those of `year`, or without a year the current areas (each
        level's newest year: an old code is never offered as if it still existed) that have a name."""
        f = self.frame
        if year is not None:
            return f.index[(f["year"] == year) & (f["name"].astype(str) != f["code"].astype(str))]
        newest = f.groupby("level")["year"].transform("max")
        named = f["name"].notna() & (f["name"].astype(str) != f["code"].astype(str))
        return f.index[(f["year"] == newest) & named]

    def search(
        self, query: object, year: int | None = None, limit: int = 20, gemeente: str | None = None
    ) -> list[Area]:
        """Areas matching every word of the query (any order, accents and small typos forgiven).

        Without a year each code appears once, with its latest year. Never raises on any text.
        """
        hits = self.search_index.search(query, self._search_rows(year), gemeente=gemeente, limit=limit)
        return self._areas(hits)

    def suggestions(
        self, query: object, year: int | None = None, limit: int = 5, gemeente: str | None = None
    ) -> list[Area]:
        """Areas matching some words of the query: what to offer when search() found nothing."""
        hits = self.search_index.search(query, self._search_rows(year), gemeente=gemeente, limit=limit, partial=True)
        return self._areas(hits)


def _shared(items: list) -> list:
    """The same list with one object per distinct value: a code, name or year repeats in every year it
    exists (51,000 rows, 21,000 codes), and each repeat was its own string (about 8 MB in all)."""
    one: dict = {}
    return [one.setdefault(x, x) for x in items]
