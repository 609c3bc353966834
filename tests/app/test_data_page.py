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
