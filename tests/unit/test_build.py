"""The build is deterministic and reads files by rule, so new files of a known kind are picked up."""
import shutil
from pathlib import Path

import pandas as pd
import pytest

from wijk.data import readers
from wijk.data.build import build

SOURCES = Path(__file__).resolve().parents[3] / "shared" / "data-sources"
SMALL = ["cbs_inkomen_2020_gemeente_wijk_indeling2023.csv.gz",
         "rivm_gezondheid_wijk_buurt_2020_18plus_GM0014.csv.gz", "groningen_2017/wijk2017.csv"]
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
    shutil.copy(small_sources / SMALL[1], small_sources / "rivm_gezondheid_wijk_buurt_2022_18plus_GM0014.csv.gz")
    found = {(s.reader, s.year) for s in readers.discover(small_sources)}
    assert ("rivm_18plus", 2022) in found
    build(small_sources, tmp_path / "c", extras=False)
    values = pd.read_parquet(tmp_path / "c" / "values.parquet")
    assert {2017, 2020, 2022} <= set(values["year"])


def test_unknown_files_are_ignored(small_sources):
    (small_sources / "notes.txt").write_text("not data")
    assert all(s.relpath != "notes.txt" for s in readers.discover(small_sources))
