"""Beeld en werkelijkheid: guess first, then see the figures; alone or as a workshop.

Solo: pick 5-8 questions, commit, then compare each guess with the real, gemeente and NL figure.
Workshop leiden (?weergave=leiden): create a workshop (code, link, QR), watch answers arrive,
reveal per question; resume after a reload by entering the secret again.
Projector (?weergave=scherm&sleutel=...): full screen, what the room may see.
Meedoen: join with a code (or a link with ?workshop=CODE); a joined phone keeps its place in the
address (&deelnemer=...) and sees only its own view.
"""

import streamlit as st

from wijk.beeld import perception
from wijk.beeld.ui_solo import solo
from wijk.beeld.ui_workshop import CONTROL, PRESENTER, VIEW_PARAM, code_from_url, db_guard, joined_in_url
from wijk.core.i18n import t
from wijk.ui import loaders, state
from wijk.ui.session_owndata import active_datasets

# The workshop screens (and with them the workshop store and SQLAlchemy) are imported where they are
# drawn: the page alone (solo, the default) never needs them.

store = loaders.get_store()
sel = state.current()
lang = sel.lang
area = store.areas.name(sel.code, sel.jaar)
view = st.query_params.get(VIEW_PARAM)

if view == PRESENTER:
    from wijk.beeld.ui_present import presenter

    with db_guard(lang):
        presenter(store, lang)
    st.stop()

st.title(t("beeld_title", lang))
if joined_in_url():  # a participant's phone: their own view only
    from wijk.beeld.ui_join import participant

    with db_guard(lang):
        participant(store, sel)
    st.stop()
st.caption(t("beeld_intro", lang))

MODES = ("solo", "leiden", "meedoen")
if "beeld_mode" not in st.session_state:
    st.session_state["beeld_mode"] = "leiden" if view == CONTROL else "meedoen" if code_from_url() else "solo"
mode = st.radio(
    t("beeld_mode", lang), MODES, key="beeld_mode", horizontal=True, format_func=lambda m: t(f"beeld_mode_{m}", lang)
)

if mode == "meedoen":
    from wijk.beeld.ui_join import participant

    with db_guard(lang):
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
    from wijk.beeld.ui_facilitator import facilitator

    with db_guard(lang):
        facilitator(store, sel, questions)

st.caption(t("beeld_footer", lang))
