"""Streamlit pieces of the workshop for a participant: join with a code, answer, see one's own gap.

No account: a private token per workshop in this browser session. Before a reveal nothing shows
a figure or anyone else's answer; after it, only this participant's own guess and gap.
"""
from __future__ import annotations

import streamlit as st

from wijk import perception as P
from wijk.i18n import t
from wijk.localdata import escape_md
from wijk.ui.figures import md_escape
from wijk.selection import Selection
from wijk.store import Store
from wijk.ui.perception import guess_input
from wijk.ui.workshop import code_from_url, workshop_store
from wijk.workshop import NotAllowed, UnknownWorkshop, normalise_code
from wijk.workshop_report import workshop_questions

TOKENS_KEY = "beeld_part_tokens"  # {join code: private token}
ACTIVE_KEY = "beeld_part_code"
FLASH_KEY = "beeld_part_flash"


def participant(store: Store, sel: Selection) -> None:
    """Join (code from the link or typed), then answer and, after each reveal, see one's own gap."""
    lang, ws = sel.lang, workshop_store()
    tokens = st.session_state.setdefault(TOKENS_KEY, {})
    code = st.session_state.get(ACTIVE_KEY)
    if code and code in tokens and ws.verify_participant(code, tokens[code]):
        _answer(store, ws, code, tokens[code], lang)
        return
    st.write(t("beeld_join_intro", lang))
    st.session_state.setdefault("beeld_join_code", code_from_url())
    with st.form("beeld_join_form"):
        typed = st.text_input(t("beeld_join_code", lang), key="beeld_join_code", max_chars=12)
        nick = st.text_input(t("beeld_join_nick", lang), key="beeld_join_nick", max_chars=40)
        go = st.form_submit_button(t("beeld_join_button", lang), type="primary")
    if go:
        code = normalise_code(typed)
        try:
            tokens[code] = ws.join(code, nick or None)
        except UnknownWorkshop:
            st.error(t("beeld_join_unknown", lang, code=code[:12]))
            return
        st.session_state[ACTIVE_KEY] = code
        st.rerun()


def _answer(store: Store, ws, code: str, token: str, lang: str) -> None:
    info = ws.workshop_info(code)
    questions = workshop_questions(store, ws, info)
    rnd = info.current_round
    st.subheader(md_escape(info.title or code))  # the title is user text: plain, never Markdown
    st.caption(t("beeld_part_caption", lang, code=code, round=rnd))
    if msg := st.session_state.pop(FLASH_KEY, None):
        st.success(msg)
    mine = ws.my_answers(code, token)
    open_qs = [q for q in questions if q.id not in info.revealed.get(rnd, ())]
    if info.status != "open":
        st.info(t("beeld_part_closed", lang))
    elif open_qs:
        st.write(t("beeld_part_intro", lang))
        with st.form(f"beeld_part_form_r{rnd}"):
            values = {}
            for q in open_qs:
                values[q.id] = guess_input(q, f"beeld_p_{q.id}_r{rnd}", lang)
                if (q.id, rnd) in mine:
                    st.caption(t("beeld_part_saved", lang, value=P.format_answer(q, mine[(q.id, rnd)], lang)))
            sent = st.form_submit_button(t("beeld_part_send", lang), type="primary")
        if sent:
            _send(ws, code, token, values, rnd, lang)
    else:
        st.info(t("beeld_part_wait", lang))
    st.button(t("beeld_refresh", lang), key="beeld_part_refresh")
    _own_results(store, info, questions, mine, lang)
    if st.button(t("beeld_part_leave", lang), key="beeld_part_leave"):
        st.session_state.pop(ACTIVE_KEY, None)
        st.rerun()


def _send(ws, code: str, token: str, values: dict, rnd: int, lang: str) -> None:
    answered = {qid: v for qid, v in values.items() if v is not None}
    try:  # one transaction for the whole form
        refused = ws.submit_all(code, token, answered, round=rnd)
    except NotAllowed:
        refused = dict.fromkeys(answered, "closed")
    saved, locked = len(answered) - len(refused), len(refused)
    st.session_state[FLASH_KEY] = t("beeld_part_sent", lang, n=saved) + (
        " " + t("beeld_part_locked", lang, n=locked) if locked else "")
    st.rerun()


def _own_results(store: Store, info, questions: list[P.Question], mine: dict, lang: str) -> None:
    """Only after a reveal, and only for this participant: own guess, the real value, the gap."""
    shown = [(rnd, q) for rnd in sorted(info.revealed) for q in questions
             if q.id in info.revealed[rnd]]
    if not shown:
        return
    st.subheader(t("beeld_part_own", lang))
    st.caption(t("beeld_part_private", lang))
    for rnd, q in shown:
        guess = mine.get((q.id, rnd))
        truth = P.truth_for(store, q, info.area_code, info.year)
        line = f"**{escape_md(q.label(lang))}** ({t('beeld_round', lang, n=rnd)}): "
        if truth is None:
            st.markdown(line + t("beeld_part_on_screen", lang))
        elif guess is None:
            st.markdown(line + t("beeld_part_no_guess", lang, real=P.format_answer(q, truth.value, lang)))
        else:
            sc = P.score(q, guess, truth)
            st.markdown(line + t("beeld_part_result", lang, guess=P.format_answer(q, guess, lang),
                                 real=P.format_answer(q, truth.value, lang),
                                 gap=P.format_gap(q, sc.gap, lang),
                                 dir=t(f"beeld_dir_{sc.direction}", lang)))
