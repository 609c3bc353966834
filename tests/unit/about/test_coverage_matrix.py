"""The data page's coverage matrix: every catalogue indicator, level x year columns in the UI
language, counts written the language's way, blank (never 0) where no area has a figure."""

from __future__ import annotations

import pyarrow as pa

from wijk.about.coverage import coverage_matrix


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
