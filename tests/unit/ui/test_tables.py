"""The static HTML tables (wijk/ui/tables.py): every header and cell escaped, read back as written."""

from __future__ import annotations

import pandas as pd

from tests.card_html import read_cards
from tests.table_html import read_tables
from wijk.ui.tables import styled_text, table_html, value_cards_html


def test_cells_and_headers_are_inert_text():
    frame = pd.DataFrame({"Naam <b>": ["<script>alert(1)</script>", "Oud & Nieuw"], "Waarde": ["1.025", None]})
    html = table_html(frame, label='"Buurten"')
    assert "<script>" not in html and "<b>" not in html and 'aria-label="&quot;Buurten&quot;"' in html
    (back,) = read_tables(html)
    assert list(back.columns) == ["Naam <b>", "Waarde"]
    assert back["Naam <b>"].tolist() == ["<script>alert(1)</script>", "Oud & Nieuw"]
    assert back["Waarde"].tolist() == ["1.025", "–"]  # a missing value is a dash, not "None"


def test_index_as_row_headers():
    frame = pd.DataFrame({"Buurt": ["Tarwewijk", "Carnisse"]}, index=pd.Index(["BU1", "BU2"], name="code"))
    html = table_html(frame, index=True)
    assert html.count('<th scope="row">') == 2 and '<th scope="col">code</th>' in html
    (back,) = read_tables(html)
    assert back.index.name == "code" and back.index.tolist() == ["BU1", "BU2"]
    assert back["Buurt"].tolist() == ["Tarwewijk", "Carnisse"]
    assert '<th scope="row">' not in table_html(frame)  # without index: data cells only


def test_a_styled_table_reads_back_as_shown():
    frame = pd.DataFrame({"naam": ["Oud <Noord>", "Zuid"], "inwoners": [29660.0, float("nan")]})
    styled = frame.style.format({"inwoners": lambda v: f"{v:,.0f}".replace(",", ".")}, na_rep="–")
    text = styled_text(styled)
    assert text is not None and text.to_dict("list") == {"naam": ["Oud <Noord>", "Zuid"], "inwoners": ["29.660", "–"]}
    assert "<th" in styled.to_html().split("<tbody>")[1]  # the caller's Styler still shows its index
    broken = pd.DataFrame({"naam": ["Oud\nNoord"], "inwoners": [1.0]}).style
    assert styled_text(broken) is None  # a cell with a line break: not guessed at


def test_a_long_table_scrolls_in_a_named_focusable_region():
    html = table_html(pd.DataFrame({"a": ["1"]}), label="Rangorde", scroll=True)
    assert 'class="wb-table-wrap wb-table-scroll" role="region" tabindex="0" aria-label="Rangorde"' in html
    assert "wb-table-scroll" not in table_html(pd.DataFrame({"a": ["1"]}))


def test_value_cards_show_each_label_and_value_as_plain_text():
    html = value_cards_html([("Afstand tot <b>huisarts</b> (2024)", "0,6 km"), ("Scholen binnen 3 km", "35,2")])
    assert "<b>" not in html and "&lt;b&gt;" in html
    shown = read_cards(html)
    assert [(c.label, c.value) for c in shown] == [
        ("Afstand tot <b>huisarts</b> (2024)", "0,6 km"),
        ("Scholen binnen 3 km", "35,2"),
    ]
    assert value_cards_html([]) == ""
