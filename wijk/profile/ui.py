"""Figure cards on the page: each grid of cards is one st.html element built by wijk.profile.cards
(a bordered container, metric, captions and expander per card cost ten elements each; issue 22).

Reusable by every page: pass `wijk.profile.references.Comparison`s (from `compare` / `compare_many`).
A missing figure shows "–" and "niet beschikbaar voor {year} in de ingebouwde data", never 0.
"""

from __future__ import annotations

import streamlit as st

from wijk.core.i18n import t
from wijk.core.text import md
from wijk.profile.cards import grid_html, local_grid_html
from wijk.profile.model import LocalRow
from wijk.profile.references import Comparison, nearest_available


def card_grid(
    comps: list[Comparison],
    lang: str = "nl",
    notes: dict | None = None,
    year: int | None = None,
) -> None:
    """The cards in a CSS grid (three across on a wide screen, one on a phone), one element; with
    `year` (the selected year) each card says when its figure is of another year."""
    body = grid_html(comps, lang, notes, year)
    if body:
        st.html(body)


def missing_note(comps: list[Comparison], year: int, lang: str = "nl") -> None:
    """One caption listing the figures this area has no value for in this year."""
    if comps:
        labels = ", ".join(
            c.indicator.label(lang) + (f" ({near})" if (near := nearest_available(c, lang)) else "") for c in comps
        )
        st.caption(md(t("profiel_missing_list", lang, year=year, labels=labels)))


def local_cards(rows: list[LocalRow], lang: str = "nl") -> None:
    """The own-data cards, one element (see wijk.profile.cards.local_card_html)."""
    body = local_grid_html(rows, lang)
    if body:
        st.html(body)
