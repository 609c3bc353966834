"""The youth lens switch and panel, shared by the profile and factor screens (one call each)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from wijk.core import provenance
from wijk.core.i18n import t, with_level
from wijk.core.selection import Selection
from wijk.core.store import Store
from wijk.core.text import md
from wijk.ui.loaders import data_cache, get_store
from wijk.youth import model as youth

ON_KEY = "jeugd_lens_on"  # survives page switches (a widget's own state is dropped when it is not drawn)
_PAGES = Path(__file__).resolve().parents[2] / "pages"


@data_cache
def _lens(code: str, year: int) -> youth.YouthLens | None:
    return youth.youth_lens(get_store(), code, year)


def _remember(widget_key: str) -> None:
    st.session_state[ON_KEY] = bool(st.session_state.get(widget_key))


def lens_switch(store: Store, sel: Selection, page: str) -> bool:
    """The 'Jeugd' switch; when on, the lens panel is drawn right below it. Returns whether it is on."""
    key = f"{page}_jeugd_lens"
    on = st.toggle(
        t("jeugd_switch", sel.lang),
        value=bool(st.session_state.get(ON_KEY, False)),
        key=key,
        help=t("jeugd_switch_help", sel.lang),
        on_change=_remember,
        args=(key,),
    )
    if on:
        panel(store, sel, page)
    return on


def _show(frame) -> None:
    """A static table (visible text, printable); cells are data, so Markdown in them is made inert."""
    st.table(frame.astype(object).where(frame.notna(), "–").map(md), hide_index=True)


def _table(rows: list[youth.Row], lang: str) -> None:
    rows = [r for r in rows if r.has_data]
    if not rows:
        st.caption(t("jeugd_none", lang))
        return
    _show(youth.rows_frame(rows, lang))


def panel(store: Store, sel: Selection, page: str) -> None:
    """The lens: guard, target group, youth care, child protection (gemeente), schools, factors."""
    lang = sel.lang
    lens = _lens(sel.code, sel.jaar)
    with st.container(border=True, key=f"{page}_jeugd_panel"):
        if lens is None:
            st.warning(t("jeugd_unknown_area", lang, code=sel.code, year=sel.jaar))
            return
        st.subheader(t("jeugd_title", lang, name=md(lens.name)))
        st.info(t("jeugd_guard", lang), icon="👪")
        st.caption(t("jeugd_years_note", lang, year=sel.jaar))

        st.markdown(f"**{t('jeugd_target', lang)}**")
        _table(lens.target, lang)

        years = ", ".join(str(y) for y in lens.care_years) or "2021, 2022"
        st.markdown(f"**{t('jeugd_care', lang, years=years)}**")
        if lens.level == "buurt" and lens.care_years:
            wijk = with_level("wijk", store.areas.name(sel.wijk or "", lens.care_years[0]), lang)
            st.caption(md(t("jeugd_care_buurt", lang, wijk=wijk)))
        if lens.care_years:
            _show(youth.care_frame(lens, lang))
        else:
            st.caption(t("jeugd_care_none", lang))
        st.caption(t("jeugd_care_help", lang))
        st.caption(t("jeugd_care_proxy", lang))

        gm_name = store.areas.name(sel.gemeente, sel.jaar)
        st.markdown(f"**{t('jeugd_protection', lang)}**")
        st.caption(md(t("jeugd_protection_help", lang, gemeente=gm_name)))
        _table(lens.protection, lang)

        st.markdown(f"**{t('jeugd_schools', lang)}**")
        _table(lens.schools, lang)
        st.caption(t("jeugd_schools_help", lang))
        if (_PAGES / "kaart.py").exists():
            st.page_link("pages/kaart.py", label=t("jeugd_schools_map", lang), icon="🏫")

        st.markdown(f"**{t('jeugd_protective', lang)}**")
        _table(lens.protective, lang)
        st.markdown(f"**{t('jeugd_risk', lang)}**")
        _table(lens.risk, lang)

        with st.expander(t("provenance_title", lang)):
            st.dataframe(
                provenance.summarise(youth.provenance_figures(lens), lang),
                hide_index=True,
                key=f"{page}_jeugd_provenance",
            )
