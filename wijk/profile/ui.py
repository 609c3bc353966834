"""Figure cards: a figure with its wijk/gemeente/NL references, a plain sign and its provenance.

Reusable by every page: pass `wijk.profile.references.Comparison`s (from `compare` / `compare_many`).
A missing figure shows "niet beschikbaar voor {year} in de ingebouwde data", never 0.
"""

from __future__ import annotations

import streamlit as st

from wijk.core.catalogue import format_value
from wijk.core.codes import level_of
from wijk.core.i18n import load_labels, t
from wijk.core.provenance import OLD_AFTER_YEARS, coverage_text, is_old, period_text
from wijk.core.store import Figure
from wijk.core.text import md
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


def _prov_row(label: str, fig: Figure, unit: str, lang: str) -> str:
    shown = value_text(fig, unit, lang)
    cov = coverage_text(fig, lang)
    cells = [
        label,
        shown,
        fig.table or "–",
        fig.variable or "–",
        str(fig.year),
        period_text(fig.period, lang) or "–",
        fig.boundary_text(lang) if fig.value is not None else "–",
        fig.code,
        (fig.method_text(lang) + (f" · {cov}" if cov else "")) if fig.method else "–",
    ]
    return "| " + " | ".join(md(c) for c in cells) + " |"


def provenance_markdown(comp: Comparison, lang: str = "nl", estimate: bool = False) -> str:
    """A markdown table: for the area and each reference, value, CBS table, variable, year, code, method."""
    unit = comp.indicator.unit
    head = [
        "",
        t("profiel_col_value", lang),
        t("prov_table", lang),
        t("prov_variable", lang),
        t("prov_year", lang),
        t("prov_period", lang),
        t("prov_boundary", lang),
        t("prov_area", lang),
        t("prov_method", lang),
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines.append(_prov_row(t("level_" + _level(comp.figure.code), lang), comp.figure, unit, lang))
    for ref in comp.references:
        lines.append(_prov_row(ref_label(ref, lang), ref.figure, unit, lang))
    text = f"**{md(t('profiel_prov_definition', lang))}:** {md(comp.indicator.definition(lang))}\n\n"
    if estimate:
        text += md(t("profiel_prov_estimate", lang)) + "\n\n"
    src = comp.figure.source or next((r.figure.source for r in comp.references if r.figure.source), "")
    if src:
        text += f"{md(t('prov_source', lang))}: `{src.replace('`', '')}`\n\n"
    return text + "\n".join(lines)


def _level(code: str) -> str:
    return level_of(code) or "gemeente"


def carried_text(fig: Figure, lang: str = "nl") -> str:
    """'zelfde gebied, in 2020 code BU03639402' for a figure carried from the old code of the same area."""
    return t("figure_carried_from", lang, code=fig.carried_from, year=fig.boundaries) if fig.carried_from else ""


def newer_text(comp: Comparison, lang: str = "nl") -> str:
    """'Nieuwer cijfer van wijk Bijlmermuseum: € 23,7 dzd (cijfer 2024 · ...); dat is het cijfer van dat grotere gebied'."""
    ref = comp.newer
    if ref is None or ref.figure.value is None:
        return ""
    when = year_lines(ref.figure, None, lang)[0]
    value = format_value(ref.figure.value, comp.indicator.unit, lang)
    return t("profiel_newer_enclosing", lang, area=ref_label(ref, lang), value=value, year=when)


def year_lines(fig: Figure, year: int | None, lang: str = "nl") -> list[str]:
    """'cijfer 2020 · betreft najaar 2020' and, when the figure is not of the selected year or its
    boundaries, a plain line saying so (older figure / newer figure on the same indeling)."""
    period = period_text(fig.period, lang)
    first = (
        t("profiel_period_of", lang, year=fig.year, period=period)
        if period and period != str(fig.year)
        else t("profiel_year_of", lang, year=fig.year)
    )
    if fig.boundary_unknown:
        first += " · " + fig.boundary_text(lang)
    elif fig.boundary_year is not None and fig.boundary_year != fig.year:
        first += " · " + t("profiel_boundary_of", lang, year=fig.boundary_year)
    if fig.carried_from:
        first += " · " + carried_text(fig, lang)
    out = [first]
    if year is None or fig.value is None or fig.boundary_unknown:
        return out
    if is_old(fig.year, fig.period, year):
        out[0] = t("figure_old_tag", lang).upper() + " · " + out[0]
        out.append(t("profiel_old_figure", lang, fig_year=fig.year, year=year, n=OLD_AFTER_YEARS))
    elif fig.year < year:
        out.append(t("profiel_older_figure", lang, fig_year=fig.year, year=year))
    elif fig.year > year:
        out.append(t("profiel_later_figure", lang, fig_year=fig.year, year=fig.boundaries))
    if fig.carried_from:
        out.append(t("figure_carried_note", lang, old=fig.carried_from, boundary=fig.boundaries, code=fig.code))
    elif fig.boundaries != year:
        out.append(t("profiel_other_boundaries", lang, boundary=fig.boundaries, year=year))
    return out


def code_meaning(indicator: str, unit: str, value: float | None, lang: str = "nl") -> str:
    """What a class code means, e.g. urbanity 2: '2 = sterk stedelijk (1 = zeer sterk ... 5 = niet
    stedelijk)'; '' for other units or codes without words in data/i18n (profiel_code_<id>_<n>)."""
    if unit != "code" or value is None:
        return ""
    word = f"profiel_code_{indicator}_{int(round(value))}"
    if word not in load_labels():
        return ""
    return t(f"profiel_code_{indicator}", lang, value=int(round(value)), word=t(word, lang))


def figure_card(
    comp: Comparison,
    lang: str = "nl",
    estimate: bool = False,
    note_key: str | None = None,
    year: int | None = None,
    key: str | None = None,
) -> None:
    """One bordered card: label, value (or 'niet beschikbaar'), year and period, references, sign,
    provenance expander; with `year` (the selected year) it says when the figure is of another year.
    With a `key` the provenance is lazy: made and sent when its expander is opened (a screen has dozens)."""
    ind, fig = comp.indicator, comp.figure
    label = ind.label(lang) + (" " + t("profiel_estimate_tag", lang) if estimate else "")
    with st.container(border=True):
        if fig.value is None:
            st.metric(label, "–", help=ind.definition(lang))
            st.caption(md(value_text(fig, ind.unit, lang)))
        else:
            st.metric(label, format_value(fig.value, ind.unit, lang), help=ind.definition(lang))
            meaning = code_meaning(ind.id, ind.unit, fig.value, lang)
            if meaning:
                st.caption(md(meaning))
        lines = year_lines(fig, year, lang)
        st.caption(md(f"{lines[0]} · {reference_text(comp, lang)}"))
        for line in lines[1:]:
            st.caption(md(line))
        if comp.newer is not None:
            st.caption(md(newer_text(comp, lang)))
        sign = sign_text(comp.main, lang)
        if sign and fig.value is not None:
            st.markdown(f"**{md(sign)}**")
        if note_key and fig.value is not None:
            st.caption(md(t(note_key, lang)))
        if key is None:
            with st.expander(t("provenance_title", lang)):
                st.markdown(provenance_markdown(comp, lang, estimate))
            return
        with st.expander(t("provenance_title", lang), key=key, on_change="rerun") as box:
            if box.open:
                st.markdown(provenance_markdown(comp, lang, estimate))


def card_grid(
    comps: list[Comparison],
    lang: str = "nl",
    columns: int = 3,
    notes: dict | None = None,
    year: int | None = None,
    key: str | None = None,
) -> None:
    """Cards in rows of `columns`; with a `key`, each card's provenance expander is lazy, keyed
    `<key>_<indicator id>` (see figure_card)."""
    notes = notes or {}
    for start in range(0, len(comps), columns):
        cols = st.columns(columns)
        for col, comp in zip(cols, comps[start : start + columns]):
            with col:
                card_key = f"{key}_{comp.indicator.id}" if key else None
                figure_card(comp, lang, comp.indicator.estimate, notes.get(comp.indicator.id), year, card_key)


def missing_note(comps: list[Comparison], year: int, lang: str = "nl") -> None:
    """One caption listing the figures this area has no value for in this year."""
    if comps:
        labels = ", ".join(
            c.indicator.label(lang) + (f" ({near})" if (near := nearest_available(c, lang)) else "") for c in comps
        )
        st.caption(md(t("profiel_missing_list", lang, year=year, labels=labels)))


def local_card(row: LocalRow, lang: str = "nl") -> None:
    """A card for an own-data figure: 'onderdrukt' when suppressed, the user's source always shown, and
    the wijk/gemeente/NL of the same upload as references with a plain sign, like a CBS card."""
    fig = row.figure
    unit = row.unit if row.unit in ("count", "pct", "per1000") else "number"
    with st.container(border=True):
        if fig.suppressed:
            shown = t("profiel_suppressed", lang)
        elif fig.value is None:
            shown = t("profiel_local_missing", lang)
        else:
            shown = format_value(fig.value, unit, lang)
        st.metric(md(row.label), shown)
        if row.references:
            st.caption(md(references_text(row.references, unit, lang)))
            sign = sign_text(row.main, lang)
            if sign and fig.value is not None:
                st.markdown(f"**{md(sign)}**")
        st.caption(md(t("profiel_local_intro", lang, source=row.source, name=row.dataset, year=fig.year)))
