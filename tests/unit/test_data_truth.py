"""The committed data/ holds the figures of the real source files (read here independently)."""
import csv
import gzip
import json
from pathlib import Path

import pytest

SOURCES = Path(__file__).resolve().parents[3] / "shared" / "data-sources"
pytestmark = pytest.mark.skipif(not SOURCES.is_dir(), reason=f"source files not beside the repo ({SOURCES})")


def _rows(name: str, delimiter: str = ","):
    path = SOURCES / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def test_kwb2024_buurt_figures(store):
    rows = {r["WijkenEnBuurten"].strip(): r for r in _rows("kwb2024_85984NED_buurt_subset_with_crime2024.csv.gz")}
    for code in ("BU00140107", "BU00140301", "BU0363TA06", "BU16800000"):
        r = rows[code]
        assert store.value(code, 2024, "inwoners") == float(r["AantalInwoners_5"])
        assert store.value(code, 2024, "huishoudens") == float(r["HuishoudensTotaal_29"])
        assert store.value(code, 2024, "misdrijven") == float(r["GeregistreerdeMisdrijven_1"])


def test_kwb2024_gemeente_and_wijk_counts(store):
    rows = {r["code"].strip(): r for r in _rows("kwb2024_85984NED_gemeente_wijk_basic.csv.gz")}
    for code in ("GM0014", "GM0363", "WK001401", "WK0363AA"):
        assert store.value(code, 2024, "inwoners") == float(rows[code]["AantalInwoners_5"])
    assert store.value("GM0014", 2024, "inwoners") == 243768


def test_kwb2017_income_and_social_minimum(store):
    rows = {r["WijkenEnBuurten"].strip(): r for r in _rows("kwb2017_83765NED_buurt_income_subset.csv.gz")}
    r = rows["BU00140000"]
    assert store.value("BU00140000", 2017, "inwoners") == 4440 == float(r["AantalInwoners_5"])
    assert store.value("BU00140000", 2017, "inkomen_per_inwoner") == float(r["GemiddeldInkomenPerInwoner_66"])
    assert store.value("BU00140000", 2017, "pct_sociaal_minimum") == float(r["HuishOnderOfRondSociaalMinimum_73"])
    # SOURCES.md check: population-weighted income 25.6k NL, 22.4k Groningen
    assert round(store.value("NL01", 2017, "inkomen_per_inwoner"), 1) == 25.6
    assert round(store.value("GM0014", 2017, "inkomen_per_inwoner"), 1) == 22.4


def test_income_2020_per_wijk(store):
    assert store.value("NL01", 2020, "inkomen_per_inwoner") == 27.9
    assert store.value("GM0014", 2020, "inkomen_per_inwoner") == 25.6
    assert store.value("GM0014", 2020, "pct_huish_laagste_40") == 59.5
    assert store.figure("GM0014", 2020, "pct_huish_laagste_40").table.startswith("CBS maatwerk")


def test_rivm_2020_health_estimates(store):
    assert store.value("NL01", 2020, "rivm_eenzaam") == 47.0
    assert store.value("GM0014", 2020, "rivm_eenzaam") == 48.6
    assert store.value("GM0014", 2020, "rivm_moeite_rondkomen") == 17.5
    assert store.value("NL01", 2020, "rivm65_eenzaam") == 49.5
    rows = [r for r in _rows("rivm_gezondheid_wijk_buurt_2020_18plus_GM0014.csv.gz") if r["Codering_3"].startswith("BU")]
    empty = [r["Codering_3"].strip() for r in rows if r["Eenzaam_28"].strip() in ("", ".")]
    assert empty and all(store.value(c, 2020, "rivm_eenzaam") is None for c in empty)  # suppressed stays missing


def test_gemeenten_2023_from_the_kaart(store):
    with gzip.open(SOURCES / "pdok_cbs_gemeenten_2023_kwb.geojson.gz", "rt", encoding="utf-8") as fh:
        props = {f["properties"]["gemeentecode"]: f["properties"] for f in json.load(fh)["features"]}
    assert store.value("GM0014", 2023, "inwoners") == props["GM0014"]["aantalInwoners"] == 238147
    assert store.value("GM0014", 2023, "pct_65plus") == props["GM0014"]["percentagePersonen65JaarEnOuder"]


def test_groningen_2017_kaart(store):
    with open(SOURCES / "groningen_2017" / "wijk2017.csv", encoding="utf-8") as fh:
        wijken = {r["WK_CODE"]: r for r in csv.DictReader(fh)}
    assert store.value("WK001400", 2017, "inwoners") == float(wijken["WK001400"]["AANT_INW"]) == 22635
    assert store.value("GM0014", 2017, "inwoners") == sum(float(r["AANT_INW"]) for r in wijken.values())
