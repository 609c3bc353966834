"""A section whose content is made only when it is open (issue 22).

Streamlit builds, sends and mounts an expander's content even while it is collapsed: a dataframe
(glide-data-grid) or a chart in a closed expander costs the server and the browser time on every
load, whether or not anyone opens it. A lazy section is a stateful expander (`key`, on_change="rerun"):
opening it reruns the script, which then draws the content. Its open state is
`st.session_state[key]` (set it to True to open it from code or an AppTest).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def lazy_section(
    title: str,
    key: str,
    draw: Callable[[], object],
    *,
    expanded: bool = False,
    parent: DeltaGenerator | None = None,
) -> bool:
    """An expander titled `title` in `parent` (default: the current container) whose content is what
    `draw()` writes with `st.*`, called only while the expander is open. One that is open by default
    (`expanded=True`) is an ordinary expander drawn at once: it is seen without a click, and closing it
    costs no rerun. Returns whether the content was drawn."""
    expander = st.expander if parent is None else parent.expander
    if expanded:
        with expander(title, expanded=True):
            draw()
        return True
    with expander(title, key=key, on_change="rerun") as box:
        if box.open:
            draw()
            return True
    return False


def lazy_table(
    title: str,
    key: str,
    make: Callable[[], object],
    table_key: str,
    *,
    expanded: bool = False,
    parent: DeltaGenerator | None = None,
) -> bool:
    """A lazy section holding one data grid (without its index): `make()` gives the table, made only
    while the section is open (`key`); `table_key` is the grid's own key."""
    return lazy_section(
        title,
        key,
        lambda: st.dataframe(make(), hide_index=True, key=table_key),
        expanded=expanded,
        parent=parent,
    )
