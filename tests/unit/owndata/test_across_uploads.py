"""The whole processing path (`process`) against earlier sets, rates and their complements, and
labels that would collide with the result table's own columns. Made-up numbers only."""

from __future__ import annotations

import pandas as pd
import pytest

from wijk.core.owndata import OwnDataset, OwnIndicator
from wijk.owndata.model import ColumnSpec, Mapping, check_mapping, process, reserved_labels, result_frame
from wijk.owndata.read import read_upload

WK, B0, B1, B2 = "WK001403", "BU00140300", "BU00140301", "BU00140302"


def _run(rows: str, store, prior=(), specs=None):
    raw = read_upload("made_up.csv", ("gebiedscode;aantal;totaal;met_x\n" + rows).encode())
    specs = specs or (ColumnSpec("aantal", "Jongeren met hulp", "count"),)
    return process(raw, Mapping("Made up", "verzonnen", "gebiedscode", specs, year=2024), store, prior=prior)


def _hidden(ds: OwnDataset, label: str = "Jongeren met hulp") -> dict[str, bool]:
    ind = next(i for i in ds.indicators if i.label == label)
    v = ds.values[ds.values["indicator"] == ind.id]
    return dict(zip(v["code"], v["suppressed"]))


def test_two_uploads_through_process(store):
    first = _run(f"{B0};12;;\n{B1};15;;\n{B2};3;;\n", store).dataset
    assert _hidden(first) == {B0: False, B1: False, B2: True}
    alone = _run(f"{WK};30;;\n", store).dataset
    assert _hidden(alone) == {WK: False}
    second = _run(f"{WK};30;;\n", store, prior=[first]).dataset
    assert _hidden(second) == {WK: True}  # 30 - 12 - 15 would give the 3


def test_a_row_missing_from_the_file_through_process(store):
    ds = _run(f"{WK};30;;\n{B0};12;;\n{B1};15;;\n", store).dataset
    assert _hidden(ds) == {WK: False, B0: True, B1: False}


def test_refused_with_one_sentence_when_nothing_here_can_protect(store):
    legacy = OwnDataset(
        "legacy",
        "verzonnen",
        [OwnIndicator("local:old", "jongeren met hulp", "count", "verzonnen")],
        pd.DataFrame(
            {"code": [WK, B0, B1], "year": 2024, "indicator": "local:old", "value": [27.0, 12.0, 15.0]}
        ).assign(suppressed=False),
        suppressed_with=(5, 10),
    )
    res = _run(f"{WK};30;;\n{B0};12;;\n{B1};15;;\n{B2};3;;\n", store, prior=[legacy])
    assert res.dataset is None
    refused = [i for i in res.issues if i.key == "eigen_refused_differencing"]
    assert len(refused) == 1 and dict(refused[0].fmt) == {"code": B2}


def test_rate_hidden_for_its_complement_hides_its_numerator_count(store):
    """40 in total, 37 with X: 92.5% is hidden (3 without X), and so is the 37 (40 - 37 = 3)."""
    specs = (
        ColumnSpec("totaal", "Totaal", "count"),
        ColumnSpec("met_x", "Met X", "count"),
        ColumnSpec("", "Aandeel met X", "pct", "met_x", "totaal"),
    )
    ds = _run(f"{B0};;40;37\n{B1};;60;30\n", store, specs=specs).dataset  # two buurten: no sums
    assert _hidden(ds, "Aandeel met X") == {B0: True, B1: False}
    assert _hidden(ds, "Met X") == {B0: True, B1: False}
    assert _hidden(ds, "Totaal") == {B0: False, B1: False}
    shown = ds.values[~ds.values["suppressed"]]
    assert not (shown["value"].isna()).any()


@pytest.mark.parametrize("label", ["code", "naam", "jaar", "name", "year", "Code", " NAAM "])
def test_a_label_equal_to_a_result_column_is_refused(label):
    raw = read_upload("made_up.csv", b"gebiedscode;aantal\nGM0014;12\n")
    m = Mapping("Made up", "verzonnen", "gebiedscode", (ColumnSpec("aantal", label, "count"),), year=2024)
    assert [i.key for i in check_mapping(raw, m, [2024])] == ["eigen_map_label_reserved"]


def test_reserved_labels_are_the_result_columns_in_both_languages(store):
    ds = _run(f"{B0};12;;\n", store).dataset
    for lang in ("nl", "en"):
        columns = {c.casefold() for c in result_frame(ds, store, lang).columns}
        assert columns - {"jongeren met hulp"} <= reserved_labels()


def test_a_stored_set_with_a_colliding_label_never_overwrites_a_column(store):
    """A set shared before labels were checked: its column gets a suffix, the name column stays."""
    ds = OwnDataset(
        "legacy",
        "verzonnen",
        [OwnIndicator("local:a", "naam", "count", "v"), OwnIndicator("local:b", "Code", "count", "v")],
        pd.DataFrame(
            {"code": [B0, B0], "year": 2024, "indicator": ["local:a", "local:b"], "value": [12.0, 13.0]}
        ).assign(suppressed=False),
        suppressed_with=(5, 10),
    )
    frame = result_frame(ds, store, "nl")
    assert list(frame.columns) == ["code", "naam", "jaar", "naam (2)", "Code (2)"]
    assert frame.loc[0, "code"] == B0 and frame.loc[0, "naam"] != "12" and frame.loc[0, "naam (2)"] == "12"
