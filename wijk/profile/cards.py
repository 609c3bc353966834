"""Figure cards as the app's own HTML: a whole grid of cards is one st.html element (issue 22).

A card of bordered container + metric + captions + expander in columns cost some ten elements, each
sent and drawn on its own; the profile has dozens. Here a card is a `<div class="wb-card">` in a CSS
grid (static/wijkbeeld.css) with the same content: label, value, what the figure means (a native
<details>, keyboard and screen-reader reachable), year lines, references, sign, note and the
provenance in a second <details> that opens in the browser without a server round trip.

Every piece of text goes through `html_text` (plain, HTML-escaped), the app's own sentences included.
A missing figure shows "–" and says why, never 0.
"""

from __future__ import annotations

from wijk.core.catalogue import format_value
from wijk.core.codes import level_of
from wijk.core.i18n import t
from wijk.core.provenance import coverage_text, period_text
from wijk.core.store import Figure
from wijk.core.text import html_text
from wijk.profile.card_lines import code_meaning, newer_text, year_lines
from wijk.profile.model import LocalRow
from wijk.profile.references import (
    Comparison,
    nearest_available,
    ref_label,
    reference_text,
    references_text,
    sign_text,
    value_text,
)

MISSING = "–"


def _p(cls: str, text: str) -> str:
    return f'<p class="{cls}">{html_text(text)}</p>'


def _details(cls: str, summary: str, body: str) -> str:
    return f'<details class="{cls}"><summary>{html_text(summary)}</summary>{body}</details>'


def _prov_column(fig: Figure, unit: str, lang: str) -> list[str]:
    """One area's provenance cells, in the order of `_PROV_ROWS`."""
    cov = coverage_text(fig, lang)
    return [
        value_text(fig, unit, lang),
        fig.table or MISSING,
        fig.variable or MISSING,
        str(fig.year),
        period_text(fig.period, lang) or MISSING,
        fig.boundary_text(lang) if fig.value is not None else MISSING,
        fig.code,
        (fig.method_text(lang) + (f" · {cov}" if cov else "")) if fig.method else MISSING,
    ]


_PROV_ROWS = (
    "profiel_col_value",
    "prov_table",
    "prov_variable",
    "prov_year",
    "prov_period",
    "prov_boundary",
    "prov_area",
    "prov_method",
)


def provenance_html(comp: Comparison, lang: str = "nl", estimate: bool = False) -> str:
    """The definition, the source file and a table: one column for the area and one per reference,
    one row per fact (value, CBS table, variable, year, period, boundaries, area code, method)."""
    unit = comp.indicator.unit
    heads = [t("level_" + (level_of(comp.figure.code) or "gemeente"), lang)]
    columns = [_prov_column(comp.figure, unit, lang)]
    for ref in comp.references:
        heads.append(ref_label(ref, lang))
        columns.append(_prov_column(ref.figure, unit, lang))
    definition = html_text(comp.indicator.definition(lang))
    out = f"<p><strong>{html_text(t('profiel_prov_definition', lang))}:</strong> {definition}</p>"
    if estimate:
        out += _p("wb-card-line", t("profiel_prov_estimate", lang))
    src = comp.figure.source or next((r.figure.source for r in comp.references if r.figure.source), "")
    if src:
        out += f"<p>{html_text(t('prov_source', lang))}: <code>{html_text(src)}</code></p>"
    head = "".join(f'<th scope="col">{html_text(h)}</th>' for h in heads)
    rows = "".join(
        f'<tr><th scope="row">{html_text(t(key, lang))}</th>'
        + "".join(f"<td>{html_text(col[i])}</td>" for col in columns)
        + "</tr>"
        for i, key in enumerate(_PROV_ROWS)
    )
    name = html_text(t("provenance_title", lang) + ": " + comp.indicator.label(lang))
    return out + (
        f'<div class="wb-table-wrap" role="region" tabindex="0" aria-label="{name}">'
        f"<table><thead><tr><td></td>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def card_html(
    comp: Comparison,
    lang: str = "nl",
    estimate: bool = False,
    note_key: str | None = None,
    year: int | None = None,
) -> str:
    """One card: label, value (or '–' and why), what a class code means, year lines with the
    references, the enclosing area's newer figure, the sign, a note, the definition and provenance.
    With `year` (the selected year) it says when the figure is of another year or old."""
    ind, fig = comp.indicator, comp.figure
    label = ind.label(lang) + (" " + t("profiel_estimate_tag", lang) if estimate else "")
    parts = [_p("wb-card-label", label)]
    if fig.value is None:
        parts += [_p("wb-card-value", MISSING), _p("wb-card-line", value_text(fig, ind.unit, lang))]
    else:
        parts.append(_p("wb-card-value", format_value(fig.value, ind.unit, lang)))
        meaning = code_meaning(ind.id, ind.unit, fig.value, lang)
        if meaning:
            parts.append(_p("wb-card-line", meaning))
    lines = year_lines(fig, year, lang)
    parts.append(_p("wb-card-line", f"{lines[0]} · {reference_text(comp, lang)}"))
    parts += [_p("wb-card-line", line) for line in lines[1:]]
    if comp.newer is not None:
        parts.append(_p("wb-card-line", newer_text(comp, lang)))
    sign = sign_text(comp.main, lang)
    if sign and fig.value is not None:
        parts.append(f'<p class="wb-card-sign"><strong>{html_text(sign)}</strong></p>')
    if note_key and fig.value is not None:
        parts.append(_p("wb-card-line", t(note_key, lang)))
    definition = ind.definition(lang)
    if definition:
        parts.append(_details("wb-card-def", t("profiel_card_definition", lang), _p("wb-card-line", definition)))
    parts.append(_details("wb-card-prov", t("provenance_title", lang), provenance_html(comp, lang, estimate)))
    return '<div class="wb-card">' + "".join(parts) + "</div>"


def grid_html(comps: list[Comparison], lang: str = "nl", notes: dict | None = None, year: int | None = None) -> str:
    """The cards of a section in one grid; '' when there are none."""
    notes = notes or {}
    cards = [card_html(c, lang, c.indicator.estimate, notes.get(c.indicator.id), year) for c in comps]
    return '<div class="wb-cards">' + "".join(cards) + "</div>" if cards else ""


def local_card_html(row: LocalRow, lang: str = "nl") -> str:
    """A card for an own-data figure: 'onderdrukt' when suppressed, the user's source always shown, and
    the wijk/gemeente/NL of the same upload as references with a plain sign, like a CBS card."""
    fig = row.figure
    unit = row.unit if row.unit in ("count", "pct", "per1000") else "number"
    if fig.suppressed:
        shown = t("profiel_suppressed", lang)
    elif fig.value is None:
        shown = t("profiel_local_missing", lang)
    else:
        shown = format_value(fig.value, unit, lang)
    parts = [_p("wb-card-label", row.label), _p("wb-card-value", shown)]
    if row.references:
        parts.append(_p("wb-card-line", references_text(row.references, unit, lang)))
        sign = sign_text(row.main, lang)
        if sign and fig.value is not None:
            parts.append(f'<p class="wb-card-sign"><strong>{html_text(sign)}</strong></p>')
    intro = t("profiel_local_intro", lang, source=row.source, name=row.dataset, year=fig.year)
    parts.append(_p("wb-card-line", intro))
    return '<div class="wb-card">' + "".join(parts) + "</div>"


def local_grid_html(rows: list[LocalRow], lang: str = "nl") -> str:
    """The own-data cards in one grid; '' when there are none."""
    return '<div class="wb-cards">' + "".join(local_card_html(r, lang) for r in rows) + "</div>" if rows else ""


def missing_html(comps: list[Comparison], year: int, lang: str = "nl") -> str:
    """One line listing the figures this area has no value for in this year ('' for none)."""
    if not comps:
        return ""
    labels = ", ".join(
        c.indicator.label(lang) + (f" ({near})" if (near := nearest_available(c, lang)) else "") for c in comps
    )
    return _p("wb-cards-missing", t("profiel_missing_list", lang, year=year, labels=labels))
