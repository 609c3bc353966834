"""Figure cards on the page: each grid of cards is one st.html element built by wijk.profile.cards
(a bordered container, metric, captions and expander per card cost ten elements each; issue 22).

Reusable by every page: pass `wijk.profile.references.Comparison`s (from `compare` / `compare_many`).
A missing figure shows "–" and "niet beschikbaar voor {year} in de ingebouwde data", never 0.
"""

from __future__ import annotations

import streamlit as st

from wijk.profile.cards import grid_html, local_grid_html, missing_html
from wijk.profile.model import LocalRow
from wijk.profile.references import Comparison


def card_grid(
    comps: list[Comparison],
    lang: str = "nl",
    notes: dict | None = None,
    year: int | None = None,
    missing: list[Comparison] | None = None,
) -> None:
    """The cards in a CSS grid (three across on a wide screen, one on a phone), with the line that lists
    the `missing` figures below them: one element (a caption of its own cost another, issue 22); with
    `year` (the selected year) each card says when its figure is of another year."""
    body = grid_html(comps, lang, notes, year) + (missing_html(missing, year, lang) if missing and year else "")
    if body:
        st.html(body)


def local_cards(rows: list[LocalRow], lang: str = "nl") -> None:
    """The own-data cards, one element (see wijk.profile.cards.local_card_html)."""
    body = local_grid_html(rows, lang)
    if body:
        st.html(body)
