"""The projector view of a workshop (?workshop=CODE&weergave=scherm&sleutel=KEY).

Full screen, no sidebar, high contrast, no scrolling: the join code, link and QR code large until
the first reveal; then the question revealed last with its number and how many answered, the real
value in the largest type on the screen, the room's guesses as dots and the gap in one sentence.
The join code and QR stay in a corner until the facilitator closes joining.
No buttons and no secret: the facilitator runs the workshop from the control view; the key in
this address only opens what the room may see anyway.
"""

from __future__ import annotations

import html

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
from wijk.beeld.views import residents_figure, residents_line
from wijk.core import provenance
from wijk.core.catalogue import format_value
from wijk.core.i18n import t
from wijk.core.store import Store
from wijk.core.text import md
from wijk.ui.charts import drawn

KEY_PARAM = "sleutel"
# High contrast, no scrolling at 1280x720 and 1920x1080: sizes follow the window's height (vh), and
# the real value is the largest text on the screen after a reveal (Mentimeter/Slido: one result,
# large, with the join code small in a corner while people may still join).
_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header,
[data-testid="stToolbar"], footer {display: none !important;}
[data-testid="stAppViewContainer"], [data-testid="stMain"] {background: #ffffff; color: #000000; overflow: hidden;}
.block-container {max-width: 100% !important; padding: 1.2vh 2.5vw !important;}
.stMarkdown p, .stMarkdown li {font-size: clamp(.95rem, 2.4vh, 2.2rem) !important; line-height: 1.3; color: #000000;}
h1 {font-size: clamp(1.6rem, 5vh, 3.4rem) !important; padding: 0 !important;}
.st-key-wijk_present_question p {font-size: clamp(1.2rem, 3.8vh, 2.9rem) !important; font-weight: 700;}
.st-key-wijk_present_meta p, .st-key-wijk_present_corner p {font-size: clamp(1rem, 2.6vh, 2rem) !important;}
.st-key-wijk_present_verdict p {font-size: clamp(1.05rem, 3vh, 2.7rem) !important; line-height: 1.25;}
.st-key-wijk_present_chart_title p {font-size: clamp(1.1rem, 3vh, 2.4rem) !important; font-weight: 700;
  text-align: center; margin: 0 !important;}
.st-key-wijk_present_source p {font-size: clamp(.8rem, 1.7vh, 1.2rem) !important; color: #333333;}
.wijk-real-label {font-size: clamp(1.2rem, 3.5vh, 2.7rem); font-weight: 700; color: #000000;}
.wijk-real {font-size: clamp(4rem, 17vh, 15rem); font-weight: 800; line-height: 1.05; color: #000000;}
.wijk-corner-code {font-size: clamp(1.4rem, 4.6vh, 3.6rem); font-weight: 800; letter-spacing: .2rem;
  font-family: monospace; text-align: right; color: #000000;}
.wijk-code {font-size: clamp(3rem, 15vh, 11rem); font-weight: 800; letter-spacing: .4rem; font-family: monospace;}
</style>"""
CHART_HEIGHT = 300  # px: with the header and the sentence it fits 720 px without scrolling
PRESENT_FONT = 22  # px: legend labels readable from the back of a room (the axis labels are 20)
QR_WAITING, QR_CORNER = 330, 150  # px


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
    link = join_url(st.context.url, code, lang)
    if info.last_revealed is None or info.last_revealed[1] not in questions:
        _waiting(info, code, link, lang)
        return
    _revealed(store, ws, info, questions, key, link, lang)


def _waiting(info, code: str, link: str, lang: str) -> None:
    """Before the first reveal: the join code and QR large (while joining is open), the counts."""
    st.title(md(info.title or code))
    _count(code, lang)
    if not info.join_open:
        st.markdown(t("beeld_present_waiting", lang))
        return
    left, right = st.columns([3, 2])
    left.markdown(f"## {t('beeld_present_join', lang)}")
    left.markdown(f'<div class="wijk-code">{code}</div>', unsafe_allow_html=True)  # A-Z2-9 only
    left.markdown(md(link))
    left.markdown(t("beeld_present_waiting", lang))
    right.image(qr_png(link), width=QR_WAITING)


def _revealed(store: Store, ws, info, questions: dict[str, P.Question], key: str, link: str, lang: str) -> None:
    """After a reveal: question and counts on top, the real value very large beside the room's
    guesses, the gap in one sentence; the join code and QR in the corner while joining is open."""
    rnd, qid = info.last_revealed
    q = questions[qid]
    guesses = ws.presenter_results(info.join_code, key, qid, rnd)
    truth = P.truth_for(store, q, info.area_code, info.year)
    top, corner = st.columns([5, 1.4]) if info.join_open else (st.container(), None)
    with top:
        meta = t(
            "beeld_present_meta",
            lang,
            i=list(questions).index(qid) + 1,
            n=len(questions),
            round=rnd,
            k=len(guesses),
            p=info.participant_count,
        )
        st.container(key="wijk_present_meta").markdown(meta)
        st.container(key="wijk_present_question").markdown(md(q.text(lang)))
    if corner is not None:
        box = corner.container(key="wijk_present_corner")
        box.markdown(t("beeld_present_join_short", lang))
        box.markdown(f'<div class="wijk-corner-code">{info.join_code}</div>', unsafe_allow_html=True)  # A-Z2-9
        box.image(qr_png(link), width=QR_CORNER)
    if truth is None:
        st.markdown(t("beeld_no_truth", lang))
        return
    left, right = st.columns([2, 3])
    real = P.format_answer(q, truth.value, lang)
    if q.kind == "compare":
        real = f"{real} ({format_value(truth.area_value, q.unit, lang)})"
    left.markdown(f'<div class="wijk-real-label">{html.escape(t("beeld_real", lang))}</div>', unsafe_allow_html=True)
    left.markdown(f'<div class="wijk-real">{html.escape(real)}</div>', unsafe_allow_html=True)  # our own number
    gm = None if q.kind == "compare" else truth.gemeente
    verdict = left.container(key="wijk_present_verdict")
    for line in group_sentences(q, aggregate(q, guesses, truth, gm), truth, lang):
        verdict.markdown(line)
    residents = residents_figure(store, q, info.area_code, info.year)
    if residents is not None:  # short on the screen; its source goes with the other below
        verdict.markdown(residents_line(residents, q, lang, short=True))
    round_label = t("beeld_round", lang, n=rnd)
    chart = group_chart(
        q, guesses, truth.value, gm, lang, round_label, residents.value if residents else None, legend_font=PRESENT_FONT
    )
    # The chart's title as a heading that wraps (Vega draws a title on one line and clipped a long
    # question's at the chart's edge; a title split into lines lost the top of its first line).
    right.container(key="wijk_present_chart_title").markdown(md(f"{q.label(lang)} · {round_label}"))
    right.altair_chart(
        drawn(
            chart.properties(title="", height=CHART_HEIGHT)
            .configure_axis(labelFontSize=20, titleFontSize=22, labelColor="#000000", titleColor="#000000")
            .configure_legend(labelFontSize=PRESENT_FONT, labelColor="#000000")
            .configure_title(fontSize=22, color="#000000", aria=False)  # keep localise's: no English "Title text ..."
        ),
        width="stretch",
        theme=None,  # the projector's own sizes and black text, not the app theme's small grey ones
        key=f"beeld_screen_chart_{qid}_{rnd}",
    )
    source = P.source_line(store, q, info.area_code, info.year, (), lang)
    if residents is not None:
        source += " · " + provenance.one_line(residents, lang)
    if source:
        st.container(key="wijk_present_source").markdown(md(source))


@st.fragment(run_every=COUNT_SECONDS)
def _count(code: str, lang: str) -> None:
    try:
        ws = workshop_store()
        info, counts = ws.workshop_info(code), ws.answer_counts(code)
    except DB_ERRORS:
        st.caption(t("beeld_db_down", lang))
        return
    st.markdown(t("beeld_present_count", lang, n=info.participant_count, k=sum(counts.values())))
