"""The projector view of a workshop (?workshop=CODE&weergave=scherm&sleutel=KEY).

Full screen, no sidebar, large type: the join code, link and QR code until the first reveal,
the live number of participants and answers, then the chart of the question revealed last.
No buttons and no secret: the facilitator runs the workshop from the control view; the key in
this address only opens what the room may see anyway.
"""

from __future__ import annotations

import streamlit as st

from wijk.beeld import perception as P
from wijk.beeld.charts import group_chart
from wijk.beeld.group import aggregate, group_sentences
from wijk.beeld.report import qr_png, workshop_questions
from wijk.beeld.ui_workshop import (
    COUNT_SECONDS,
    DB_ERRORS,
    code_from_url,
    follow,
    join_url,
    remember_version,
    token_from_url,
    workshop_store,
)
from wijk.core.i18n import t
from wijk.core.store import Store
from wijk.core.text import md

KEY_PARAM = "sleutel"
_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header,
[data-testid="stToolbar"] {display: none !important;}
.block-container {max-width: 100% !important; padding: 1.5rem 3rem !important;}
.stMarkdown p, .stMarkdown li {font-size: 1.9rem !important; line-height: 1.35;}
h1 {font-size: 3.2rem !important;}
.wijk-code {font-size: 7rem; font-weight: 800; letter-spacing: .4rem; font-family: monospace;}
</style>"""


def presenter(store: Store, lang: str) -> None:
    """The projector page; a wrong or missing key shows one sentence and nothing else."""
    st.markdown(_CSS, unsafe_allow_html=True)  # our own fixed style; no outside text in it
    ws = workshop_store()
    code, key = code_from_url(), token_from_url(KEY_PARAM)
    if not code or not ws.verify_presenter(code, key):
        st.error(t("beeld_present_bad", lang))
        return
    info = ws.workshop_info(code)
    remember_version(code, info.version)
    follow(code)
    questions = {q.id: q for q in workshop_questions(store, ws, info)}
    st.title(md(info.title or code))
    _count(code, lang)
    if info.last_revealed is None or info.last_revealed[1] not in questions:
        link = join_url(st.context.url, code, lang)
        left, right = st.columns([3, 2])
        left.markdown(f"## {t('beeld_present_join', lang)}")
        left.markdown(f'<div class="wijk-code">{code}</div>', unsafe_allow_html=True)  # A-Z2-9 only
        left.markdown(md(link))
        left.markdown(t("beeld_present_waiting", lang))
        right.image(qr_png(link), width=420)
        return
    rnd, qid = info.last_revealed
    q = questions[qid]
    guesses = ws.presenter_results(code, key, qid, rnd)
    truth = P.truth_for(store, q, info.area_code, info.year)
    st.markdown(f"**{md(q.text(lang))}**")
    if truth is None:
        st.markdown(t("beeld_no_truth", lang))
        return
    gm = None if q.kind == "compare" else truth.gemeente
    chart = group_chart(q, guesses, truth.value, gm, lang, t("beeld_round", lang, n=rnd))
    st.altair_chart(
        chart.properties(height=420)
        .configure_axis(labelFontSize=18, titleFontSize=20)
        .configure_legend(labelFontSize=22)
        .configure_title(fontSize=26, aria=False),  # keep localise's: no English "Title text ..."
        width="stretch",
        key=f"beeld_screen_chart_{qid}_{rnd}",
    )
    for line in group_sentences(q, aggregate(q, guesses, truth, gm), truth, lang):
        st.markdown(line)
    source = P.source_line(store, q, info.area_code, info.year, (), lang)
    if source:
        st.caption(md(source))


@st.fragment(run_every=COUNT_SECONDS)
def _count(code: str, lang: str) -> None:
    try:
        ws = workshop_store()
        info, counts = ws.workshop_info(code), ws.answer_counts(code)
    except DB_ERRORS:
        st.caption(t("beeld_db_down", lang))
        return
    st.markdown(t("beeld_present_count", lang, n=info.participant_count, k=sum(counts.values())))
