"""Print / download of the profile: a one-page printable HTML and the figures as CSV, both 'Bron: CBS'.

Every text that comes from data (area names, labels, sources) is HTML-escaped; the table goes out
through `wijk.core.spreadsheet` (CSV for Dutch Excel, .xlsx, sources in a file and sheet of their own).
"""

from __future__ import annotations

import datetime as dt
from html import escape

import pandas as pd

from wijk.core import codes, spreadsheet
from wijk.core.i18n import t
from wijk.core.provenance import is_old, period_text
from wijk.core.spreadsheet import SheetTable
from wijk.profile.model import Profile, export_frame, subtitle
from wijk.profile.references import Comparison, reference_text, sign_text, value_text

CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 10.5pt; color: #1b1b1b; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 17pt; margin: 0 0 2pt; } h2 { font-size: 12pt; margin: 10pt 0 3pt; border-bottom: 1px solid #ccc; }
.sub, .note, .src { color: #555; font-size: 9pt; } .area-note { border-left: 3px solid #1f6f8b; padding: 3pt 6pt; margin: 6pt 0; }
.warn { border-left: 3px solid #c77c02; padding: 3pt 6pt; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: 2pt 4pt; border-bottom: 1px solid #eee; vertical-align: top; }
td.v { font-weight: 600; white-space: nowrap; } td.r { color: #444; font-size: 9pt; }
ul { margin: 2pt 0 4pt 14pt; padding: 0; }
@media print { h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""


def attribution(lang: str = "nl") -> str:
    """The licence attribution; always contains the literal 'Bron: CBS' (also in English: a test holds it)."""
    return t("source_cbs_export", lang)


def _year_cell(fig, lang: str, year: int | None = None) -> str:
    """'2020' or '2020 (najaar 2020)': the figure's year with the period it describes; 'oud' for a figure
    more than five years before the selected year, and the old code of the same area it came from."""
    period = period_text(fig.period, lang) if fig.value is not None else ""
    text = f"{fig.year}" + (f" ({period})" if period and period != str(fig.year) else "")
    if fig.value is not None and is_old(fig.year, fig.period, year):
        text += " · " + t("figure_old_tag", lang)
    if fig.carried_from:
        text += " · " + t("figure_carried_from", lang, code=fig.carried_from, year=fig.boundaries)
    return text


def _rows(comps: list[Comparison], profile: Profile, lang: str) -> str:
    out = []
    for c in comps:
        label = c.indicator.label(lang) + (
            " " + t("profiel_estimate_tag", lang) if profile.is_estimate(c.indicator.id) else ""
        )
        out.append(
            f"<tr><td>{escape(label)}</td><td class='v'>{escape(value_text(c.figure, c.indicator.unit, lang))}</td>"
            f"<td>{escape(_year_cell(c.figure, lang, profile.year))}</td><td class='r'>{escape(reference_text(c, lang))}<br>{escape(sign_text(c.main, lang))}</td>"
            f"<td class='r'>{escape(c.figure.table)}</td></tr>"
        )
    return "".join(out)


def _table(comps: list[Comparison], profile: Profile, lang: str) -> str:
    head = "".join(
        f"<th>{escape(h)}</th>"
        for h in (
            t("profiel_col_indicator", lang),
            t("profiel_col_value", lang),
            t("profiel_col_year", lang),
            t("profiel_col_sign", lang),
            t("prov_table", lang),
        )
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{_rows(comps, profile, lang)}</tbody></table>"


def profile_html(profile: Profile, summary: list[str], lang: str = "nl", today: dt.date | None = None) -> str:
    """A standalone HTML page that prints on about one A4 page: name, summary, figures with years, source."""
    today = today or dt.date.today()
    parts = [
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>",
        f"<title>{escape(t('profiel_title', lang, name=profile.name))}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(t('profiel_title', lang, name=profile.name))}</h1>",
        f"<div class='sub'>{escape(subtitle(profile, 'profiel_year_of', lang))}</div>",
        f"<div class='area-note'>{escape(t('area_note', lang))}</div>",
    ]
    if profile.small.small:
        parts.append(f"<div class='warn'>{escape(t('profiel_sum_small', lang))}</div>")
    parts.append(
        f"<h2>{escape(t('profiel_summary', lang))}</h2><ul>"
        + "".join(f"<li>{escape(s)}</li>" for s in summary)
        + "</ul>"
    )
    parts.append(f"<h2>{escape(t('profiel_headline', lang))}</h2>{_table(profile.headline, profile, lang)}")
    for sec in profile.sections:
        if not sec.rows and not sec.missing:
            continue
        parts.append(f"<h2>{escape(t('profiel_section_' + sec.id, lang))}</h2>")
        if sec.rows:
            parts.append(_table(sec.rows, profile, lang))
        if sec.missing:
            labels = ", ".join(c.indicator.label(lang) for c in sec.missing)
            parts.append(
                f"<p class='note'>{escape(t('profiel_missing_list', lang, year=profile.year, labels=labels))}</p>"
            )
        parts += [f"<p class='note'>{escape(t(k, lang))}</p>" for k in sec.notes]
    parts.append(
        f"<p class='src'>{escape(attribution(lang))}. {escape(t('profiel_thresholds', lang))} "
        f"{escape(t('profiel_export_generated', lang, date=today.isoformat()))}</p></body></html>"
    )
    return "".join(parts)


def header_lines(profile: Profile, lang: str = "nl", today: dt.date | None = None) -> list[str]:
    years = sorted({c.figure.year for c in profile.comparisons.values()})
    return [
        t("profiel_title", lang, name=profile.name) + f" ({profile.code})",
        attribution(lang),
        t("profiel_export_years", lang, years=", ".join(map(str, years))),
        t("area_note", lang),
        t("profiel_export_generated", lang, date=(today or dt.date.today()).isoformat()),
    ]


def numeric_frame(profile: Profile, lang: str = "nl") -> pd.DataFrame:
    """The export frame with its value and reference columns as numbers (missing: empty, never 0)."""
    frame = export_frame(profile, lang)
    numeric = [t("profiel_col_value", lang), *(t(f"profiel_col_{level}", lang) for level in codes.PARENT_LEVELS)]
    for col in numeric:
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col].replace("", None), errors="coerce").astype("float64")
    return frame


def profile_table(profile: Profile, lang: str = "nl", today: dt.date | None = None) -> SheetTable:
    return SheetTable(
        t("profiel_title", lang, name=profile.name), numeric_frame(profile, lang), header_lines(profile, lang, today)
    )


def profile_csv(profile: Profile, lang: str = "nl") -> bytes:
    """CSV for Dutch Excel (header in the first row; the sources are in `profile_files`' other files)."""
    return spreadsheet.csv_nl(numeric_frame(profile, lang))


def profile_files(profile: Profile, lang: str = "nl", today: dt.date | None = None) -> dict:
    """CSV for Dutch Excel, .xlsx (numbers as numbers, sources on their own sheet) and the sources file."""
    return spreadsheet.files(profile_table(profile, lang, today), file_stem(profile, lang), lang)


def file_stem(profile: Profile, lang: str = "nl") -> str:
    return t("file_profile", lang, code=profile.code, year=profile.year)
