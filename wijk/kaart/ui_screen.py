"""The kaart screen, section by section (pages/kaart.py runs them in order): the controls, the map
with its side panel (a click selects an area), the notes on changed and missing boundaries, the area
pick box, the facility counts, proximity and the sources."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from wijk.core import provenance
from wijk.core.i18n import t
from wijk.core.selection import Selection
from wijk.core.store import Store
from wijk.kaart import facilities_upload, geo, maps
from wijk.kaart import model as kaart
from wijk.kaart import ui as basemap
from wijk.ui import state
from wijk.ui.lazy import lazy_table
from wijk.ui.loaders import data_cache
from wijk.ui.tables import static_table, value_cards_html


@dataclass
class Screen:
    """What every section shares: the selection and the map's controls (level, indicator, method, points)."""

    store: Store
    sel: Selection
    datasets: list
    level: str = ""
    opts: dict = field(default_factory=dict)
    ind: str | None = None
    method: str = ""
    embedded: pd.DataFrame = field(default_factory=pd.DataFrame)
    shown: list = field(default_factory=list)
    parsed: facilities_upload.UploadResult | None = None

    @property
    def lang(self) -> str:
        return self.sel.lang

    @property
    def year(self) -> int:
        return self.sel.jaar

    @property
    def gm(self) -> str:
        return self.sel.gemeente


def controls(store: Store, sel: Selection, datasets: list) -> Screen:
    """Title, introduction, level, indicator and method, the facility kinds and the upload of own points."""
    s = Screen(store, sel, datasets)
    lang, year, gm = s.lang, s.year, s.gm
    st.title(t("kaart_title", lang, gemeente=store.areas.name(gm, year)))
    st.caption(t("kaart_intro", lang))
    if "kaart_level" not in st.session_state:
        st.session_state["kaart_level"] = kaart.default_level(sel.level)
    # the level choice offers buurten only where they can be drawn: it never says buurten over wijken
    buurten = _prepared(store, id(store), "buurt", year, gm, lang).layer.level == "buurt"
    levels = [lv for lv in kaart.LEVELS if buurten or lv != "buurt"]
    if st.session_state["kaart_level"] not in levels:
        st.session_state["kaart_level"] = "wijk"
    c1, c2, c3 = st.columns([1, 2, 1])
    level = c1.radio(
        t("kaart_level", lang), levels, key="kaart_level", format_func=lambda lv: t(f"kaart_level_{lv}", lang)
    )
    if not buurten:
        c1.caption(t("kaart_fallback_wijk", lang, year=year))
    drawn = _prepared(store, id(store), level, year, gm, lang).layer
    opts = {o.id: o for o in _options(store, id(store), year, drawn.level, gm, lang)}
    opts |= {o.id: o for o in kaart.own_options(datasets, year, drawn.level)}
    if st.session_state.get("kaart_indicator") not in opts:
        st.session_state["kaart_indicator"] = next(iter(opts), None)
    ind = c2.selectbox(
        t("kaart_indicator", lang),
        list(opts),
        key="kaart_indicator",
        format_func=lambda i: opts[i].label,
        disabled=not opts,
        placeholder=t("widget_choose", lang),
    )
    method = c3.radio(
        t("kaart_method", lang),
        ["quantile", "jenks"],
        key="kaart_method",
        format_func=lambda m: t(f"kaart_method_{m}", lang),
    )
    if not opts:
        st.info(t("kaart_no_indicator", lang, year=year))

    embedded = _facilities()
    shown = st.multiselect(
        t("kaart_kinds", lang),
        kaart.KINDS,
        default=_default_kinds(gm),
        key="kaart_kinds",
        format_func=lambda k: t(f"kaart_kind_{k}", lang),
        placeholder=t("kaart_kinds_none", lang),
        select_all=False,  # Streamlit's "Select all" is English
    )
    s.level, s.opts, s.ind, s.method = level, opts, ind, method
    s.embedded, s.shown, s.parsed = embedded, shown, _upload(lang)
    return s


@data_cache
def _facilities() -> pd.DataFrame:
    """The embedded facilities, read once and shared (not copied on every map rerun): read-only."""
    return geo.load_facilities()


@data_cache(max_entries=400)
def _default_kinds(gemeente: str) -> tuple[str, ...]:
    return tuple(kaart.default_kinds(_facilities(), gemeente))


# What one gemeente's map needs whatever is picked on it (its layer, the dots near it and their records,
# its catalogue indicators) is made once and shared by all sessions (read-only; a few dozen maps kept).
# Keyed by the store object's id as well as registered as a data cache: a data refresh clears it
# (wijk.ui.loaders.clear_caches), so an old store's map is never served for the new one.
@data_cache(max_entries=24)
def _prepared(
    _store: Store,
    store_id: int,  # noqa: ARG001 - the cache key: Streamlit does not hash _store
    level: str,
    year: int,
    gemeente: str,
    lang: str,
) -> kaart.Prepared:
    return kaart.prepare(_store, level, year, gemeente, _facilities(), lang)


@data_cache(max_entries=64)
def _options(
    _store: Store,
    store_id: int,
    year: int,
    drawn_level: str,
    gemeente: str,
    lang: str,
) -> tuple[kaart.Option, ...]:
    layer = _prepared(_store, store_id, drawn_level, year, gemeente, lang).layer
    return tuple(kaart.catalogue_options(_store, year, drawn_level, gemeente, lang, layer))


def _upload(lang: str) -> facilities_upload.UploadResult | None:
    """The expander to upload own points: the file, what was read and every row that was not."""
    with st.expander(t("kaart_upload", lang)):
        upload = st.file_uploader(
            t("kaart_upload", lang),
            type=["csv", "txt"],
            key="kaart_upload",
            help=t("kaart_upload_help", lang),
            label_visibility="collapsed",
        )
        st.caption(t("kaart_upload_help", lang))
        parsed = facilities_upload.parse(upload.getvalue()) if upload is not None else None
        if parsed is not None and parsed.fatal:
            st.error(t(parsed.fatal, lang))
        elif parsed is not None:
            st.success(t("kaart_upload_ok", lang, n=len(parsed.facilities)))
            for e in parsed.errors:
                st.warning(t("kaart_upload_row", lang, row=e.row, msg=t(e.key, lang, detail=e.detail)))
    return parsed


def map_section(s: Screen) -> kaart.View:
    """The map with its values table and side panel; a click on an area with figures selects it."""
    store, sel, lang, year = s.store, s.sel, s.lang, s.year
    opts, ind, parsed = s.opts, s.ind, s.parsed
    online = basemap.reachable()
    view = kaart.build_view(
        store,
        sel.code,
        year,
        s.level,
        s.gm,
        opts.get(ind),
        s.embedded,
        parsed.facilities if parsed else None,
        s.shown,
        lang,
        s.method,
        s.datasets,
        online,
        _prepared(store, id(store), s.level, year, s.gm, lang),
    )
    if view.fallback_from:
        st.info(t("kaart_fallback_wijk", lang, year=year))
    if view.selected_note:
        st.info(view.selected_note)
    left, right = st.columns([3, 1])
    with left:
        st.html(maps.background_css())  # a style only: Streamlit adds it to the page, not as an element
        event = st.pydeck_chart(
            view.deck, on_select="rerun", selection_mode="single-object", key="kaart_map", height=600, width="stretch"
        )
        st.caption(t("kaart_basemap_pdok" if online else "kaart_basemap_blank", lang))
        if ind:
            lazy_table(
                t("kaart_table", lang),
                "kaart_values_table_open",
                lambda: kaart.values_table(view, opts[ind], lang),
                "kaart_values_table",
            )
    clicked = maps.clicked_code(event)
    if clicked != st.session_state.get("kaart_last_click"):
        st.session_state["kaart_last_click"] = clicked
        if clicked and clicked != sel.code and store.areas.exists(clicked):
            state.set_selection(sel.with_area(clicked, store.areas))
            st.rerun()
        elif clicked and not store.areas.exists(clicked):
            st.info(t("kaart_click_no_figures", lang, area=f"{view.names.get(clicked, clicked)} ({clicked})"))
    with right:
        _side_panel(s, view)
    return view


def _side_panel(s: Screen, view: kaart.View) -> None:
    """Beside the map: the legend, the boundary note and the provenance of the figures shown."""
    lang, year, opts, ind, layer = s.lang, s.year, s.opts, s.ind, view.layer
    # st.html, not st.markdown(unsafe_allow_html): the same escaped HTML without loading the browser's
    # raw-HTML markdown parser (a chunk of its own, fetched only for this legend)
    st.html(
        maps.legend_html(
            view.legend,
            view.legend_title or t("kaart_legend_areas", lang),
            [(t("kaart_legend_points", lang), view.point_legend)],
        )
    )
    for note in view.legend_notes:  # old figures, carried figures, buurten left grey: said beside the legend
        st.caption(note)
    st.caption(kaart.boundary_note(layer, lang, view.drawn.year if view.drawn else None))
    if layer.without_figures and opts:
        st.caption(t("kaart_without_figures", lang, n=len(layer.without_figures), year=year))
    # the provenance of every figure on the map is worked out when its section is opened
    lazy_table(
        t("provenance_title", lang),
        "kaart_provenance_open",
        lambda: provenance.summarise(
            kaart.shown_figures(s.store, opts.get(ind), year, layer.codes(), s.datasets, view.drawn), lang
        ),
        "kaart_provenance",
    )


def boundary_notes(s: Screen, view: kaart.View) -> None:
    """The areas whose boundaries changed (left out) and those without a boundary."""
    store, lang, year, layer = s.store, s.lang, s.year, view.layer
    changed = kaart.changed_note(layer, lang)
    if changed:
        with st.expander(t("kaart_changed_title", lang, n=len(changed)), expanded=len(changed) <= 10):
            st.caption(t("kaart_changed_rule", lang))
            st.text("\n".join(changed))
    if layer.missing:
        with st.expander(t("kaart_missing_boundaries", lang, n=len(layer.missing)), expanded=len(layer.missing) <= 10):
            st.text(", ".join(f"{store.areas.name(c, year)} ({c})" for c in layer.missing))


def area_pick(s: Screen, view: kaart.View) -> None:
    """The box to pick an area of the map by name (the keyboard way to what a click does)."""
    store, sel, lang, year = s.store, s.sel, s.lang, s.year

    def _pick_area() -> None:
        code = st.session_state.get("kaart_area")
        if code:
            state.set_selection(state.current().with_area(code, store.areas))

    choices = {c: view.names[c] for c in view.layer.codes() if store.areas.exists(c, year)}
    st.session_state["kaart_area"] = sel.code if sel.code in choices else None
    st.selectbox(
        t("kaart_area_pick", lang),
        [None, *sorted(choices, key=lambda c: choices[c])],
        key="kaart_area",
        format_func=lambda c: t("kaart_area_none", lang) if c is None else f"{choices[c]} ({c})",
        on_change=_pick_area,
        placeholder=t("widget_choose", lang),
    )


def counts_section(s: Screen, view: kaart.View) -> None:
    """The facilities counted in and near the area (its wijk when the buurt has no boundary), with their sources."""
    store, sel, lang, year = s.store, s.sel, s.lang, s.year
    title = t("kaart_counts_title", lang, area=f"{store.areas.name(view.counted, year)} ({view.counted})")
    st.subheader(title)
    if view.counted != sel.code:
        st.caption(t("kaart_counts_parent", lang, area=sel.code, parent=view.counted))
    if view.counts.empty:
        st.caption(t("kaart_counts_none", lang))
    else:
        # a few rows: a static table (plain HTML, read by screen readers), not the data grid (1.2 MB of
        # script for the browser to load and a canvas to draw) nor st.table (lazy code of its own)
        static_table(kaart.counts_table(view.counts, lang), label=title)
    st.caption(t("kaart_fac_sources", lang))


def proximity_section(s: Screen) -> None:
    """The CBS proximity figures (distances by road, schools within 3 km), then the sources of the screen."""
    store, sel, lang, year = s.store, s.sel, s.lang, s.year
    st.markdown(f"**{t('kaart_proximity', lang)}**")
    prox = kaart.proximity(store, sel.code, year, lang)
    if prox:  # one element for the cards, where a metric each in columns cost an element each (issue 22)
        st.html(value_cards_html(prox))
    st.caption(t("kaart_proximity_note", lang) if prox else t("kaart_proximity_none", lang, year=year))
    st.caption(t("kaart_sources", lang))
