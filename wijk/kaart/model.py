"""The map screen's model: which indicators can be mapped, their values, the deck and the counts.

Pure logic (no Streamlit): wijk/kaart/ui_screen.py renders what `build_view` returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pydeck as pdk
from shapely.geometry import shape

from wijk.core import codes, settings
from wijk.core.boundaries import CARRY_BEFORE, reused_codes
from wijk.core.catalogue import format_value
from wijk.core.i18n import t
from wijk.core.owndata import dataset_for
from wijk.core.store import Store
from wijk.kaart import figures, geo, maps, points
from wijk.kaart.points import KINDS, OWN_KIND, SCHOOL_KINDS, facilities, pupils_wording, subtype_text

__all__ = ["KINDS", "OWN_KIND", "SCHOOL_KINDS", "facilities", "pupils_wording", "subtype_text"]
LEVELS = tuple(reversed(codes.AREA_LEVELS))  # the map's levels, finest first
PROXIMITY = settings.ids("kaart", "proximity")


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    unit: str
    year: int | None = None  # the figure year when older than the map's (no figure of the map's year)


@dataclass
class View:
    layer: geo.AreaLayer
    deck: pdk.Deck
    legend: list[dict]
    counts: pd.DataFrame
    kinds: dict[str, int] = field(default_factory=dict)  # facilities shown per kind
    names: dict[str, str] = field(default_factory=dict)  # code -> name of the areas in the map
    fallback_from: str | None = None  # 'buurt' when no buurt boundary fits and the wijken are shown
    selected_note: str = ""  # why the chosen area is not drawn, in one sentence ('' when it is)
    point_legend: list[dict] = field(default_factory=list)  # one entry per point layer shown
    counted: str = ""  # the area the facility counts are for (a buurt's wijk when the buurt has no boundary)
    values: dict[str, float | None] = field(default_factory=dict)  # code -> the mapped figure
    drawn: figures.Drawn | None = None  # how the catalogue figures were found (None: own data)
    legend_title: str = ""  # the indicator, with the year its figures describe when not the map's
    legend_notes: list[str] = field(default_factory=list)  # old figures, carried figures, codes left grey

    def json_size(self) -> int:
        return len(self.deck.to_json().encode("utf-8"))


def default_level(level: str) -> str:
    return "wijk" if level == "wijk" else "buurt"


def default_kinds(embedded: pd.DataFrame, gemeente: str) -> list[str]:
    """The kinds with points near the gemeente (its 2024 wijken; all kinds when those are absent), and own points."""
    feats = geo.read_features("wijk", 2024, gemeente)
    near = set(geo.within_bounds(embedded, feats)["kind"]) if feats else set(embedded["kind"])
    return [k for k in KINDS if k in near] + [OWN_KIND]


def drawn_level(store: Store, level: str, year: int, gemeente: str) -> str:
    """The level the map will draw: the wijken when no buurt boundary fits (see layer_for)."""
    return layer_for(store, level, year, gemeente)[0].level


def level_rows(store: Store, year: int, level: str, gemeente: str) -> pd.DataFrame:
    """The store's rows of one level and year (within the gemeente, except for the gemeente level),
    found through the area index (a lookup, not a pass over every code of the year)."""
    wanted = geo.figure_codes(store.areas.frame, level, year, None if level == "gemeente" else gemeente)
    wide = store.wide(year)
    return wide.reindex(wide.index.intersection(pd.Index(wanted, dtype=wide.index.dtype)))


def options(
    store: Store, year: int, level: str, gemeente: str, datasets, lang: str, layer: geo.AreaLayer | None = None
) -> list[Option]:
    """Catalogue indicators with a value for this year and level (within the gemeente), then own ones."""
    return catalogue_options(store, year, level, gemeente, lang, layer) + own_options(datasets, year, level)


def catalogue_options(
    store: Store, year: int, level: str, gemeente: str, lang: str, layer: geo.AreaLayer | None = None
) -> list[Option]:
    """The catalogue's indicators with a value for this year and level (within the gemeente), then those
    with an older one (buurt maps); layer: the map's layer when already made (see older_options)."""
    frame = level_rows(store, year, level, gemeente)
    cat = store.catalogue
    out = [
        Option(c, cat.get(c).label(lang), cat.get(c).unit)
        for c in frame.columns
        if c in cat and cat.get(c).unit != "code" and frame[c].notna().any()
    ]
    out.sort(key=lambda o: o.label.lower())
    return out + older_options(store, year, level, gemeente, {o.id for o in out}, lang, layer)


def own_options(datasets, year: int, level: str) -> list[Option]:
    """The indicators of the user's own data sets with a value for this year and level."""
    out = []
    for ds in datasets:
        wide = ds.wide(year) if year in ds.years() else pd.DataFrame()
        for ind in ds.indicators:
            if (
                ind.id in wide.columns
                and wide[ind.id].reindex([c for c in wide.index if codes.level_of(c) == level]).notna().any()
            ):
                out.append(Option(ind.id, f"{ind.label} ({ds.name})", ind.unit))
    return out


def values(
    store: Store, option: Option | None, year: int, level: str, gemeente: str, datasets
) -> dict[str, float | None]:
    if option is None:
        return {}
    own = dataset_for(datasets, option.id)
    if own is not None:
        wide = own.wide(year)
        col = wide[option.id] if option.id in wide.columns else pd.Series(dtype=float)
        return {str(c): (None if pd.isna(v) else float(v)) for c, v in col.items()}
    frame = level_rows(store, year, level, gemeente)
    col = frame[option.id] if option.id in frame.columns else pd.Series(dtype=float)
    return {str(c): (None if pd.isna(v) else float(v)) for c, v in col.items()}


def map_rows(store: Store, year: int, layer: geo.AreaLayer):
    """The figures that can colour the layer: on a buurt map every year up to the map's (older figures
    and those carried from an old code included), on other levels the map's year only."""
    low = None if layer.level == "buurt" else year
    rows = figures.candidate_rows(store, layer.codes(), year, layer.boundary_year, layer.level)
    return rows if low is None else rows[rows["year"] >= low]


def older_options(
    store: Store, year: int, level: str, gemeente: str, taken: set[str], lang: str, layer: geo.AreaLayer | None = None
) -> list[Option]:
    """Buurt maps: the catalogue indicators with no figure in `year` but an older one that fits the
    buurten drawn (own, or carried from the old code of the same area), each labelled with its year."""
    if level != "buurt":
        return []
    layer = layer or layer_for(store, level, year, gemeente)[0]
    if layer.level != "buurt":
        return []
    cat = store.catalogue
    found = figures.older_years(map_rows(store, year, layer), year, taken)
    out = [
        Option(i, t("kaart_option_year", lang, label=cat.get(i).label(lang), year=y), cat.get(i).unit, y)
        for i, y in found.items()
        if i in cat and cat.get(i).unit != "code"
    ]
    return sorted(out, key=lambda o: o.label.lower())


def drawn_figures(
    store: Store, option: Option | None, year: int, layer: geo.AreaLayer, datasets
) -> figures.Drawn | None:
    """The catalogue figures the map colours (None for own data or no indicator)."""
    if option is None or dataset_for(datasets, option.id) is not None:
        return None
    fig_year = option.year or year
    return figures.drawn(map_rows(store, year, layer), option.id, fig_year, year, layer.codes())


def shown_figures(
    store: Store, option: Option | None, year: int, area_codes: list[str], datasets, drawn: figures.Drawn | None = None
) -> list:
    """The figures behind the colours, with their provenance (own data: the user's source)."""
    if option is None:
        return []
    own = dataset_for(datasets, option.id)
    if own is not None:
        return [own.figure(c, year, option.id) for c in area_codes]
    if drawn is not None:
        return figures.figures_of(drawn)
    return [store.figure(c, year, option.id) for c in area_codes]


def boundary_note(layer: geo.AreaLayer, lang: str, figure_year: int | None = None) -> str:
    """Which boundaries and figures the map joins; figure_year: an older year of the figures drawn."""
    if layer.boundary_year is None:
        return t("kaart_no_boundaries", lang, level=t(f"level_{layer.level}", lang))
    approx = " " + t("kaart_boundary_approximate", lang) if layer.approximate else ""
    figs = figure_year or layer.figure_year
    if layer.boundary_year == figs:
        return t("kaart_boundary_same", lang, year=layer.boundary_year) + approx
    note = t("kaart_boundary_other", lang, boundary=layer.boundary_year, figures=figs) + approx
    return note + (
        " " + t("kaart_boundary_checked", lang) if layer.changed is not None and layer.level == "buurt" else ""
    )


def another_place_now(code: str, year: int, layer: geo.AreaLayer) -> bool:
    """The chosen buurt of an old indeling whose code names another place on this map's newer polygons
    (the crosswalk rejected the same-code pair): its polygon here is not the chosen area."""
    newer = layer.boundary_year is not None and layer.boundary_year >= CARRY_BEFORE
    return layer.level == "buurt" and year < CARRY_BEFORE and newer and code in reused_codes()


def selected_note(store: Store, code: str, year: int, layer: geo.AreaLayer, lang: str) -> str:
    """One sentence on why the chosen area is not drawn on a map of its own level ('' when it is drawn)."""
    if codes.level_of(code) != layer.level or layer.boundary_year is None:
        return ""
    area = f"{store.areas.name(code, year) or code} ({code})"
    if another_place_now(code, year, layer):
        return t("kaart_selected_changed", lang, area=area, boundary=layer.boundary_year)
    if code in layer.codes():
        return ""
    if code in layer.changed_codes():
        return t("kaart_selected_changed", lang, area=area, boundary=layer.boundary_year)
    if not store.areas.exists(code, year):
        return t("kaart_selected_other_year", lang, area=area, year=year)
    return t("kaart_selected_no_boundary", lang, area=area, boundary=layer.boundary_year)


def buurt_map_possible(store: Store, year: int, gemeente: str) -> bool:
    """Whether the buurten of the gemeente can be drawn for the year (else the level choice offers wijken)."""
    return drawn_level(store, "buurt", year, gemeente) == "buurt"


def area_geometry(code: str, year: int, layer: geo.AreaLayer):
    """(polygon, code) of the chosen area: from the map layer, else from its own level's boundaries;
    a buurt without a fitting boundary is counted around its wijk (the code returned says which)."""
    wijk = codes.wijk_of(code) if codes.level_of(code) == "buurt" else None
    for c in [code] + ([wijk] if wijk else []):
        level = codes.level_of(c)
        if level == layer.level:
            geom = geo.geometry_of(layer.features, c)
        elif level is None:
            continue  # not an area code: no boundaries to look in
        else:
            own = geo.area_layer(level, year, codes.gemeente_of(c) or c, [c])
            geom = geo.geometry_of(own.features, c)
        if geom is not None:
            return geom, c
    return None, code


def layer_for(store: Store, level: str, year: int, gemeente: str) -> tuple[geo.AreaLayer, str | None]:
    """The area layer; a buurt map on which no buurt with figures can be drawn falls back to the wijken
    (said on screen)."""
    wanted = geo.figure_codes(store.areas.frame, level, year, gemeente)
    layer = geo.area_layer(level, year, gemeente, wanted)
    if level == "buurt" and not set(layer.codes()) & set(wanted):
        wijk = geo.area_layer("wijk", year, gemeente, geo.figure_codes(store.areas.frame, "wijk", year, gemeente))
        if wijk.features:
            wijk.changed = layer.changed  # the buurten left out stay listed
            return wijk, "buurt"
    return layer, None


@dataclass(frozen=True)
class Prepared:
    """What a map of one gemeente, level, year and language needs whatever the area, indicator, method
    or dots chosen: the layer, the embedded facilities near it (with RD New coordinates) and their map
    records, the drawn areas in RD New (for the counts) and the view that fits them. The UI boundary
    makes it once per key (wijk/kaart/ui_screen.py) and shares it: read-only."""

    layer: geo.AreaLayer
    fallback_from: str | None
    near: pd.DataFrame
    near_xy: tuple
    points: dict[str, list[dict]]
    areas_rd: dict[str, object]
    view: pdk.ViewState


def prepare(store: Store, level: str, year: int, gemeente: str, embedded: pd.DataFrame, lang: str) -> Prepared:
    layer, fallback_from = layer_for(store, level, year, gemeente)
    # points near what is drawn; on the national map only near the chosen gemeente (not 10,000 dots)
    feats = layer.features
    near = facilities(
        embedded, feats if layer.level != "gemeente" else [f for f in feats if f["properties"]["code"] == gemeente]
    )
    drawn = [] if layer.level == "gemeente" else feats  # the national map counts around its own gemeente
    rd = dict(zip((f["properties"]["code"] for f in drawn), geo.to_rd_geometry([shape(f["geometry"]) for f in drawn])))
    return Prepared(layer, fallback_from, near, geo.rd_xy(near), points.records(near, lang), rd, maps.view_state(feats))


def build_view(
    store: Store,
    code: str,
    year: int,
    level: str,
    gemeente: str,
    option: Option | None,
    embedded: pd.DataFrame,
    uploaded: pd.DataFrame | None,
    shown_kinds,
    lang: str,
    method: str = "quantile",
    datasets=(),
    basemap_reachable: bool = False,
    prepared: Prepared | None = None,
) -> View:
    """Everything the map screen shows for one selection: layer, deck, legend, facility counts.
    prepared: prepare(store, level, year, gemeente, embedded, lang), when the caller keeps it."""
    prep = prepared or prepare(store, level, year, gemeente, embedded, lang)
    layer, fallback_from = prep.layer, prep.fallback_from
    level = layer.level
    drawn = drawn_figures(store, option, year, layer, datasets)
    vals = drawn.values if drawn is not None else values(store, option, year, level, gemeente, datasets)
    edges = maps.class_edges([vals.get(c) for c in layer.codes()], method=method)
    missing = t("kaart_missing", lang)
    base = store.catalogue.get(option.id).label(lang) if option and option.id in store.catalogue else ""
    title, notes = figures.legend_text(option.label if option else "", base, drawn, year, lang)
    label = title if option else ""
    unit = option.unit if option else "count"
    feats = maps.area_features(
        layer.features, vals, unit, lang, label, missing, edges, figures.carried_tips(drawn, lang)
    )
    selected = code if codes.level_of(code) == level else (codes.wijk_of(code) if level == "wijk" else None)
    if selected and another_place_now(selected, year, layer):
        selected = None  # not highlighted: its code's polygon here is another place (selected_note says so)
    facility_frame, xy, pts = prep.near, prep.near_xy, dict(prep.points)
    if uploaded is not None and not uploaded.empty:  # the user's own points join the prepared ones
        mine = points.own(uploaded)
        facility_frame = pd.concat([prep.near, mine], ignore_index=True) if not prep.near.empty else mine
        mine_x, mine_y = geo.rd_xy(mine)  # the prepared points keep theirs: only the own ones are converted
        xy = (np.concatenate([prep.near_xy[0], mine_x]), np.concatenate([prep.near_xy[1], mine_y]))
        pts.update(points.records(mine, lang))
    pts = {k: v for k, v in sorted(pts.items()) if k in shown_kinds}
    deck = maps.build_deck(feats, selected, pts, prep.view, basemap_reachable)
    geom, counted = area_geometry(code, year, layer)
    counts = geo.counts_near(geom, facility_frame, area_rd=prep.areas_rd.get(counted), xy=xy)
    kinds = {k: len(v) for k, v in pts.items()}
    names = {f["properties"]["code"]: f["properties"]["name"] for f in layer.features}
    point_legend = points.legend(kinds, selected, names, lang)
    return View(
        layer,
        deck,
        maps.legend(edges, option.unit if option else "count", lang, missing),
        counts,
        kinds,
        names,
        fallback_from,
        selected_note(store, code, year, layer, lang),
        point_legend,
        counted,
        vals,
        drawn,
        title,
        notes,
    )


def changed_note(layer: geo.AreaLayer, lang: str) -> list[str]:
    """One line per code left out because its boundary changed: name-free, code, reason and numbers."""
    if layer.changed is None or layer.changed.empty:
        return []
    out = []
    for r in layer.changed.to_dict("records"):
        ha = "" if pd.isna(r["land_ha_2024"]) else format_value(float(r["land_ha_2024"]), "count", lang)
        out.append(
            t(
                f"kaart_changed_{r['reason']}",
                lang,
                code=r["code"],
                poly=format_value(float(r["polygon_ha"]), "number", lang),
                land=ha,
                year=int(r["boundary_year"]),
            )
        )
    return out


def values_table(view: View, option: Option | None, lang: str) -> pd.DataFrame:
    """The map's colours as a table (its text alternative): every drawn area with its figure, by name."""
    if option is None:
        return pd.DataFrame()
    missing = t("kaart_missing", lang)
    tips = figures.carried_tips(view.drawn, lang)
    rows = sorted(
        (
            (
                str(view.names.get(c) or c),
                c,
                format_value(view.values.get(c), option.unit, lang, missing=missing),
                tips.get(c, "") if view.values.get(c) is not None else "",
            )
            for c in view.layer.codes()
        ),
        key=lambda r: (r[0].casefold(), r[1]),
    )
    heads = [t("kaart_col_area", lang), t("kaart_col_code", lang), view.legend_title or option.label]
    frame = pd.DataFrame(rows, columns=[*heads, t("kaart_col_note", lang)])
    return frame if tips else frame.iloc[:, :3]


def counts_table(counts: pd.DataFrame, lang: str) -> pd.DataFrame:
    if counts.empty:
        return counts
    return pd.DataFrame(
        {
            t("kaart_col_kind", lang): [t(f"kaart_kind_{k}", lang) for k in counts["kind"]],
            t("kaart_col_inside", lang): counts["inside"],
            t("kaart_col_500", lang): counts["within_500"],
            t("kaart_col_1000", lang): counts["within_1000"],
        }
    )


def proximity(store: Store, code: str, year: int, lang: str) -> list[tuple[str, str]]:
    """CBS proximity figures (KWB: distances by road, schools within 3 km) for the area, each the
    figure of the chosen year or else the newest year that has it, labelled with its year."""
    out = []
    years = [year] + sorted((y for y in store.years() if y != year), reverse=True)
    for ind in PROXIMITY:
        if ind not in store.catalogue:
            continue
        found = next(((y, v) for y in years if (v := store.value(code, y, ind)) is not None), None)
        if found is None:
            continue
        i = store.catalogue.get(ind)
        value = f"{format_value(found[1], i.unit, lang)} {i.unit_label(lang)}".strip()
        out.append((t("kaart_proximity_label", lang, label=i.label(lang), year=found[0]), value))
    return out
