"""Streamlit pieces of the workshop for a participant: join with a code, answer, see one's own gap.

No account: a random private token per participant, kept in this page's address
(?workshop=CODE&deelnemer=TOKEN) and in a cookie of this browser for that workshop, so a reload,
a new tab with that address, the join link opened again or the QR code scanned again is the same
participant with the same answers (another browser is another participant); 'Workshop verlaten'
ends it deliberately. Before a reveal
nothing shows a figure or anyone else's answer; after it, only this participant's own guess and gap.
The page follows the workshop live (a reveal, a new round, the close) without a tap.
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from wijk.beeld import perception as P
from wijk.beeld.answer_ranges import answer_range
from wijk.beeld.group import verdict_sentence
from wijk.beeld.report import workshop_questions
from wijk.beeld.ui_resources import attempt_guard, live_hub, workshop_store
from wijk.beeld.ui_solo import guess_input
from wijk.beeld.ui_workshop import (
    PARTICIPANT_PARAM,
    code_from_url,
    confirm_drawn,
    db_guard,
    live_part_run,
    poll,
    remember_version,
    this_client,
    token_from_url,
    unfollow,
    watch_live,
)
from wijk.beeld.workshop import (
    JoiningClosed,
    NotAllowed,
    ParticipantView,
    Refusal,
    UnknownWorkshop,
    WorkshopFull,
    WorkshopStore,
    normalise_code,
)
from wijk.core.i18n import t
from wijk.core.selection import Selection
from wijk.core.store import Store
from wijk.core.text import md

COOKIE_PREFIX = "wijk_deelnemer_"
COOKIE_SECONDS = 24 * 3600  # a workshop is one day
SEND_KEY = "beeld_part_send"  # the form's send button (what was typed is stored before the page is drawn)
FLASH_KEY = "beeld_part_flash"  # (text, warn, round) of the last send: drawn by every run of its round
DRAWN_KEY = "beeld_part_drawn_round"
VIEW_KEY = "beeld_part_view"  # the participant view the whole page has just read


def participant(store: Store, sel: Selection) -> None:
    """Join (code from the link or typed), then answer and, after each reveal, see one's own gap."""
    lang, ws = sel.lang, workshop_store()
    code, token = code_from_url(), token_from_url(PARTICIPANT_PARAM)
    if code and not token:
        kept = kept_token(code)
        if kept and ws.verify_participant(code, kept):  # this browser joined before: the same participant
            st.query_params[PARTICIPANT_PARAM] = kept
            st.rerun()
    if code and token:
        view = ws.participant_view(code, token)
        if view is not None:
            keep_token(code, token)
            st.session_state[VIEW_KEY] = view  # read once: the live part below draws it
            _live_part(store, code, token, lang)
            poll(code, watched=live_hub() is not None)
            return
        st.query_params.pop(PARTICIPANT_PARAM, None)
        st.warning(t("beeld_part_gone", lang))
    st.write(t("beeld_join_intro", lang))
    if code and not st.session_state.get("beeld_join_code"):  # the code from the link, also when
        st.session_state["beeld_join_code"] = code  # an earlier run drew the box empty
    with st.form("beeld_join_form"):
        typed = st.text_input(t("beeld_join_code", lang), key="beeld_join_code", max_chars=12)
        nick = st.text_input(t("beeld_join_nick", lang), key="beeld_join_nick", max_chars=40)
        go = st.form_submit_button(t("beeld_join_button", lang), type="primary")
    if go:
        _join(ws, normalise_code(typed), nick, lang)


def _join(ws: WorkshopStore, code: str, nick: str, lang: str) -> None:
    """Join with the typed code, within this session's and this client's limits and the
    workshop's cap; each refusal is one sentence."""
    guard, client = attempt_guard(), this_client()
    refusal = guard.join_refusal(client, code)
    if refusal is not None:
        st.error(t(f"beeld_join_{refusal.value}", lang))
        return
    try:
        token = ws.join(code, nick or None)
    except UnknownWorkshop:
        guard.wrong_code(client)
        st.error(t("beeld_join_unknown", lang, code=md(code[:12])))
        return
    except WorkshopFull:
        st.error(t("beeld_join_full", lang))
        return
    except JoiningClosed:
        st.error(t("beeld_join_closed", lang))
        return
    guard.joined(client)
    st.query_params.update({"workshop": code, PARTICIPANT_PARAM: token})
    st.rerun()


def _cookie_name(code: str) -> str:
    return COOKIE_PREFIX + normalise_code(code)


def kept_token(code: str) -> str:
    """The participant token this browser keeps for the workshop (a cookie), if it looks like one."""
    value = str(st.context.cookies.get(_cookie_name(code), "") or "")
    ok = 16 <= len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value)
    return value if ok else ""


def keep_token(code: str, token: str) -> None:
    """Let the browser keep the participant's own token (never the facilitator's secret) in a
    cookie for this workshop, so reopening the join link or re-scanning the QR code resumes the
    same participant. Streamlit reads cookies but cannot set them: a tiny script of ours does."""
    if kept_token(code) == token:
        return
    components.html(cookie_script(code, token), height=0)


def cookie_script(code: str, token: str) -> str:
    """The script that sets the participant cookie, as strict as a cookie set from script can be
    (a script cannot make it httpOnly): SameSite=Strict (Streamlit reads it from the page's own
    websocket, a same-site request, so a link opened from another site or app still resumes),
    path=/ (the websocket is /_stcore/stream, beside the page, not under it), 24 h, and Secure
    when the page is https. The component runs in a same-origin frame: the page is its parent."""
    name = _cookie_name(code)  # COOKIE_PREFIX + A-Z2-9 only
    if not name[len(COOKIE_PREFIX) :].isalnum() or not (
        16 <= len(token) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in token)
    ):
        raise ValueError("not a participant token")  # nothing else is ever written into the script
    cookie = f"{name}={token}; path=/; max-age={COOKIE_SECONDS}; SameSite=Strict"
    return (
        "<script>(function () { var page = window.location;"
        " try { page = window.parent.location; } catch (e) {}"
        f' document.cookie = "{cookie}" + (page.protocol === "https:" ? "; Secure" : ""); }})();</script>'
    )


@st.fragment
def _live_part(store: Store, code: str, token: str, lang: str) -> None:
    """Everything of the participant's view that changes with the workshop. When the workshop
    moves (a reveal, round 2, the close), the server's live hub reruns only this part: a room of
    phones redrawn at once costs the server a fraction of whole pages, and nothing flickers."""
    ws = workshop_store()
    with live_part_run():  # a run cut short is drawn again by the run that cut it (ui_workshop.cut_short)
        with db_guard(lang):
            view = st.session_state.pop(VIEW_KEY, None)
            if st.session_state.get(SEND_KEY):  # the send was pressed: store first, then read and draw once
                sent = _send(ws, code, token)
                view = ws.participant_view(code, token)  # what the page read before the send is stale
                if view is not None:
                    _confirm(store, ws, view, sent, lang)
            else:
                view = view or ws.participant_view(code, token)
        if view is None:  # left (another tab) or gone meanwhile: the whole page offers to join again
            st.rerun(scope="app")
        _answer(store, ws, view, code, token, lang)


def _answer(store: Store, ws, view: ParticipantView, code: str, token: str, lang: str) -> None:
    questions = workshop_questions(store, ws, view.info, view.specs)
    info, mine = view.info, view.mine
    remember_version(code, info.version)
    watch_live(code)
    rnd = info.current_round
    st.subheader(md(info.title or code))
    st.caption(t("beeld_part_caption", lang, code=code, round=rnd))
    # Not popped: any rerun in between (the live hub, the backup check, a rerun that interrupted the
    # one after the send) draws the confirmation again; the next send or a new round replaces it.
    msg = st.session_state.get(FLASH_KEY)
    if msg and msg[2] == rnd:
        (st.warning if msg[1] else st.success)(msg[0])
    open_qs = [q for q in questions if q.id not in info.revealed.get(rnd, ())]
    if info.status != "open":
        st.info(t("beeld_part_closed", lang))
    if info.status == "open" and open_qs or st.session_state.get(DRAWN_KEY) is not None:
        # One form for every round (a stable key): a send pressed just as the facilitator
        # revealed, started round 2 or closed still arrives, and is told what was not taken.
        with st.form("beeld_part_form"):
            if info.status == "open" and open_qs:
                st.write(t("beeld_part_intro", lang))
            for q in open_qs if info.status == "open" else []:
                guess_input(q, f"beeld_p_{q.id}_r{rnd}", lang)
                if (q.id, rnd) in mine:
                    st.caption(t("beeld_part_saved", lang, value=P.format_answer(q, mine[(q.id, rnd)], lang)))
            st.form_submit_button(
                t("beeld_part_send", lang),
                type="primary",
                disabled=not (info.status == "open" and open_qs),
                key=SEND_KEY,  # read at the top of the next run: the send is stored before anything is drawn
            )
        st.session_state[DRAWN_KEY] = (rnd, info.question_ids)
        if info.status == "open" and open_qs:
            done = sum(1 for q in open_qs if (q.id, rnd) in mine)
            st.caption(t("beeld_part_answered", lang, k=done, n=len(open_qs)))
    if info.status == "open" and not open_qs:
        st.info(t("beeld_part_wait", lang))
    _own_results(store, info, questions, mine, lang)
    st.caption(t("beeld_part_link", lang))
    if st.button(t("beeld_part_leave", lang), key="beeld_part_leave"):
        ws.leave(code, token)
        unfollow()
        st.query_params.pop(PARTICIPANT_PARAM, None)
        st.rerun()
    confirm_drawn(code)  # everything above reached the phone, or the live hub asks it again


def refusal_text(q: P.Question | None, qid: str, reason: Refusal, lang: str) -> str:
    """Why one answer was not taken, in words ('Inkomen (deze vraag is al onthuld)')."""
    label = md(q.label(lang)) if q else md(qid)
    if reason is Refusal.RANGE:
        low, high = answer_range(q.to_spec() if q else {})
        return t(
            "beeld_refused_range",
            lang,
            label=label,
            low=P.format_answer(q, low, lang) if q else low,
            high=P.format_answer(q, high, lang) if q else high,
        )
    return t(f"beeld_refused_{reason.value}", lang, label=label)


def _send(ws, code: str, token: str) -> tuple[int, dict[str, Refusal]] | None:
    """Store what the form held when it was sent, for the form's round, in one transaction (also
    an answer to a question that vanished from the form meanwhile: it is told why it was not
    taken). Returns (answers stored, {question id: why not} of the others); None when the form
    held nothing."""
    rnd, ids = st.session_state.get(DRAWN_KEY) or (0, ())  # the round and questions of the form sent
    values = {qid: st.session_state.get(f"beeld_p_{qid}_r{rnd}") for qid in ids}
    answered = {qid: v for qid, v in values.items() if v is not None}
    if not answered:
        return None
    try:  # one transaction for the whole form; it says exactly which answers were not taken
        refused = ws.submit_all(code, token, answered, round=rnd)
    except NotAllowed:  # left meanwhile, or a round that has not started
        refused = dict.fromkeys(answered, Refusal.CLOSED)
    return len(answered) - len(refused), refused


def _confirm(store: Store, ws, view: ParticipantView, sent: tuple[int, dict[str, Refusal]] | None, lang: str) -> None:
    """The send's confirmation ('1 antwoord opgeslagen.' and, per answer not taken, why), kept for
    every run of the current round until the next send."""
    now = view.info.current_round
    if sent is None:
        st.session_state[FLASH_KEY] = (t("beeld_part_none_sent", lang), True, now)
        return
    stored, refused = sent
    parts = [t("beeld_part_sent", lang, n=stored)]
    if refused:
        by_id = {q.id: q for q in workshop_questions(store, ws, view.info, view.specs)}
        items = "; ".join(refusal_text(by_id.get(q), q, why, lang) for q, why in refused.items())
        parts.append(t("beeld_part_locked", lang, items=items))
    st.session_state[FLASH_KEY] = (" ".join(parts), bool(refused), now)


def _own_results(store: Store, info, questions: list[P.Question], mine: dict, lang: str) -> None:
    """Only after a reveal, and only for this participant: own guess, the real value, the gap."""
    shown = [(rnd, q) for rnd in sorted(info.revealed) for q in questions if q.id in info.revealed[rnd]]
    if not shown:
        return
    st.subheader(t("beeld_part_own", lang))
    st.caption(t("beeld_part_private", lang))
    for rnd, q in shown:
        guess = mine.get((q.id, rnd))
        truth = P.truth_for(store, q, info.area_code, info.year)
        line = f"**{md(q.label(lang))}** ({t('beeld_round', lang, n=rnd)}): "
        if truth is None:
            st.markdown(line + t("beeld_part_on_screen", lang))
        elif guess is None:
            st.markdown(line + t("beeld_part_no_guess", lang, real=P.format_answer(q, truth.value, lang)))
        else:
            sc = P.score(q, guess, truth)
            result = t(
                "beeld_part_result",
                lang,
                guess=P.format_answer(q, guess, lang),
                real=P.format_answer(q, truth.value, lang),
                gap=P.format_gap(q, sc.gap, lang),
                dir=t(f"beeld_dir_{sc.direction}", lang),
            )
            # The same honest verdict as the room sees, for one's own guess, small and grey as a
            # caption under the line, in the same element (a phone's redraw sends one less).
            note = f"  \n:gray[:small[{verdict_sentence(q, guess, truth, lang, 'you')}]]" if q.kind != "compare" else ""
            st.markdown(line + result + note)
