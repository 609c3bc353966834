"""The build is deterministic and reads files by rule, so new files of a known kind are picked up."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from wijk.data import readers, source_files
from wijk.data.build import build

SOURCES = Path(__file__).resolve().parents[4] / "shared" / "data-sources"
SMALL = [
    "cbs_inkomen_2020_gemeente_wijk_indeling2023.csv.gz",
    "rivm_gezondheid_wijk_buurt_2020_18plus_NL.csv.gz",
    "groningen_2017/wijk2017.csv",
]
pytestmark = pytest.mark.skipif(not SOURCES.is_dir(), reason="source files not beside the repo")


@pytest.fixture
def small_sources(tmp_path):
    for name in SMALL:
        (tmp_path / "src" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SOURCES / name, tmp_path / "src" / name)
    return tmp_path / "src"


def test_build_is_deterministic(small_sources, tmp_path):
    build(small_sources, tmp_path / "a", extras=False)
    build(small_sources, tmp_path / "b", extras=False)
    for name in ("values.parquet", "areas.parquet", "sources.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_new_file_of_known_kind_is_picked_up(small_sources, tmp_path):
    # the same RIVM table for another year appears later: the rules read it without code changes
    shutil.copy(small_sources / SMALL[1], small_sources / "rivm_gezondheid_wijk_buurt_2022_18plus_NL.csv.gz")
    found = {(s.reader, s.year) for s in source_files.discover(small_sources)}
    assert ("rivm_18plus", 2022) in found
    build(small_sources, tmp_path / "c", extras=False)
    values = pd.read_parquet(tmp_path / "c" / "values.parquet")
    assert {2017, 2020, 2022} <= set(values["year"])
    rivm = values[values["indicator"] == "rivm_eenzaam"]
    assert set(rivm["boundary_year"]) == {2020}  # RIVM files are on the 2020 indeling (source_files.csv)
    assert set(rivm.loc[rivm["year"] == 2020, "period"]) == {"2020-autumn"}


def test_derived_columns_of_the_woonikveilig_file_are_not_read():
    src = [s for s in source_files.discover(SOURCES) if s.reader == "woonikveilig"]
    assert len(src) == 1
    res = readers.read(src[0], None)
    assert not res.observations["variable"].astype(str).str.contains("per1000|laatste12|Label|Km2|laatst").any()
    crime = res.observations[res.observations["indicator"] == "misdrijven"]
    assert set(crime["year"]) == {2021, 2022, 2023, 2024, 2025} and set(crime["boundary_year"]) == {2024}
    gm = crime[crime["code"] == "GM0014"].set_index("year")["value"]
    assert gm.to_dict() == {2021: 11378, 2022: 13454, 2023: 15011, 2024: 14952, 2025: 14805}


def test_join_to_editions_reports_codes_not_in_the_year_edition():
    from wijk.data.build import join_to_editions

    made_up = pd.DataFrame(
        {
            "code": ["GM9990", "GM9991", "BU99900001"],
            "year": [2022, 2022, 2025],
            "boundary_year": [2024, 2024, 2024],
            "source": "fixture",
        }
    )  # MADE-UP codes
    kept, report = join_to_editions(made_up, {(2022, "gemeente"): {"GM9990"}, (2024, "buurt"): {"BU99900001"}})
    assert list(kept["code"]) == ["GM9990", "BU99900001"]
    row = report[report["level"] == "gemeente"].iloc[0]
    assert row["dropped"] == 1 and row["checked_against"] == "KWB 2022"
    assert report[report["level"] == "buurt"].iloc[0]["checked_against"] == "KWB 2024"  # no 2025 edition


def test_unknown_files_are_ignored(small_sources):
    (small_sources / "notes.txt").write_text("not data")
    assert all(s.relpath != "notes.txt" for s in source_files.discover(small_sources))
