"""Whether the PDOK basemap can be offered: one probe per 10 minutes, cached at the UI boundary."""

from __future__ import annotations

import streamlit as st

from wijk.kaart import maps


@st.cache_data(ttl=600, show_spinner=False)
def _probe() -> bool:
    return maps.pdok_reachable(timeout=2.0)


def reachable() -> bool:
    """False without asking when the environment forces a style (WIJK_BASEMAP=blank, WIJK_BASEMAP_STYLE)."""
    return maps.basemap_wanted() and _probe()
