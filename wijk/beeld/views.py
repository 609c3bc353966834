"""Three views of the buurt side by side: what the register counts, what residents report, what the room guessed.

Where a question has both a registered figure (CBS: households with a low income or around the social
minimum) and what residents themselves report (RIVM/GGD/CBS Gezondheidsmonitor: adults who find it hard
to make ends meet), the reveal shows three marks. The pairs are data (data/three_views.csv). The
residents' figure is an RIVM model estimate, always labelled so, for the same area as the register
figure and the nearest year with a figure. Registered crime has no residents' source in the data
yet: a row in the csv adds one. Pure logic (no Streamlit).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from html import escape
from pathlib import Path

from wijk.beeld.perception import Question, format_answer
from wijk.core import provenance
from wijk.core.i18n import t
from wijk.core.paths import data_dir
from wijk.core.store import Figure


@dataclass(frozen=True)
class ThreeViews:
    """One question's three marks (percentages): register, residents (model estimate), room (median)."""

    question: Question
    register: float
    residents: Figure
    room: float | None


@functools.cache
def load_pairs(path: Path | None = None) -> dict[str, str]:
    """data/three_views.csv: question id -> the indicator of what residents report."""
    with open(path or data_dir() / "three_views.csv", newline="", encoding="utf-8") as fh:
        return {r["question"]: r["residents"] for r in csv.DictReader(fh)}


def residents_figure(store, question: Question, code: str, year: int) -> Figure | None:
    """What residents report for the area of the question's figure, in the nearest year with a figure."""
    indicator = load_pairs().get(question.id)
    if indicator is None:
        return None
    at_code, at_year = question.code or code, question.year or year
    published = store.values.loc[store.values["indicator"] == indicator, "year"].unique()  # RIVM: 2016, 2020
    years = [int(y) for y in sorted(published) if store.value(at_code, int(y), indicator) is not None]
    if not years:
        return None
    nearest = min(years, key=lambda y: (abs(y - at_year), -y))
    return store.figure(at_code, nearest, indicator)


def residents_line(fig: Figure, question: Question, lang: str = "nl", short: bool = False) -> str:
    """'Wat bewoners zelf zeggen: 41,1% ... (RIVM-modelschatting, 2016; geen telling). Bron: ...';
    short (the projector): without the source line, which the screen shows with the other sources."""
    if short:
        return t("beeld_views_residents_short", lang, value=format_answer(question, fig.value, lang), year=fig.year)
    return t(
        "beeld_views_residents_line",
        lang,
        value=format_answer(question, fig.value, lang),
        year=fig.year,
        source=provenance.one_line(fig, lang),
    )


def three_views_html(rows: list[ThreeViews], lang: str = "nl") -> str:
    """The closing 'drie blikken' chart of the report: per question a 0-100% strip with three marks
    (register square, residents triangle, room circle), drawn in HTML and CSS (prints, no script)."""
    if not rows:
        return ""
    e = escape
    legend = (
        f"<p class='tv-legend'><span class='tv-reg'>■</span> {e(t('beeld_views_register', lang))} · "
        f"<span class='tv-res'>▲</span> {e(t('beeld_views_residents', lang))} · "
        f"<span class='tv-room'>●</span> {e(t('beeld_views_room', lang))}</p>"
    )
    strips = []
    for r in rows:
        q = r.question
        marks = [("tv-reg", "■", r.register), ("tv-res", "▲", r.residents.value)]
        if r.room is not None:
            marks.append(("tv-room", "●", r.room))
        dots = "".join(
            f"<span class='{c}' style='left:{min(max(float(v or 0), 0), 100):.1f}%' "
            f"title='{e(format_answer(q, v, lang))}'>{s}</span>"
            for c, s, v in marks
        )
        values = " · ".join(
            f"{e(name)} {e(format_answer(q, v, lang))}"
            for name, v in (
                (t("beeld_views_register", lang), r.register),
                (t("beeld_views_residents", lang), r.residents.value),
                (t("beeld_views_room", lang), r.room),
            )
            if v is not None
        )
        strips.append(
            f"<div class='tv-row'><div class='tv-q'>{e(q.label(lang))}</div>"
            f"<div class='tv-strip'>{dots}</div><div class='tv-values'>{values}</div>"
            f"<div class='tv-src'>{e(provenance.one_line(r.residents, lang))}</div></div>"
        )
    return f"<h2>{e(t('beeld_views_title', lang))}</h2><p>{e(t('beeld_views_intro', lang))}</p>{legend}" + "".join(
        strips
    )


THREE_VIEWS_CSS = (
    ".tv-row{margin:1em 0;page-break-inside:avoid}.tv-q{font-weight:bold}"
    ".tv-strip{position:relative;height:1.6em;border-bottom:2px solid #444;margin:.3em 0;"
    "background:repeating-linear-gradient(90deg,#eee 0,#eee 1px,transparent 1px,transparent 10%)}"
    ".tv-strip span{position:absolute;bottom:-.55em;transform:translateX(-50%);font-size:1.3em}"
    ".tv-reg{color:#d62728}.tv-res{color:#1f5fa8}.tv-room{color:#222}.tv-values{font-size:.95em}"
    ".tv-src,.tv-legend{font-size:.85em;color:#333}"
)
