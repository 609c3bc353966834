"""wijk.maps: classes, legend, tooltips (never markup), deck structure."""
from __future__ import annotations

import json
import math

from wijk import geo, maps


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
    feats = [{"type": "Feature", "properties": {"code": "BU00140000", "name": "<img src=x onerror=alert(1)>\x00"},
              "geometry": {"type": "Polygon", "coordinates": [[[6.5, 53.2], [6.6, 53.2], [6.6, 53.3], [6.5, 53.2]]]}}]
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
    feats = geo.read_features("buurt", 2022, "GM0014")
    areas = maps.area_features(feats, {}, "count", "nl", "x", "onbekend", [])
    fac = geo.load_facilities()
    pts = {"horeca": maps.facility_records(fac[fac["kind"] == "horeca"], "Horeca")}
    deck = json.loads(maps.build_deck(areas, None, pts).to_json())
    assert deck["mapStyle"] == maps.BLANK_STYLE and "mapbox://" not in json.dumps(deck)
    assert len(deck["layers"][0]["data"]["features"]) == 150
    assert len(deck["layers"][1]["data"]) == 621
    assert all(f["properties"]["fill"][:3] == list(maps.MISSING) for f in deck["layers"][0]["data"]["features"])
    monkeypatch.setenv("WIJK_BASEMAP_STYLE", "https://tiles.example.org/style.json")
    assert json.loads(maps.build_deck(areas, None, {}).to_json())["mapStyle"] == "https://tiles.example.org/style.json"


def test_clicked_code_reads_the_selection_state():
    event = {"selection": {"indices": {"areas": [3]}, "objects": {"areas": [{"properties": {"code": "BU00140001"}}]}}}
    assert maps.clicked_code(event) == "BU00140001"
    assert maps.clicked_code({"selection": {"objects": {"fac-horeca": [{"tip": "x"}]}}}) is None
    assert maps.clicked_code(None) is None
