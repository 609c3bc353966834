"""The figure cards' HTML (wijk.profile.cards): every text escaped, a missing figure never 0, the
provenance of each figure in its card, old and carried figures labelled."""

from __future__ import annotations

import pytest

from tests.card_html import read_cards, read_missing
from wijk.core.catalogue import Indicator
from wijk.core.store import Figure
from wijk.profile import cards, references
from wijk.profile.model import LocalRow
from wijk.profile.references import Comparison, Reference, deviation

HOSTILE = '<img src=x onerror="alert(1)"> & <script>alert(2)</script>'


def _indicator(label: str = "Inwoners", definition: str = "Aantal inwoners op 1 januari.", **kw) -> Indicator:
    fields = dict(
        id="inwoners",
        domain="bevolking",
        role="context",
        unit="pct",
        cbs_stem="AantalInwoners",
        numerator="",
        denominator=(),
        scale=1.0,
        aggregate="none",
        label_nl=label,
        label_en=label,
        definition_nl=definition,
        definition_en=definition,
    )
    return Indicator(**{**fields, **kw})


def _figure(code: str, value: float | None, **kw) -> Figure:
    base = dict(table="85984NED", variable="AantalInwoners_5", source="kwb-2024.xlsx", period="2024-01-01")
    return Figure(code=code, year=2024, indicator="inwoners", value=value, **{**base, **kw})


def _comparison(
    value: float | None, label: str = "Inwoners", definition: str = "Aantal inwoners.", name: str = "Oud-Zuid"
):
    gemeente = _figure("GM0014", 12.0)
    refs = (
        Reference("WK001401", "wijk", name, _figure("WK001401", 11.0), deviation(value, 11.0, "pct")),
        Reference("GM0014", "gemeente", "Groningen", gemeente, deviation(value, 12.0, "pct")),
    )
    return Comparison(_indicator(label, definition), _figure("BU00140107", value), refs)


def _only(html: str):
    (card,) = read_cards(html)
    return card


def test_hostile_text_is_escaped_and_reads_back_exactly():
    comp = _comparison(30.0, label=HOSTILE, definition=HOSTILE, name=HOSTILE)
    html = cards.card_html(comp, "nl")
    assert "<img" not in html and "<script" not in html and 'onerror="' not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;script&gt;" in html
    card = _only(html)
    assert card.label == HOSTILE and card.definition == HOSTILE  # shown as typed, as plain text
    assert f"wijk {HOSTILE} 11,0%" in card.lines[0]
    assert card.table[0][1:] == ["buurt", f"wijk {HOSTILE}", "gemeente Groningen"]


def test_a_missing_figure_shows_a_dash_and_why_never_0():
    card = _only(cards.card_html(_comparison(None), "nl", year=2024))
    assert card.value == "–" and "0" not in card.value
    assert card.lines[0] == "niet beschikbaar voor 2024 in de ingebouwde data"
    assert card.sign == ""  # no comparison without a figure
    assert card.facts("Waarde") == ["niet beschikbaar voor 2024 in de ingebouwde data", "11,0%", "12,0%"]
    assert card.facts("Indeling")[0] == "–"


def test_the_provenance_of_every_figure_is_in_its_card():
    card = _only(cards.card_html(_comparison(30.0), "nl", year=2024))
    assert card.label == "Inwoners" and card.value == "30,0%"
    assert card.lines[0] == "cijfer 2024 · betreft 1 januari 2024 · wijk Oud-Zuid 11,0% · gemeente Groningen 12,0%"
    assert card.sign == "veel hoger dan de gemeente"
    assert card.summaries == ["Wat betekent dit?", "Herkomst van de cijfers"]
    assert card.facts("CBS-tabel") == ["85984NED"] * 3
    assert card.facts("Variabele") == ["AantalInwoners_5"] * 3
    assert card.facts("Jaar") == ["2024"] * 3
    assert card.facts("Betreft periode") == ["1 januari 2024"] * 3
    assert card.facts("Gebiedscode") == ["BU00140107", "WK001401", "GM0014"]
    assert card.facts("Berekening") == ["–"] * 3
    assert "Definitie: Aantal inwoners." in card.provenance and "Bronbestand: kwb-2024.xlsx" in card.provenance


def test_english_card():
    card = _only(cards.card_html(_comparison(None), "en", year=2024))
    assert card.summaries == ["What does this mean?", "Where the figures come from"]
    assert card.lines[0] == "not available for 2024 in the embedded data"
    assert card.facts("CBS table") == ["85984NED"] * 3


def test_an_estimate_says_so_in_label_and_provenance():
    comp = _comparison(30.0)
    card = _only(cards.card_html(comp, "nl", estimate=True))
    assert card.label == "Inwoners (schatting)"
    assert "Modelschatting (RIVM/GGD/CBS), geen telling." in card.provenance


def test_old_and_carried_figures_are_labelled(store):
    """KWB 2017 income of Bijlmermuseum-Noord, published under its old code: OUD, the old code and
    the wijk's newer figure are all on the card."""
    comp = references.compare(store, "BU0363TG01", 2024, "inkomen_per_inwoner", strict=False)
    card = _only(cards.card_html(comp, "nl", year=2024))
    assert card.lines[0].startswith("OUD · cijfer 2017 · betreft 2014 · zelfde gebied, in 2017 code BU03639402")
    assert any(line.startswith("Nieuwer cijfer van wijk Bijlmermuseum: ") for line in card.lines)
    assert any("Dit cijfer is gepubliceerd onder code BU03639402" in line for line in card.lines)
    assert card.facts("Gebiedscode")[0] == "BU0363TG01"  # the area's code; the old one is on the card


def test_a_grid_holds_every_card_and_nothing_for_none():
    comps = [_comparison(30.0), _comparison(None, label="Huishoudens")]
    html = cards.grid_html(comps, "nl", notes={"inwoners": "profiel_note_crime"}, year=2024)
    assert html.startswith('<div class="wb-cards">')
    first, second = read_cards(html)
    assert [first.label, second.label] == ["Inwoners", "Huishoudens"]
    assert first.lines[-1].startswith("Misdrijven worden geteld waar ze gepleegd zijn")  # its note
    assert not any(line.startswith("Misdrijven") for line in second.lines)  # no note without a figure
    assert cards.grid_html([], "nl") == "" and cards.local_grid_html([], "nl") == ""


@pytest.mark.parametrize(
    ("figure", "shown"),
    [
        (Figure("BU00140107", 2024, "x", None, suppressed=True), "onderdrukt"),
        (Figure("BU00140107", 2024, "x", None), "geen waarde voor dit gebied"),
        (Figure("BU00140107", 2024, "x", 42.0), "42"),
    ],
)
def test_own_data_card(figure, shown):
    row = LocalRow(dataset=HOSTILE, source=HOSTILE, label=HOSTILE, unit="count", figure=figure)
    html = cards.local_card_html(row, "nl")
    assert "<img" not in html and "<script" not in html
    card = _only(html)
    assert card.label == HOSTILE and card.value.startswith(shown)
    assert card.lines == [f"Eigen data, niet van het CBS. Bron: {HOSTILE} (dataset {HOSTILE}, jaar 2024)."]


def test_the_missing_line_lists_each_figure_as_plain_text_and_is_empty_without_any():
    line = cards.missing_html([_comparison(None, label=HOSTILE)], 2024, "nl")
    (text,) = read_missing(line)
    assert text.startswith("Niet beschikbaar voor 2024 in de ingebouwde data: " + HOSTILE)
    assert "<script>" not in line and "<img" not in line
    assert cards.missing_html([], 2024, "nl") == ""
