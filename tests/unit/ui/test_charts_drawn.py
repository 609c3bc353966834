"""wijk.ui.charts.drawn: Streamlit gets the same Vega-Lite spec, made without a second validation."""

from __future__ import annotations

from unittest import mock

import altair as alt
import pandas as pd
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from wijk.ui.charts import drawn

# a made-up frame (fixture, not CBS data)
FRAME = pd.DataFrame({"jaar": [2020, 2021, 2022], "waarde": [1.5, 2.0, 2.5]})


def _layered() -> alt.LayerChart:
    base = alt.Chart(FRAME).encode(x="jaar:O", y="waarde:Q")
    return (base.mark_line() + base.mark_point()).properties(title="Proef")


def test_streamlit_gets_the_same_spec_and_data():
    chart = _layered()
    assert _convert_altair_to_vega_lite_spec(drawn(chart)) == _convert_altair_to_vega_lite_spec(chart)


def test_the_schema_is_not_walked_again_when_drawn():
    chart = _layered()
    with mock.patch("altair.utils.schemapi.validate_jsonschema") as validate:
        _convert_altair_to_vega_lite_spec(drawn(chart))
        assert validate.call_count == 0
        _convert_altair_to_vega_lite_spec(chart)  # what st.altair_chart does with a bare chart
        assert validate.call_count > 0


def test_a_chart_is_built_once_for_the_same_numbers_and_anew_for_other_numbers():
    from wijk.ui.charts import built

    calls: list[int] = []

    def line(frame: pd.DataFrame, *, title: str) -> alt.Chart:
        calls.append(len(frame))
        return alt.Chart(frame).mark_line().encode(x="jaar:O", y="waarde:Q").properties(title=title)

    first = built(line, FRAME, title="Proef")
    assert built(line, FRAME.copy(), title="Proef") is first and calls == [3]  # same content: shared
    changed = FRAME.assign(waarde=[1.5, 2.0, 2.6])  # one figure differs (e.g. after a data refresh)
    assert built(line, changed, title="Proef") is not first
    assert built(line, FRAME, title="Other") is not first  # other options: another chart
    assert calls == [3, 3, 3]
    assert built(line, changed, title="Proef").to_dict()["datasets"] != first.to_dict()["datasets"]
