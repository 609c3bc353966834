"""Trends en vergelijken: an indicator over the years with gemeente and NL, up to six areas side by side,
many indicators in one year, and all buurten (wijken) of the gemeente ranked; every break explained."""
import streamlit as st

from wijk import codes, comparability, series, trends_export
from wijk.charts import trends as charts
from wijk.i18n import t
from wijk.text import md_fmt
from wijk.ui import loaders, state
from wijk.ui.localdata import active_datasets

store = loaders.get_store()
sel = state.current()
lang = sel.lang
datasets = tuple(active_datasets())


def keep(key, options, default):
    """A widget's remembered value must still be one of its options."""
    if key not in st.session_state or st.session_state[key] not in options:
        st.session_state[key] = default


def explain(brk):
    for r in brk.itertuples():
        fmt = dict(series=r.series, before=r.before, after=r.after, reason=r.reason)
        if r.kind == "caution":
            st.caption(t("trends_caution_item", lang, **fmt))
        else:
            st.warning(t("trends_break_item", lang, **fmt))


def line_chart(frame, brk, key, title=""):
    st.altair_chart(charts.series_chart(frame, brk, value_title=value_title, year_title=t("trends_year", lang),
                                        break_label=t("trends_break", lang), title=title), width="stretch", key=key)
    explain(brk)


def downloads(frame, title, stem, key, breaks=(), extra=()):
    files = trends_export.files(store, frame, title, stem, lang, list(breaks), list(extra))
    for col, (fmt, (data, name, mime)) in zip(st.columns(2), files.items()):
        col.download_button(t(f"trends_download_{fmt}", lang), data, file_name=name, mime=mime, key=f"{key}_{fmt}")


st.title(t("trends_title", lang))
st.caption(t("trends_intro", lang))
choices = series.indicator_choices(store, sel.code, datasets, t("trends_local_suffix", lang), lang)
if not choices:
    st.info(t("trends_no_data", lang))
    st.stop()
keep("trends_indicator", choices, "inwoners" if "inwoners" in choices else next(iter(choices)))
ind = st.selectbox(t("trends_indicator", lang), list(choices), format_func=choices.get, key="trends_indicator")
label, unit, definition = series.indicator_meta(store, ind, datasets, lang)
value_title = f"{label} ({unit})" if unit.strip() else label
about = [t("trends_export_indicator", lang, label=label, unit=unit or "-", definition=definition)]

# 1. The area against its gemeente and NL
area, trend = series.label(store, sel.code), series.trend(store, sel.code, ind, datasets)
st.subheader(t("trends_series_header", lang, **md_fmt(indicator=label, area=area)))  # own-data labels: plain
frame, brk = series.series_frame(store, trend), series.breaks_frame(store, trend, lang)
line_chart(frame, brk, "trends_series_chart")
if series.is_additive(store, ind, datasets):
    st.caption(t("trends_count_no_reference", lang))
own_years = trend[0].years
if len(own_years) < 2:
    st.info(t("trends_one_year", lang, years=", ".join(map(str, own_years))) if own_years else t("trends_no_data", lang))
elif brk.empty:
    st.success(t("trends_no_breaks", lang))
with st.expander(t("trends_policy_title", lang), expanded=bool(brk.size)):
    st.write("\n\n".join([*comparability.notes(sel.code, ind, lang), comparability.policy_text(lang)]))
downloads(frame, f"{label}, {area}", f"trend_{sel.code}_{ind}", "trends_dl_series", brk["reason"], about)

# 2. Up to six areas side by side
st.subheader(t("trends_compare_header", lang))
if "trends_areas" not in st.session_state:
    st.session_state["trends_areas"] = [c for c in codes.chain(sel.code) if c != codes.NL_CODE][:3]
query = st.text_input(t("trends_search", lang), key="trends_search", placeholder="Vinkhuizen, WK001403, Utrecht")
hits = [a.code for a in store.areas.search(query, limit=15)] if query.strip() else []
if query.strip():
    st.caption(t("trends_search_hits", lang) if hits else t("trends_search_none", lang, query=query.strip()[:60]))
options = series.area_options(store, sel.code, [*st.session_state["trends_areas"], *hits])
chosen = st.multiselect(t("trends_areas", lang), list(options), format_func=options.get, key="trends_areas",
                        max_selections=series.MAX_AREAS)
comp = series.compare(store, chosen, ind, datasets)
cframe, cbrk = series.series_frame(store, comp), series.breaks_frame(store, comp, lang)
line_chart(cframe, cbrk, "trends_compare_chart", t("trends_compare_chart", lang, indicator=label))
downloads(cframe, t("trends_compare_chart", lang, indicator=label), f"vergelijking_{ind}", "trends_dl_compare",
          cbrk["reason"], about)

st.markdown(f"**{t('trends_heat_header', lang)}**")
years = sorted(store.years(), reverse=True)
keep("trends_heat_year", years, sel.jaar if sel.jaar in years else years[0])
heat_year = st.selectbox(t("trends_heat_year", lang), years, key="trends_heat_year")
heat_opts = series.indicators_in_year(store, chosen, heat_year, lang)
if st.session_state.get("trends_heat_inds") is None or not set(st.session_state["trends_heat_inds"]) <= set(heat_opts):
    st.session_state["trends_heat_inds"] = list(heat_opts)[:8]
inds = st.multiselect(t("trends_heat_indicators", lang), list(heat_opts), format_func=heat_opts.get, key="trends_heat_inds")
if chosen and inds:
    prof = series.profile(store, chosen, heat_year, inds, lang)
    st.altair_chart(charts.heat_table(prof, low_high=t("trends_heat_low_high", lang)), width="stretch", key="trends_heat")
    st.caption(t("trends_heat_help", lang))
    downloads(prof, f"{t('trends_heat_header', lang)} {heat_year}", f"tabel_{heat_year}", "trends_dl_heat")

# 3. All buurten (wijken) of the gemeente
levels = {lv: t(f"trends_level_{lv}", lang) for lv in ("buurt", "wijk")}
level = st.radio(t("trends_rank_level", lang), list(levels), format_func=levels.get, horizontal=True, key="trends_rank_level")
gm_name = series.label(store, sel.gemeente)
st.subheader(t("trends_rank_header", lang, level=levels[level], gemeente=gm_name))
rank_years = sorted(series.ranking_years(store, sel.gemeente, ind, level), reverse=True)
if not rank_years:
    st.info(t("trends_rank_empty", lang, level=levels[level]))
    st.stop()
keep("trends_rank_year", rank_years, sel.jaar if sel.jaar in rank_years else rank_years[0])
c1, c2 = st.columns(2)
year = c1.selectbox(t("trends_rank_year", lang), rank_years, key="trends_rank_year")
since_opts = [None, *[y for y in rank_years if y < year]]
keep("trends_rank_since", since_opts, since_opts[-1])
since = c2.selectbox(t("trends_rank_since", lang), since_opts, key="trends_rank_since",
                     format_func=lambda y: t("trends_rank_none", lang) if y is None else str(y))
rank = series.ranking(store, sel.gemeente, ind, year, since, level, lang)
st.dataframe(trends_export.export_frame(rank, lang), hide_index=True, key="trends_rank_table")
if since:
    st.caption(t("trends_rank_comparable", lang, n=int(rank["comparable"].sum()), total=len(rank), since=since))
st.caption(t("trends_rank_help", lang, n=series.SMALL_AREA))
extra = [*about, t("trends_export_ranking", lang, level=levels[level], gemeente=gm_name, year=year, since=since or "-")]
downloads(rank, f"{label}, {gm_name}", f"rangorde_{sel.gemeente}_{ind}_{year}", "trends_dl_rank", extra=extra)
