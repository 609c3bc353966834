"""AppTest of 'Eigen data': upload, map, validate, in use at once (profile), kept for the link, removed, shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.conftest import card_values, open_app, page_cards, page_text
from wijk.owndata.store import OwnDataStore, default_url, valid_token

FIX = Path(__file__).resolve().parents[1] / "fixtures"
HTML = '<img src=x onerror="alert(1)">'


def _upload(at, name: str, mime: str = "text/csv"):
    at.file_uploader(key="eigen_upload").set_value((name, (FIX / name).read_bytes(), mime))
    at.run()
    assert not at.exception
    return at


def _process(at, source: str = "Gemeente Groningen (verzonnen testdata)"):
    at.text_input(key="eigen_map_source").input(source)
    at.run()
    at.button(key="eigen_process").click()
    at.run()
    assert not at.exception
    return at


_MARK = {"eigen_issues": "melding", "eigen_result_table": "naam", "eigen_shared_table": "datum"}


def _table(at, key: str):
    """The dataframe of the page with this key (recognised by a column only it has)."""
    return next(d.value for d in at.dataframe if _MARK[key] in d.value.columns)


def test_one_step_upload_is_in_use_at_once_and_can_be_removed():
    at = _process(_upload(open_app("eigen-data", buurt="BU00140107"), "owndata_madeup_good.csv"))
    assert at.multiselect(key="eigen_map_cols").value == [
        "leerlingen_totaal",
        "leerlingen_regulier",
        "pct_regulier_onderwijs",
        "ots_per_1000",
    ]
    assert at.selectbox(key="eigen_col4_unit").value == "pct"
    result = _table(at, "eigen_result_table")
    row = result[result["code"] == "BU00140107"].iloc[0]
    assert row["naam"] == "Laanhuizen" and row["leerlingen totaal"] == "120"
    assert result[result["code"] == "BU00140001"].iloc[0]["leerlingen totaal"] == "onderdrukt"
    assert "Gemeente Groningen (verzonnen testdata)" in page_text(at)
    assert not [b for b in at.button if b.key == "eigen_use"]  # no second click
    text = page_text(at)
    assert "owndata_madeup_good is nu in gebruik" in text and "Bewaard bij deze link" in text
    token = at.query_params.get("eigen")
    assert valid_token(token) and at.query_params.get("buurt") == "BU00140107"  # the URL contract stays
    at.switch_page("pages/profiel.py")
    at.run()
    assert not at.exception
    labels = card_values(at)
    assert labels.get("leerlingen totaal") == "120"
    assert "Gemeente Groningen (verzonnen testdata)" in page_text(at)
    assert at.query_params.get("eigen") == token  # the frame keeps the key in the URL on every screen
    at.switch_page("pages/eigen-data.py")
    at.run()
    at.button(key="eigen_remove_0").click()
    at.run()
    assert not at.exception
    assert "Nog geen eigen data in gebruik." in page_text(at) and "eigen" not in at.query_params
    assert OwnDataStore(default_url()).restore(token) == []  # the kept copy is deleted too
    at.switch_page("pages/profiel.py")
    at.run()
    assert "leerlingen totaal" not in set(card_values(at))


def test_profile_card_of_own_data_shows_the_uploaded_wijk_and_gemeente():
    at = _process(_upload(open_app("eigen-data", buurt="BU00140107"), "owndata_madeup_good.csv"))
    at.switch_page("pages/profiel.py")
    at.run()
    assert not at.exception
    text = page_text(at)
    # the made-up upload has rows for the buurt, its wijk (Oud-Zuid) and the gemeente, no NL row
    assert "wijk Oud-Zuid 94,4% · gemeente Groningen 95,9%" in text
    assert "wijk Oud-Zuid 213 · gemeente Groningen 1.450" in text
    assert "wijk Oud-Zuid 2,8 · gemeente Groningen 2,2" in text
    assert "ongeveer gelijk aan de gemeente" in text  # 95,0% against 95,9%: the plain sign of CBS cards
    own = [c for c in page_cards(at) if any(line.startswith("Eigen data, niet van het CBS") for line in c.lines)]
    assert own and not any("Nederland" in line for c in own for line in c.lines)
    at.query_params["buurt"] = "BU00140001"  # the same session, a buurt whose own count is suppressed
    at.query_params["wijk"] = "WK001400"
    at.run()
    assert not at.exception
    labels = card_values(at)
    assert labels["leerlingen totaal"] == "onderdrukt"  # suppressed stays 'onderdrukt', never 0
    refs = [line for c in page_cards(at) for line in c.lines if line.startswith(("wijk ", "gemeente "))]
    assert "gemeente Groningen 1.450" in refs  # the upload has no row for wijk Centrum: no wijk reference
    assert not any("Centrum" in r for r in refs)


def test_processing_again_replaces_what_the_upload_put_in_use():
    at = _process(_upload(open_app("eigen-data", buurt="BU00140107"), "owndata_madeup_good.csv"))
    at.text_input(key="eigen_map_name").input("Leerlingen (verzonnen)")
    at.run()
    at.button(key="eigen_process").click()
    at.run()
    assert not at.exception
    assert [b.key for b in at.button if str(b.key).startswith("eigen_remove_")] == ["eigen_remove_0"]
    assert "Leerlingen (verzonnen) is nu in gebruik" in page_text(at)


def test_a_reload_restores_the_own_data_of_the_link():
    first = _process(_upload(open_app("eigen-data", buurt="BU00140107"), "owndata_madeup_good.csv"))
    token = first.query_params["eigen"]
    at = open_app("profiel", buurt="BU00140107", jaar="2024", eigen=token)  # a new session: the reload
    assert not at.exception
    labels = card_values(at)
    assert labels.get("leerlingen totaal") == "120" and labels.get("pct regulier onderwijs") == "95,0%"
    assert at.query_params.get("eigen") == token and at.query_params.get("buurt") == "BU00140107"
    assert not at.warning
    at.switch_page("pages/eigen-data.py")
    at.run()
    assert "owndata_madeup_good" in page_text(at) and [b.key for b in at.button if b.key == "eigen_remove_0"]


@pytest.mark.parametrize(
    "token, message",
    [
        ("A" * 32, "geen eigen data (meer) bewaard"),  # well-formed, never given out
        (HTML, "ongeldige sleutel"),
        ("x" * 5000, "ongeldige sleutel"),
        ("../../owndata.sqlite", "ongeldige sleutel"),
    ],
)
def test_an_unknown_or_malformed_key_gives_a_clear_message(token, message):
    at = open_app("profiel", buurt="BU00140107", eigen=token)
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert message in warnings and "<img" not in warnings
    assert "eigen" not in at.query_params and at.query_params.get("buurt") == "BU00140107"
    assert "Laanhuizen" in page_text(at)  # the profile itself is there


def test_bad_file_lists_row_errors_and_keeps_good_rows():
    at = _upload(open_app("eigen-data", gemeente="GM0014"), "owndata_madeup_bad.csv")
    at.selectbox(key="eigen_col4_num").select("leerlingen_regulier")
    at.selectbox(key="eigen_col4_den").select("leerlingen_totaal")
    at = _process(at)
    issues = _table(at, "eigen_issues")
    by_line = dict(zip(issues["regel"], issues["melding"]))
    assert by_line[5].startswith("Onbekende gebiedscode")
    assert by_line[6] == "Code van de gebiedsindeling van 2017, niet van 2024."
    assert by_line[7].startswith("Dubbele rij") and by_line[8] == "Geen getal."
    assert by_line[9] == "Percentage buiten 0-100." and by_line[10].startswith("Teller groter dan noemer")
    assert "rijen bruikbaar" in page_text(at)
    result = _table(at, "eigen_result_table")
    assert {"BU00140107", "BU00140000"} <= set(result["code"])
    assert "BU99999999" not in set(result["code"])


def test_mapping_error_keeps_what_was_entered():
    at = _upload(open_app("eigen-data", gemeente="GM0014"), "owndata_madeup_good.csv")
    at.text_input(key="eigen_col2_label").input("Mijn omschrijving")
    at.run()
    at.button(key="eigen_process").click()  # no source given
    at.run()
    assert not at.exception
    assert "Vul de bron in" in _table(at, "eigen_issues").to_string()
    assert at.text_input(key="eigen_col2_label").value == "Mijn omschrijving"
    at = _process(at)
    assert "Mijn omschrijving" in _table(at, "eigen_result_table").columns


def test_unreadable_file_gives_a_message():
    at = open_app("eigen-data", gemeente="GM0014")
    at.file_uploader(key="eigen_upload").set_value(("kapot.xlsx", b"PK\x03\x04kapot", "application/octet-stream"))
    at.run()
    assert not at.exception
    assert any("niet te lezen" in e.value for e in at.error)


def test_html_in_labels_is_never_rendered():
    at = _upload(open_app("eigen-data", gemeente="GM0014"), "owndata_madeup_good.csv")
    at.text_input(key="eigen_map_name").input(HTML)
    at.text_input(key="eigen_col2_label").input(HTML)
    at.run()
    at = _process(at, source=HTML)
    assert HTML in _table(at, "eigen_result_table").columns  # shown as plain text in the grid
    for kind in ("markdown", "caption", "warning", "info", "error", "success"):
        for el in at.get(kind):
            assert not getattr(el.proto, "allow_html", False)
            assert "<img" not in str(el.value).replace("\\<img", "")
    at.switch_page("pages/profiel.py")
    at.run()  # the profile's own-data cards are the app's own HTML: the label and source escaped there
    assert not at.exception
    own = [c for c in page_cards(at) if c.label == HTML]
    assert own and any(HTML in line for line in own[0].lines)  # read back exactly as typed
    bodies = [h.proto.body for h in at.get("html") if "wb-card" in h.proto.body]
    assert bodies and not any("<img" in b for b in bodies) and any("&lt;img" in b for b in bodies)


def test_share_with_colleagues_and_load():
    at = _process(_upload(open_app("eigen-data", gemeente="GM0014"), "owndata_madeup_good.csv"))
    assert "Er zijn nog geen gedeelde datasets." in page_text(at)
    at.text_input(key="eigen_map_share_name").input("Leerlingen (test)")
    at.checkbox(key="eigen_share_confirm").check()
    at.button(key="FormSubmitter:eigen_share_form-Delen").click()
    at.run()
    assert not at.exception
    assert "Gedeeld." in page_text(at)
    at.run()
    shared = _table(at, "eigen_shared_table")
    assert list(shared["naam"]) == ["Leerlingen (test)"]
    at.button(key="eigen_shared_load").click()
    at.run()
    assert not at.exception
    assert "Leerlingen (test)" in page_text(at)
    removes = [b.key for b in at.button if str(b.key).startswith("eigen_remove_")]
    assert removes == ["eigen_remove_0"]  # the same indicators as the upload: the loaded one replaces it


def test_celafscherming_hides_a_second_cell_and_echoes_no_small_value():
    """The issue's example (made-up figures): WK001403=30, buurten 12, 15 and 3: both 12 and 3 hidden."""
    at = open_app("eigen-data", gemeente="GM0014")
    data = (
        b"gebiedscode;jaar;aantal\nWK001403;2024;30\nBU00140300;2024;12\nBU00140301;2024;15\n"
        b"BU00140302;2024;3\nBU00140107;2024;4 personen\nBU00140000;2024;1,2,3\n"
    )
    at.file_uploader(key="eigen_upload").set_value(("verschil.csv", data, "text/csv"))
    at.run()
    at = _process(at, source="Made-up test data")
    assert "celafscherming" in page_text(at).lower()
    result = _table(at, "eigen_result_table").set_index("code")["aantal"]
    assert result["BU00140302"] == "onderdrukt" and result["BU00140300"] == "onderdrukt"
    assert result["WK001403"] == "30" and result["BU00140301"] == "15"
    issues = _table(at, "eigen_issues")
    assert "# personen" in set(issues["inhoud"]) and not any("4" in str(v) for v in issues["inhoud"])
    assert any(m.startswith("Onduidelijk getal") for m in issues["melding"])


def test_an_unreachable_database_keeps_the_data_in_use_and_says_so(monkeypatch):
    monkeypatch.setenv("WIJK_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")  # refused at once
    at = _process(_upload(open_app("eigen-data", buurt="BU00140107"), "owndata_madeup_good.csv"))
    assert "owndata_madeup_good is nu in gebruik" in page_text(at)
    assert any("niet bewaard" in w.value for w in at.warning) and "eigen" not in at.query_params
    at.switch_page("pages/profiel.py")
    at.run()
    assert not at.exception and card_values(at).get("leerlingen totaal") == "120"
    again = open_app("profiel", buurt="BU00140107", eigen="A" * 32)
    assert not again.exception
    assert any("konden nu niet worden geladen" in w.value for w in again.warning)
    assert again.query_params.get("eigen") == "A" * 32  # kept in the URL: a later reload may work
    monkeypatch.delenv("WIJK_DATABASE_URL")  # the database is back; a new upload in the same session
    again.switch_page("pages/eigen-data.py")
    again.run()
    again = _process(_upload(again, "owndata_madeup_good.csv"))
    token = again.query_params.get("eigen")
    assert valid_token(token) and token != "A" * 32  # never written over the set it could not load


def _upload_bytes(at, text: str):
    at.file_uploader(key="eigen_upload").set_value(("made_up.csv", text.encode(), "text/csv"))
    at.run()
    assert not at.exception
    return at


def test_an_upload_that_would_give_away_a_shared_hidden_count_is_refused_with_a_sentence():
    """A set shared before the check (WK 27, 12, 15 all shown; made up): month 2 with a new buurt of 3 is refused."""
    import pandas as pd

    from wijk.core.owndata import OwnDataset, OwnIndicator

    legacy = OwnDataset(
        "Maand 1 (verzonnen)",
        "verzonnen",
        [OwnIndicator("local:m1", "aantal", "count", "verzonnen")],
        pd.DataFrame({"code": ["WK001403", "BU00140300", "BU00140301"], "year": 2024, "indicator": "local:m1"}).assign(
            value=[27.0, 12.0, 15.0], suppressed=False
        ),
        suppressed_with=(5, 10),
    )
    db = OwnDataStore(default_url())
    db.share(legacy, "Maand 1 (verzonnen)")
    db.dispose()
    rows = "gebiedscode;aantal\nWK001403;30\nBU00140300;12\nBU00140301;15\nBU00140302;3\n"
    at = _process(_upload_bytes(open_app("eigen-data", gemeente="GM0014", jaar="2024"), rows))
    errors = [e.value for e in at.error]
    assert any("Niet verwerkt" in e and "BU00140302" in e for e in errors)
    assert not [d for d in at.dataframe if "code" in d.value.columns]  # no result table
    assert "is nu in gebruik" not in page_text(at)


def test_a_label_that_is_a_result_column_is_refused_on_the_page():
    at = _upload_bytes(open_app("eigen-data", gemeente="GM0014"), "gebiedscode;aantal\nBU00140300;12\n")
    at.text_input(key="eigen_col1_label").input("Naam")
    at.run()
    at = _process(at)
    assert "al een kolom van de uitkomst" in _table(at, "eigen_issues").to_string()
    assert not [d for d in at.dataframe if "code" in d.value.columns]


def test_sharing_is_refused_when_a_set_shared_meanwhile_would_give_a_hidden_count_away():
    """Made up: the page holds WK 30 alone; meanwhile someone shares the buurten 12, 15 and a hidden 3."""
    import pandas as pd

    from wijk.core.owndata import OwnDataset, OwnIndicator

    at = _process(
        _upload_bytes(open_app("eigen-data", gemeente="GM0014", jaar="2024"), "gebiedscode;aantal\nWK001403;30\n")
    )
    assert "is nu in gebruik" in page_text(at)
    meanwhile = OwnDataset(
        "Buurten (verzonnen)",
        "verzonnen",
        [OwnIndicator("local:b", "Aantal", "count", "verzonnen")],
        pd.DataFrame({"code": ["BU00140300", "BU00140301", "BU00140302"], "year": 2024, "indicator": "local:b"}).assign(
            value=[12.0, 15.0, float("nan")], suppressed=[False, False, True]
        ),
        suppressed_with=(5, 10),
    )
    db = OwnDataStore(default_url())
    db.share(meanwhile, "Buurten (verzonnen)")
    at.text_input(key="eigen_map_share_name").input("Wijktotaal (verzonnen)")
    at.checkbox(key="eigen_share_confirm").check()
    at.button(key="FormSubmitter:eigen_share_form-Delen").click()
    at.run()
    assert not at.exception
    assert any("Niet gedeeld" in e.value and "BU00140302" in e.value for e in at.error)
    assert [s.name for s in db.list_shared()] == ["Buurten (verzonnen)"]
    db.dispose()
