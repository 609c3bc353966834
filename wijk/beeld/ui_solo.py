"""Streamlit pieces of 'Beeld en werkelijkheid': the guess input and the solo flow.

Commit before reveal: nothing here looks up a real figure until the guesses are locked in
session state; no input has a default (an empty number box, no compare choice): a question stays
unanswered until the person types, so nobody is anchored on a preset value.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wijk.beeld import perception as P
from wijk.beeld.answer_ranges import answer_range
from wijk.beeld.charts import group_chart, solo_gap_chart, solo_gap_table
from wijk.beeld.group import verdict_sentence
from wijk.beeld.views import residents_figure, residents_line
from wijk.core import spreadsheet
from wijk.core.catalogue import format_value
from wijk.core.i18n import load_labels, t
from wijk.core.selection import Selection
from wijk.core.spreadsheet import SheetTable
from wijk.core.store import Figure, Store
from wijk.core.text import md, md_label
from wijk.ui import widgets
from wijk.ui.charts import drawn
from wijk.ui.downloads import download_row
from wijk.ui.session_owndata import active_datasets

COMMIT_KEY = "beeld_solo_commit"
SOLO_CHART_HEIGHT = 240  # px, the whole chart: the plot, its axes and the legend


def guess_input(q: P.Question, key: str, lang: str) -> float | None:
    """The input that fits the question: a percentage 0-100 or a number (both start empty, no
    anchor), or lower/same/higher (no choice made). None while unanswered."""
    if q.kind == "compare":
        return st.radio(
            md_label(q.text(lang)),
            [-1, 0, 1],
            index=None,
            key=key,
            horizontal=True,
            format_func=lambda c: t(f"beeld_compare_{c}", lang),
        )
    low, high = answer_range(q.to_spec())
    value = st.number_input(
        md_label(q.text(lang)),
        min_value=low,
        max_value=high,
        value=None,
        step=1.0,
        key=key,
        format="%g",
        placeholder=t("beeld_number_placeholder", lang),
    )
    return None if value is None else float(value)


def pick_questions(questions: list[P.Question], key: str, lang: str) -> list[P.Question]:
    """A multiselect of the available questions, preset to the deck (5-8 questions)."""
    by_id = {q.id: q for q in questions}
    decks = list(P.load_decks())
    deck = st.selectbox(
        t("beeld_deck", lang),
        decks,
        index=decks.index(P.DEFAULT_DECK) if P.DEFAULT_DECK in decks else 0,
        key=f"{key}_deck",
        format_func=lambda d: t(f"beeld_deck_{d}", lang),
        on_change=lambda: st.session_state.pop(key, None),
        placeholder=t("widget_choose", lang),
    )
    if f"beeld_deck_script_{deck}" in load_labels():  # a deck's own story for the facilitator
        st.info(t(f"beeld_deck_script_{deck}", lang), icon="🗣️")
    if key not in st.session_state:
        st.session_state[key] = P.default_selection(questions, deck)
    ids = st.multiselect(
        t("beeld_pick", lang),
        list(by_id),
        key=key,
        format_func=lambda i: f"{by_id[i].label(lang)} · {by_id[i].source or t('beeld_q_source_own', lang)}",
        on_change=widgets.cap,  # not max_selections: its message is English
        args=(key, P.MAX_QUESTIONS),
        help=t("beeld_pick_help", lang),
        placeholder=t("widget_choose_many", lang),
        select_all=False,
    )
    if widgets.refused(key):
        st.warning(t("beeld_pick_too_many", lang, n=P.MAX_QUESTIONS))
    return [by_id[i] for i in ids if i in by_id]


def _enough(chosen: list[P.Question], available: int, lang: str) -> bool:
    need = min(P.MIN_QUESTIONS, available)
    if len(chosen) < max(need, 1):
        st.info(t("beeld_pick_more", lang, n=need))
        return False
    return True


def solo(store: Store, sel: Selection, questions: list[P.Question]) -> None:
    """Ask, commit, then reveal (the real figures are looked up only after the commit)."""
    lang = sel.lang
    done = st.session_state.get(COMMIT_KEY)
    if done and (done["code"], done["year"]) != (sel.code, sel.jaar):
        st.session_state.pop(COMMIT_KEY)
        done = None
    if done:
        _reveal(store, sel, done)
        return
    st.write(t("beeld_solo_intro", lang))
    chosen = pick_questions(questions, f"beeld_solo_pick_{sel.code}_{sel.jaar}", lang)
    if not _enough(chosen, len(questions), lang):
        return
    with st.form("beeld_solo_form"):
        guesses = {q.id: guess_input(q, f"beeld_solo_q_{q.id}", lang) for q in chosen}
        sent = st.form_submit_button(t("beeld_commit", lang), type="primary")
    if sent:
        if any(v is None for v in guesses.values()):
            st.warning(t("beeld_answer_all", lang))
            return
        st.session_state[COMMIT_KEY] = {
            "code": sel.code,
            "year": sel.jaar,
            "ids": [q.id for q in chosen],
            "guesses": guesses,
            "specs": [q.to_spec() for q in chosen],
        }
        st.rerun()


def _reveal(store: Store, sel: Selection, done: dict) -> None:
    lang = sel.lang
    questions = [P.Question.from_spec(s) for s in done["specs"]]
    local = active_datasets()
    truths = {q.id: P.truth_for(store, q, done["code"], done["year"], local) for q in questions}
    scores = {q.id: P.score(q, done["guesses"][q.id], tr) for q in questions if (tr := truths[q.id]) is not None}
    result = P.overall(questions, scores)
    st.subheader(t("beeld_solo_result", lang))
    st.markdown(
        t(
            f"beeld_verdict_{result.verdict}",
            lang,
            neg=result.n_negative,
            pos=result.n_positive,
            close=result.n_close,
            n=result.n,
        )
    )
    if result.worst:
        worst = next(q for q in questions if q.id == result.worst)
        st.markdown(t("beeld_worst", lang, label=md(worst.label(lang))))
    if result.baseline_n:
        st.markdown(t("beeld_baseline", lang, k=result.beats_baseline, n=result.baseline_n))
    st.altair_chart(drawn(solo_gap_chart(questions, scores, lang)), width="stretch", key="beeld_solo_gaps")
    with st.expander(t("chart_table", lang)):
        st.dataframe(solo_gap_table(questions, scores, lang), hide_index=True, key="beeld_solo_gaps_table")
    for q in questions:
        residents = residents_figure(store, q, done["code"], done["year"]) if q.kind != "compare" else None
        source = P.source_line(store, q, done["code"], done["year"], local, lang)
        _reveal_one(q, truths[q.id], scores.get(q.id), lang, source, residents)
    notes = {q.id: st.session_state.get(f"beeld_solo_note_{q.id}", "") for q in questions}
    table = SheetTable(t("beeld_solo_result", lang), _my_frame(questions, scores, notes, lang), [t("source_cbs", lang)])
    files = spreadsheet.files(table, t("file_my_picture", lang), lang)
    download_row(files, "beeld_solo_download", lang, t("beeld_download_mine", lang))
    st.caption(t("beeld_notes_private", lang))
    if st.button(t("beeld_again", lang), key="beeld_solo_again"):
        st.session_state.pop(COMMIT_KEY, None)
        st.rerun()


def _reveal_one(
    q: P.Question,
    truth: P.Truth | None,
    sc: P.Score | None,
    lang: str,
    source: str = "",
    residents: Figure | None = None,
) -> None:
    """One question after the commit: the guess, the real value, the gap; where the question has
    a residents' view (data/three_views.csv), that RIVM model estimate as a third mark, as the
    workshop's reveal shows it."""
    with st.container(border=True):
        st.markdown(f"**{md(q.text(lang))}**")
        if truth is None or sc is None:
            st.caption(t("beeld_no_truth", lang))
            return
        cols = st.columns(4)
        cols[0].metric(t("beeld_your_guess", lang), P.format_answer(q, sc.guess, lang))
        real = format_value(truth.area_value, q.unit, lang)
        cols[1].metric(
            t("beeld_real", lang), real if q.kind != "compare" else f"{P.format_answer(q, truth.value, lang)} ({real})"
        )
        cols[2].metric(t("beeld_gemeente", lang), format_value(truth.gemeente, q.unit, lang))
        cols[3].metric(t("beeld_nl", lang), format_value(truth.nl, q.unit, lang))
        st.markdown(
            t("beeld_gap_line", lang, gap=P.format_gap(q, sc.gap, lang), dir=t(f"beeld_dir_{sc.direction}", lang))
        )
        if q.kind != "compare":
            st.markdown(verdict_sentence(q, sc.guess, truth, lang, "you"))
        if residents is not None:
            st.markdown(md(residents_line(residents, q, lang)))  # 'RIVM-modelschatting ... geen telling', its source
            chart = group_chart(q, [sc.guess], truth.value, truth.gemeente, lang, residents=residents.value)
            # no title (the question heads this box); Streamlit fits title, axes and legend into the
            # chart's height, so it gets room for them beside the plot
            chart = chart.properties(title="", height=SOLO_CHART_HEIGHT)
            st.altair_chart(drawn(chart), width="stretch", key=f"beeld_solo_views_{q.id}")
        if source:
            st.caption(md(source))
        st.text_input(t("beeld_note_prompt", lang, prompt=q.prompt(lang)), key=f"beeld_solo_note_{q.id}", max_chars=300)


def _my_frame(questions, scores, notes, lang) -> pd.DataFrame:
    rows = [
        {
            t("beeld_col_question", lang): q.text(lang),
            t("beeld_col_guess", lang): s.guess,
            t("beeld_col_real", lang): s.guess - s.gap,
            t("beeld_col_difference", lang): s.gap,
            t("beeld_col_direction", lang): t(f"beeld_dir_{s.direction}", lang),
            t("beeld_col_my_note", lang): notes.get(q.id, ""),
        }
        for q in questions
        if (s := scores.get(q.id))
    ]
    return pd.DataFrame(rows)
