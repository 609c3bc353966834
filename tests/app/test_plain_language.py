"""AppTest: plain Dutch for a youth worker: no statistics jargon or raw indicator ids in the
visible text; the technical detail one click away (an expander) for who wants it."""

from __future__ import annotations

from tests.app.conftest import open_app, open_sections, page_text, static_tables

TILBURG = {"gemeente": "GM0855", "wijk": "WK085512", "buurt": "BU08551201", "jaar": "2024"}
RAW_IDS = ("log_inwoners", "pct_0_14", "pct_15_24", "pct_met_kinderen", "gem_huishoudensgrootte", "pct_eenpersoons")


def _captions(at) -> str:
    return "\n".join(str(c.value) for c in at.caption)


def test_factor_method_in_plain_words_with_the_formula_one_click_away():
    at = open_app("factoren", lang="nl", **TILBURG)
    assert not at.exception
    captions = _captions(at)
    assert "interkwartielafstand" not in captions and "gestandaardiseerde" not in captions
    assert "2 of meer valt echt op" in captions
    open_sections(at, "factoren_method_open")  # a lazy section: made when opened (wijk.ui.lazy)
    detail = next(e for e in at.expander if e.label == "Hoe rekenen we de afwijking uit?")
    assert "middelste helft" in "\n".join(m.value for m in detail.markdown)


def test_similar_buurten_name_their_features_by_label():
    at = open_app("factoren", lang="nl", **TILBURG)
    text = page_text(at)
    assert not any(raw in text for raw in RAW_IDS), [raw for raw in RAW_IDS if raw in text]
    open_sections(at, "factoren_similar_detail_open")
    features = next(e for e in at.expander if e.label == "Welke kenmerken tellen mee?")
    listed = "\n".join(m.value for m in features.markdown)
    assert "aantal inwoners" in listed and "Aandeel 0\\-14 jaar" in listed and "Stedelijkheid" in listed
    table = next(f for f in static_tables(at) if "Afstand (context)" in f.columns)  # static HTML (issue 22)
    assert "Stedelijkheid (1 = zeer sterk stedelijk, 5 = niet stedelijk)" in table.columns
    assert all("," in v and "." not in v for v in table["Afstand (context)"])  # 0,34, not 0.34
    assert any("." in v for v in table["Inwoners"])  # 1.025, not 1025


def test_urbanity_says_what_its_number_means():
    """'Mate van stedelijkheid 1' unexplained: the card now says what its class means."""
    at = open_app("profiel", lang="nl", **TILBURG)
    text = page_text(at)
    assert "Mate van stedelijkheid" not in text
    assert "Stedelijkheid (1-5) 2" in text  # Armhoef Noord-West: class 2
    assert "2 = sterk stedelijk (1 = zeer sterk stedelijk, 2 = sterk" in text  # the caption under the value


def test_data_page_tables_have_dutch_headers():
    at = open_app("data", lang="nl", **TILBURG)
    assert not at.exception
    heads = {c for d in at.dataframe for c in d.value.columns}
    assert {"Code", "Naam", "Eenheid", "Rol", "Definitie", "Bestand", "Licentie"} <= heads
    assert not heads & {"id", "label", "unit", "role", "definition", "source", "licence"}
