"""Own datasets of this browser session (and, when shared, from the database): read access for every page."""

from __future__ import annotations

import streamlit as st

from wijk.core.owndata import OwnDataset

SESSION_KEY = "wb_local_datasets"


def active_datasets() -> list[OwnDataset]:
    """The own datasets in use in this session, in upload order (empty when none)."""
    return list(st.session_state.get(SESSION_KEY, []))


def set_datasets(datasets: list[OwnDataset]) -> None:
    st.session_state[SESSION_KEY] = list(datasets)
