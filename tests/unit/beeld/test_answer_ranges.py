"""wijk.beeld.answer_ranges: the answers a question accepts, per kind and unit; every real question
accepts its own true figure (on the embedded CBS data), so the range never refuses the right answer."""

from __future__ import annotations

import pytest

from wijk.beeld import perception
from wijk.beeld.answer_ranges import COMPARE_RANGE, RANGES_BY_UNIT, answer_range


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"kind": "compare", "unit": "pct"}, (-1.0, 1.0)),
        ({"kind": "pct", "unit": "pct"}, (0.0, 100.0)),
        ({"kind": "pct", "unit": "count"}, (0.0, 100.0)),  # a share asked of a count is still a share
        ({"kind": "number", "unit": "per1000"}, (0.0, 1000.0)),
        ({"kind": "number", "unit": "eur1000"}, (0.0, 10_000.0)),
        ({"kind": "number", "unit": "count"}, (0.0, 10_000_000.0)),  # an unknown unit: a sane count
        ({}, (0.0, 10_000_000.0)),
    ],
)
def test_range_by_kind_and_unit(spec, expected):
    assert answer_range(spec) == expected


def test_ranges_are_finite_and_ordered():
    for low, high in [*RANGES_BY_UNIT.values(), COMPARE_RANGE]:
        assert low < high and high < 1e308


@pytest.mark.parametrize(("code", "year"), [("BU00140107", 2024), ("GM0014", 2024), ("GM0363", 2022)])
def test_every_question_accepts_its_true_answer(store, code, year):
    questions = perception.available_questions(store, code, year)
    assert len(questions) >= 5
    for q in questions:
        truth = perception.truth_for(store, q, code, year)
        if truth is None:
            continue
        low, high = answer_range(q.to_spec())
        assert low <= truth.value <= high, (q.id, truth.value, (low, high))
