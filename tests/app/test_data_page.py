from tests.app.conftest import open_app, page_text


def test_about_the_data_shows_coverage_sources_and_refresh():
    at = open_app("data")
    assert not at.exception
    text = page_text(at)
    assert "CC BY 4.0" in text and "Bron: CBS" in text
    assert "Nog niet ververst" in text
    frames = at.dataframe
    assert len(frames) >= 2
    codes = [c.value for c in at.get("code")]
    assert any("python -m wijk.data refresh" in c for c in codes)


def test_damaged_refresh_is_reported_and_the_app_keeps_working(_isolated_local):
    (_isolated_local / "values.parquet").write_bytes(b"damaged")
    (_isolated_local / "areas.parquet").write_bytes(b"damaged")
    at = open_app("data")
    assert not at.exception
    assert "konden niet worden gelezen" in page_text(at)


def test_refresh_button_offline_gives_one_clear_message(monkeypatch):
    import requests

    from wijk import cbs

    def refuse(url, timeout):
        raise requests.ConnectionError("no network here")
    monkeypatch.setattr(cbs.requests, "get", refuse)
    at = open_app("data")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    text = page_text(at)
    assert "Het CBS kon niet worden bereikt" in text and "niet bereikbaar" in text
    assert "Over de data" in text  # the page and its data are still there


def test_refresh_button_merges_fetched_rows(monkeypatch, _isolated_local):
    """With CBS answering (recorded OData-shaped TEST FIXTURE), the button fills the local store."""
    import json
    from pathlib import Path

    import pandas as pd

    from wijk import cbs
    from wijk.store import Store

    payload = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "odata_kwb2017_GM0014_fixture.json")
                         .read_text(encoding="utf-8"))
    monkeypatch.setattr(cbs, "check_reachable", lambda *a, **k: None)
    monkeypatch.setattr(cbs, "fetch_kwb", lambda table, gms, timeout=10.0: pd.DataFrame(payload["UntypedDataSet"]))

    def no_crime(*a, **k):
        raise cbs.CBSUnavailable("no crime table in this fixture")
    monkeypatch.setattr(cbs, "fetch_crime", no_crime)
    at = open_app("data")
    at.selectbox(key="data_refresh_year").set_value(2017)
    at.button[0].click().run()
    assert not at.exception
    text = page_text(at)
    assert "gemeenten 1/1" in text and "kon niet worden bereikt" not in text  # progress shown, no failure
    row = payload["UntypedDataSet"][0]
    f = Store.load().figure(row["Codering_3"].strip(), 2017, "inwoners")
    assert f.value == float(row["AantalInwoners_5"]) and f.table == "83765NED"
