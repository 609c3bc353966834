"""The map screen's model: which indicators can be mapped, their values, the deck and the counts.

Pure logic (no Streamlit): pages/kaart.py renders what `build_view` returns.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from wijk import codes, geo, maps
from wijk.catalogue import format_value
from wijk.i18n import t
from wijk.localdata import dataset_for
from wijk.store import Store

LEVELS = ("buurt", "wijk", "gemeente")
KINDS = ("basisschool", "vo-school", "onderwijs", "bushalte", "horeca", "eigen")
PROXIMITY = ("afstand_huisarts", "afstand_supermarkt", "afstand_kinderdagverblijf", "afstand_school",
             "scholen_binnen_3km")


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    unit: str


@dataclass
class View:
    layer: geo.AreaLayer
    deck: object
    legend: list[dict]
    counts: pd.DataFrame
    kinds: dict[str, int] = field(default_factory=dict)  # facilities shown per kind
    names: dict[str, str] = field(default_factory=dict)  # code -> name of the areas in the map

    def json_size(self) -> int:
        return len(self.deck.to_json().encode("utf-8"))


def default_level(level: str) -> str:
    return "wijk" if level == "wijk" else "buurt"


def options(store: Store, year: int, level: str, gemeente: str, datasets, lang: str) -> list[Option]:
    """Catalogue indicators with a value for this year and level (within the gemeente), then own ones."""
    frame = store.level_frame(year, level, None if level == "gemeente" else gemeente)
    cat = store.catalogue
    out = [Option(c, cat.get(c).label(lang), cat.get(c).unit) for c in frame.columns
           if c in cat and cat.get(c).unit != "code" and frame[c].notna().any()]
    out.sort(key=lambda o: o.label.lower())
    for ds in datasets:
        wide = ds.wide(year) if year in ds.years() else pd.DataFrame()
        for ind in ds.indicators:
            if ind.id in wide.columns and wide[ind.id].reindex([c for c in wide.index if codes.level_of(c) == level]).notna().any():
                out.append(Option(ind.id, f"{ind.label} ({ds.name})", ind.unit))
    return out


def values(store: Store, option: Option | None, year: int, level: str, gemeente: str, datasets) -> dict[str, float | None]:
    if option is None:
        return {}
    own = dataset_for(datasets, option.id)
    if own is not None:
        wide = own.wide(year)
        col = wide[option.id] if option.id in wide.columns else pd.Series(dtype=float)
        return {c: (None if pd.isna(v) else float(v)) for c, v in col.items()}
    frame = store.level_frame(year, level, None if level == "gemeente" else gemeente)
    col = frame[option.id] if option.id in frame.columns else pd.Series(dtype=float)
    return {c: (None if pd.isna(v) else float(v)) for c, v in col.items()}


def shown_figures(store: Store, option: Option | None, year: int, area_codes: list[str], datasets) -> list:
    """The figures behind the colours, with their provenance (own data: the user's source)."""
    if option is None:
        return []
    own = dataset_for(datasets, option.id)
    if own is not None:
        return [own.figure(c, year, option.id) for c in area_codes]
    return [store.figure(c, year, option.id) for c in area_codes]


def boundary_note(layer: geo.AreaLayer, lang: str) -> str:
    if layer.boundary_year is None:
        return t("kaart_no_boundaries", lang, level=t(f"level_{layer.level}", lang))
    if layer.exact:
        return t("kaart_boundary_same", lang, year=layer.boundary_year)
    return t("kaart_boundary_other", lang, boundary=layer.boundary_year, figures=layer.figure_year)


def area_geometry(store: Store, code: str, year: int, layer: geo.AreaLayer):
    """The chosen area's polygon: from the map layer, else from its own level's boundaries."""
    if codes.level_of(code) == layer.level:
        return geo.geometry_of(layer.features, code)
    level = codes.level_of(code)
    own = geo.area_layer(level, year, codes.gemeente_of(code) or code, [code])
    return geo.geometry_of(own.features, code)


def facilities(frame: pd.DataFrame, uploaded: pd.DataFrame | None, layer: geo.AreaLayer) -> pd.DataFrame:
    """Embedded facilities near the mapped areas plus the user's own points."""
    parts = [geo.within_bounds(frame, layer.features)]
    if uploaded is not None and not uploaded.empty:
        parts.append(uploaded.assign(year=None, source="eigen", licence=""))
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else frame.iloc[0:0]


def build_view(store: Store, code: str, year: int, level: str, gemeente: str, option: Option | None,
               embedded: pd.DataFrame, uploaded: pd.DataFrame | None, shown_kinds, lang: str,
               method: str = "quantile", datasets=()) -> View:
    """Everything the map screen shows for one selection: layer, deck, legend, facility counts."""
    fig_codes = geo.figure_codes(store.areas.frame, level, year, gemeente)
    layer = geo.area_layer(level, year, gemeente, fig_codes)
    facility_frame = facilities(embedded, uploaded, layer)
    vals = values(store, option, year, level, gemeente, datasets)
    edges = maps.class_edges([vals.get(c) for c in layer.codes()], method=method)
    missing = t("kaart_missing", lang)
    label = option.label if option else ""
    feats = maps.area_features(layer.features, vals, option.unit if option else "count", lang, label, missing, edges)
    selected = code if codes.level_of(code) == level else None
    pts = {k: maps.facility_records(g, t(f"kaart_kind_{k}", lang))
           for k, g in facility_frame.groupby("kind", sort=True) if k in shown_kinds}
    deck = maps.build_deck(feats, selected, pts, maps.view_state(layer.features))
    counts = geo.counts_near(area_geometry(store, code, year, layer), facility_frame)
    kinds = {k: len(v) for k, v in pts.items()}
    names = {f["properties"]["code"]: f["properties"]["name"] for f in layer.features}
    return View(layer, deck, maps.legend(edges, option.unit if option else "count", lang, missing), counts, kinds, names)


def counts_table(counts: pd.DataFrame, lang: str) -> pd.DataFrame:
    if counts.empty:
        return counts
    return pd.DataFrame({t("kaart_col_kind", lang): [t(f"kaart_kind_{k}", lang) for k in counts["kind"]],
                         t("kaart_col_inside", lang): counts["inside"],
                         t("kaart_col_500", lang): counts["within_500"],
                         t("kaart_col_1000", lang): counts["within_1000"]})


def proximity(store: Store, code: str, year: int, lang: str) -> list[tuple[str, str]]:
    """CBS proximity figures for the area that the data holds for this year (label, value)."""
    out = []
    for ind in PROXIMITY:
        if ind not in store.catalogue:
            continue
        v = store.value(code, year, ind)
        if v is not None:
            i = store.catalogue.get(ind)
            out.append((i.label(lang), f"{format_value(v, i.unit, lang)} {i.unit_label(lang)}".strip()))
    return out


def deck_json(view: View) -> dict:
    return json.loads(view.deck.to_json())
