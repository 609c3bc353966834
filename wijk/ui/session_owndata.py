"""Own datasets of this browser session: read access for every page, and the key of the link that keeps them.

The datasets live in session state. So that a reload finds them again, the 'Eigen data' feature
keeps them in the database under a random token (`wijk.owndata.ui_link`); the frame only carries
that token in the URL as `eigen=` (`wijk.ui.state.write_url`) and never looks inside it.
"""

from __future__ import annotations

import streamlit as st

from wijk.core.owndata import OwnDataset

SESSION_KEY = "wb_local_datasets"
TOKEN_KEY = "wb_own_token"
URL_PARAM = "eigen"


def active_datasets() -> list[OwnDataset]:
    """The own datasets in use in this session, in upload order (empty when none)."""
    return list(st.session_state.get(SESSION_KEY, []))


def set_datasets(datasets: list[OwnDataset]) -> None:
    st.session_state[SESSION_KEY] = list(datasets)


def token() -> str | None:
    """The key under which this session's own data are kept for its link (None: not kept)."""
    return st.session_state.get(TOKEN_KEY)


def set_token(value: str | None) -> None:
    """Remember (or drop) the link's key, and put it in (or take it out of) the URL at once."""
    if value:
        st.session_state[TOKEN_KEY] = value
        if st.query_params.get(URL_PARAM) != value:
            st.query_params[URL_PARAM] = value
    else:
        st.session_state.pop(TOKEN_KEY, None)
        st.query_params.pop(URL_PARAM, None)
