"""The harmonised store: embedded figures plus local refreshes, queried by area, year, indicator.

Every value carries where it comes from (CBS table, variable, year, method); missing stays None.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wijk import codes
from wijk.areas import AreaIndex
from wijk.catalogue import Catalogue, load_catalogue
from wijk.paths import data_dir, local_dir

METHOD_NL = {
    "cbs": "cijfer van CBS", "derived": "berekend uit CBS-aantallen",
    "sum": "som van de onderliggende gebieden", "ratio": "berekend uit opgetelde aantallen van {n} gebieden",
    "weighted": "gewogen uit {n} gebieden (benadering)", "local": "eigen data",
}
METHOD_EN = {
    "cbs": "CBS figure", "derived": "computed from CBS counts",
    "sum": "sum of the areas within", "ratio": "computed from summed counts of {n} areas",
    "weighted": "weighted from {n} areas (approximation)", "local": "own data",
}


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

    @property
    def missing(self) -> bool:
        return self.value is None

    def method_text(self, lang: str = "nl") -> str:
        text = (METHOD_EN if lang == "en" else METHOD_NL).get(self.method, self.method)
        return text.format(n=self.n_parts)


class Store:
    def __init__(self, values: pd.DataFrame, areas: pd.DataFrame, catalogue: Catalogue,
                 sources: pd.DataFrame | None = None):
        self.catalogue = catalogue
        self.values = values
        self.areas = AreaIndex(areas)
        self.sources = sources if sources is not None else pd.DataFrame()
        self._years: dict[int, pd.DataFrame] = {}
        self._wide: dict[int, pd.DataFrame] = {}
        self.local_error = ""  # set when refreshed local data could not be read (embedded data still works)

    # ---- loading -------------------------------------------------------------------------
    @classmethod
    def load(cls, data: Path | None = None, local: Path | None = None) -> "Store":
        data = data or data_dir()
        local = local or local_dir()
        values = _read_parquet(data / "values.parquet")
        areas = _read_parquet(data / "areas.parquet")
        sources = pd.read_csv(data / "sources.csv") if (data / "sources.csv").exists() else None
        local_error = ""
        if (local / "values.parquet").exists():
            try:
                values, areas = merge_local(values, areas, pd.read_parquet(local / "values.parquet"),
                                            pd.read_parquet(local / "areas.parquet"))
                if (local / "sources.csv").exists():
                    sources = pd.concat([sources, pd.read_csv(local / "sources.csv")], ignore_index=True)
            except Exception as exc:  # a damaged refresh must not take the embedded data down with it
                local_error = f"{type(exc).__name__}: {str(exc)[:200]}"
        store = cls(values, areas, load_catalogue(data / "indicators.csv"), sources)
        store.local_error = local_error
        return store

    # ---- queries -------------------------------------------------------------------------
    def years(self) -> list[int]:
        return self.areas.years()

    def years_for(self, code: str) -> list[int]:
        return self.areas.years_for(code)

    def _year(self, year: int) -> pd.DataFrame:
        if year not in self._years:
            sub = self.values[self.values["year"] == year].drop(columns="year")
            for col in ("code", "indicator"):
                sub[col] = sub[col].cat.remove_unused_categories() if hasattr(sub[col], "cat") else sub[col]
            self._years[year] = sub.set_index(["code", "indicator"]).sort_index()
        return self._years[year]

    def figure(self, code: str, year: int, indicator: str) -> Figure:
        sub = self._year(year)
        try:
            row = sub.loc[(code, indicator)]
        except KeyError:
            return Figure(code, year, indicator, None)
        if isinstance(row, pd.DataFrame):
            row = row.iloc[0]
        cov = row.get("coverage")
        return Figure(code, year, indicator, float(row["value"]), str(row["table"]), str(row["variable"]),
                      str(row["source"]), str(row["method"]), int(row["n_parts"]),
                      None if cov is None or pd.isna(cov) else float(cov))

    def figures(self, code: str, year: int, indicators: list[str] | None = None) -> dict[str, Figure]:
        ids = indicators or self.catalogue.ids()
        return {i: self.figure(code, year, i) for i in ids}

    def value(self, code: str, year: int, indicator: str) -> float | None:
        w = self.wide(year)
        if code in w.index and indicator in w.columns:
            v = w.at[code, indicator]
            return None if pd.isna(v) else float(v)
        return None

    def wide(self, year: int) -> pd.DataFrame:
        """All areas of one year as rows, indicators as columns (NaN = missing). Read-only."""
        if year not in self._wide:
            sub = self._year(year)["value"]
            w = sub.unstack("indicator")
            w.columns = w.columns.astype(str)
            w.index = w.index.astype(str)
            self._wide[year] = w
        return self._wide[year]

    def level_frame(self, year: int, level: str, within: str | None = None) -> pd.DataFrame:
        """Rows of one level in one year, optionally within a gemeente or wijk (by code prefix)."""
        w = self.wide(year)
        lv = w.index.map(codes.level_of)
        out = w[lv == level]
        if within:
            prefix = within[2:]
            out = out[out.index.str[2:2 + len(prefix)] == prefix]
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

    def references(self, code: str) -> list[str]:
        """The area and its parents up to the country: the comparison chain."""
        return codes.chain(code)


def _read_parquet(path: Path) -> pd.DataFrame:
    """Read with Arrow freeing its buffers as pandas takes them (halves the peak memory)."""
    import pyarrow.parquet as pq
    return pq.read_table(path).to_pandas(self_destruct=True, split_blocks=True)


def merge_local(values: pd.DataFrame, areas: pd.DataFrame, local_values: pd.DataFrame,
                local_areas: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Local refreshed rows replace embedded rows for the same (code, year, indicator)."""
    from wijk.data.build import TEXT_COLUMNS, categorise

    def key(f: pd.DataFrame, cols=("code", "year", "indicator")) -> pd.Series:
        out = f[cols[0]].astype(str)
        for col in cols[1:]:
            out = out + "|" + f[col].astype(str)
        return out

    as_text = {c: str for c in TEXT_COLUMNS}
    kept = values[~key(values).isin(set(key(local_values)))]
    merged = categorise(pd.concat([kept.astype(as_text), local_values.astype(as_text)], ignore_index=True))
    kept_areas = areas[~key(areas, ("code", "year")).isin(set(key(local_areas, ("code", "year"))))]
    return merged, pd.concat([kept_areas, local_areas], ignore_index=True)
