"""Carried figures against the raw source files (read here independently of the build): a figure shown
under a new buurt code is the raw value of its old code, the two polygons are one place, and nothing is
carried across a split or merge."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from wijk.core.paths import data_dir

SOURCES = Path(__file__).resolve().parents[4] / "shared" / "data-sources"
pytestmark = pytest.mark.skipif(not SOURCES.is_dir(), reason=f"source files not beside the repo ({SOURCES})")
_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


def _csv(name: str) -> dict[str, dict]:
    with gzip.open(SOURCES / name, "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    key = "Codering_3" if "Codering_3" in rows[0] else "WijkenEnBuurten"
    rows = [r for r in rows if r.get("Marges", "MW00000").strip() == "MW00000"]
    return {r[key].strip(): r for r in rows}


def _num(text: str) -> float | None:
    text = (text or "").strip()
    return None if text in ("", ".") else float(text)


def _polygons(name: str, wanted: set[str]) -> dict:
    with gzip.open(SOURCES / name, "rt", encoding="utf-8") as fh:
        feats = json.load(fh)["features"]
    out = {}
    for f in feats:
        code = f["properties"]["statcode"].strip()
        if code in wanted:
            g = shape(f["geometry"]).buffer(0)
            out[code] = shapely.transform(g, lambda xy: np.column_stack(_RD.transform(xy[:, 0], xy[:, 1])))
    return out


@pytest.fixture(scope="module")
def carried():
    return pd.read_parquet(data_dir() / "carried.parquet")


@pytest.fixture(scope="module")
def crosswalk():
    return pd.read_csv(data_dir() / "buurt_crosswalk.csv", dtype={"code_2019": str, "code_2024": str})


def test_bijlmermuseum_noord_has_its_old_figures_under_the_new_code(store):
    kwb17 = _csv("kwb2017_83765NED_buurt_income_subset.csv.gz")["BU03639402"]
    rivm = _csv("rivm_gezondheid_wijk_buurt_2020_18plus_NL.csv.gz")["BU03639402"]
    income = store.latest("BU0363TG01", "inkomen_per_inwoner", 2024)
    assert income.value == _num(kwb17["GemiddeldInkomenPerInwoner_66"]) and income.carried_from == "BU03639402"
    assert income.table == "83765NED" and income.year == 2017
    lonely = store.latest("BU0363TG01", "rivm_eenzaam", 2024)
    assert lonely.value == _num(rivm["Eenzaam_28"]) and lonely.year == 2020 and lonely.carried_from == "BU03639402"
    assert store.latest("BU0363TG01", "inwoners", 2024).carried_from == ""  # its own 2024 figure


def test_a_sample_of_carried_figures_equals_the_raw_value_under_the_old_code(carried):
    raw = {
        ("rivm_eenzaam", 2020): ("rivm_gezondheid_wijk_buurt_2020_18plus_NL.csv.gz", "Eenzaam_28"),
        ("rivm_eenzaam", 2012): ("rivm_gezondheid_wijk_buurt_2012_18plus_NL.csv.gz", "Eenzaam_28"),
        ("rivm_moeite_rondkomen", 2016): ("rivm_gezondheid_wijk_buurt_2016_18plus_NL.csv.gz", "MoeiteMetRondkomen_38"),
        ("inkomen_per_inwoner", 2017): ("kwb2017_83765NED_buurt_income_subset.csv.gz", "GemiddeldInkomenPerInwoner_66"),
    }
    files = {name: _csv(name) for name, _ in raw.values()}
    checked = 0
    for (ind, year), (name, col) in raw.items():
        rows = carried[(carried["indicator"] == ind) & (carried["year"] == year)]
        assert len(rows) > 100, (ind, year)
        for r in rows.iloc[::23].itertuples():
            assert r.value == _num(files[name][r.carried_from][col]), (r.code, r.carried_from, ind, year)
            checked += 1
    assert checked > 50


def test_carried_pairs_are_one_place_by_raw_geometry_and_population(carried):
    pairs = carried[["carried_from", "code"]].drop_duplicates().sort_values("code").iloc[::20]
    old = _polygons("cbs_buurt2019_NL_generalized_wgs84.geojson.gz", set(pairs["carried_from"]))
    new = _polygons("buurt2024_NL_approx_georef_wgs84.geojson.gz", set(pairs["code"]))
    for o, n in zip(pairs["carried_from"], pairs["code"]):
        both = old[o].intersection(new[n]).area
        assert both / old[o].area >= 0.8 and both / new[n].area >= 0.8, (o, n)
    kwb17 = _csv("kwb2017_83765NED_buurt_income_subset.csv.gz")
    kwb24 = _csv("kwb2024_85984NED_buurt_subset.csv.gz")
    for o, n in zip(carried["carried_from"].unique(), carried.drop_duplicates("carried_from")["code"]):
        a, b = _num(kwb17.get(o, {}).get("AantalInwoners_5", "")), _num(kwb24.get(n, {}).get("AantalInwoners_5", ""))
        if a is not None and b is not None and max(a, b) >= 50:
            assert max(a, b) / max(min(a, b), 1) <= 1.4, (o, n, a, b)


def test_nothing_is_carried_across_a_split_or_merge_or_a_reused_code(carried, crosswalk):
    split = crosswalk[crosswalk["relation"].isin(["gesplitst", "samengevoegd"])]
    pairs = set(zip(carried["carried_from"], carried["code"]))
    assert not pairs & set(zip(split["code_2019"], split["code_2024"]))
    # an old code that split, or a new code made of several old ones, receives nothing at all
    assert not set(carried["carried_from"]) & set(split.loc[split["relation"] == "gesplitst", "code_2019"])
    assert not set(carried["code"]) & set(split.loc[split["relation"] == "samengevoegd", "code_2024"])
    assert "BU05320102" not in set(carried["carried_from"])  # 5,210 inhabitants in 2017, 50 in 2024: reused
    assert len(set(carried["code"])) == len(pairs)  # one old code per new code
    amsterdam = {c for c in carried["code"] if c.startswith("BU0363")}
    assert len(amsterdam) >= 350  # the renumbered Amsterdam buurten whose area did not change
