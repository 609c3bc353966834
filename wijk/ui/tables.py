"""A table a person reads, drawn as the app's own static HTML (issue 22).

st.dataframe draws with glide-data-grid: its frontend chunks (about 1.3 MB of script) are fetched,
parsed and mounted after the script run has ended, which on a first visit makes a page with a visible
table paint about a second later than one without. A short table of words and numbers the app has
already written out (all text, formatted as the UI writes figures) needs none of that: one st.html
element with a <table>. Every header and cell goes through `html_text` (plain, HTML-escaped), the
app's own words included. Interactive tables (sorting numbers, a long ranking) stay st.dataframe.
"""

from __future__ import annotations

from copy import copy

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from wijk.core.text import html_text

DASH = "–"


def _cell(value: object) -> str:
    missing = value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT
    return DASH if missing else html_text(value)


def table_html(frame: pd.DataFrame, *, index: bool = False, label: str = "", scroll: bool = False) -> str:
    """`frame` as <table class="wb-table"> in a sideways-scrolling wrapper: a header row (<th scope=col>),
    with `index` the index as the first column (its cells <th scope=row>); `label` names the table for
    screen readers (aria-label). Missing values show as a dash. With `scroll`, a long table scrolls in a
    box of its own (a named region that takes keyboard focus, so it scrolls without a mouse)."""
    heads = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
    head = "".join(f'<th scope="col">{html_text(h)}</th>' for h in heads)
    rows = []
    for key, values in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        first = f'<th scope="row">{_cell(key)}</th>' if index else ""
        rows.append("<tr>" + first + "".join(f"<td>{_cell(v)}</td>" for v in values) + "</tr>")
    name = f' aria-label="{html_text(label)}"' if label else ""
    wrap = (
        f'class="wb-table-wrap wb-table-scroll" role="region" tabindex="0"{name}' if scroll else 'class="wb-table-wrap"'
    )
    return (
        f'<div {wrap}><table class="wb-table"{name}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def static_table(frame: pd.DataFrame, *, index: bool = False, label: str = "", scroll: bool = False) -> None:
    """Draw `frame` as one static HTML table (see `table_html`)."""
    st.html(table_html(frame, index=index, label=label, scroll=scroll))


_SEP = "\x1f"  # a separator no cell of plain text holds


def styled_text(styler: Styler) -> pd.DataFrame | None:
    """The text a pandas Styler shows (its formats and missing-value sign applied, index left out), as a
    frame of strings; None when it cannot be read back cell for cell (a cell holding a line break)."""
    lines = copy(styler).hide(axis="index").to_string(delimiter=_SEP).splitlines()  # the caller's Styler unchanged
    rows = [line.split(_SEP) for line in lines]
    if not rows or any(len(r) != len(rows[0]) for r in rows) or len(rows) != len(styler.index) + 1:
        return None
    return pd.DataFrame(rows[1:], columns=rows[0])


def value_cards_html(pairs: list[tuple[str, str]]) -> str:
    """Cards of a label and an already formatted value each, as one grid in the figure cards' look
    (static/wijkbeeld.css), all text plain ('' for none)."""
    cards = "".join(
        f'<div class="wb-card"><p class="wb-card-label">{html_text(label)}</p>'
        f'<p class="wb-card-value">{html_text(value)}</p></div>'
        for label, value in pairs
    )
    return f'<div class="wb-cards">{cards}</div>' if pairs else ""
