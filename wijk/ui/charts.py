"""Altair charts handed to Streamlit without a second schema validation on every run.

`st.altair_chart` turns a chart into its Vega-Lite spec with `chart.to_dict()`, which validates the
whole spec against the Vega-Lite JSON schema each time: about a third of a trends rerun's CPU (three
charts, ~25 schema walks each). The builders' unit tests validate every chart they make
(`chart.to_dict()` in tests/unit/*/test_charts.py), so drawing skips it; the spec is the same.
"""

from __future__ import annotations

from typing import Any, cast


class _Validated:
    """A chart whose spec is made without validating it again (Streamlit only calls `to_dict`)."""

    def __init__(self, chart: Any) -> None:
        self._chart = chart

    def to_dict(self, *args: Any, **kwargs: Any) -> dict:
        kwargs.setdefault("validate", False)
        return cast(dict, self._chart.to_dict(*args, **kwargs))


def drawn(chart: Any) -> Any:
    """The chart as `st.altair_chart` takes it, without the second validation."""
    return _Validated(chart)
