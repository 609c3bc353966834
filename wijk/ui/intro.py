"""First use: a short, dismissible 'Zo werkt het' path (pick an area, read the profile, guess then look).

Shown to a session that arrived without an area in its link (the front door), until dismissed;
never to a shared deep link, a workshop phone or the projector, who came for something specific.
"""

from __future__ import annotations

import streamlit as st

from wijk.core import codes
from wijk.core.i18n import t

SHOW = "wb_intro_show"
ENTRY_PARAMS = (*codes.AREA_LEVELS, "workshop", "view")


def remember_entry() -> None:
    """Call before the URL is written: did this session come in through the front door?"""
    if SHOW not in st.session_state:
        st.session_state[SHOW] = not any(k in st.query_params for k in ENTRY_PARAMS)


def _dismiss() -> None:
    st.session_state[SHOW] = False


def render(pages: dict[str, st.Page], lang: str) -> None:
    """pages: url path -> st.Page, for the links of the path."""
    if not st.session_state.get(SHOW):
        return
    with st.container(border=True, key="wb_intro"):
        st.markdown(f"#### {t('intro_title', lang)}")
        st.markdown(t("intro_steps", lang))
        cols = st.columns([1, 1, 1])
        if "profiel" in pages:
            cols[0].page_link(pages["profiel"], label=t("intro_to_profile", lang), icon=":material/home:")
        if "beeld" in pages:
            cols[1].page_link(pages["beeld"], label=t("intro_to_beeld", lang), icon=":material/psychology:")
        cols[2].button(t("intro_dismiss", lang), key="wb_intro_dismiss", on_click=_dismiss)
