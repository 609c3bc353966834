"""Area names in the committed data/ come from the same year's edition (read here independently).

The RIVM health monitor 2020 (50120NED, 2020 indeling) names each gemeente on its gemeente row; on a
wijk or buurt row its `Gemeentenaam_1` is the enclosing gemeente, never the area's own name.
"""

import csv
import gzip
from pathlib import Path

import pytest

SOURCES = Path(__file__).resolve().parents[4] / "shared" / "data-sources"
pytestmark = pytest.mark.skipif(not SOURCES.is_dir(), reason=f"source files not beside the repo ({SOURCES})")

RIVM_2020 = "rivm_gezondheid_wijk_buurt_2020_18plus_NL.csv.gz"


def _gemeente_names_2020() -> dict[str, str]:
    with gzip.open(SOURCES / RIVM_2020, "rt", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["SoortRegio_2"].strip() == "Gemeente"]
    return {r["Codering_3"].strip(): r["Gemeentenaam_1"].strip() for r in rows}


def test_every_2020_gemeente_has_its_name_of_the_2020_edition(store):
    raw = _gemeente_names_2020()
    assert len(raw) == 355
    assert raw["GM0855"] == "Tilburg" and raw["GM1680"] == "Aa en Hunze" and raw["GM0014"] == "Groningen"
    for code, name in raw.items():
        area = store.areas.get(code, 2020)
        assert area is not None and area.name == name, (code, area)
        assert area.name_year is None  # the area's own year
    assert store.areas.name("GM0855", 2020) == "Tilburg"


def test_no_2020_wijk_or_buurt_is_named(store):
    """No source of 2020 names a wijk or buurt: they keep their code, never the gemeente's name."""
    raw = _gemeente_names_2020()
    frame = store.areas.frame
    rows = frame[(frame["year"] == 2020) & frame["level"].isin(["wijk", "buurt"])]
    assert len(rows) > 15000
    assert (rows["name"] == rows["code"]).all()
    assert not (rows["name"] == rows["gemeente"].map(raw)).any()
