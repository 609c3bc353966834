"""Cached access to the store and catalogue (cache at the boundary; treat values as read-only)."""

from __future__ import annotations

import streamlit as st

from wijk.core.store import Store


@st.cache_resource(show_spinner=False)
def get_store() -> Store:
    return Store.load()


def clear_caches() -> None:
    """After a refresh: every cached store, per-year basis and chart input is rebuilt from the new data."""
    st.cache_resource.clear()
    st.cache_data.clear()
