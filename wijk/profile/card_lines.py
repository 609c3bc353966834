"""The plain lines of a figure card: its year and period, an old or carried figure, the newer figure
of the enclosing area, what a class code means. Text only (the card's HTML is in wijk.profile.cards)."""

from __future__ import annotations

from wijk.core.catalogue import format_value
from wijk.core.i18n import load_labels, t
from wijk.core.provenance import OLD_AFTER_YEARS, is_old, period_text
from wijk.core.store import Figure
from wijk.profile.references import Comparison, ref_label


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
