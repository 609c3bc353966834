"""Altair builders for 'Beeld en werkelijkheid': the group's guesses, and one person's gaps.

Only called after the commit or the reveal: the real value is drawn into these charts.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from wijk.beeld.perception import Question, Score, format_answer
from wijk.core.catalogue import unit_label
from wijk.core.chart_locale import localise
from wijk.core.i18n import t

COLOURS = {"negative": "#d95f02", "positive": "#1b9e77", "close": "#7570b3", "higher": "#999999", "lower": "#999999"}


def _stacked(values: list[float], width: float) -> pd.DataFrame:
    """One row per guess, stacked into columns of dots (a dot plot), in value order."""
    rows = []
    seen: dict[float, int] = {}
    for v in sorted(values):
        slot = math.floor(v / width) if width else v
        seen[slot] = seen.get(slot, 0) + 1
        rows.append({"guess": v, "x": (slot + 0.5) * width if width else v, "stack": seen[slot]})
    return pd.DataFrame(rows, columns=["guess", "x", "stack"])


def group_chart(
    question: Question,
    guesses: list[float],
    truth: float,
    gemeente: float | None,
    lang: str = "nl",
    round_label: str = "",
    residents: float | None = None,
    legend_font: int = 14,
) -> alt.LayerChart:
    """The room's guesses as stacked dots, the real value and the gemeente value as rules, and, where
    one exists, what residents report (an RIVM model estimate) as a third view. `legend_font` sets the
    legend's label size (a legend's own size wins over a chart's configure_legend: the projector passes
    its own)."""
    if question.kind == "compare":
        width = 0.0
    elif question.kind == "pct":
        width = 2.0
    else:
        span = max([*guesses, truth, gemeente or 0.0, residents or 0.0, 1.0])
        width = span / 40
    dots = _stacked([float(g) for g in guesses], width)
    dots["label"] = [format_answer(question, g, lang) for g in dots["guess"]]
    unit = unit_label(question.unit, lang)
    x_title = t("beeld_chart_guess_axis", lang) + (f" ({unit})" if unit else "")
    if question.kind == "compare":
        scale = alt.Scale(domain=[-1.5, 1.5])
        axis = alt.Axis(
            values=[-1, 0, 1],
            title=t("beeld_chart_compare_axis", lang),
            labelExpr=(
                f"datum.value < 0 ? '{t('beeld_compare_-1', lang)}' : datum.value > 0 ? "
                f"'{t('beeld_compare_1', lang)}' : '{t('beeld_compare_0', lang)}'"
            ),
        )
    else:
        hi = max([*guesses, truth, gemeente or 0.0, residents or 0.0]) * 1.05 or 1.0
        scale = alt.Scale(domain=[0, 100] if question.kind == "pct" else [0, hi], nice=True)
        axis = alt.Axis(title=x_title)
    base = (
        alt.Chart(dots)
        .mark_circle(size=140, opacity=0.8, color="#4c78a8")
        .encode(
            x=alt.X("x:Q", scale=scale, axis=axis),
            y=alt.Y("stack:Q", title=t("beeld_chart_count_axis", lang), axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("label:N", title=t("beeld_chart_guess", lang))],
        )
    )
    rules = _reference_rules(question, truth, gemeente, residents, lang, legend_font)
    title = question.label(lang) + (f" · {round_label}" if round_label else "")
    return localise((base + rules).properties(title=title, height=220), lang)


def _reference_rules(
    question: Question, truth: float, gemeente: float | None, residents: float | None, lang: str, legend_font: int
) -> alt.Chart:
    """The real value, the gemeente and what residents report as rules named in a legend under the
    chart: labels printed next to the rules ran into each other when two values were close."""
    marks: list[dict[str, str | float]] = [
        {"what": t("beeld_chart_truth", lang, value=format_answer(question, truth, lang)), "x": truth}
    ]
    if gemeente is not None and question.kind != "compare":
        marks.append(
            {"what": t("beeld_chart_gemeente", lang, value=format_answer(question, gemeente, lang)), "x": gemeente}
        )
    colours, dashes = ["#d62728", "#555555"][: len(marks)], [[1, 0], [6, 4]][: len(marks)]
    if residents is not None and question.kind != "compare":
        what = t("beeld_chart_residents", lang, value=format_answer(question, residents, lang))
        marks.append({"what": what, "x": residents})
        colours, dashes = [*colours, "#1f5fa8"], [*dashes, [2, 2]]
    names = [m["what"] for m in marks]
    mk = pd.DataFrame(marks)
    legend = alt.Legend(
        title=None,
        orient="bottom",
        direction="horizontal",
        labelFontSize=legend_font,
        symbolStrokeWidth=3,
        symbolSize=legend_font * 12,
        labelLimit=0,
    )
    return (
        alt.Chart(mk)
        .mark_rule(strokeWidth=3)
        .encode(
            x="x:Q",
            color=alt.Color("what:N", scale=alt.Scale(domain=names, range=colours), legend=legend),
            strokeDash=alt.StrokeDash("what:N", scale=alt.Scale(domain=names, range=dashes), legend=legend),
            tooltip=[alt.Tooltip("what:N", title=" ")],
        )
    )


def group_table(question: Question, guesses: list[float], lang: str = "nl") -> pd.DataFrame:
    """The room's guesses as a table (the dot plot's text alternative): each answer given, how often."""
    counts: dict[float, int] = {}
    for g in sorted(float(g) for g in guesses):
        counts[g] = counts.get(g, 0) + 1
    heads = [t("beeld_chart_guess", lang), t("beeld_chart_count_axis", lang)]
    return pd.DataFrame([(format_answer(question, g, lang), n) for g, n in counts.items()], columns=heads)


def _gap_rows(questions: list[Question], scores: dict[str, Score], lang: str) -> pd.DataFrame:
    rows = []
    for q in questions:
        s = scores.get(q.id)
        if s is None:
            continue
        signed = s.error * (1 if s.gap > 0 else -1 if s.gap < 0 else 0) * 100
        rows.append(
            {
                "question": q.label(lang),
                "gap": max(-200.0, min(200.0, signed)),  # the bar is capped, the table is not
                "gap_true": signed,
                "direction": t(f"beeld_dir_{s.direction}", lang),
                "key": s.direction,
                "guess": format_answer(q, s.guess, lang),
                "truth": format_answer(q, s.guess - s.gap, lang),
            }
        )
    return pd.DataFrame(rows, columns=["question", "gap", "gap_true", "direction", "key", "guess", "truth"])


def solo_gap_table(questions: list[Question], scores: dict[str, Score], lang: str = "nl") -> pd.DataFrame:
    """The numbers of the gap chart as a table: question, guess, real value, gap (% of the real value)."""
    frame = _gap_rows(questions, scores, lang)
    gaps = [f"{g:+.0f}%" for g in frame["gap_true"]]  # whole percents: no decimal sign
    cols = {
        "question": t("beeld_chart_question", lang),
        "guess": t("beeld_chart_guess", lang),
        "truth": t("beeld_chart_real", lang),
        "gap": t("beeld_table_gap", lang),
        "direction": t("beeld_table_direction", lang),
    }
    return frame.assign(gap=gaps)[list(cols)].rename(columns=cols)


def solo_gap_chart(questions: list[Question], scores: dict[str, Score], lang: str = "nl") -> alt.Chart:
    """Per question how far the guess was from the real value (% of it), coloured by direction."""
    frame = _gap_rows(questions, scores, lang)
    keys = list(COLOURS)
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("question:N", sort=None, title=None),
            x=alt.X("gap:Q", title=t("beeld_chart_gap_axis", lang)),
            color=alt.Color("key:N", scale=alt.Scale(domain=keys, range=[COLOURS[k] for k in keys]), legend=None),
            tooltip=[
                alt.Tooltip("question:N", title=t("beeld_chart_question", lang)),
                alt.Tooltip("guess:N", title=t("beeld_chart_guess", lang)),
                alt.Tooltip("truth:N", title=t("beeld_chart_real", lang)),
                alt.Tooltip("direction:N", title=" "),
            ],
        )
        .properties(height=max(120, 34 * len(frame)))
    )
    return localise(chart, lang)
