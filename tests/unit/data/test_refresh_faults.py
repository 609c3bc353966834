"""Issue 24: every refresh and import path stores the right figure (table, variable, boundary year, period) or
stores nothing and says which table, variable or rows. Over real HTTP against the TEST FIXTURE server
(tests/fixtures/cbs_fixture_server.py) or on real-format files; values in the files built here are labelled."""

import pandas as pd

from tests.unit.data.test_refresh import _small_embedded_data, embedded_subset, no_rebuild, server  # noqa: F401
from wijk.core.store import Store
from wijk.data import refresh


def _raw(local, name: str) -> pd.DataFrame:
    return pd.read_csv(local / "raw" / name, dtype=str, keep_default_na=False).set_index("WijkenEnBuurten")


# ---------------------------------------------------------------- 1: a partial hand import is not complete
def test_partial_hand_import_makes_no_parent_sum(tmp_path, _isolated_local):
    """Two buurten of WK001400 (SYNTHETIC values in a StatLine-CSV layout): the wijk has more buurten, so
    neither the wijk nor the gemeente may get a sum of these two labelled as its total."""
    path = tmp_path / "export_two_buurten.csv"
    path.write_text(
        '"Wijken en buurten";"Codering (code)";"Aantal inwoners (aantal)";"Mannen (aantal)"\n'
        '"Binnenstad-Zuid";"BU00140000";"4745";"2400"\n'
        '"Binnenstad-Oost";"BU00140001";"4955";"2500"\n',
        encoding="utf-8",
    )
    summary = refresh.import_file(path, 2019, "84583NED")
    store = Store.load()
    assert store.figure("BU00140000", 2019, "inwoners").value == 4745
    for parent in ("WK001400", "GM0014"):
        fig = store.figure(parent, 2019, "inwoners")
        assert fig.value is None, (parent, fig)
        assert store.figure(parent, 2019, "mannen").value is None
    note = summary["partial"]
    assert "geen totalen" in note.text() and "no totals" in note.text("en") and "2" in note.text("en")
