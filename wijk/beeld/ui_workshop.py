"""Streamlit pieces of the workshop: the cached store, live following, the facilitator's control view.

The facilitator's secret lives only in this browser session (never in the URL); it is shown
once after creation and can be entered again to resume (the code is in the URL). Participants
never see others' answers. Every view follows the workshop live: the server's live hub (ui_live)
reruns the page when the workshop's state version moves (a reveal, a new round, closing).
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit

import streamlit as st
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from streamlit.runtime.scriptrunner import get_script_run_ctx

from wijk.beeld import perception as P
from wijk.beeld.charts import group_chart, group_table
from wijk.beeld.group import aggregate, group_sentences
from wijk.beeld.limits import RateLimiter
from wijk.beeld.report import (
    answers_csv,
    area_profile,
    collect_items,
    qr_png,
    report_html,
    results_csv,
    workshop_questions,
)
from wijk.beeld.ui_live import LiveHub, current_fragment_id, runtime_supports_push
from wijk.beeld.ui_solo import pick_questions
from wijk.beeld.workshop import JOIN_ALPHABET, JOIN_CODE_LENGTH, WorkshopStore, normalise_code
from wijk.core.db import database_url
from wijk.core.i18n import DEFAULT_LANG, t
from wijk.core.selection import Selection
from wijk.core.store import Store
from wijk.core.text import md
from wijk.ui.session_owndata import active_datasets

FAC_KEY = "beeld_fac"  # {"code": ..., "secret": ...}
SHOW_SECRET_KEY = "beeld_fac_show_secret"
SEEN_KEY = "beeld_seen_version"  # (code, state version) this page was drawn for
DRAWN_AT_KEY = "beeld_seen_at"  # when (monotonic seconds) it was drawn
CLIENT_KEY = "beeld_client_id"
LIVE_SECONDS = 1.0  # without a live hub, each page polls this often
# With a hub, a page still checks this often itself (a push lost in a reconnect);
# WIJK_LIVE_BACKUP_SECONDS changes it (the browser tests use 10 s).
BACKUP_SECONDS = float(os.environ.get("WIJK_LIVE_BACKUP_SECONDS") or 15.0)
COUNT_SECONDS = 2.0  # the facilitator's and projector's answer counts
DB_ERRORS = (OperationalError, DBAPIError, PoolTimeout, OSError)
VIEW_PARAM, PRESENTER, CONTROL = "weergave", "scherm", "leiden"
PARTICIPANT_PARAM = "deelnemer"  # a joined phone's own token, in its address
# Per client: a browser session (tight), and its network address (loose: a whole room may
# share one address behind the venue's router). Each app server counts for itself.
SESSION_LIMITS = {"join": (5, 60), "guess": (5, 60)}
ADDRESS_LIMITS = {"join": (300, 60), "guess": (60, 60)}


@st.cache_resource(show_spinner=False)
def _store_for(url: str) -> WorkshopStore:
    return WorkshopStore(url)


def workshop_store() -> WorkshopStore:
    """One shared store per database URL (WIJK_DATABASE_URL, else workshops.sqlite locally)."""
    url = database_url("workshops")
    return _store_for(url)


@contextmanager
def db_guard(lang: str) -> Iterator[None]:
    """A database that does not answer becomes one clear sentence (no traceback, no host)."""
    try:
        yield
    except DB_ERRORS:
        st.error(t("beeld_db_down", lang), icon=":material/cloud_off:")
        st.stop()


@st.cache_resource(show_spinner=False)
def _limiters() -> dict[str, RateLimiter]:
    return {
        f"{scope}:{what}": RateLimiter(*limits)
        for scope, table in (("session", SESSION_LIMITS), ("address", ADDRESS_LIMITS))
        for what, limits in table.items()
    }


def _clients() -> dict[str, str]:
    session = st.session_state.setdefault(CLIENT_KEY, secrets.token_hex(8))
    address = getattr(st.context, "ip_address", None) or "unknown"
    return {"session": session, "address": address}


def attempt_allowed(what: str) -> bool:
    """Record a join ('join') attempt, or check before a code/secret try ('guess'): False when
    this client has used up its attempts for the minute."""
    limiters, clients = _limiters(), _clients()
    if what == "guess":
        return not any(limiters[f"{s}:guess"].full(c) for s, c in clients.items())
    return all(limiters[f"{s}:join"].allow(c) for s, c in clients.items())


def wrong_guess() -> None:
    """Count a wrong code or secret against this client."""
    for s, c in _clients().items():
        _limiters()[f"{s}:guess"].allow(c)


def code_from_url() -> str:
    """A well-formed join code from ?workshop=CODE, else '' (nothing else is trusted)."""
    code = normalise_code(st.query_params.get("workshop", "") or "")
    ok = len(code) == JOIN_CODE_LENGTH and set(code) <= set(JOIN_ALPHABET)
    return code if ok else ""


def token_from_url(name: str) -> str:
    """A URL token (participant, presenter key) if it looks like one, else ''."""
    value = str(st.query_params.get(name, "") or "")
    ok = 16 <= len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value)
    return value if ok else ""


def joined_in_url() -> bool:
    """Whether the address carries a participant (then the page shows only the participant)."""
    return bool(code_from_url() and token_from_url(PARTICIPANT_PARAM))


def own_screen() -> bool:
    """A joined phone or the projector: the page is the whole screen (no sidebar, no menu)."""
    return joined_in_url() or (st.query_params.get(VIEW_PARAM) == PRESENTER and bool(code_from_url()))


def join_url(page_url: str | None, code: str, lang: str = "nl", **extra: str) -> str:
    """The beeld page's address with ?workshop=CODE (relative when the address is unknown)."""
    parts = urlsplit(page_url or "")
    base = (
        parts.path.rstrip("/").rsplit("/", 1)[0] if parts.path.rstrip("/").endswith("beeld") else parts.path.rstrip("/")
    )
    prefix = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    query = {"workshop": code, **extra, **({"lang": lang} if lang != DEFAULT_LANG else {})}
    return f"{prefix}{base}/beeld?{urlencode(query)}"


def remember_version(code: str, version: int) -> None:
    """The state version this run drew; follow() reruns the page when the stored one moves."""
    st.session_state[SEEN_KEY] = (code, version)
    st.session_state[DRAWN_AT_KEY] = time.monotonic()


@st.cache_resource(show_spinner=False)
def _hub_for(url: str) -> LiveHub:
    return LiveHub(_store_for(url).state_versions)


def live_hub() -> LiveHub | None:
    """This server's live hub, or None where sessions cannot be rerun from a thread (AppTest)."""
    if not runtime_supports_push():
        return None
    hub = _hub_for(database_url("workshops"))
    return None if hub.broken else hub


def follow(code: str) -> None:
    """Keep this page current with the workshop: the server's live hub reruns it when the state
    version moves; a slow poll from the page backs that up. Without a hub, the page polls fast."""
    poll(code, watched=watch_live(code))


def watch_live(code: str) -> bool:
    """Tell this server's live hub what this page (or the fragment running now) was drawn for;
    False where there is no hub (then the page must poll)."""
    hub, ctx = live_hub(), get_script_run_ctx()
    seen = st.session_state.get(SEEN_KEY)
    if hub is None or ctx is None or not seen or seen[0] != code:
        return False
    hub.watch(ctx.session_id, code, seen[1], current_fragment_id())
    return True


def poll(code: str, watched: bool) -> None:
    """The page's own check of the workshop's version: a slow backup when the hub watches it,
    else once per LIVE_SECONDS."""
    (_poll_backup if watched else _poll)(code)


def unfollow() -> None:
    """This page no longer shows a workshop (the participant left)."""
    hub, ctx = live_hub(), get_script_run_ctx()
    if hub is not None and ctx is not None:
        hub.forget(ctx.session_id)


def _poll_now(code: str) -> None:
    """One indexed query; rerun the page when the version moved since it was drawn (not on the
    run that has just drawn it: a fragment also runs with its page)."""
    if time.monotonic() - st.session_state.get(DRAWN_AT_KEY, 0.0) < LIVE_SECONDS / 2:
        return
    try:
        now = workshop_store().state_version(code)
    except DB_ERRORS:
        return  # the next poll tries again; the page itself says so when it reruns
    if now is not None and st.session_state.get(SEEN_KEY) != (code, now):
        st.rerun(scope="app")


@st.fragment(run_every=LIVE_SECONDS)
def _poll(code: str) -> None:
    _poll_now(code)


@st.fragment(run_every=BACKUP_SECONDS)
def _poll_backup(code: str) -> None:
    _poll_now(code)


def count_lines(counts: dict[str, int], n: int, questions: list[P.Question], lang: str) -> str:
    """'- label: 12 van 15 antwoorden' per question (counts only, never values)."""
    return "\n".join(
        "- " + t("beeld_fac_count_line", lang, label=md(q.label(lang)), k=counts.get(q.id, 0), n=n) for q in questions
    )


def facilitator(store: Store, sel: Selection, questions: list[P.Question]) -> None:
    """Create a workshop or resume one with code and secret; then run it (the control view)."""
    lang, ws = sel.lang, workshop_store()
    fac = st.session_state.get(FAC_KEY)
    if fac and not ws.verify_facilitator(fac["code"], fac["secret"]):
        st.session_state.pop(FAC_KEY)
        fac = None
    if fac:
        _dashboard(store, ws, fac, lang)
        return
    resume = code_from_url() if st.query_params.get(VIEW_PARAM) == CONTROL else ""
    if resume:
        st.info(t("beeld_fac_resume", lang, code=resume))
        _login(ws, lang, resume)
        return
    st.subheader(t("beeld_fac_create", lang))
    st.write(t("beeld_fac_create_help", lang, area=md(store.areas.name(sel.code, sel.jaar)), year=sel.jaar))
    chosen = pick_questions(questions, f"beeld_fac_pick_{sel.code}_{sel.jaar}", lang)
    title = st.text_input(t("beeld_fac_title", lang), key="beeld_fac_title", max_chars=80)
    if st.button(t("beeld_fac_create_button", lang), key="beeld_fac_create", type="primary", disabled=not chosen):
        made = ws.create_workshop(
            sel.code, sel.jaar, [q.id for q in chosen], title or store.areas.name(sel.code, sel.jaar)
        )
        ws.set_question_specs(made.join_code, made.facilitator_secret, {q.id: q.to_spec() for q in chosen})
        st.session_state[FAC_KEY] = {"code": made.join_code, "secret": made.facilitator_secret}
        st.session_state[SHOW_SECRET_KEY] = True
        st.query_params.update({"workshop": made.join_code, VIEW_PARAM: CONTROL})
        st.rerun()
    with st.expander(t("beeld_fac_login", lang)):
        _login(ws, lang, "")


def _login(ws: WorkshopStore, lang: str, code: str) -> None:
    with st.form("beeld_fac_login_form"):
        typed = st.text_input(t("beeld_join_code", lang), value=code, key="beeld_fac_login_code")
        secret = st.text_input(t("beeld_fac_secret", lang), type="password", key="beeld_fac_login_secret")
        go = st.form_submit_button(t("beeld_fac_login_button", lang), type="primary")
    if not go:
        return
    if not attempt_allowed("guess"):
        st.error(t("beeld_join_slow", lang))
        return
    code = normalise_code(typed)
    if ws.verify_facilitator(code, secret.strip()):
        st.session_state[FAC_KEY] = {"code": code, "secret": secret.strip()}
        st.query_params.update({"workshop": code, VIEW_PARAM: CONTROL})
        st.rerun()
    wrong_guess()
    st.error(t("beeld_fac_wrong", lang))


def _dashboard(store: Store, ws: WorkshopStore, fac: dict, lang: str) -> None:
    code, secret = fac["code"], fac["secret"]
    info = ws.workshop_info(code)
    remember_version(code, info.version)
    follow(code)  # another tab (or server) may reveal too
    questions = workshop_questions(store, ws, info)
    link = join_url(st.context.url, code, lang)
    st.subheader(md(info.title or code))
    left, right = st.columns([2, 1])
    left.markdown(t("beeld_fac_code", lang, code=code))
    left.markdown(t("beeld_fac_link", lang, link=link))
    left.caption(
        t(
            "beeld_fac_area",
            lang,
            area=md(store.areas.name(info.area_code, info.year)),
            year=info.year,
            round=info.current_round,
            status=t(f"beeld_status_{info.status}", lang),
        )
    )
    screen = join_url(st.context.url, code, lang, **{VIEW_PARAM: PRESENTER, "sleutel": ws.presenter_key(code, secret)})
    left.link_button(t("beeld_fac_presenter", lang), screen, icon=":material/present_to_all:")
    left.caption(t("beeld_fac_presenter_help", lang))
    right.image(qr_png(link), caption=t("beeld_fac_qr", lang), width=220)
    if st.session_state.get(SHOW_SECRET_KEY):
        st.warning(t("beeld_fac_secret_once", lang))
        st.code(secret, language=None)
        if st.button(t("beeld_fac_secret_ok", lang), key="beeld_fac_secret_ok"):
            st.session_state.pop(SHOW_SECRET_KEY)
            st.rerun()
    _counts(ws, code, questions, lang)
    for i, q in enumerate(questions, start=1):
        _question_panel(store, ws, fac, info, q, i, lang)
    _controls(store, ws, fac, info, questions, lang)


@st.fragment(run_every=COUNT_SECONDS)
def _counts(ws: WorkshopStore, code: str, questions: list[P.Question], lang: str) -> None:
    """The number of answers per question arriving (no values) against the participants."""
    try:
        counts, info = ws.answer_counts(code), ws.workshop_info(code)
    except DB_ERRORS:
        st.caption(t("beeld_db_down", lang))
        return
    st.markdown(t("beeld_fac_counts", lang, n=info.participant_count, round=info.current_round))
    st.markdown(count_lines(counts, info.participant_count, questions, lang))


def _question_panel(store, ws, fac, info, q: P.Question, i: int, lang: str) -> None:
    rnd = info.current_round
    with st.container(border=True):
        st.markdown(f"**{i}. {md(q.text(lang))}**")
        if q.id not in info.revealed.get(rnd, ()):
            if st.button(t("beeld_reveal", lang), key=f"beeld_f_reveal_{q.id}_{rnd}"):
                ws.reveal(fac["code"], fac["secret"], q.id)
                st.rerun()
            return
        guesses = ws.results(fac["code"], fac["secret"], q.id, rnd)
        truth = P.truth_for(store, q, info.area_code, info.year, active_datasets())
        if truth is None:
            st.caption(t("beeld_no_truth", lang))
            return
        summary = aggregate(q, guesses, truth, truth.gemeente)
        gm = None if q.kind == "compare" else truth.gemeente
        st.altair_chart(
            group_chart(q, guesses, truth.value, gm, lang, t("beeld_round", lang, n=rnd)),
            width="stretch",
            key=f"beeld_f_chart_{q.id}_{rnd}",
        )
        with st.expander(t("chart_table", lang)):
            st.dataframe(group_table(q, guesses, lang), hide_index=True, key=f"beeld_f_table_{q.id}_{rnd}")
        cols = st.columns(3)
        cols[0].metric(
            t("beeld_report_answers", lang), t("beeld_fac_negative", lang, k=summary.n, n=info.participant_count)
        )
        cols[1].metric(t("beeld_group_median", lang), P.format_answer(q, summary.median, lang))
        cols[2].metric(t("beeld_real", lang), P.format_answer(q, truth.value, lang))
        for line in group_sentences(q, summary, truth, lang):
            st.markdown(line)
        source = P.source_line(store, q, info.area_code, info.year, active_datasets(), lang)
        if source:
            st.caption(md(source))
        if rnd == 2 and q.id in info.revealed.get(1, ()):
            first = aggregate(q, ws.results(fac["code"], fac["secret"], q.id, 1), truth)
            st.markdown(
                t(
                    "beeld_fac_moved",
                    lang,
                    before=P.format_answer(q, first.median, lang),
                    after=P.format_answer(q, summary.median, lang),
                )
            )
        st.info(t("beeld_discuss", lang, prompt=q.prompt(lang)))


def _controls(store, ws, fac, info, questions, lang: str) -> None:
    code, secret = fac["code"], fac["secret"]
    st.subheader(t("beeld_fac_controls", lang))
    c1, c2, c3 = st.columns(3)
    if (
        info.status == "open"
        and info.current_round == 1
        and c1.button(t("beeld_fac_round2", lang), key="beeld_fac_round2")
    ):
        ws.start_second_round(code, secret)
        st.rerun()
    if info.status == "open" and c2.button(t("beeld_fac_close", lang), key="beeld_fac_close"):
        ws.close(code, secret)
        st.rerun()
    sure = c3.checkbox(t("beeld_fac_reset_sure", lang), key="beeld_fac_reset_sure")
    if c3.button(t("beeld_fac_reset", lang), key="beeld_fac_reset", disabled=not sure):
        ws.reset(code, secret)
        st.rerun()
    notes = st.text_area(t("beeld_fac_notes", lang), key="beeld_fac_notes", max_chars=3000)
    items = collect_items(store, ws, code, secret, questions, active_datasets(), lang)
    area = store.areas.name(info.area_code, info.year)
    html = report_html(
        info.title or code,
        area,
        info.area_code,
        info.year,
        area_profile(store, info.area_code, info.year, lang),
        items,
        lang,
        notes,
    )
    d1, d2, d3 = st.columns(3)
    d1.download_button(
        t("beeld_fac_export", lang),
        answers_csv(ws.export_answers(code, secret), info, lang, questions),
        file_name=f"workshop-{code}-antwoorden.csv",
        mime="text/csv",
        key="beeld_fac_csv",
    )
    d2.download_button(
        t("beeld_fac_results", lang),
        results_csv(items, lang),
        file_name=f"workshop-{code}-resultaten.csv",
        mime="text/csv",
        key="beeld_fac_res",
    )
    d3.download_button(
        t("beeld_fac_report", lang),
        html.encode("utf-8"),
        file_name=f"workshop-{code}-verslag.html",
        mime="text/html",
        key="beeld_fac_html",
    )
    if st.button(t("beeld_fac_leave", lang), key="beeld_fac_leave"):
        st.session_state.pop(FAC_KEY, None)
        st.session_state.pop(SHOW_SECRET_KEY, None)
        for k in ("workshop", VIEW_PARAM):
            st.query_params.pop(k, None)
        st.rerun()
