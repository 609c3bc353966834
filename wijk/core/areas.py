"""Areas per year: names, hierarchy, existence and type-ahead search (codes are identity)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wijk.core import codes
from wijk.core.area_search import SearchIndex
from wijk.core.i18n import DEFAULT_LANG, t


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
        # plain Python lists: iterating Arrow-backed strings (pandas 3) or groupby(...).agg(list) costs ~1 s
        code_list = _shared(self.frame["code"].to_numpy(dtype=object).tolist())
        year_list = _shared(self.frame["year"].to_numpy().tolist())
        self._by_key = {key: i for i, key in enumerate(zip(code_list, year_list))}
        # the columns `get` reads, as lists: a frame row lookup costs ~0.4 ms, and a screen asks for
        # thousands of names (rankings, comparisons)
        self._codes, self._row_years = code_list, year_list
        self._levels = _shared(self.frame["level"].to_numpy(dtype=object).tolist())
        self._names = _shared(self.frame["name"].to_numpy(dtype=object).tolist())
        self._name_years = [None if pd.isna(v) else int(v) for v in self.frame["name_year"].to_numpy(dtype=object)]
        self._years_by_code: dict[str, list[int]] = {}
        for code, year in zip(code_list, year_list):
            self._years_by_code.setdefault(code, []).append(year)
        self._search: SearchIndex | None = None
        # lists per (level, parent, year) and the years: the frame never changes after this, and
        # the sidebar asks for the same lists on every script run (every live page poll's rerun)
        self._lists: dict[tuple[str, str, int], tuple[Area, ...]] = {}
        self._years = sorted(set(year_list))

    @property
    def search_index(self) -> SearchIndex:
        """Built on the first search only (start-up stays fast)."""
        if self._search is None:
            self._search = SearchIndex(self.frame)
        return self._search

    def years(self) -> list[int]:
        return list(self._years)

    def years_for(self, code: str) -> list[int]:
        return sorted(self._years_by_code.get(code, []))

    def exists(self, code: str, year: int | None = None) -> bool:
        if year is None:
            return code in self._years_by_code
        return (code, year) in self._by_key

    def get(self, code: str, year: int) -> Area | None:
        i = self._by_key.get((code, year))
        if i is None:
            return None
        ny = self._name_years[i]
        return Area(
            self._codes[i], int(self._row_years[i]), self._levels[i], self._names[i], None if ny == year else ny
        )

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
