"""The shared sidebar: area picker (gemeente -> wijk -> buurt, plus search), year and language.

Lives in the entry point so its widgets keep their values across page switches.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from wijk.core import codes
from wijk.core.i18n import LANGUAGES, t
from wijk.core.selection import Selection
from wijk.core.store import Store
from wijk.core.text import md
from wijk.ui import state

ALL = ""


def _on_gemeente(store: Store) -> None:
    code = st.session_state["w_gemeente"]
    if code:
        state.set_selection(state.current().with_area(code, store.areas))


def _part_box(store: Store, level: str, parts, current: str | None, on_change, lang: str) -> None:
    """The wijk or buurt choice: "all" plus the parts of this year (and the current one, even if
    it is not among them), named "Name (code)"; disabled when there are none."""
    names = {a.code: a.name for a in parts}
    if current and current not in names:
        names[current] = store.areas.name(current)
    st.selectbox(
        t(f"sidebar_{level}", lang),
        [ALL, *names],
        key=f"w_{level}",
        format_func=lambda c: t(f"sidebar_all_{level}en", lang) if c == ALL else f"{names[c]} ({c})",
        placeholder=t("widget_choose", lang),
        on_change=on_change,
        args=(store,),
        disabled=not names,
    )


def _on_wijk(store: Store) -> None:
    code = st.session_state["w_wijk"] or state.current().gemeente
    state.set_selection(state.current().with_area(code, store.areas))


def _on_buurt(store: Store) -> None:
    sel = state.current()
    code = st.session_state["w_buurt"] or sel.wijk or sel.gemeente
    state.set_selection(sel.with_area(code, store.areas))


def _on_search_pick(store: Store) -> None:
    code = st.session_state.get("w_search_pick")
    if code:
        state.set_selection(state.current().with_area(code, store.areas))
        st.session_state["w_search"] = ""
        st.session_state["w_search_pick"] = None


def _on_year() -> None:
    state.set_selection(replace(state.current(), jaar=int(st.session_state["w_jaar"])))


def _on_lang() -> None:
    state.set_selection(replace(state.current(), lang=st.session_state["w_lang"]))


def _sync_widgets(sel: Selection) -> None:
    """Make the widgets show the selection (it may have come from the URL or a search)."""
    st.session_state["w_gemeente"] = sel.gemeente
    st.session_state["w_wijk"] = sel.wijk or ALL
    st.session_state["w_buurt"] = sel.buurt or ALL
    st.session_state["w_jaar"] = sel.jaar
    st.session_state["w_lang"] = sel.lang


def render_nav(pages: list) -> None:
    """The screens as links at the top of the sidebar (st.navigation itself is hidden)."""
    with st.sidebar:
        for page in pages:
            st.page_link(page)
        st.divider()


def render(store: Store) -> Selection:
    sel = state.current()
    _sync_widgets(sel)
    lang = sel.lang
    areas = store.areas
    with st.sidebar:
        st.subheader(t("sidebar_area", lang))
        query = st.text_input(t("sidebar_search", lang), key="w_search", placeholder=t("sidebar_search_example", lang))
        if query.strip():
            hits = areas.search(query, limit=25, gemeente=sel.gemeente)
            if not hits:
                st.caption(t("sidebar_search_none", lang, query=md(query, 60)))
                hits = areas.suggestions(query, limit=8, gemeente=sel.gemeente)
            if hits:
                labels = {
                    a.code: f"{a.name} · {t('level_' + a.level, lang)} · {areas.name(codes.gemeente_of(a.code) or a.code)} ({a.code})"
                    for a in hits
                }
                st.selectbox(
                    t("sidebar_search_pick", lang),
                    [None, *labels],
                    key="w_search_pick",
                    format_func=lambda c: "…" if c is None else labels[c],
                    placeholder=t("widget_choose", lang),
                    on_change=_on_search_pick,
                    args=(store,),
                )
        gemeenten = {a.code: a.name for a in areas.gemeenten(sel.jaar)} or {sel.gemeente: areas.name(sel.gemeente)}
        if sel.gemeente not in gemeenten:
            gemeenten[sel.gemeente] = areas.name(sel.gemeente)
        st.selectbox(
            t("sidebar_gemeente", lang),
            list(gemeenten),
            key="w_gemeente",
            format_func=lambda c: f"{gemeenten[c]} ({c})",
            placeholder=t("widget_choose", lang),
            on_change=_on_gemeente,
            args=(store,),
        )
        _part_box(store, "wijk", areas.wijken(sel.gemeente, sel.jaar), sel.wijk, _on_wijk, lang)
        _part_box(store, "buurt", areas.buurten(sel.wijk, sel.jaar) if sel.wijk else [], sel.buurt, _on_buurt, lang)
        years = areas.years_for(sel.code) or [sel.jaar]
        st.selectbox(
            t("sidebar_year", lang),
            sorted(years, reverse=True),
            key="w_jaar",
            on_change=_on_year,
            placeholder=t("widget_choose", lang),
        )
        st.radio(
            t("sidebar_lang", lang),
            list(LANGUAGES),
            key="w_lang",
            horizontal=True,
            format_func=lambda x: t("lang_name", x),  # each language in its own words
            on_change=_on_lang,
        )
        st.caption(t("source_cbs", lang))
    return state.current()
