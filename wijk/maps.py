"""pydeck builders: data in, deck out. Choropleth with legend classes, the chosen area outlined,
facility point layers, tooltips.

Classes: quantiles by default (each class holds about as many areas; good for skewed CBS
figures), or natural breaks (Jenks: minimal variance within classes) on request. Ties collapse
classes, so fewer than k classes come back when values repeat. Missing values get their own grey
class ("onbekend"), never the lowest colour.

Tooltips use deck.gl's `text` mode (set with innerText: nothing in a name is ever parsed as
markup). Every piece of text we put in HTML ourselves (the legend) goes through html.escape.
Basemap: none from the internet unless WIJK_BASEMAP_STYLE names a style URL; by default a blank
local style served from static/ (no token, no outside request, never a hung map).
"""
from __future__ import annotations

import html
import math
import os
import re

import pydeck as pdk
import shapely
from shapely.geometry import shape

from wijk.catalogue import format_value

BLANK_STYLE = "/app/static/kaart_blank_style.json"
PALETTE = [(237, 248, 177), (161, 218, 180), (65, 182, 196), (34, 94, 168), (12, 44, 132)]  # YlGnBu
MISSING = (200, 200, 200)
SELECTED = (230, 60, 20)
KIND_COLORS = {
    "basisschool": (220, 50, 120), "vo-school": (150, 30, 160), "onderwijs": (240, 140, 0),
    "bushalte": (0, 150, 80), "horeca": (120, 90, 60), "eigen": (200, 0, 0),
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_text(value: object, limit: int = 120) -> str:
    """Plain text for a tooltip: control characters removed, length capped."""
    return _CONTROL.sub(" ", "" if value is None else str(value)).strip()[:limit]


def map_style() -> str:
    return os.environ.get("WIJK_BASEMAP_STYLE", "").strip() or BLANK_STYLE


# ---- classification -------------------------------------------------------------------------
def _quantile_edges(vals: list[float], k: int) -> list[float]:
    n = len(vals)
    edges = []
    for i in range(k + 1):
        pos = (n - 1) * i / k
        lo, hi = math.floor(pos), math.ceil(pos)
        edges.append(vals[lo] + (vals[hi] - vals[lo]) * (pos - lo))
    return edges


def _jenks_edges(vals: list[float], k: int) -> list[float]:
    """Fisher-Jenks natural breaks by dynamic programming (fine for a gemeente's few hundred areas)."""
    n = len(vals)
    pre, pre2 = [0.0], [0.0]
    for v in vals:
        pre.append(pre[-1] + v)
        pre2.append(pre2[-1] + v * v)

    def ssd(i: int, j: int) -> float:  # values i..j-1
        s, s2, m = pre[j] - pre[i], pre2[j] - pre2[i], j - i
        return s2 - s * s / m
    cost = [[math.inf] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    cost[0][0] = 0.0
    for c in range(1, k + 1):
        for j in range(c, n + 1):
            for i in range(c - 1, j):
                v = cost[c - 1][i] + ssd(i, j)
                if v < cost[c][j]:
                    cost[c][j], back[c][j] = v, i
    cuts, j = [], n
    for c in range(k, 0, -1):
        cuts.append(j)
        j = back[c][j]
    return [vals[0]] + [vals[j - 1] for j in reversed(cuts)]


def class_edges(values, k: int = 5, method: str = "quantile") -> list[float]:
    """Class edges (ascending, unique) for the non-missing values; [] when there are none."""
    vals = sorted(float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v)))
    if not vals:
        return []
    k = max(1, min(k, len(set(vals))))
    edges = _jenks_edges(vals, k) if method == "jenks" else _quantile_edges(vals, k)
    unique = sorted(set(edges))
    return unique if len(unique) > 1 else [vals[0], vals[-1]]


def class_of(value, edges: list[float]) -> int | None:
    """Index of the class (0-based) of a value: upper edges inclusive; None for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or not edges:
        return None
    for i in range(1, len(edges)):
        if value <= edges[i]:
            return i - 1
    return len(edges) - 2


def _colors(n: int) -> list[tuple[int, int, int]]:
    if n >= len(PALETTE):
        return PALETTE[:n]
    idx = [round(i * (len(PALETTE) - 1) / max(1, n - 1)) for i in range(n)] if n > 1 else [2]
    return [PALETTE[i] for i in idx]


def legend(edges: list[float], unit: str, lang: str, missing_label: str) -> list[dict]:
    """[{color: '#rrggbb', label: 'a – b'}], lowest first, then the missing class."""
    colors = _colors(max(1, len(edges) - 1))
    out = [{"color": "#%02x%02x%02x" % colors[i],
            "label": f"{format_value(edges[i], unit, lang)} – {format_value(edges[i + 1], unit, lang)}"}
           for i in range(len(edges) - 1)]
    return out + [{"color": "#%02x%02x%02x" % MISSING, "label": missing_label}]


def legend_html(items: list[dict], title: str) -> str:
    rows = "<br/>".join(f'<span style="display:inline-block;width:14px;height:14px;background:{html.escape(i["color"])};'
                        f'border:1px solid #888;margin:0 6px -2px 0"></span>{html.escape(i["label"])}' for i in items)
    return f"<div><b>{html.escape(title)}</b><br/>{rows}</div>"


# ---- layers ----------------------------------------------------------------------------------
def area_features(features: list[dict], values: dict[str, float | None], unit: str, lang: str,
                  indicator_label: str, missing_label: str, edges: list[float]) -> list[dict]:
    """Features with a fill colour and a plain-text tooltip (name, code, value)."""
    colors = _colors(max(1, len(edges) - 1))
    out = []
    for f in features:
        p = f["properties"]
        v = values.get(p["code"])
        c = class_of(v, edges)
        fill = list(colors[c] if c is not None else MISSING) + [190]
        shown = format_value(v, unit, lang, missing=missing_label)
        tip = f"{safe_text(p['name'])} ({safe_text(p['code'])})\n{safe_text(indicator_label)}: {shown}"
        out.append({"type": "Feature", "geometry": f["geometry"],
                    "properties": {"code": p["code"], "name": safe_text(p["name"]), "fill": fill, "tip": tip}})
    return out


def facility_records(frame, kind_label: str) -> list[dict]:
    return [{"lon": round(float(lo), 6), "lat": round(float(la), 6),
             "tip": f"{safe_text(n)}\n{safe_text(kind_label)}" + (f" · {safe_text(s)}" if s else "")}
            for n, s, lo, la in zip(frame["name"], frame["subtype"], frame["lon"], frame["lat"])]


def view_state(features: list[dict], selected: str | None = None, width: int = 700, height: int = 600) -> pdk.ViewState:
    """Centre and zoom that fit the features (deck.gl's web mercator: 512 px world at zoom 0)."""
    geoms = [shape(f["geometry"]) for f in features if not selected or f["properties"]["code"] == selected]
    if not geoms:
        return pdk.ViewState(latitude=52.2, longitude=5.3, zoom=6.5)
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
    lat = (y0 + y1) / 2
    zx = math.log2(width * 360 / (512 * max(x1 - x0, 1e-3)))
    zy = math.log2(height * 360 * math.cos(math.radians(lat)) / (512 * max(y1 - y0, 1e-3)))
    zoom = max(5.0, min(15.0, min(zx, zy) - 0.15))
    return pdk.ViewState(latitude=round(lat, 5), longitude=round((x0 + x1) / 2, 5), zoom=round(zoom, 2))


def build_deck(areas: list[dict], selected: str | None, facilities: dict[str, list[dict]],
               view: pdk.ViewState | None = None) -> pdk.Deck:
    layers = [pdk.Layer("GeoJsonLayer", id="areas", data={"type": "FeatureCollection", "features": areas},
                        pickable=True, stroked=True, filled=True, get_fill_color="properties.fill",
                        get_line_color=[90, 90, 90], line_width_min_pixels=1, auto_highlight=True)]
    for kind, records in sorted(facilities.items()):
        layers.append(pdk.Layer("ScatterplotLayer", id=f"fac-{kind}", data=records, pickable=True,
                                get_position="[lon, lat]", get_fill_color=list(KIND_COLORS.get(kind, (0, 0, 0))),
                                get_line_color=[255, 255, 255], stroked=True, line_width_min_pixels=1,
                                get_radius=20, radius_min_pixels=3, radius_max_pixels=9))
    sel = [f for f in areas if f["properties"]["code"] == selected]
    if sel:  # on top of the points, so the chosen area always shows
        layers.append(pdk.Layer("GeoJsonLayer", id="selected", data={"type": "FeatureCollection", "features": sel},
                                pickable=False, stroked=True, filled=False, get_line_color=list(SELECTED),
                                line_width_min_pixels=4))
    return pdk.Deck(layers=layers, initial_view_state=view or view_state(areas, None), map_provider=None,
                    map_style=map_style(), tooltip={"text": "{tip}"})


def clicked_code(event, layer_id: str = "areas") -> str | None:
    """The area code of a map click from st.pydeck_chart's selection state, if any."""
    try:
        objects = event.selection.get("objects", {}) if hasattr(event, "selection") else event["selection"]["objects"]
    except (KeyError, TypeError, AttributeError):
        return None
    picked = objects.get(layer_id) or []
    if not picked:
        return None
    obj = picked[0]
    props = obj.get("properties", obj) if isinstance(obj, dict) else {}
    return props.get("code")
