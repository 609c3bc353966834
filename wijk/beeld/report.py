"""The workshop's results for after the session: a printable HTML report and anonymous CSV exports.

Pure (no Streamlit). Only revealed questions carry figures; everything user-written is escaped.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field

import pandas as pd

from wijk.beeld.group import aggregate, verdict_sentence
from wijk.beeld.perception import (
    Question,
    Truth,
    available_questions,
    format_answer,
    format_gap,
    source_line,
    truth_for,
)
from wijk.beeld.views import THREE_VIEWS_CSS, ThreeViews, residents_figure, three_views_html
from wijk.beeld.workshop import WorkshopInfo, WorkshopStore
from wijk.core import codes, settings
from wijk.core.catalogue import format_value, unit_label
from wijk.core.i18n import t
from wijk.core.spreadsheet import SheetTable, csv_nl
from wijk.core.store import Figure

PROFILE_IDS = settings.ids("workshop_report", "profile")
RESULT_COLUMNS = (
    "question",
    "round",
    "answers",
    "median",
    "q1",
    "q3",
    "real",
    "gemeente",
    "gap",
    "negative",
    "verdict",
    "unit",
    "source",
)


@dataclass(frozen=True)
class ReportItem:
    """One revealed question in one round: the room's guesses, the truth and the notes."""

    question: Question
    round: int
    guesses: list[float]
    truth: Truth | None
    notes: list[str] = field(default_factory=list)
    source: str = ""  # where the real value comes from (table, variable, period, area)
    residents: Figure | None = None  # what residents report (RIVM model estimate), where a pair exists


def workshop_questions(
    store, ws: WorkshopStore, info: WorkshopInfo, specs: dict[str, dict] | None = None
) -> list[Question]:
    """The workshop's questions in order: stored specs first (given, or read), else rebuilt from
    the catalogue."""
    specs = ws.question_specs(info.join_code) if specs is None else specs
    missing = [q for q in info.question_ids if q not in specs]
    rebuilt = {q.id: q for q in available_questions(store, info.area_code, info.year)} if missing else {}
    out = []
    for qid in info.question_ids:
        if qid in specs:
            out.append(Question.from_spec(specs[qid]))
        elif qid in rebuilt:
            out.append(rebuilt[qid])
    return out


def collect_items(
    store, ws: WorkshopStore, code: str, secret: str, questions: list[Question], local=(), lang: str = "nl"
) -> list[ReportItem]:
    """Every revealed (question, round) with guesses, truth and participants' notes."""
    info = ws.workshop_info(code)
    answers = ws.export_answers(code, secret)
    items = []
    for rnd in sorted(info.revealed):
        for q in questions:
            if q.id not in info.revealed[rnd]:
                continue
            sub = answers[(answers["question_id"] == q.id) & (answers["round"] == rnd)]
            notes = [str(n) for n in sub["note"].dropna() if str(n).strip()]
            items.append(
                ReportItem(
                    q,
                    rnd,
                    ws.results(code, secret, q.id, rnd),
                    truth_for(store, q, info.area_code, info.year, local),
                    notes,
                    source_line(store, q, info.area_code, info.year, local, lang),
                    residents_figure(store, q, info.area_code, info.year),
                )
            )
    return items


def area_profile(store, code: str, year: int, lang: str = "nl") -> list[tuple[str, str, str, str]]:
    """A few key figures (label, area, gemeente, NL) that exist for the area and year."""
    gm = codes.gemeente_of(code) or code
    rows = []
    for ind_id in PROFILE_IDS:
        val = store.value(code, year, ind_id)
        if val is None or ind_id not in store.catalogue:
            continue
        ind = store.catalogue.get(ind_id)
        rows.append(
            (
                ind.label(lang),
                format_value(val, ind.unit, lang),
                format_value(store.value(gm, year, ind_id), ind.unit, lang),
                format_value(store.value(codes.NL_CODE, year, ind_id), ind.unit, lang),
            )
        )
    return rows


def _item_html(item: ReportItem, lang: str) -> str:
    q, e = item.question, html.escape
    truth = item.truth
    summary = aggregate(q, item.guesses, truth, truth.gemeente if truth else None)
    real = format_value(truth.area_value, q.unit, lang) if truth else t("beeld_no_truth", lang)
    if truth and q.kind == "compare":
        real = f"{format_answer(q, truth.value, lang)} ({real})"
    rows = [
        (t("beeld_report_answers", lang), str(summary.n)),
        (t("beeld_group_median", lang), format_answer(q, summary.median, lang)),
        (
            t("beeld_report_spread", lang),
            f"{format_answer(q, summary.low, lang)} – {format_answer(q, summary.high, lang)}",
        ),
        (t("beeld_real", lang), real),
    ]
    if truth:
        rows.append((t("beeld_gemeente", lang), format_value(truth.gemeente, q.unit, lang)))
        if summary.median is not None:
            rows.append((t("beeld_report_gap", lang), format_gap(q, summary.median - truth.value, lang)))
        if summary.n_negative is not None:
            rows.append((t("beeld_report_negative", lang), f"{summary.n_negative} / {summary.n}"))
        if summary.median is not None and q.kind != "compare":
            rows.append((t("beeld_report_verdict", lang), verdict_sentence(q, summary.median, truth, lang, bold=False)))
    guesses = ", ".join(format_answer(q, g, lang) for g in item.guesses) or "–"
    table = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    notes = "".join(f"<li>{e(n)}</li>" for n in item.notes)
    source = f"<p><small>{e(item.source)}</small></p>" if item.source else ""
    return (
        f"<section><h3>{e(q.text(lang))} <small>({e(t('beeld_round', lang, n=item.round))})"
        f"</small></h3><table>{table}</table>{source}<p><b>{e(t('beeld_report_guesses', lang))}:</b> "
        f"{e(guesses)}</p>"
        + (f"<p><b>{e(t('beeld_report_notes', lang))}:</b></p><ul>{notes}</ul>" if notes else "")
        + "</section>"
    )


def three_views(items: list[ReportItem]) -> list[ThreeViews]:
    """Per question with a residents' figure, the three views (the room of the latest round revealed)."""
    latest: dict[str, tuple[ReportItem, Truth, Figure]] = {}
    for it in items:
        if it.truth is not None and it.residents is not None and it.residents.value is not None:
            latest[it.question.id] = (it, it.truth, it.residents)
    return [
        ThreeViews(it.question, truth.value, res, aggregate(it.question, it.guesses, truth).median)
        for it, truth, res in latest.values()
    ]


def report_html(
    title: str,
    area_name: str,
    code: str,
    year: int,
    profile: list[tuple[str, str, str, str]],
    items: list[ReportItem],
    lang: str = "nl",
    notes: str = "",
) -> str:
    """A self-contained printable page: area profile, each revealed question, the notes."""
    e = html.escape
    prof = "".join(f"<tr><td>{e(a)}</td><td>{e(b)}</td><td>{e(c)}</td><td>{e(d)}</td></tr>" for a, b, c, d in profile)
    head = (
        f"<tr><th>{e(t('beeld_report_figure', lang))}</th><th>{e(area_name)}</th>"
        f"<th>{e(t('beeld_gemeente', lang))}</th><th>{e(t('beeld_nl', lang))}</th></tr>"
    )
    body = "".join(_item_html(i, lang) for i in items) or f"<p>{e(t('beeld_report_none', lang))}</p>"
    extra = three_views_html(three_views(items), lang)
    extra += f"<h2>{e(t('beeld_report_facnotes', lang))}</h2><p>{e(notes)}</p>" if notes.strip() else ""
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;"
        "padding:.25em .6em;text-align:left}section{page-break-inside:avoid;margin:1.5em 0}" + THREE_VIEWS_CSS
    )
    return (
        f"<!DOCTYPE html><html lang='{e(lang)}'><head><meta charset='utf-8'>"
        f"<title>{e(title)}</title><style>{style}</style></head><body>"
        f"<h1>{e(title)}</h1><p>{e(t('beeld_report_intro', lang, area=area_name, code=code, year=year))}</p>"
        f"<h2>{e(t('beeld_report_profile', lang))}</h2><table>{head}{prof}</table>"
        f"<h2>{e(t('beeld_report_questions', lang))}</h2>{body}{extra}"
        f"<p><small>{e(t('source_cbs', lang))} · {e(t('beeld_report_footer', lang))}</small></p>"
        "</body></html>"
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


def answers_table(
    answers: pd.DataFrame, info: WorkshopInfo, lang: str = "nl", questions: list[Question] | None = None
) -> SheetTable:
    """The anonymous answers (p1, p2, ...): headers in the UI language, values rounded to one
    decimal; the workshop, area and source on the metadata sheet/file."""
    labels = {q.id: q.label(lang) for q in questions or []}
    col = {k: t(f"beeld_col_{k}", lang) for k in ("participant", "question", "round", "answer", "note", "sent")}
    frame = pd.DataFrame(
        {
            col["participant"]: answers["participant"].astype(str),
            col["question"]: [labels.get(q, q) for q in answers["question_id"]],
            col["round"]: answers["round"].astype(int),
            col["answer"]: [_rounded(v) for v in answers["value"]],
            col["note"]: answers["note"],
            col["sent"]: pd.to_datetime(answers["submitted_at"], utc=True).dt.strftime("%Y-%m-%d %H:%M:%S UTC"),
        }
    )
    header = [
        t("beeld_csv_header", lang, code=info.join_code, area=info.area_code, year=info.year),
        t("source_cbs", lang),
    ]
    return SheetTable(t("beeld_fac_export", lang), frame, header)


def answers_csv(
    answers: pd.DataFrame, info: WorkshopInfo, lang: str = "nl", questions: list[Question] | None = None
) -> bytes:
    """The anonymous answers as CSV for Dutch Excel (header in the first row)."""
    return csv_nl(answers_table(answers, info, lang, questions).frame)


def results_table(items: list[ReportItem], lang: str = "nl", info: WorkshopInfo | None = None) -> SheetTable:
    """Per revealed question and round: answers, median, spread, real value, gap, verdict, source;
    headers in the UI language, values rounded to one decimal."""
    rows = []
    for it in items:
        s = aggregate(it.question, it.guesses, it.truth, it.truth.gemeente if it.truth else None)
        gap = (s.median - it.truth.value) if it.truth and s.median is not None else None
        values = {
            "question": it.question.text(lang),
            "round": it.round,
            "answers": s.n,
            "median": _rounded(s.median),
            "q1": _rounded(s.q1),
            "q3": _rounded(s.q3),
            "real": _rounded(it.truth.value if it.truth else None),
            "gemeente": _rounded(it.truth.gemeente if it.truth else None),
            "gap": _rounded(gap),
            "negative": s.n_negative,
            "verdict": ""
            if it.truth is None or s.median is None or it.question.kind == "compare"
            else verdict_sentence(it.question, s.median, it.truth, lang, bold=False),
            "unit": unit_label(it.question.unit, lang),
            "source": it.source,
        }
        rows.append({t(f"beeld_col_{k}", lang): v for k, v in values.items()})
    columns = [t(f"beeld_col_{k}", lang) for k in RESULT_COLUMNS]
    header = [t("source_cbs", lang)]
    if info is not None:
        header.insert(0, t("beeld_csv_header", lang, code=info.join_code, area=info.area_code, year=info.year))
    return SheetTable(t("beeld_fac_results", lang), pd.DataFrame(rows, columns=columns), header)


def results_csv(items: list[ReportItem], lang: str = "nl") -> bytes:
    """The results per question as CSV for Dutch Excel (header in the first row)."""
    return csv_nl(results_table(items, lang).frame)


def qr_png(text: str) -> bytes:
    """A QR code (PNG bytes) for the join link, to show on the screen for phones."""
    import qrcode

    img = qrcode.make(text, box_size=8, border=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
