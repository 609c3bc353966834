"""The hostile upload corpus (tests/fixtures/hostile, made-up content): every file gives a clear
file-level message or a table whose problems are row-level messages; nothing raises."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from wijk.core.i18n import load_labels, t
from wijk.owndata.model import ColumnSpec, Mapping, process
from wijk.owndata.read import ReadError, read_upload

HOSTILE = Path(__file__).resolve().parents[2] / "fixtures" / "hostile"
_spec = importlib.util.spec_from_file_location("hostile_corpus", HOSTILE / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)
FILES = sorted(p.name for p in HOSTILE.iterdir() if p.suffix in (".csv", ".xlsx", ".xls"))
EXPECTED_ERRORS = {
    "zip_version_14.xlsx": "eigen_err_excel",
    "zip_unknown_method.xlsx": "eigen_err_excel",
    "zip_without_workbook.xlsx": "eigen_err_excel",
    "truncated.xlsx": "eigen_err_excel",
    "ole_header.xls": "eigen_err_old_xls",
    "columns_1000.csv": "eigen_err_too_many_columns",
    "columns_61.csv": "eigen_err_too_many_columns",
    "empty.csv": "eigen_err_empty",
    "only_bom.csv": "eigen_err_empty",
    "only_header.csv": "eigen_err_no_rows",
    "png_named_csv.csv": "eigen_err_binary",
    "invalid_utf8.csv": "eigen_err_encoding",
    "rows_100k.csv": "eigen_err_too_many_rows",
    "rows_100k_small.csv": "eigen_err_too_many_rows",
    "zip_bomb.xlsx": "eigen_err_too_big",
    "too_big.csv": "eigen_err_too_big",
}


def check(store, name: str, data: bytes):
    """Read and process like the page does; returns the ReadError key or the Result."""
    try:
        raw = read_upload(name, data)
    except ReadError as err:
        assert err.key in load_labels()
        for lang in ("nl", "en"):
            assert t(err.key, lang, **err.fmt) != err.key
        return err.key
    assert raw.frame.shape[1] <= 60 and len(raw.frame) <= 20_000
    cols = raw.columns
    specs = tuple(ColumnSpec(c, f"kolom {i}", "pct" if i % 2 else "count") for i, c in enumerate(cols[1:5], 1))
    res = process(raw, Mapping("hostile", "made up", cols[0], specs, year=2024), store)
    for issue in res.issues:
        assert issue.key in load_labels()
        assert t(issue.key, "nl", **dict(issue.fmt)) and t(issue.key, "en", **dict(issue.fmt))
        if issue.row is not None and issue.column != cols[0]:
            assert not re.search(r"\d", issue.value), issue  # no value cell echoed with its digits
    return res


def test_corpus_is_there():
    assert len(FILES) >= 30 and set(FILES) == set(corpus.small())


@pytest.mark.parametrize("name", FILES)
def test_hostile_file(store, name):
    out = check(store, name, (HOSTILE / name).read_bytes())
    if name in EXPECTED_ERRORS:
        assert out == EXPECTED_ERRORS[name]


@pytest.mark.parametrize("name", sorted(corpus.large()))
def test_large_file(store, name):
    assert check(store, name, corpus.large()[name]) == EXPECTED_ERRORS[name]


def test_utf16_reads_like_utf8():
    for name in ("utf16le_bom_tab.csv", "utf16be_bom.csv", "utf16le_no_bom.csv"):
        raw = read_upload(name, (HOSTILE / name).read_bytes())
        assert raw.columns == ["gebiedscode", "jaar", "aantal", "pct"] and raw.encoding == "UTF-16"
        assert list(raw.frame["gebiedscode"]) == ["BU00140107", "WK001401", "GM0014"]


def test_ambiguous_numbers_are_rejected_with_a_message(store):
    raw = read_upload("a.csv", (HOSTILE / "ambiguous_numbers.csv").read_bytes())
    res = process(
        raw, Mapping("a", "made up", "gebiedscode", (ColumnSpec("aantal", "Aantal"),), year_column="jaar"), store
    )
    assert [i.key for i in res.issues] == ["eigen_issue_ambiguous"] * 3
    assert res.dataset.values.empty  # nothing guessed
    assert "1,2,3" in t("eigen_issue_ambiguous", "nl")


def test_zip_version_file_is_a_message_not_a_crash():
    with pytest.raises(ReadError) as err:
        read_upload("x.xlsx", (HOSTILE / "zip_version_14.xlsx").read_bytes())
    assert err.value.key == "eigen_err_excel"
