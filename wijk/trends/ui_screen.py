"""The trends screen, section by section (pages/trends.py runs them in order): an indicator over the
years with gemeente and NL, 'since when do you know this area?', up to six areas side by side, many
indicators in one year, and all buurten (wijken) of the gemeente ranked."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import streamlit as st

from wijk.core import codes, comparability
from wijk.core.i18n import t
from wijk.core.selection import Selection
from wijk.core.store import Store
from wijk.core.text import md, md_fmt
from wijk.trends import charts, series
from wijk.trends import export as trends_export
from wijk.trends import model as trends
from wijk.trends.ui import chart, downloads, explain, keep
from wijk.ui import widgets
from wijk.ui.charts import built
from wijk.ui.lazy import lazy_section, lazy_table
from wijk.ui.loaders import data_cache
from wijk.ui.tables import static_table, styled_text


@dataclass
class Screen:
    """What every section shares: the selection and the chosen indicator with its labels."""

    store: Store
    sel: Selection
    datasets: tuple
    ind: str = ""
    label: str = ""
    unit: str = ""
    kw: dict = field(default_factory=dict)
    about: list = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.sel.lang

    @property
    def pick(self) -> str:
        return t("trends_placeholder", self.lang)

    @property
    def pick_many(self) -> str:
        return t("trends_placeholder_many", self.lang)


def indicator_header(store: Store, sel: Selection, datasets: tuple) -> Screen:
    """Title, introduction and the indicator choice (stops the page when the area has no figures)."""
    s = Screen(store, sel, datasets)
    lang, pick = s.lang, s.pick
    st.title(t("trends_title", lang))
    st.caption(t("trends_intro", lang))
    choices = series.indicator_choices(store, sel.code, datasets, t("trends_local_suffix", lang), lang)
    if not choices:
        st.info(t("trends_no_data", lang))
        st.stop()
    first = "inwoners" if "inwoners" in choices else next(iter(choices))
    keep("trends_indicator", list(choices), first)
    ind: str = (
        st.selectbox(
            t("trends_indicator", lang),
            list(choices),
            format_func=lambda c: choices[c],
            key="trends_indicator",
            placeholder=pick,
        )
        or first
    )
    label, unit_label, definition = series.indicator_meta(store, ind, datasets, lang)
    unit = series.unit_of(store, ind, datasets)
    value_title = f"{label} ({unit_label})" if unit_label.strip() else label
    about = [t("trends_export_indicator", lang, label=label, unit=unit_label or "-", definition=definition)]
    kw = dict(
        value_title=value_title,
        year_title=t("trends_year", lang),
        break_label=t("trends_break", lang),
        unit=unit,
        lang=lang,
        tooltip_titles={k: t(f"trends_tip_{k}", lang) for k in ("series", "period", "value", "table")},
    )
    s.ind, s.label, s.unit, s.kw, s.about = ind, label, unit, kw, about
    return s


def series_section(s: Screen) -> None:
    """1. The area against its gemeente and NL, breaks explained, downloads."""
    store, sel, lang, datasets = s.store, s.sel, s.lang, s.datasets
    ind, label, unit, kw, about = s.ind, s.label, s.unit, s.kw, s.about
    # 1. The area against its gemeente and NL
    area, trend = series.label(store, sel.code, lang), series.trend(store, sel.code, ind, datasets)
    st.subheader(t("trends_series_header", lang, **md_fmt(indicator=label, area=area)))
    frame, brk = series.series_frame(store, trend, lang, datasets), series.breaks_frame(store, trend, lang)
    chart(built(charts.series_chart, frame, brk, **kw), "trends_series_chart")
    lazy_table(
        t("chart_table", lang),
        "trends_series_table_open",
        lambda: charts.series_table(frame, t("trends_year", lang)),
        "trends_series_table",
    )
    explain(brk, lang)
    if series.is_additive(store, ind, datasets):
        st.caption(t("trends_count_no_reference", lang))
    own_years = trend[0].years
    if len(own_years) < 2:
        st.info(
            t("trends_one_year", lang, years=", ".join(map(str, own_years))) if own_years else t("trends_no_data", lang)
        )
    elif brk.empty:
        st.success(t("trends_no_breaks", lang))
    lazy_section(
        t("trends_policy_title", lang),
        "trends_policy_open",
        lambda: st.write("\n\n".join([*comparability.notes(sel.code, ind, lang), comparability.policy_text(lang)])),
        expanded=bool(brk.size),
    )
    downloads(
        partial(trends_export.series_export, store, frame, brk, f"{label}, {area}", unit, lang, about),
        t("file_trend", lang, code=sel.code, indicator=ind),
        "trends_dl_series",
        lang,
    )


def lens_section(s: Screen, headline: list[str]) -> None:
    """1b. Since when do you know this area? Each headline figure (the profile's) then and now, where comparable."""
    store, sel, lang, datasets = s.store, s.sel, s.lang, s.datasets
    # 1b. Since when do you know this area?
    st.subheader(t("trends_lens_header", lang))
    st.caption(t("trends_lens_intro", lang))
    years_all = series.store_years(store)
    since_year = st.number_input(
        t("trends_lens_year", lang),
        min_value=1990,
        max_value=max(years_all),
        value=min(years_all),
        step=1,
        format="%d",
        key="trends_lens_year",
    )
    lens = trends.lens(store, sel.code, int(since_year), headline, lang, datasets)
    # a table a person reads, as static HTML: no data grid on first paint (issue 22)
    static_table(trends.lens_display(lens, lang), label=t("trends_lens_header", lang))


def compare_section(s: Screen) -> list[str]:
    """2. Up to six areas side by side; returns the chosen area codes."""
    store, sel, lang, datasets = s.store, s.sel, s.lang, s.datasets
    ind, label, unit, kw, about, pick_many = s.ind, s.label, s.unit, s.kw, s.about, s.pick_many
    # 2. Up to six areas side by side: the title comes before its controls
    st.subheader(t("trends_compare_header", lang))
    st.markdown(f"**{md(t('trends_compare_chart', lang, indicator=label))}**")
    if "trends_areas" not in st.session_state:
        st.session_state["trends_areas"] = [c for c in codes.chain(sel.code) if c != codes.NL_CODE][:3]
    query = st.text_input(
        t("trends_search", lang), key="trends_search", placeholder=t("trends_search_placeholder", lang)
    )
    hits = [a.code for a in store.areas.search(query, limit=15)] if query.strip() else []
    if query.strip():
        st.caption(
            t("trends_search_hits", lang) if hits else t("trends_search_none", lang, query=md(query.strip()[:60]))
        )
    options = series.area_options(store, sel.code, [*st.session_state["trends_areas"], *hits], lang)
    chosen = st.multiselect(
        t("trends_areas", lang),
        list(options),
        format_func=lambda c: options[c],
        key="trends_areas",
        on_change=widgets.cap,  # not max_selections: its message is English
        args=("trends_areas", series.MAX_AREAS),
        placeholder=pick_many,
        select_all=False,
    )
    if widgets.refused("trends_areas"):
        st.warning(t("trends_areas_too_many", lang, n=series.MAX_AREAS))
    comp = series.compare(store, chosen, ind, datasets)
    cframe, cbrk = series.series_frame(store, comp, lang, datasets), series.breaks_frame(store, comp, lang)
    if chosen:
        chart(built(charts.compare_chart, cframe, cbrk, **kw), "trends_compare_chart")
        lazy_table(
            t("chart_table", lang),
            "trends_compare_table_open",
            lambda: charts.series_table(cframe, t("trends_year", lang)),
            "trends_compare_table",
        )
        explain(cbrk, lang)
        downloads(
            partial(
                trends_export.series_export,
                store,
                cframe,
                cbrk,
                t("trends_compare_chart", lang, indicator=label),
                unit,
                lang,
                about,
            ),
            t("file_compare", lang, indicator=ind),
            "trends_dl_compare",
            lang,
        )
    return chosen


def heat_section(s: Screen, chosen: list[str]) -> None:
    """Many indicators in one year for the chosen areas."""
    store, sel, lang = s.store, s.sel, s.lang
    pick, pick_many = s.pick, s.pick_many
    st.markdown(f"**{t('trends_heat_header', lang)}**")
    years = sorted(store.years(), reverse=True)
    keep("trends_heat_year", years, sel.jaar if sel.jaar in years else years[0])
    heat_year = st.selectbox(t("trends_heat_year", lang), years, key="trends_heat_year", placeholder=pick)
    heat_opts = series.indicators_in_year(store, chosen, heat_year, lang)
    if st.session_state.get("trends_heat_inds") is None or not set(st.session_state["trends_heat_inds"]) <= set(
        heat_opts
    ):
        st.session_state["trends_heat_inds"] = list(heat_opts)[:8]
    inds = st.multiselect(
        t("trends_heat_indicators", lang),
        list(heat_opts),
        format_func=lambda c: heat_opts[c],
        key="trends_heat_inds",
        placeholder=pick_many,
        select_all=False,
    )
    if chosen and inds:
        prof = series.profile(store, chosen, heat_year, inds, lang)
        tips = {k: t(f"trends_tip_{k}", lang) for k in ("indicator", "series", "value", "table")}
        chart(
            built(charts.heat_table, prof, low_high=t("trends_heat_low_high", lang), lang=lang, tooltip_titles=tips),
            "trends_heat",
        )
        lazy_table(
            t("chart_table", lang),
            "trends_heat_table_open",
            lambda: charts.heat_table_frame(prof, t("trends_table_indicator", lang)),
            "trends_heat_table",
        )
        st.caption(t("trends_heat_help", lang))
        downloads(
            partial(trends_export.heat_export, store, prof, f"{t('trends_heat_header', lang)} {heat_year}", lang),
            t("file_heat_table", lang, year=heat_year),
            "trends_dl_heat",
            lang,
        )


# The ranking is the gemeente's, not the chosen area's: cached at the boundary, so picking another buurt
# (or any other widget) does not rank every buurt again. Keyed by the store object's id and registered
# as data caches (a refresh clears them, see wijk.ui.loaders.clear_caches); returned as copies.
@data_cache(max_entries=64, copies=True)
def _rank_view(
    _store: Store,
    store_id: int,  # noqa: ARG001 - the cache key: Streamlit does not hash _store
    gemeente: str,
    ind: str,
    year: int,
    since: int | None,
    level: str,
    min_inw: int,
    lang: str,
) -> trends.RankView:
    return trends.rank_view(_store, gemeente, ind, year, since, level, min_inw, lang)


@data_cache(max_entries=64, copies=True)
def _default_since(
    _store: Store,
    store_id: int,  # noqa: ARG001 - the cache key: Streamlit does not hash _store
    gemeente: str,
    ind: str,
    year: int,
    level: str,
    min_inw: int,
    lang: str,
) -> tuple[int | None, str]:
    return trends.default_since(_store, gemeente, ind, year, level, min_inw, lang)


def _rank_table(styled, label: str, lang: str) -> None:
    """The ranking as a person reads it, static HTML in a box of its own (issue 22: no data grid on first
    paint); the same table as a data grid, to sort on another column or search, when its section is opened."""
    text = styled_text(styled)
    if text is None:  # not readable back cell for cell: the data grid at once
        st.dataframe(styled, hide_index=True, key="trends_rank_table")
        return
    static_table(text, label=label, scroll=True)
    lazy_table(t("trends_rank_sortable", lang), "trends_rank_table_open", lambda: styled, "trends_rank_table")


def ranking_section(s: Screen) -> None:
    """3. All buurten (wijken) of the gemeente, smallest areas left out (stated)."""
    store, sel, lang = s.store, s.sel, s.lang
    ind, label, unit, about, pick = s.ind, s.label, s.unit, s.about, s.pick
    # 3. All buurten (wijken) of the gemeente, smallest areas left out (stated)
    levels = {lv: t(f"trends_level_{lv}", lang) for lv in trends.RANK_LEVELS}
    level = st.radio(
        t("trends_rank_level", lang), list(levels), format_func=levels.get, horizontal=True, key="trends_rank_level"
    )
    gm_name = series.label(store, sel.gemeente, lang)
    st.subheader(t("trends_rank_header", lang, level=levels[level], gemeente=md(gm_name)))
    rank_years = sorted(series.ranking_years(store, sel.gemeente, ind, level), reverse=True)
    if not rank_years:
        st.info(t("trends_rank_empty", lang, level=levels[level]))
        st.stop()
    c1, c2, c3 = st.columns(3)
    keep("trends_rank_year", rank_years, sel.jaar if sel.jaar in rank_years else rank_years[0])
    year = c1.selectbox(t("trends_rank_year", lang), rank_years, key="trends_rank_year", placeholder=pick)
    min_inw = c3.number_input(
        t("trends_rank_min", lang),
        min_value=0,
        max_value=10_000,
        value=trends.SMALL_AREA,
        step=50,
        key="trends_rank_min",
        help=t("trends_rank_min_help", lang),
    )
    default, why_none = _default_since(store, id(store), sel.gemeente, ind, year, level, int(min_inw), lang)
    since_opts = [0, *[y for y in rank_years if y < year]]  # 0: no comparison year (None would show as "no choice")
    keep("trends_rank_since", since_opts, default or 0, (ind, year, level, int(min_inw), sel.gemeente))
    since = (
        c2.selectbox(
            t("trends_rank_since", lang),
            since_opts,
            key="trends_rank_since",
            placeholder=pick,
            format_func=lambda y: str(y) if y else t("trends_rank_none", lang),
        )
        or None
    )
    view = _rank_view(store, id(store), sel.gemeente, ind, year, since, level, int(min_inw), lang)
    stated = t(
        "trends_rank_stated", lang, shown=len(view.table), level=levels[level], min=int(min_inw), excluded=view.excluded
    )
    st.caption(stated)
    if why_none:
        st.info(why_none)
    if since:
        st.caption(
            t(
                "trends_rank_comparable_since",
                lang,
                n=view.comparable,
                total=len(view.table),
                level=levels[level],
                since=since,
            )
        )
    _rank_table(
        trends.rank_display(view, unit, year, lang),
        t("trends_rank_header", lang, level=levels[level], gemeente=gm_name),
        lang,
    )
    st.caption(t("trends_rank_sorted", lang, year=year) + " " + t("trends_rank_help", lang, n=int(min_inw)))
    extra = [
        *about,
        t("trends_export_ranking", lang, level=levels[level], gemeente=gm_name, year=year, since=since or "-"),
        stated,
    ]
    downloads(
        partial(trends_export.ranking_export, store, view.table, unit, f"{label}, {gm_name}", year, since, lang, extra),
        t("file_ranking", lang, gemeente=sel.gemeente, indicator=ind, year=year),
        "trends_dl_rank",
        lang,
    )
