"""The data page's coverage matrix: every catalogue indicator, level x year columns in the UI
language, counts written the language's way, blank (never 0) where no area has a figure."""

from __future__ import annotations

import pyarrow as pa

from wijk.about.coverage import coverage_matrix, refresh_years, sources_frame
from wijk.data import cbs


def test_counts_in_the_language_and_blank_where_missing(store):
    nl = coverage_matrix(store.coverage(), store.catalogue, "nl")
    en = coverage_matrix(store.coverage(), store.catalogue, "en")
    assert "buurt 2024" in nl.columns and "neighbourhood 2024" in en.columns
    assert len(nl) == len(list(store.catalogue))
    inhabitants = store.catalogue.get("inwoners")
    n = int((store.coverage().query("indicator == 'inwoners' and level == 'buurt' and year == 2024"))["areas"].sum())
    assert n > 10_000
    assert nl.loc[inhabitants.label("nl"), "buurt 2024"] == f"{n:,}".replace(",", ".")
    assert en.loc[inhabitants.label("en"), "neighbourhood 2024"] == f"{n:,}"
    assert (nl == "").any().any() and not (nl == "0").any().any()


def test_the_matrix_goes_to_the_browser_as_arrow_without_a_fallback(store):
    pa.Table.from_pandas(coverage_matrix(store.coverage(), store.catalogue, "nl"))


def test_sources_table_has_its_titles_in_the_language(store):
    nl = sources_frame(store.sources, "nl")
    en = sources_frame(store.sources, "en")
    assert len(nl) == len(store.sources) > 0
    assert list(nl.columns) != list(en.columns)
    assert list(nl.iloc[0]) == list(store.sources.iloc[0])


def test_refresh_years_are_the_years_with_a_cbs_table_newest_first():
    years = refresh_years()
    assert years == sorted(cbs.tables("kwb"), reverse=True)
    assert 2024 in years and years[0] > years[-1]
