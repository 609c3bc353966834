"""The number locale of Altair charts.

Every builder hands its finished chart to `localise`: Vega's number locale for the UI language, so
axis labels, legends and tooltips print "9,5" and "250.000" in Dutch ("9.5" and "250,000" in
English), as the cards do. It also replaces Vega's English screen-reader texts ("X-axis titled ...
for a linear scale with values from 0 to 28", one per bar) by one description in the UI language
that points to the table beside every chart (`wide_table` and the builders' own table frames).
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

import altair as alt
import pandas as pd

from wijk.core.i18n import t
from wijk.core.numbers import separators

ChartT = TypeVar("ChartT", bound=alt.TopLevelMixin)


def number_locale(lang: str) -> dict:
    """The Vega number locale of a UI language (Dutch for an unknown one, as the UI itself): the
    separators of wijk.core.numbers, so charts and cards write a number alike."""
    thousands, decimal = separators(lang)
    return {
        "number": {
            "decimal": decimal,
            "thousands": thousands,
            "grouping": [3],
            "currency": [t("number_currency", lang), ""],
        }
    }


def localise(chart: ChartT, lang: str) -> ChartT:
    """The chart with the language's number locale in its top-level config and a description in the
    language instead of Vega's English ARIA texts (the last step of a builder: a configured chart can
    still get properties and configure_* calls, but no longer be layered)."""
    title = getattr(chart, "title", None)
    title = title if isinstance(title, str) else ""
    about = t("chart_description", lang)
    # One shallow copy with both set: each .properties()/.configure*() call copies the chart anew, and
    # a layered chart's copy re-runs its (costly) layer checks: four of them were ~30 ms a chart.
    out = cast(Any, chart).copy(deep=False)  # every top-level chart is a schema object (TopLevelMixin declares no copy)
    out.description = f"{title}. {about}" if title else about
    # aria=False alone leaves nameless 'graphics-symbol' mark groups (axe: svg-img-alt); marks hidden too
    out.config = alt.Config(
        locale=number_locale(lang), aria=False, mark=alt.MarkConfig(aria=False), title=alt.TitleConfig(aria=False)
    )
    return cast(ChartT, out)


def wide_table(frame: pd.DataFrame, rows: str, columns: str, values: str, row_title: str) -> pd.DataFrame:
    """A chart's numbers as a plain table, its text alternative: one row per `rows` value and one
    column per `columns` value (both in order of appearance), cells from `values`, '–' where none."""
    row_keys = list(dict.fromkeys(frame[rows]))
    col_keys = list(dict.fromkeys(frame[columns]))
    cells = {(r, c): v for r, c, v in zip(frame[rows], frame[columns], frame[values])}
    body = [[r, *[cells.get((r, c), "–") for c in col_keys]] for r in row_keys]
    return pd.DataFrame(body, columns=[row_title, *[str(c) for c in col_keys]])
