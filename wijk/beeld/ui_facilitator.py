"""The facilitator's screen: create a workshop or resume it with code and secret, then run it
(answer counts, reveal per question, round 2, close, reset, exports).

The facilitator's secret lives only in this browser session (never in the URL); it is shown
once after creation and can be entered again to resume (the code is in the URL). The shared
session plumbing (store, live following, attempt limits, URL parts) is in ui_workshop.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from wijk.beeld import perception as P
from wijk.beeld.charts import group_chart, group_table
from wijk.beeld.group import aggregate, group_sentences
from wijk.beeld.limits import join_cap
from wijk.beeld.report import (
    answers_table,
    area_profile,
    collect_items,
    qr_png,
    report_html,
    results_table,
    workshop_questions,
)
from wijk.beeld.ui_people import people_panel
from wijk.beeld.ui_resources import attempt_guard, workshop_store
from wijk.beeld.ui_solo import pick_questions
from wijk.beeld.ui_workshop import (
    CONTROL,
    COUNT_SECONDS,
    DB_ERRORS,
    PRESENTER,
    VIEW_PARAM,
    code_from_url,
    follow,
    join_url,
    remember_version,
    this_client,
)
from wijk.beeld.views import residents_figure, residents_line
from wijk.beeld.workshop import WorkshopStore, normalise_code
from wijk.core import spreadsheet
from wijk.core.i18n import t
from wijk.core.selection import Selection
from wijk.core.settings import setting
from wijk.core.store import Store
from wijk.core.text import md
from wijk.ui.charts import drawn
from wijk.ui.downloads import download_row
from wijk.ui.session_owndata import active_datasets

FAC_KEY = "beeld_fac"  # {"code": ..., "secret": ...}
SHOW_SECRET_KEY = "beeld_fac_show_secret"
MAX_EXPECTED = 1000


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
    expected = st.number_input(
        t("beeld_fac_expected", lang),
        min_value=1,
        max_value=MAX_EXPECTED,
        value=int(setting("workshop_limits", "expected_default")),
        step=1,
        key="beeld_fac_expected",
        help=t("beeld_fac_expected_help", lang),
    )
    if st.button(t("beeld_fac_create_button", lang), key="beeld_fac_create", type="primary", disabled=not chosen):
        made = ws.create_workshop(
            sel.code,
            sel.jaar,
            [q.id for q in chosen],
            title or store.areas.name(sel.code, sel.jaar),
            join_cap=join_cap(int(expected)),
        )
        ws.set_question_specs(made.join_code, made.facilitator_secret, {q.id: q.to_spec() for q in chosen})
        st.session_state[FAC_KEY] = {
            "code": made.join_code,
            "secret": made.facilitator_secret,
            "screen": made.presenter_key,
        }
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
    guard, client = attempt_guard(), this_client()
    if not guard.may_guess(client):  # this session's own wrong guesses only
        st.error(t("beeld_join_slow", lang))
        return
    code = normalise_code(typed)
    if ws.verify_facilitator(code, secret.strip()):
        st.session_state[FAC_KEY] = {"code": code, "secret": secret.strip()}
        st.query_params.update({"workshop": code, VIEW_PARAM: CONTROL})
        st.rerun()
    guard.wrong_secret(client, code)
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
    _projector_link(ws, fac, left, lang)
    if info.status == "open":
        _joining_toggle(ws, code, secret, info.join_open, left, lang)
    right.image(qr_png(link), caption=t("beeld_fac_qr", lang), width=220)
    if st.session_state.get(SHOW_SECRET_KEY):
        st.warning(t("beeld_fac_secret_once", lang))
        st.code(secret, language=None)
        if st.button(t("beeld_fac_secret_ok", lang), key="beeld_fac_secret_ok"):
            st.session_state.pop(SHOW_SECRET_KEY)
            st.rerun()
    _counts(ws, code, questions, lang)
    people_panel(ws, code, secret, info, lang)
    for i, q in enumerate(questions, start=1):
        _question_panel(store, ws, fac, info, q, i, lang)
    _controls(store, ws, fac, info, questions, lang)


def _projector_link(ws: WorkshopStore, fac: dict, where: DeltaGenerator, lang: str) -> None:
    """The projector's link (its key is kept only in the browser that made it); a resumed
    session makes a new one, which ends the previous link."""
    code, key = fac["code"], fac.get("screen")
    if key:
        screen = join_url(st.context.url, code, lang, **{VIEW_PARAM: PRESENTER, "sleutel": key})
        where.link_button(t("beeld_fac_presenter", lang), screen, icon=":material/present_to_all:")
        where.caption(t("beeld_fac_presenter_help", lang))
        return
    where.caption(t("beeld_fac_presenter_new_help", lang))
    if where.button(t("beeld_fac_presenter_new", lang), key="beeld_fac_presenter_new"):
        st.session_state[FAC_KEY] = {**fac, "screen": ws.new_presenter_key(code, fac["secret"])}


def _joining_toggle(
    ws: WorkshopStore, code: str, secret: str, join_open: bool, where: DeltaGenerator, lang: str
) -> None:
    """Close joining (the projector drops the code and QR, no new phones) or open it again."""
    key = "beeld_fac_join_close" if join_open else "beeld_fac_join_open"
    where.caption(t("beeld_fac_join_is_open" if join_open else "beeld_fac_join_is_closed", lang))
    if where.button(t(key, lang), key=key):
        ws.set_joining(code, secret, not join_open)
        st.rerun()


@st.fragment(run_every=COUNT_SECONDS)
def _counts(ws: WorkshopStore, code: str, questions: list[P.Question], lang: str) -> None:
    """The number of answers per question arriving (no values) against the participants."""
    try:
        counts, info = ws.answer_counts(code), ws.workshop_info(code)
    except DB_ERRORS:
        st.caption(t("beeld_db_down", lang))
        return
    st.markdown(t("beeld_fac_counts", lang, n=info.participant_count, round=info.current_round))
    if info.join_cap is not None:
        st.caption(t("beeld_fac_cap_line", lang, n=info.participant_count, cap=info.join_cap))
    st.markdown(count_lines(counts, info.participant_count, questions, lang))
    wrong = attempt_guard().recent_wrong_secrets(code)
    if wrong:
        st.warning(t("beeld_fac_wrong_secrets", lang, n=wrong), icon=":material/gpp_maybe:")


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
        residents = residents_figure(store, q, info.area_code, info.year)
        round_label = t("beeld_round", lang, n=rnd)
        # the title as text that wraps, as on the projector (Vega clips a long title at the chart's edge)
        st.markdown(f"**{md(q.label(lang))} · {md(round_label)}**")
        st.altair_chart(
            drawn(
                group_chart(
                    q, guesses, truth.value, gm, lang, round_label, residents.value if residents else None
                ).properties(title="")
            ),
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
        if residents is not None:
            st.markdown(md(residents_line(residents, q, lang)))
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
    answers = answers_table(ws.export_answers(code, secret), info, lang, questions)
    download_row(spreadsheet.files(answers, f"workshop-{code}-antwoorden", lang), "beeld_fac_csv", lang, answers.title)
    results = results_table(items, lang, info)
    download_row(spreadsheet.files(results, f"workshop-{code}-resultaten", lang), "beeld_fac_res", lang, results.title)
    st.download_button(
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
