"""wijk.kaart.maps: classes, legend, tooltips (never markup), deck structure."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from wijk.kaart import geo, maps


def test_quantile_classes_put_values_in_order():
    vals = list(range(1, 101))
    edges = maps.class_edges(vals, k=5)
    assert edges[0] == 1 and edges[-1] == 100 and len(edges) == 6
    classes = [maps.class_of(v, edges) for v in vals]
    assert classes == sorted(classes) and set(classes) == {0, 1, 2, 3, 4}
    assert [classes.count(c) for c in range(5)] == [20, 20, 20, 20, 20]
    assert maps.class_of(None, edges) is None and maps.class_of(float("nan"), edges) is None


def test_jenks_finds_natural_groups_and_ties_collapse():
    vals = [1, 2, 3, 50, 51, 52, 100, 101]
    edges = maps.class_edges(vals, k=3, method="jenks")
    assert [maps.class_of(v, edges) for v in vals] == [0, 0, 0, 1, 1, 1, 2, 2]
    assert maps.class_edges([5, 5, 5], k=5) == [5.0, 5.0] or len(maps.class_edges([5, 5, 5])) == 2
    assert maps.class_edges([None, math.nan]) == []


def test_legend_has_units_and_a_missing_class():
    items = maps.legend([0, 10.5, 20], "pct", "nl", "onbekend")
    assert [i["label"] for i in items] == ["0,0% – 10,5%", "10,5% – 20,0%", "onbekend"]
    assert all(i["color"].startswith("#") for i in items)
    html_text = maps.legend_html([{"color": "#fff", "label": "<b>x</b>"}], "<script>t</script>")
    assert "<script>" not in html_text and "&lt;script&gt;" in html_text and "&lt;b&gt;x" in html_text


def test_tooltips_are_plain_text_never_markup():
    feats = [
        {
            "type": "Feature",
            "properties": {"code": "BU00140000", "name": "<img src=x onerror=alert(1)>\x00"},
            "geometry": {"type": "Polygon", "coordinates": [[[6.5, 53.2], [6.6, 53.2], [6.6, 53.3], [6.5, 53.2]]]},
        }
    ]
    areas = maps.area_features(feats, {"BU00140000": 12.3}, "pct", "nl", "Aandeel", "onbekend", [0, 20])
    tip = areas[0]["properties"]["tip"]
    assert "\x00" not in tip and "12,3%" in tip and "BU00140000" in tip
    built = maps.build_deck(areas, "BU00140000", {})
    deck = json.loads(built.to_json())
    # deck.gl 'text' tooltips are set with innerText: the name cannot become an element
    tooltip = built._tooltip
    assert tooltip == {"text": "{tip}"} and "html" not in tooltip
    assert [layer["id"] for layer in deck["layers"]] == ["areas", "selected"]


def test_deck_for_groningen_uses_local_style_and_real_layers(monkeypatch):
    monkeypatch.delenv("WIJK_BASEMAP_STYLE", raising=False)
    monkeypatch.delenv("WIJK_BASEMAP", raising=False)
    feats = geo.read_features("buurt", 2019, "GM0014")
    areas = maps.area_features(feats, {}, "count", "nl", "x", "onbekend", [])
    fac = geo.load_facilities()
    pts = {"horeca": maps.facility_records(fac[fac["kind"] == "horeca"], "Horeca")}
    deck = json.loads(maps.build_deck(areas, None, pts).to_json())
    # the blank style is only a background: no basemap library in the browser, the colour under the canvas
    assert deck["mapStyle"] == maps.NO_BASEMAP and "mapbox://" not in json.dumps(deck)
    assert len(deck["layers"][0]["data"]["features"]) == len(feats) > 100
    assert len(deck["layers"][1]["data"]) == 621
    assert all(f["properties"]["fill"][:3] == list(maps.MISSING) for f in deck["layers"][0]["data"]["features"])
    monkeypatch.setenv("WIJK_BASEMAP_STYLE", "https://tiles.example.org/style.json")
    assert json.loads(maps.build_deck(areas, None, {}).to_json())["mapStyle"] == "https://tiles.example.org/style.json"


def test_basemap_is_pdok_only_when_reachable_or_forced(monkeypatch):
    monkeypatch.delenv("WIJK_BASEMAP_STYLE", raising=False)
    monkeypatch.delenv("WIJK_BASEMAP", raising=False)
    assert maps.map_style(basemap_reachable=False) == maps.BLANK_STYLE
    assert maps.map_style(basemap_reachable=True) == maps.PDOK_STYLE and maps.basemap_wanted()
    monkeypatch.setenv("WIJK_BASEMAP", "blank")
    assert maps.map_style(basemap_reachable=True) == maps.BLANK_STYLE and not maps.basemap_wanted()
    monkeypatch.setenv("WIJK_BASEMAP", "pdok")
    assert maps.map_style(basemap_reachable=False) == maps.PDOK_STYLE
    deck = json.loads(maps.build_deck([], None, {}, basemap_reachable=True).to_json())
    assert deck["mapStyle"] == "/app/static/kaart_pdok_brt_style.json"


def test_static_styles_exist_and_pdok_falls_back_to_a_plain_background():
    root = Path(__file__).resolve().parents[3]
    blank = json.loads((root / maps.BLANK_STYLE.replace("/app/", "")).read_text())
    pdok = json.loads((root / maps.PDOK_STYLE.replace("/app/", "")).read_text())
    assert blank["sources"] == {} and [la["type"] for la in blank["layers"]] == ["background"]
    # drawn without the style (no MapLibre for one colour): the map's container has the same colour
    assert f"background: {blank['layers'][0]['paint']['background-color']};" in maps.background_css()
    # tiles from PDOK's public WMTS (no token), under the same plain background: unreachable tiles leave it
    assert [la["type"] for la in pdok["layers"]] == ["background", "raster"]
    tiles = pdok["sources"]["brt"]["tiles"][0]
    assert tiles.startswith("https://service.pdok.nl/brt/achtergrondkaart/wmts/") and "{z}/{x}/{y}" in tiles
    assert "token" not in tiles.lower() and "key" not in tiles.lower()
    assert "Kadaster" in pdok["sources"]["brt"]["attribution"]


def test_probe_fails_fast_and_quietly_offline(monkeypatch):
    monkeypatch.setattr(maps, "PDOK_PROBE", "http://127.0.0.1:9/tile.png")  # discard port: refused at once
    assert maps.pdok_reachable(timeout=0.5) is False


def test_school_tooltips_carry_pupils_and_say_when_unknown():
    frame = pd.DataFrame(
        {
            "name": ["De <b>Regenboog</b>", "Het Anker"],
            "subtype": ["SBAO", "basisschool"],
            "pupils": pd.array([245, None], dtype="Int32"),
            "lon": [5.1, 5.2],
            "lat": [52.1, 52.2],
        }
    )
    recs = maps.facility_records(frame, "Speciaal basisonderwijs", lambda n: "onbekend" if n is None else f"{n} lln")
    assert (
        recs[0]["tip"] == "De <b>Regenboog</b>\nSpeciaal basisonderwijs · SBAO\n245 lln"
    )  # text mode: shown literally
    assert recs[1]["tip"].endswith("\nonbekend")  # missing stays missing, never 0
    assert "lln" not in maps.facility_records(frame, "x")[0]["tip"]


def test_legend_html_lists_points_and_outline_escaped():
    html_text = maps.legend_html(
        [{"color": "#fff", "label": "1 – 2"}],
        "Inwoners",
        [
            (
                "Op de kaart",
                [
                    {"color": maps.kind_color("sbao"), "shape": "dot", "label": "SBAO <i>(3)</i>"},
                    {"color": "#e63c14", "shape": "outline", "label": "Gekozen"},
                ],
            ),
            ("Leeg", []),
        ],
    )
    assert "Op de kaart" in html_text and "SBAO &lt;i&gt;(3)" in html_text and "border-radius:50%" in html_text
    assert "3px solid #e63c14" in html_text and "Leeg" not in html_text  # empty sections are left out


def test_clicked_code_reads_the_selection_state():
    event = {"selection": {"indices": {"areas": [3]}, "objects": {"areas": [{"properties": {"code": "BU00140001"}}]}}}
    assert maps.clicked_code(event) == "BU00140001"
    assert maps.clicked_code({"selection": {"objects": {"fac-horeca": [{"tip": "x"}]}}}) is None
    assert maps.clicked_code(None) is None


def test_a_note_on_a_figure_is_its_own_tooltip_line_and_only_with_a_value():
    # made-up codes and values (a labelled fixture): one carried figure, one area without a figure
    feats = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.0, 52.0]}, "properties": p}
        for p in ({"code": "BU09990103", "name": "Drie"}, {"code": "BU09990104", "name": "Vier"})
    ]
    notes = dict.fromkeys(("BU09990103", "BU09990104"), "zelfde gebied, in 2020 code BU09990003")
    out = maps.area_features(
        feats, {"BU09990103": 72.4, "BU09990104": None}, "pct", "nl", "X", "onbekend", [0, 80], notes
    )
    assert out[0]["properties"]["tip"] == "Drie (BU09990103)\nX: 72,4%\nzelfde gebied, in 2020 code BU09990003"
    assert out[1]["properties"]["tip"] == "Vier (BU09990104)\nX: onbekend"  # no figure: no word on where it came from
