"""Download files made on click (wijk/ui/downloads.py): the same names, types and bytes as made at once."""

from __future__ import annotations

import pandas as pd
import pytest

from wijk.core import spreadsheet
from wijk.ui.downloads import lazy_files


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_lazy_files_are_the_files_made_when_clicked(lang):
    table = spreadsheet.SheetTable("Profiel", pd.DataFrame({"Indicator": ["Inwoners"], "Waarde": [12330]}), ["CBS"])
    made = []

    def make():
        made.append(1)
        return spreadsheet.files(table, "profiel-BU05991571-2024", lang)

    lazy = lazy_files(make, "profiel-BU05991571-2024", lang)
    assert not made  # nothing is built before a click
    eager = make()
    assert list(lazy) == list(eager)
    for fmt, (data, name, mime) in lazy.items():
        assert (name, mime) == eager[fmt][1:]
        assert callable(data)
        if fmt != "xlsx":  # an xlsx holds its creation time
            assert data() == eager[fmt][0]
        else:
            assert data()[:2] == b"PK"
