"""The number locale of Altair charts.

Every builder hands its finished chart to `localise`: Vega's number locale for the UI language, so
axis labels, legends and tooltips print "9,5" and "250.000" in Dutch ("9.5" and "250,000" in
English), as the cards do.
"""

from __future__ import annotations

from typing import TypeVar

import altair as alt

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
    """The chart with the language's number locale in its top-level config (the last step of a builder:
    a configured chart can still get properties and configure_* calls, but no longer be layered)."""
    return chart.configure(locale=number_locale(lang))
