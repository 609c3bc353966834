"""The number locale of Altair charts.

Every builder hands its finished chart to `localise`: Vega's number locale for the UI language, so
axis labels, legends and tooltips print "9,5" and "250.000" in Dutch ("9.5" and "250,000" in
English), as the cards do.
"""

from __future__ import annotations

from typing import TypeVar

import altair as alt

ChartT = TypeVar("ChartT", bound=alt.TopLevelMixin)

LOCALES = {
    "nl": {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]}},
    "en": {"number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]}},
}


def number_locale(lang: str) -> dict:
    """The Vega number locale of a UI language (Dutch for an unknown one, as the UI itself)."""
    return LOCALES.get(lang, LOCALES["nl"])


def localise(chart: ChartT, lang: str) -> ChartT:
    """The chart with the language's number locale in its top-level config (the last step of a builder:
    a configured chart can still get properties and configure_* calls, but no longer be layered)."""
    return chart.configure(locale=number_locale(lang))
