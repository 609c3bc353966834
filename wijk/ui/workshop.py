"""Streamlit pieces of the workshop: the cached store, the facilitator's screen, joining.

The facilitator's secret lives only in this browser session (never in the URL); it is shown
once after creation and can be entered again. Participants never see others' answers.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit

import streamlit as st

from wijk import perception as P
from wijk.charts.perception import group_chart
from wijk.i18n import t
from wijk.paths import local_dir
from wijk.perception_group import aggregate
from wijk.selection import Selection
from wijk.store import Store
from wijk.ui.figures import md_escape
from wijk.ui.localdata import active_datasets
from wijk.ui.perception import pick_questions
from wijk.workshop import JOIN_ALPHABET, JOIN_CODE_LENGTH, WorkshopStore, normalise_code
from wijk.workshop_report import (answers_csv, area_profile, collect_items, qr_png, report_html,
                                  results_csv, workshop_questions)

FAC_KEY = "beeld_fac"  # {"code": ..., "secret": ...}
SHOW_SECRET_KEY = "beeld_fac_show_secret"
REFRESH_SECONDS = 5


@st.cache_resource(show_spinner=False)
def _store_for(url: str) -> WorkshopStore:
    return WorkshopStore(url)


def workshop_store() -> WorkshopStore:
    """One shared store per database URL (WIJK_DATABASE_URL, else workshops.sqlite locally)."""
    url = os.environ.get("WIJK_DATABASE_URL") or f"sqlite:///{local_dir() / 'workshops.sqlite'}"
    return _store_for(url)


def code_from_url() -> str:
    """A well-formed join code from ?workshop=CODE, else '' (nothing else is trusted)."""
    code = normalise_code(st.query_params.get("workshop", "") or "")
    ok = len(code) == JOIN_CODE_LENGTH and set(code) <= set(JOIN_ALPHABET)
    return code if ok else ""


def join_url(page_url: str | None, code: str, lang: str = "nl") -> str:
    """The beeld page's address with ?workshop=CODE (relative when the address is unknown)."""
    parts = urlsplit(page_url or "")
    base = parts.path.rstrip("/").rsplit("/", 1)[0] if parts.path.rstrip("/").endswith("beeld") \
        else parts.path.rstrip("/")
    prefix = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return f"{prefix}{base}/beeld?workshop={code}" + (f"&lang={lang}" if lang != "nl" else "")


def facilitator(store: Store, sel: Selection, questions: list[P.Question]) -> None:
    """Create a workshop or take up one with code and secret; then run it."""
    lang, ws = sel.lang, workshop_store()
    fac = st.session_state.get(FAC_KEY)
    if fac and not ws.verify_facilitator(fac["code"], fac["secret"]):
        st.session_state.pop(FAC_KEY)
        fac = None
    if fac:
        _dashboard(store, ws, fac, lang)
        return
    st.subheader(t("beeld_fac_create", lang))
    st.write(t("beeld_fac_create_help", lang, area=store.areas.name(sel.code, sel.jaar), year=sel.jaar))
    chosen = pick_questions(questions, f"beeld_fac_pick_{sel.code}_{sel.jaar}", lang)
    title = st.text_input(t("beeld_fac_title", lang), key="beeld_fac_title", max_chars=80)
    if st.button(t("beeld_fac_create_button", lang), key="beeld_fac_create", type="primary",
                 disabled=not chosen):
        made = ws.create_workshop(sel.code, sel.jaar, [q.id for q in chosen],
                                  title or store.areas.name(sel.code, sel.jaar))
        ws.set_question_specs(made.join_code, made.facilitator_secret,
                              {q.id: q.to_spec() for q in chosen})
        st.session_state[FAC_KEY] = {"code": made.join_code, "secret": made.facilitator_secret}
        st.session_state[SHOW_SECRET_KEY] = True
        st.rerun()
    with st.expander(t("beeld_fac_login", lang)):
        with st.form("beeld_fac_login_form"):
            code = st.text_input(t("beeld_join_code", lang), key="beeld_fac_login_code")
            secret = st.text_input(t("beeld_fac_secret", lang), type="password",
                                   key="beeld_fac_login_secret")
            if st.form_submit_button(t("beeld_fac_login_button", lang)):
                if ws.verify_facilitator(normalise_code(code), secret.strip()):
                    st.session_state[FAC_KEY] = {"code": normalise_code(code), "secret": secret.strip()}
                    st.rerun()
                st.error(t("beeld_fac_wrong", lang))


def _dashboard(store: Store, ws: WorkshopStore, fac: dict, lang: str) -> None:
    code, secret = fac["code"], fac["secret"]
    info = ws.workshop_info(code)
    questions = workshop_questions(store, ws, info)
    link = join_url(st.context.url, code, lang)
    st.subheader(md_escape(info.title or code))  # the title is user text: plain, never Markdown
    left, right = st.columns([2, 1])
    left.markdown(t("beeld_fac_code", lang, code=code))
    left.markdown(t("beeld_fac_link", lang, link=link))
    left.caption(t("beeld_fac_area", lang, area=store.areas.name(info.area_code, info.year),
                   year=info.year, round=info.current_round, status=t(f"beeld_status_{info.status}", lang)))
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


@st.fragment(run_every=REFRESH_SECONDS)
def _counts(ws: WorkshopStore, code: str, questions: list[P.Question], lang: str) -> None:
    """The number of answers per question arriving (no values); refreshes itself."""
    counts, info = ws.answer_counts(code), ws.workshop_info(code)
    st.markdown(t("beeld_fac_counts", lang, n=info.participant_count, round=info.current_round))
    st.markdown("\n".join(f"- {q.label(lang)}: **{counts.get(q.id, 0)}**" for q in questions))
    st.button(t("beeld_refresh", lang), key="beeld_fac_refresh")


def _question_panel(store, ws, fac, info, q: P.Question, i: int, lang: str) -> None:
    rnd = info.current_round
    with st.container(border=True):
        st.markdown(f"**{i}. {q.text(lang)}**")
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
        st.altair_chart(group_chart(q, guesses, truth.value, gm, lang, t("beeld_round", lang, n=rnd)),
                        width="stretch", key=f"beeld_f_chart_{q.id}_{rnd}")
        cols = st.columns(4)
        cols[0].metric(t("beeld_report_answers", lang), summary.n)
        cols[1].metric(t("beeld_group_median", lang), P.format_answer(q, summary.median, lang))
        cols[2].metric(t("beeld_real", lang), P.format_answer(q, truth.value, lang))
        side = (t("beeld_fac_negative", lang, k=summary.n_negative, n=summary.n)
                if summary.n_negative is not None
                else t("beeld_fac_above", lang, above=summary.n_above, below=summary.n_below))
        cols[3].metric(t("beeld_fac_side", lang), side)
        source = P.source_line(store, q, info.area_code, info.year, active_datasets(), lang)
        if source:
            st.caption(md_escape(source))
        if rnd == 2 and q.id in info.revealed.get(1, ()):
            first = aggregate(q, ws.results(fac["code"], fac["secret"], q.id, 1), truth)
            st.markdown(t("beeld_fac_moved", lang, before=P.format_answer(q, first.median, lang),
                          after=P.format_answer(q, summary.median, lang)))
        st.info(t("beeld_discuss", lang, prompt=q.prompt(lang)))


def _controls(store, ws, fac, info, questions, lang: str) -> None:
    code, secret = fac["code"], fac["secret"]
    st.subheader(t("beeld_fac_controls", lang))
    c1, c2, c3 = st.columns(3)
    if info.status == "open" and info.current_round == 1 and c1.button(
            t("beeld_fac_round2", lang), key="beeld_fac_round2"):
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
    items = collect_items(store, ws, code, secret, questions, active_datasets())
    area = store.areas.name(info.area_code, info.year)
    html = report_html(info.title or code, area, info.area_code, info.year,
                       area_profile(store, info.area_code, info.year, lang), items, lang, notes)
    d1, d2, d3 = st.columns(3)
    d1.download_button(t("beeld_fac_export", lang), answers_csv(ws.export_answers(code, secret), info, lang),
                       file_name=f"workshop-{code}-antwoorden.csv", mime="text/csv", key="beeld_fac_csv")
    d2.download_button(t("beeld_fac_results", lang), results_csv(items, lang),
                       file_name=f"workshop-{code}-resultaten.csv", mime="text/csv", key="beeld_fac_res")
    d3.download_button(t("beeld_fac_report", lang), html.encode("utf-8"),
                       file_name=f"workshop-{code}-verslag.html", mime="text/html", key="beeld_fac_html")
    if st.button(t("beeld_fac_leave", lang), key="beeld_fac_leave"):
        st.session_state.pop(FAC_KEY, None)
        st.session_state.pop(SHOW_SECRET_KEY, None)
        st.rerun()
