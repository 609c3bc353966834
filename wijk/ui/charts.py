"""Altair charts handed to Streamlit without a second schema validation on every run.

`st.altair_chart` turns a chart into its Vega-Lite spec with `chart.to_dict()`, which validates the
whole spec against the Vega-Lite JSON schema each time: about a third of a trends rerun's CPU (three
charts, ~25 schema walks each). The builders' unit tests validate every chart they make
(`chart.to_dict()` in tests/unit/*/test_charts.py), so drawing skips it; the spec is the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pandas as pd

from wijk.core.small_cache import SmallCache


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


# Charts made from the same numbers with the same options, shared by every session of the server:
# the trends screen's comparison and heat table stay the same when another buurt is picked (their
# areas are the user's own choice), yet building a layered Altair chart costs tens of ms a run.
# Keyed by the frames' content (not by a store), so a data refresh can never serve an old chart
# for new figures; bounded, owned by this module, alive as long as the server process.
_BUILT: SmallCache[tuple, Any] = SmallCache(48)


def frame_key(frame: pd.DataFrame) -> tuple:
    """A frame's content as a key: its columns, its length and a hash of every value and label."""
    return (tuple(map(str, frame.columns)), len(frame), int(pd.util.hash_pandas_object(frame, index=True).sum()))


def built(builder: Callable[..., Any], *frames: pd.DataFrame, **options: Any) -> Any:
    """`builder(*frames, **options)`, made once for the same content and options (read-only: an
    Altair chart is copied, never changed, when it is drawn)."""
    key = (builder.__module__, builder.__qualname__, *map(frame_key, frames), repr(sorted(options.items())))
    return _BUILT.get(key, lambda: builder(*frames, **options))
