"""Summary sentences on real embedded rows: about the area, both directions, no sentence for a gap."""

from __future__ import annotations

import re

from wijk.profile.model import build_profile
from wijk.profile.summary import summary_sentences

ABOUT_PEOPLE = re.compile(r"\b(gezin|gezinnen|mensen|families|people|arm|armoedig|poor|criminel)", re.I)


def test_laanhuizen_2024_both_directions(store):
    p = build_profile(store, "BU00140107", 2024)
    s = summary_sentences(p, "nl")
    assert 3 <= len(s) <= 6
    assert s[0] == "Laanhuizen is een buurt in wijk Oud-Zuid, gemeente Groningen."
    assert "1.325 inwoners" in s[1]
    assert any("hoger dan in de gemeente Groningen" in x for x in s)
    assert any("lager dan in de gemeente Groningen" in x for x in s)
    assert not any(ABOUT_PEOPLE.search(x) for x in s)


def test_sentence_values_come_from_the_data(store):
    p = build_profile(store, "BU00140107", 2024)
    s = " ".join(summary_sentences(p, "nl"))
    # share of households with children: 80 of 940 in the buurt, against the gemeente's figure
    assert "Aandeel huishoudens met kinderen: veel lager dan in de gemeente Groningen (8,5% tegen 17,7%)." in s


def test_english(store):
    s = summary_sentences(build_profile(store, "BU00140107", 2024), "en")
    assert s[0] == "Laanhuizen is a neighbourhood in district Oud-Zuid, municipality of Groningen."
    assert any("than in the municipality of Groningen" in x for x in s)
    assert not any(ABOUT_PEOPLE.search(x) for x in s)


def test_no_sentence_for_missing_figures(store):
    p = build_profile(store, "BU00140107", 2020, strict=True)  # 2020: only RIVM estimates for this buurt
    s = summary_sentences(p, "nl")
    assert not any("inwoners" in x for x in s)
    assert not any("Aandeel huishoudens met kinderen" in x for x in s)
    assert any("(schatting)" in x for x in s)
    p24 = build_profile(store, "BU00140107", 2024)  # no income in 2024
    assert not any("inkomen" in x.lower() for x in summary_sentences(p24, "nl"))


def test_income_in_2017(store):
    s = summary_sentences(build_profile(store, "BU00140107", 2017), "nl")
    assert any("sociaal minimum" in x for x in s)


def test_gemeente_compared_with_nl(store):
    s = summary_sentences(build_profile(store, "GM0014", 2024), "nl")
    assert s[0] == "Groningen is een gemeente in Nederland."
    assert any("dan in Nederland" in x for x in s[2:])


def test_small_buurt_gets_a_caution(store):
    p = build_profile(store, "BU00140004", 2024)  # Noorderplantsoen: 10 inhabitants
    s = summary_sentences(p, "nl")
    assert any("wijkcijfers zijn betrouwbaarder" in x for x in s)
    assert len(s) <= 6


def test_a_small_buurt_leads_with_its_people_not_a_crime_rate(store):
    """Driebond (75 inhabitants): one incident is 13 per 1,000; the summary says why it leaves rates out."""
    p = build_profile(store, "BU00140505", 2024)
    assert p.small.small and not p.comparisons["misdrijven_per_1000"].missing
    s = summary_sentences(p, "nl")
    assert s[0].startswith("Driebond is een buurt") and "75 inwoners" in s[1]
    rates = [c.indicator.label("nl") for c in p.comparisons.values() if c.indicator.unit == "per1000"]
    assert not any(x.startswith(tuple(rates)) for x in s), s
    assert any("Cijfers per 1.000 inwoners, zoals misdrijven, staan niet in deze samenvatting" in x for x in s)
    assert len(s) <= 6


def test_a_wijk_named_wijk_is_not_called_wijk_twice(store):
    s = summary_sentences(build_profile(store, "BU16800000", 2024), "nl")
    assert s[0] == "Annen is een buurt in Wijk 00 Annen, gemeente Aa en Hunze."
    assert not any("wijk Wijk" in x for x in s)


def test_a_latest_figure_of_an_earlier_year_says_its_year(store):
    """In the default (latest-figure) view a sentence may rest on an older figure: it names the year."""
    p = build_profile(store, "BU08551201", 2024)  # Armhoef Noord-West, Tilburg: RIVM 2020, income 2017
    s = summary_sentences(p, "nl")
    older = [x for x in s if "cijfer 20" in x]
    assert older, s
    for sentence in older:
        year = int(sentence.split("cijfer ")[1][:4])
        assert year < 2024
    assert any("(schatting, cijfer 2020)" in x for x in s)
    assert not any("cijfer 2024" in x for x in s)  # the selected year needs no mention
