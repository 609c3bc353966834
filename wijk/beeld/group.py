"""Perception against data, the group: median, spread, the unfavourable side, histogram bins.

Pure logic; the answers of a workshop room for one question against the real figure.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass

from wijk.beeld.perception import Question, Truth, direction, format_answer
from wijk.beeld.verdict import judge
from wijk.core.catalogue import format_value
from wijk.core.i18n import t


@dataclass(frozen=True)
class GroupSummary:
    n: int
    median: float | None
    q1: float | None
    q3: float | None
    low: float | None
    high: float | None
    n_above: int
    n_below: int
    n_close: int
    n_negative: int | None  # guesses on the unfavourable side of the truth (None: no direction)
    bins: list[tuple[float, float, int]]
    n_positive: int | None = None  # guesses on the favourable side (None: no direction)


def histogram_bins(
    question: Question, values: list[float], marks: tuple[float | None, ...] = ()
) -> list[tuple[float, float, int]]:
    """Bins (start, end, count): 10-point bins for pct, one per answer for compare, else ~10."""
    if question.kind == "compare":
        return [(c - 0.5, c + 0.5, sum(1 for v in values if v == c)) for c in (-1, 0, 1)]
    if question.kind == "pct":
        edges = [float(e) for e in range(0, 101, 10)]
    else:
        pts = [v for v in (*values, *marks) if v is not None]
        if not pts:
            return []
        lo, hi = min(0.0, min(pts)), max(pts)
        step = _nice_step((hi - lo) / 10 or 1.0)
        start = step * (lo // step)
        edges = [start + i * step for i in range(int((hi - start) // step) + 2)]
    bins = []
    for i, (a, b) in enumerate(zip(edges[:-1], edges[1:])):
        last = i == len(edges) - 2
        bins.append((a, b, sum(1 for v in values if a <= v < b or (last and v == b))))
    return bins


def _nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5, 10 x a power of ten that is at least raw."""
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def aggregate(
    question: Question, guesses: list[float], truth: Truth | None, gemeente: float | None = None
) -> GroupSummary:
    """Median, spread, how many guessed on the unfavourable side, histogram bins."""
    vals = sorted(float(v) for v in guesses)
    spread = truth.spread if truth else None
    dirs = [direction(question, v, truth.value, spread) for v in vals] if truth else []
    above = sum(1 for v, d in zip(vals, dirs) if truth and v > truth.value and d != "close")
    below = sum(1 for v, d in zip(vals, dirs) if truth and v < truth.value and d != "close")
    q1 = q3 = None
    if len(vals) >= 2:
        q1, _, q3 = statistics.quantiles(vals, n=4, method="inclusive")
    elif vals:
        q1 = q3 = vals[0]
    negative = None if not question.unfavourable or truth is None else dirs.count("negative")
    marks = (truth.value if truth else None, gemeente)
    return GroupSummary(
        len(vals),
        statistics.median(vals) if vals else None,
        q1,
        q3,
        vals[0] if vals else None,
        vals[-1] if vals else None,
        above,
        below,
        dirs.count("close"),
        negative,
        histogram_bins(question, vals, marks),
        None if negative is None else dirs.count("positive"),
    )


def group_sentences(question: Question, summary: GroupSummary, truth: Truth | None, lang: str = "nl") -> list[str]:
    """What the room can read after a reveal, in plain words: how far off the group's median
    was and, only where the indicator has a direction, how many guesses were too bleak or rosy."""
    if truth is None or summary.median is None:
        return []
    if question.kind == "compare":
        votes = Counter(int(round(v)) for v in summary_values(summary))
        most = votes.most_common(1)[0][0] if votes else round(summary.median)
        return [
            t(
                "beeld_group_compare",
                lang,
                answer=format_answer(question, most, lang),
                real=format_answer(question, truth.value, lang),
            )
        ]
    out = [verdict_sentence(question, summary.median, truth, lang, "group")]
    if question.unfavourable and summary.n_negative is not None:
        out.append(t("beeld_group_side", lang, neg=summary.n_negative, pos=summary.n_positive or 0, n=summary.n))
    return out


def verdict_sentence(
    question: Question, guess: float, truth: Truth, lang: str = "nl", who: str = "group", bold: bool = True
) -> str:
    """'De groep schatte 7,5% (mediaan): te hoog, bijna twee keer zo hoog als de werkelijkheid. ...'

    who: 'group' (the median of a room) or 'you' (one person's guess); bold: the verdict in Markdown
    bold (False for HTML and plain text). Not for 'compare' questions."""
    v = judge(guess, truth.value, truth.spread, question.unit == "pct")
    side = t(f"beeld_say_side_{v.side}", lang)
    gap = abs(guess - truth.value)
    amount = (
        t("beeld_points", lang, n=format_value(gap, "number", lang))
        if question.unit == "pct"
        else format_value(gap, question.unit, lang)
    )
    return t(
        "beeld_say_line",
        lang,
        who=t(f"beeld_say_{who}", lang, guess=format_answer(question, guess, lang)),
        side=f"**{side}**" if bold else side,
        size=", " + t(f"beeld_size_{v.words}", lang) if v.words else "",
        real=format_answer(question, truth.value, lang),
        gap=amount,
    )


def summary_values(summary: GroupSummary) -> list[float]:
    """The answers behind a compare summary, rebuilt from its one-per-answer bins."""
    return [(start + end) / 2 for start, end, count in summary.bins for _ in range(count)]
