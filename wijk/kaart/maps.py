"""pydeck builders: data in, deck out. Choropleth with legend classes, the chosen area outlined,
facility point layers, tooltips.

Classes: quantiles by default (each class holds about as many areas; good for skewed CBS
figures), or natural breaks (Jenks: minimal variance within classes) on request. Ties collapse
classes, so fewer than k classes come back when values repeat. Missing values get their own grey
class ("onbekend"), never the lowest colour.

Tooltips use deck.gl's `text` mode (set with innerText: nothing in a name is ever parsed as
markup). Every piece of text we put in HTML ourselves (the legend) goes through html.escape.

Basemap: PDOK's public BRT-Achtergrondkaart (grey raster tiles, no token) when the server can reach
PDOK, drawn over the blank background of the same local style, so a browser that cannot reach the
tiles still shows a clean map; otherwise the blank local style (static/), which makes no outside
request at all. WIJK_BASEMAP=blank|pdok forces one; WIJK_BASEMAP_STYLE names any other style URL.
"""

from __future__ import annotations

import html
import json
import math
import os
import urllib.request
from collections.abc import Sequence

import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize
from shapely.geometry import shape

from wijk.core import settings
from wijk.core.catalogue import format_value
from wijk.core.text import plain

TIP_LIMIT = 120  # characters of one tooltip line

BLANK_STYLE = "/app/static/kaart_blank_style.json"
BLANK_BACKGROUND = "#f2f1ec"  # the blank style's only paint: its background colour
# What pydeck writes as mapStyle when none is given; with map_provider=None Streamlit then starts no basemap.
NO_BASEMAP = "__MAP_STYLE__"
PDOK_STYLE = "/app/static/kaart_pdok_brt_style.json"
PDOK_PROBE = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/7/65/42.png"
# Colours from data/settings.toml: choropleth classes (YlGnBu), missing values, the chosen area's
# outline, and per facility kind its points (away from the blue-green choropleth).
PALETTE = settings.rgbs("kaart", "palette")
MISSING = settings.rgb("kaart", "missing")
SELECTED = settings.rgb("kaart", "selected")
KIND_COLORS = {kind: settings.rgb("kaart", "kinds", kind, "colour") for kind in settings.setting("kaart", "kinds")}


def pdok_reachable(timeout: float = 2.0) -> bool:
    """Whether one PDOK BRT tile can be fetched within the timeout (the caller caches the answer)."""
    try:
        with urllib.request.urlopen(urllib.request.Request(PDOK_PROBE, method="HEAD"), timeout=timeout) as r:
            return 200 <= r.status < 400
    except (OSError, ValueError):
        return False


def map_style(basemap_reachable: bool = False) -> str:
    """The style URL: WIJK_BASEMAP_STYLE, else PDOK (forced, or reachable), else the blank local style."""
    custom = os.environ.get("WIJK_BASEMAP_STYLE", "").strip()
    if custom:
        return custom
    mode = os.environ.get("WIJK_BASEMAP", "auto").strip().lower()
    if mode == "pdok" or (mode != "blank" and basemap_reachable):
        return PDOK_STYLE
    return BLANK_STYLE


def basemap_wanted() -> bool:
    """False when the environment rules out a probe (forced blank or a custom style)."""
    return (
        not os.environ.get("WIJK_BASEMAP_STYLE", "").strip()
        and os.environ.get("WIJK_BASEMAP", "auto").strip().lower() == "auto"
    )


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
    out = [
        {
            "color": "#{:02x}{:02x}{:02x}".format(*colors[i]),
            "label": f"{format_value(edges[i], unit, lang)} – {format_value(edges[i + 1], unit, lang)}",
        }
        for i in range(len(edges) - 1)
    ]
    return out + [{"color": "#{:02x}{:02x}{:02x}".format(*MISSING), "label": missing_label}]


def _swatch(color: str, shape: str) -> str:
    radius = "50%" if shape == "dot" else "0"
    border = f"3px solid {color}" if shape == "outline" else "1px solid #555"
    fill = "transparent" if shape == "outline" else color
    return (
        f'<span aria-hidden="true" style="display:inline-block;width:14px;height:14px;background:{fill};'
        f'border:{border};border-radius:{radius};margin:0 6px -2px 0"></span>'
    )


def legend_html(items: list[dict], title: str, sections: Sequence[tuple[str, list[dict]]] = ()) -> str:
    """The legend as escaped HTML: the colour classes, then further sections (points, outline).

    Items are {color, label} and may carry shape 'dot' (a point layer) or 'outline' (the selection)."""

    def block(head: str, rows: list[dict]) -> str:
        body = "<br/>".join(
            _swatch(html.escape(i["color"]), i.get("shape", "box")) + html.escape(i["label"]) for i in rows
        )
        return f"<div><b>{html.escape(head)}</b><br/>{body}</div>"

    parts = [block(title, items)] + [block(h, rows) for h, rows in sections if rows]
    return '<div style="line-height:1.6">' + '<div style="height:6px"></div>'.join(parts) + "</div>"


def kind_color(kind: str) -> str:
    return "#{:02x}{:02x}{:02x}".format(*KIND_COLORS.get(kind, (0, 0, 0)))


# ---- layers ----------------------------------------------------------------------------------
def area_features(
    features: list[dict],
    values: dict[str, float | None],
    unit: str,
    lang: str,
    indicator_label: str,
    missing_label: str,
    edges: list[float],
    notes: dict[str, str] | None = None,
) -> list[dict]:
    """Features with a fill colour and a plain-text tooltip (name, code, value, and a note on the figure
    where given: 'zelfde gebied, in 2020 code BU03639402')."""
    colors = _colors(max(1, len(edges) - 1))
    out = []
    for f in features:
        p = f["properties"]
        v = values.get(p["code"])
        c = class_of(v, edges)
        fill = list(colors[c] if c is not None else MISSING) + [190]
        shown = format_value(v, unit, lang, missing=missing_label)
        tip = f"{plain(p['name'], TIP_LIMIT)} ({plain(p['code'], TIP_LIMIT)})\n{plain(indicator_label, TIP_LIMIT)}: {shown}"
        if notes and v is not None and p["code"] in notes:
            tip += f"\n{plain(notes[p['code']], TIP_LIMIT)}"  # its own line: a narrow tooltip
        out.append(
            {
                "type": "Feature",
                "geometry": f["geometry"],
                "properties": {"code": p["code"], "name": plain(p["name"], TIP_LIMIT), "fill": fill, "tip": tip},
            }
        )
    return out


def facility_records(frame, kind_label: str, pupils_text=None) -> list[dict]:
    """Point records with a plain-text tooltip: name, kind · subtype, and pupils when known.

    pupils_text(n) words a pupil count (n is None when DUO has no count: say so, never 0)."""
    pupils = frame["pupils"] if "pupils" in frame.columns else [None] * len(frame)
    out = []
    for n, s, p, lo, la in zip(frame["name"], frame["subtype"], pupils, frame["lon"], frame["lat"]):
        tip = f"{plain(n, TIP_LIMIT)}\n{plain(kind_label, TIP_LIMIT)}" + (f" · {plain(s, TIP_LIMIT)}" if s else "")
        if pupils_text is not None:
            tip += "\n" + plain(pupils_text(None if pd.isna(p) else int(p)), TIP_LIMIT)
        out.append({"lon": round(float(lo), 6), "lat": round(float(la), 6), "tip": tip})
    return out


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


class Deck(pdk.Deck):
    """pydeck's Deck, serialised compactly. pydeck indents its JSON (json.dumps(indent=2)): Python's slow
    pure-Python encoder and about twice the bytes on the websocket, for a spec no one reads."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def build_deck(
    areas: list[dict],
    selected: str | None,
    facilities: dict[str, list[dict]],
    view: pdk.ViewState | None = None,
    basemap_reachable: bool = False,
) -> pdk.Deck:
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            id="areas",
            data={"type": "FeatureCollection", "features": areas},
            pickable=True,
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=[90, 90, 90],
            line_width_min_pixels=1,
            auto_highlight=True,
        )
    ]
    for kind, records in sorted(facilities.items()):
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id=f"fac-{kind}",
                data=records,
                pickable=True,
                get_position="[lon, lat]",
                get_fill_color=list(KIND_COLORS.get(kind, (0, 0, 0))),
                get_line_color=[255, 255, 255],
                stroked=True,
                line_width_min_pixels=1,
                get_radius=20,
                radius_min_pixels=3,
                radius_max_pixels=9,
            )
        )
    sel = [f for f in areas if f["properties"]["code"] == selected]
    if sel:  # on top of the points, so the chosen area always shows
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                id="selected",
                data={"type": "FeatureCollection", "features": sel},
                pickable=False,
                stroked=True,
                filled=False,
                get_line_color=list(SELECTED),
                line_width_min_pixels=4,
            )
        )
    # the blank style is only a background colour: the map's container has it (background_css), and the
    # browser starts no basemap library at all (no MapLibre, its worker, its style request)
    style = map_style(basemap_reachable)
    basemap = {} if style == BLANK_STYLE else {"map_style": style}
    return Deck(
        layers=layers,
        initial_view_state=view or view_state(areas, None),
        map_provider=None,
        tooltip={"text": "{tip}"},
        **basemap,
    )


def background_css() -> str:
    """The blank style's background colour (static/kaart_blank_style.json) under the map's canvas."""
    return f'<style>[data-testid="stDeckGlJsonChart"] {{ background: {BLANK_BACKGROUND}; }}</style>'


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
