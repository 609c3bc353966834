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


def _cbs_unreachable(monkeypatch) -> None:
    """Point the CBS client at a loopback port nothing listens on: like a machine without network."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setenv("WIJK_CBS_BASE", f"http://127.0.0.1:{port}")


def test_refresh_button_offline_gives_one_clear_message(monkeypatch):
    _cbs_unreachable(monkeypatch)
    at = open_app("data")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    text = page_text(at)
    assert "Het CBS kon niet worden bereikt" in text and "niet bereikbaar" in text
    assert "Over de data" in text  # the page and its data are still there
    at.run()  # on the next visit the page says what happened
    assert "niet gelukt" in page_text(at) and not at.exception


def test_refresh_button_offline_in_english_says_so_in_english(monkeypatch):
    """With ?lang=en the refresh's own sentences (the error, and on the next visit the stored status) are English."""
    from tests.unit.core.test_no_ui_text_in_code import is_dutch_sentence

    _cbs_unreachable(monkeypatch)
    at = open_app("data", lang="en")
    at.button[0].click().run()
    assert not at.exception
    text = page_text(at)
    assert "CBS cannot be reached (StatLine v3: " in text and "you can import a hand download" in text
    assert "About the data" in text
    dutch = [line for line in text.splitlines() if is_dutch_sentence(line)]
    assert not dutch and "niet bereikbaar" not in text, dutch
    at.run()  # the next visit reads the stored status: the same sentence, still in English
    text = page_text(at)
    assert "The last refresh" in text and "did not succeed: CBS cannot be reached" in text and not at.exception
    assert not [line for line in text.splitlines() if is_dutch_sentence(line)] and "niet bereikbaar" not in text


def test_refresh_button_merges_fetched_rows(monkeypatch, _isolated_local):
    """With CBS answering (local server with recorded TEST FIXTURES, real HTTP), the button fills the local store."""
    from tests.fixtures.cbs_fixture_server import FixtureCBS
    from wijk.core.store import Store

    with FixtureCBS() as server:
        monkeypatch.setenv("WIJK_CBS_BASE", server.url)
        at = open_app("data")
        at.selectbox(key="data_refresh_year").set_value(2024)
        at.button[0].click().run(timeout=300)
    assert not at.exception
    text = page_text(at)
    assert "gemeenten 1/1" in text and "kon niet worden bereikt" not in text  # progress shown, no failure
    f = Store.load().figure("GM0014", 2024, "woz")
    assert f.value == 300 and f.table == "85984NED"
