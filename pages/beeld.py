"""Beeld en werkelijkheid: guess first, then see the figures; alone or as a workshop.

Solo: pick 5-8 questions, commit, then compare each guess with the real, gemeente and NL figure.
Workshop leiden: create a workshop (join code, link, QR), watch answers arrive, reveal per question.
Meedoen: join with a code (or a link with ?workshop=CODE) and answer silently.
"""
import streamlit as st

from wijk import perception
from wijk.i18n import t
from wijk.ui import loaders, state
from wijk.ui.localdata import active_datasets
from wijk.ui.perception import solo
from wijk.ui.workshop import code_from_url, facilitator
from wijk.ui.workshop_join import participant

store = loaders.get_store()
sel = state.current()
lang = sel.lang
area = store.areas.name(sel.code, sel.jaar)

st.title(t("beeld_title", lang))
st.caption(t("beeld_intro", lang))

MODES = ("solo", "leiden", "meedoen")
if "beeld_mode" not in st.session_state:
    st.session_state["beeld_mode"] = "meedoen" if code_from_url() else "solo"
mode = st.radio(t("beeld_mode", lang), MODES, key="beeld_mode", horizontal=True,
                format_func=lambda m: t(f"beeld_mode_{m}", lang))

if mode == "meedoen":
    participant(store, sel)
    st.stop()

questions = perception.available_questions(store, sel.code, sel.jaar, active_datasets())
st.markdown(t("beeld_area_line", lang, area=area, code=sel.code, year=sel.jaar, n=len(questions)))
if not questions:
    st.warning(t("beeld_no_questions", lang, area=area, year=sel.jaar))
    st.stop()
if len(questions) < perception.MIN_QUESTIONS:
    st.info(t("beeld_few_questions", lang, n=len(questions)))

if mode == "solo":
    solo(store, sel, questions)
else:
    with st.expander(t("beeld_script_title", lang)):
        st.markdown(t("beeld_script", lang))
    facilitator(store, sel, questions)

st.caption(t("beeld_footer", lang))
