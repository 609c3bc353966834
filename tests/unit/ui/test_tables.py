"""The static HTML tables (wijk/ui/tables.py): every header and cell escaped, read back as written."""

from __future__ import annotations

import pandas as pd

from tests.table_html import read_tables
from wijk.ui.tables import table_html


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
