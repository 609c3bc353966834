"""A table a person reads, drawn as the app's own static HTML (issue 22).

st.dataframe draws with glide-data-grid: its frontend chunks (about 1.3 MB of script) are fetched,
parsed and mounted after the script run has ended, which on a first visit makes a page with a visible
table paint about a second later than one without. A short table of words and numbers the app has
already written out (all text, formatted as the UI writes figures) needs none of that: one st.html
element with a <table>. Every header and cell goes through `html_text` (plain, HTML-escaped), the
app's own words included. Interactive tables (sorting numbers, a long ranking) stay st.dataframe.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wijk.core.text import html_text

DASH = "–"


def _cell(value: object) -> str:
    missing = value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT
    return DASH if missing else html_text(value)


def table_html(frame: pd.DataFrame, *, index: bool = False, label: str = "") -> str:
    """`frame` as <table class="wb-table"> in a sideways-scrolling wrapper: a header row (<th scope=col>),
    with `index` the index as the first column (its cells <th scope=row>); `label` names the table for
    screen readers (aria-label). Missing values show as a dash."""
    heads = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
    head = "".join(f'<th scope="col">{html_text(h)}</th>' for h in heads)
    rows = []
    for key, values in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        first = f'<th scope="row">{_cell(key)}</th>' if index else ""
        rows.append("<tr>" + first + "".join(f"<td>{_cell(v)}</td>" for v in values) + "</tr>")
    name = f' aria-label="{html_text(label)}"' if label else ""
    return (
        f'<div class="wb-table-wrap"><table class="wb-table"{name}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def static_table(frame: pd.DataFrame, *, index: bool = False, label: str = "") -> None:
    """Draw `frame` as one static HTML table (see `table_html`)."""
    st.html(table_html(frame, index=index, label=label))
