"""wijk.kaart.facilities_upload: good rows kept, bad rows reported one by one, RD converted with pyproj."""

from __future__ import annotations

import pytest

from wijk.kaart.facilities_upload import parse


def test_mixed_file_keeps_good_rows_and_reports_bad_ones():
    text = (
        "naam;type;lat;lon;x;y\n"
        "Buurthuis De Kroon;buurthuis;53,2193;6,5682;;\n"
        "Martinitoren via RD;toren;;;233883;582065\n"
        ";leeg;53.2;6.5;;\n"
        "Parijs;fout;48.85;2.35;;\n"
        "Geen coordinaten;x;abc;;;\n"
        "<script>alert(1)</script>;huis;53.21;6.56;;\n"
    )
    res = parse(text.encode("utf-8"))
    assert res.fatal is None
    assert list(res.facilities["name"]) == ["Buurthuis De Kroon", "Martinitoren via RD", "<script>alert(1)</script>"]
    rd = res.facilities.iloc[1]
    assert rd["lat"] == pytest.approx(53.2193, abs=2e-4) and rd["lon"] == pytest.approx(6.5682, abs=2e-4)
    assert [(e.row, e.key) for e in res.errors] == [
        (4, "kaart_upload_err_name"),
        (5, "kaart_upload_err_outside"),
        (6, "kaart_upload_err_coords"),
    ]
    assert set(res.facilities["kind"]) == {"eigen"}


def test_unusable_files_give_one_message():
    assert parse(b"").fatal == "kaart_upload_err_empty"
    assert parse(b"foo,bar\n1,2\n").fatal == "kaart_upload_err_columns"
    assert parse(b"x" * 2_000_001).fatal == "kaart_upload_err_too_big"


def test_names_lose_control_characters_and_are_capped():
    res = parse("name,type,lat,lon\n" + "a\x07b" + "c" * 300 + ",t,53.2,6.5\n")
    assert "\x07" not in res.facilities.iloc[0]["name"] and len(res.facilities.iloc[0]["name"]) <= 120


def test_uploaded_points_reach_the_map_and_the_counts(store):
    import json

    from wijk.kaart import geo
    from wijk.kaart import model as kaart

    res = parse("naam,type,lat,lon\n<b>Buurthuis</b>,buurthuis,53.2190,6.5660\n")
    view = kaart.build_view(
        store, "BU00140000", 2024, "buurt", "GM0014", None, geo.load_facilities(), res.facilities, ["eigen"], "nl"
    )
    layers = {layer["id"]: layer for layer in json.loads(view.deck.to_json())["layers"]}
    assert layers["fac-eigen"]["data"][0]["tip"].startswith("<b>Buurthuis</b>\nEigen voorziening")  # text tooltip
    counts = view.counts.set_index("kind")
    assert counts.loc["eigen", "within_1000"] == 1
