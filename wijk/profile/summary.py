"""A short plain-language summary of an area: 3-6 sentences about the AREA, never about people.

One context sentence (size), then what stands out against the gemeente (against NL for a gemeente
itself) in both directions: the largest deviation upwards and downwards first, then the next
largest. A figure that is missing gets no sentence. A small buurt (wijk.profile.model.small_check) gets
no sentence about a rate per 1,000 inhabitants (crime, benefits): with 85 inhabitants one incident
is 12 per 1,000, so such a rate would lead the summary on noise; it says so instead. Wording comes
from data/i18n/profiel.toml.
"""

from __future__ import annotations

from typing import NamedTuple

from wijk.core import settings
from wijk.core.catalogue import format_value
from wijk.core.i18n import t, with_level
from wijk.profile.model import Profile
from wijk.profile.references import Comparison, Deviation, Reference

SUMMARY_IDS = settings.ids("profile", "summary")  # in order of preference (data/settings.toml)
MAX_DEVIATIONS = 5
CRIME_DOMAIN = settings.setting("indicators", "crime_domain")  # its figures are registered crime
RATE_UNITS = ("per1000",)


def _is_rate(comp: Comparison) -> bool:
    """A rate per 1,000 inhabitants (crime, benefits): noise in a small buurt."""
    return comp.indicator.unit in RATE_UNITS or comp.indicator.domain == CRIME_DOMAIN


class _Candidate(NamedTuple):
    """A comparison the summary may speak about: its main reference and the deviation from it."""

    comp: Comparison
    ref: Reference
    dev: Deviation


def _candidates(profile: Profile) -> list[_Candidate]:
    out = []
    for i in SUMMARY_IDS:
        comp = profile.comparisons.get(i)
        if comp is None or comp.missing or comp.main is None or comp.main.deviation is None:
            continue
        if profile.small.small and _is_rate(comp):
            continue
        out.append(_Candidate(comp, comp.main, comp.main.deviation))
    return out


def _rates_left_out(profile: Profile) -> bool:
    """A small buurt with a rate per 1,000 that the summary leaves out."""
    return profile.small.small and any(
        (c := profile.comparisons.get(i)) is not None and not c.missing and _is_rate(c) for i in SUMMARY_IDS
    )


def _pick(cands: list[_Candidate]) -> list[_Candidate]:
    """Both directions first (the largest up and the largest down), then by size; similar ones last."""
    off = [c for c in cands if c.dev.direction != "similar"]
    off.sort(key=lambda c: -c.dev.score)
    chosen: list[_Candidate] = []
    for direction in ("higher", "lower"):
        first = next((c for c in off if c.dev.direction == direction), None)
        if first is not None:
            chosen.append(first)
    chosen += [c for c in off if c not in chosen]
    return chosen[:MAX_DEVIATIONS]


def _ref_name(ref: Reference, lang: str) -> str:
    if ref.level == "wijk":  # 'wijk Oud-Zuid', but 'Wijk 00 Annen' as it is
        return with_level("wijk", ref.name, lang)
    return t(f"profiel_sum_ref_{ref.level}", lang, name=ref.name)


def deviation_sentence(comp: Comparison, profile: Profile, lang: str = "nl") -> str | None:
    """The sentence about one figure against its main reference; None when there is nothing to compare with."""
    ref, unit = comp.main, comp.indicator.unit
    if ref is None or ref.deviation is None:
        return None
    dev = ref.deviation
    key = "profiel_sum_similar" if dev.direction == "similar" else f"profiel_sum_{dev.strength}_{dev.direction}"
    text = t(
        key,
        lang,
        label=comp.indicator.label(lang),
        ref=_ref_name(ref, lang),
        value=format_value(comp.figure.value, unit, lang),
        ref_value=format_value(ref.figure.value, unit, lang),
    )
    notes = [t("profiel_sum_estimate", lang)] if profile.is_estimate(comp.indicator.id) else []
    if comp.figure.year != profile.year:  # the latest figure of an earlier year: say which
        notes.append(t("profiel_sum_year", lang, year=comp.figure.year))
    if notes:
        text = text[:-1] + " (" + ", ".join(notes) + ")."
    if comp.indicator.domain == CRIME_DOMAIN:
        text = text[:-1] + t("profiel_sum_crime", lang) + "."
    return text


def where_sentence(profile: Profile, lang: str = "nl") -> str:
    """'Laanhuizen is een buurt in wijk Oud-Zuid, gemeente Groningen.' (no figures needed)."""
    names = {level: name for _, level, name in profile.parents}
    level = t(f"level_{profile.level}", lang)
    if profile.level == "buurt":
        return t(
            "profiel_sum_where_buurt",
            lang,
            name=profile.name,
            level=level,
            wijk=with_level("wijk", names.get("wijk", ""), lang),
            gemeente=names.get("gemeente", ""),
        )
    if profile.level == "wijk":
        return t("profiel_sum_where_wijk", lang, name=profile.name, level=level, gemeente=names.get("gemeente", ""))
    return t("profiel_sum_where", lang, name=profile.name, level=level)


def size_sentence(profile: Profile, lang: str = "nl") -> str | None:
    inw = profile.comparisons.get("inwoners")
    if inw is None or inw.missing:
        return None
    hh = profile.comparisons.get("huishoudens")
    fmt = {"year": profile.year, "inwoners": format_value(inw.figure.value, "count", lang)}
    if hh is not None and not hh.missing:
        return t("profiel_sum_size_hh", lang, huishoudens=format_value(hh.figure.value, "count", lang), **fmt)
    return t("profiel_sum_size", lang, **fmt)


def summary_sentences(profile: Profile, lang: str = "nl") -> list[str]:
    """3-6 sentences when the data allows (fewer when figures are missing: no sentence for a gap)."""
    sentences = [s for s in [where_sentence(profile, lang), size_sentence(profile, lang)] if s]
    if profile.small.small:
        sentences.append(t("profiel_sum_small", lang))
    if _rates_left_out(profile):
        sentences.append(t("profiel_sum_small_rates", lang))
    cands = _candidates(profile)
    picked = _pick(cands)[: 6 - len(sentences)]
    sentences += [s for c in picked if (s := deviation_sentence(c.comp, profile, lang))]
    similar = [c for c in cands if c.dev.direction == "similar"]
    if len(sentences) < 3 and similar:
        labels = [c.comp.indicator.label(lang).lower() for c in similar[:3]]
        sentences.append(t("profiel_sum_alike", lang, labels=", ".join(labels), ref=_ref_name(similar[0].ref, lang)))
    return sentences[:6]
