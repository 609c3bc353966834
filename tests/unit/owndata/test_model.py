"""Own data: reading, mapping and every validation rule, on the made-up fixtures in tests/fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijk.owndata.model import ColumnSpec, Mapping, check_mapping, guess_unit, parse_number, process, result_frame
from wijk.owndata.read import MAX_BYTES, MAX_ROWS, ReadError, read_upload
from wijk.owndata.suppression import Thresholds
from wijk.owndata.template import template_csv, template_xlsx

FIX = Path(__file__).resolve().parents[2] / "fixtures"


def _read(name: str):
    return read_upload(name, (FIX / name).read_bytes())


def _mapping(**kw) -> Mapping:
    specs = (
        ColumnSpec("leerlingen_totaal", "Leerlingen", "count"),
        ColumnSpec(
            "pct_regulier_onderwijs",
            "Regulier onderwijs",
            "pct",
            "leerlingen_regulier",
            "leerlingen_totaal",
            "protective",
            "low",
        ),
    )
    base = {
        "name": "Test",
        "source": "Gemeente (verzonnen)",
        "code_column": "gebiedscode",
        "indicators": specs,
        "year_column": "jaar",
    }
    return Mapping(**{**base, **kw})


def _keys(result) -> dict[int | None, list[str]]:
    out: dict = {}
    for i in result.issues:
        out.setdefault(i.row, []).append(i.key)
    return out


def test_good_csv_bom_semicolon_dutch_numbers(store):
    raw = _read("owndata_madeup_good.csv")
    assert raw.kind == "csv" and raw.separator == ";" and "BOM" in raw.encoding
    assert raw.columns[0] == "gebiedscode" and raw.line_numbers[0] == 3  # comment line skipped
    res = process(raw, _mapping(), store)
    assert [i.key for i in res.issues] == []
    ds = res.dataset
    assert ds.name == "Test" and ds.suppressed_with == (5, 10) and res.rows_kept == 5
    count_id = ds.indicators[0].id
    assert count_id.startswith("local:")
    assert ds.figure("GM0014", 2024, count_id).value == 1450  # '1.450' is Dutch thousands
    assert ds.figure("BU00140107", 2024, ds.indicators[1].id).value == pytest.approx(95.0)
    assert ds.indicators[1].role == "protective" and ds.indicators[1].unfavourable == "low"
    assert ds.figure("BU00140107", 2024, count_id).source == "Test"


def test_suppression_applied_before_dataset_exists(store):
    ds = process(_read("owndata_madeup_good.csv"), _mapping(), store).dataset
    count_id, pct_id = ds.indicators[0].id, ds.indicators[1].id
    small = ds.figure("BU00140001", 2024, count_id)  # 3 pupils
    assert small.value is None and small.suppressed
    pct_small_base = ds.figure("BU00140000", 2024, pct_id)  # denominator 8 < 10
    assert pct_small_base.value is None and pct_small_base.suppressed
    # 8 pupils >= 5, but GM0014 - WK001401 - BU00140000 would give away the 3: hidden as its partner
    assert ds.figure("BU00140000", 2024, count_id).suppressed
    assert ds.figure("BU00140107", 2024, count_id).value == 120  # the larger cells stay
    table = result_frame(ds, store, "nl")
    row = table[table["code"] == "BU00140001"].iloc[0]
    assert row["Leerlingen"] == "onderdrukt" and row["naam"] == "Binnenstad-Zuid"
    stricter = process(_read("owndata_madeup_good.csv"), _mapping(), store, Thresholds(10, 100)).dataset
    assert stricter.figure("BU00140000", 2024, count_id).suppressed  # 8 < 10
    assert stricter.suppressed_with == (10, 100)


def test_bad_file_reports_each_row_and_keeps_good_rows(store):
    res = process(_read("owndata_madeup_bad.csv"), _mapping(), store)
    keys = _keys(res)
    assert keys[5] == ["eigen_issue_unknown_code"]  # BU99999999
    assert keys[6] == ["eigen_issue_other_year"]  # BU00050000 (Bedum) only in the 2017 division
    other = next(i for i in res.issues if i.row == 6)
    assert dict(other.fmt) == {"years": "2017", "year": 2024} and other.value == "BU00050000"
    assert keys[7] == ["eigen_issue_duplicate"]
    assert keys[8] == ["eigen_issue_not_number"]
    assert next(i for i in res.issues if i.row == 8).value == "veel"
    assert keys[9] == ["eigen_issue_pct_range"]
    assert keys[10] == ["eigen_issue_num_gt_den"]
    assert keys[11] == ["eigen_issue_negative"]
    assert keys[12] == ["eigen_issue_bad_code"]
    ds = res.dataset
    # BU00140001: its count ("veel") is also the denominator of the percentage, so both are out
    assert set(ds.values["code"]) == {"BU00140107", "BU00140000", "BU00140002", "BU00140003"}
    # the duplicate did not overwrite the first row
    assert ds.figure("BU00140107", 2024, ds.indicators[0].id).value == 120
    # a row with one bad cell keeps its other valid values
    assert ds.figure("BU00140002", 2024, ds.indicators[0].id).value == 40
    assert ds.figure("BU00140002", 2024, ds.indicators[1].id).value is None


def test_numeric_values_never_echoed_in_issues(store):
    res = process(_read("owndata_madeup_bad.csv"), _mapping(), store)
    for issue in res.issues:
        if issue.key in ("eigen_issue_pct_range", "eigen_issue_num_gt_den", "eigen_issue_negative"):
            assert issue.value == ""


def test_windows_1252_comma_separated(store):
    raw = _read("owndata_madeup_cp1252.csv")
    assert raw.encoding == "Windows-1252" and raw.separator == ","
    assert "Cliënten schuldhulp" in raw.columns
    m = Mapping(
        "Schuldhulp",
        "GGD (verzonnen)",
        "Gebiedscode",
        (ColumnSpec("Cliënten schuldhulp", "Cliënten", "count"), ColumnSpec("Aandeel tevreden (%)", "Tevreden", "pct")),
        year=2024,
    )
    res = process(raw, m, store)
    assert res.dataset.figure("BU00140107", 2024, res.dataset.indicators[1].id).value == pytest.approx(61.5)
    assert [i.key for i in res.issues] == ["eigen_note_no_denominator"]


def test_excel_formulas_are_never_evaluated(store):
    raw = _read("owndata_madeup_formula.xlsx")
    assert raw.kind == "xlsx" and raw.columns[:2] == ["gebiedscode", "jaar"]
    m = Mapping(
        "Excel",
        "Test",
        "gebiedscode",
        (
            ColumnSpec("schuldhulp_clienten", "Cliënten", "count"),
            ColumnSpec("pct_tevreden", "Tevreden", "pct", "", "noemer"),
        ),
        year_column="jaar",
    )
    res = process(raw, m, store)
    formulas = [i for i in res.issues if i.key == "eigen_issue_formula"]
    assert [i.row for i in formulas] == [5, 6]
    assert formulas[0].value.startswith("=HYPERLINK")
    ds = res.dataset
    assert ds.figure("WK001401", 2024, ds.indicators[0].id).value is None  # not 2
    assert ds.figure("BU00140000", 2024, ds.indicators[1].id).suppressed  # denominator 8


def test_year_rules(store):
    raw = read_upload("y.csv", b"code;jaar;n\nGM0014;2024;10\nGM0014;2019;10\nGM0014;twee;10\nGM0014;2017;12\n")
    m = Mapping("Y", "S", "code", (ColumnSpec("n", "N", "count"),), year_column="jaar")
    res = process(raw, m, store)
    assert _keys(res) == {3: ["eigen_issue_year_unknown"], 4: ["eigen_issue_bad_year"]}
    assert res.dataset.years() == [2017, 2024]  # trends: several years in one file


def test_mapping_errors_block_processing(store):
    raw = _read("owndata_madeup_good.csv")
    res = process(raw, _mapping(name=" ", source="", code_column="nope", year_column="", year=1999), store)
    assert res.dataset is None
    assert {i.key for i in res.issues} >= {
        "eigen_map_no_name",
        "eigen_map_no_source",
        "eigen_map_no_code",
        "eigen_map_no_year",
    }
    bad = (
        ColumnSpec("leerlingen_totaal", "", "count"),
        ColumnSpec("jaar", "X", "pct"),
        ColumnSpec("pct_regulier_onderwijs", "Y", "count", "leerlingen_regulier", ""),
    )
    keys = {i.key for i in check_mapping(raw, _mapping(indicators=bad), [2024])}
    assert keys == {"eigen_map_no_label", "eigen_map_bad_column", "eigen_map_num_den"}
    dup = (ColumnSpec("leerlingen_totaal", "Zelfde", "count"), ColumnSpec("ots_per_1000", "zelfde", "per1000"))
    assert {i.key for i in check_mapping(raw, _mapping(indicators=dup), [2024])} == {"eigen_map_dup_label"}


def test_rate_computed_from_numerator_and_denominator(store):
    raw = read_upload("r.csv", b"code,teller,noemer\nGM0014,30,200\nWK001401,3,6\n")
    m = Mapping("R", "S", "code", (ColumnSpec("", "Aandeel", "pct", "teller", "noemer"),), year=2024)
    ds = process(raw, m, store).dataset
    ind = ds.indicators[0].id
    assert ds.figure("GM0014", 2024, ind).value == pytest.approx(15.0)
    assert ds.figure("WK001401", 2024, ind).suppressed  # denominator 6
    assert "teller" not in ds.values.columns and "denominator" not in ds.values.columns


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("12,5", 12.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("12.5", 12.5),
        ("1.234.567", 1234567),
        ("95%", 95.0),
        (" 7 ", 7.0),
        (3, 3.0),
        ("", None),
        (".", None),
        (None, None),
        ("+5", 5.0),
    ],
)
def test_parse_number(cell, expected):
    value, err = parse_number(cell)
    assert err == "" and value == expected


@pytest.mark.parametrize(
    "cell,key",
    [
        ("abc", "eigen_issue_not_number"),
        ("nan", "eigen_issue_not_number"),
        ("inf", "eigen_issue_not_number"),
        ("=1+1", "eigen_issue_formula"),
        ("@SUM(A1)", "eigen_issue_formula"),
        ("+cmd", "eigen_issue_formula"),
        ("9" * 101, "eigen_issue_too_long"),
        (float("nan"), "eigen_issue_not_number"),
        (True, "eigen_issue_not_number"),
    ],
)
def test_parse_number_errors(cell, key):
    assert parse_number(cell) == (None, key)


def test_guess_unit():
    assert guess_unit("pct_regulier") == "pct" and guess_unit("Aandeel tevreden (%)") == "pct"
    assert guess_unit("ots_per_1000") == "per1000" and guess_unit("leerlingen") == "count"


@pytest.mark.parametrize(
    "data,key",
    [
        (b"", "eigen_err_empty"),
        (b"\xef\xbb\xbf\r\n  \n", "eigen_err_empty"),
        (b"# only a comment\n", "eigen_err_empty"),
        (b"code;n\n", "eigen_err_no_rows"),
        (b"a\x00b", "eigen_err_binary"),
        (b"code;n\n\x81\x8d\x8f;1\n", "eigen_err_encoding"),
        (b"\xef\xbb\xbfcode\n\xff\n", "eigen_err_encoding"),
        (b"x" * (MAX_BYTES + 1), "eigen_err_too_big"),
        (b"\xd0\xcf\x11\xe0rest", "eigen_err_old_xls"),
        (b"PK\x03\x04broken", "eigen_err_excel"),
    ],
)
def test_unreadable_files(data, key):
    with pytest.raises(ReadError) as err:
        read_upload("f.csv", data)
    assert err.value.key == key


def test_too_many_rows_and_long_headers():
    data = ("code;n\n" + "GM0014;1\n" * (MAX_ROWS + 1)).encode()
    with pytest.raises(ReadError) as err:
        read_upload("big.csv", data)
    assert err.value.key == "eigen_err_too_many_rows"
    raw = read_upload("h.csv", ("code;" + "x" * 500 + "\nGM0014;1;extra\n").encode())
    assert len(raw.columns[1]) == 80
    assert [k for k, _ in raw.notes] == ["eigen_note_header_cut", "eigen_note_extra_cells"]


def test_template_is_readable_and_marked_as_example(store):
    for name, data in (("t.csv", template_csv("nl")), ("t.xlsx", template_xlsx("en"))):
        raw = read_upload(name, data)
        assert raw.columns[0] == "gebiedscode"
        assert all(c.startswith(("GM99", "WK99", "BU99")) for c in raw.frame["gebiedscode"])
    assert b"VOORBEELD" in template_csv("nl") and b"verzonnen" in template_csv("nl")
    m = Mapping("T", "Voorbeeld", "gebiedscode", (ColumnSpec("leerlingen_totaal", "L", "count"),), year_column="jaar")
    res = process(read_upload("t.csv", template_csv()), m, store)  # fake codes: all unknown
    assert {i.key for i in res.issues} == {"eigen_issue_unknown_code"} and res.dataset.values.empty
