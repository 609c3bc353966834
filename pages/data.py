"""Over de data: coverage per level and year, sources and licences, refresh status and how-to."""

import streamlit as st

from wijk.about.coverage import catalogue_frame, coverage_matrix, missing_everywhere, refresh_years, sources_frame
from wijk.about.ui import run_refresh, show_last_attempt
from wijk.core.i18n import t
from wijk.core.text import md
from wijk.data.refresh import last_refresh
from wijk.ui import loaders, state

store = loaders.get_store()
sel = state.current()
lang = sel.lang

st.title(t("data_title", lang))
st.write(t("data_intro", lang))

st.subheader(t("data_coverage", lang))
cov = store.coverage()
st.caption(t("data_coverage_help", lang))
st.dataframe(coverage_matrix(cov, store.catalogue, lang), key="data_coverage_matrix")
absent = missing_everywhere(cov, store.catalogue)
with st.expander(t("data_not_embedded", lang, n=len(absent))):
    st.write(", ".join(store.catalogue.get(i).label(lang) for i in absent))

st.subheader(t("data_sources", lang))
st.write(t("data_licence", lang))
st.dataframe(
    sources_frame(store.sources, lang),
    hide_index=True,
    key="data_sources",
)

with st.expander(t("data_catalogue", lang)):
    st.dataframe(
        catalogue_frame(store.catalogue, lang),
        hide_index=True,
        key="data_catalogue",
    )

with st.expander(t("data_pitfalls", lang), expanded=True):
    st.markdown(t("data_pitfalls_text", lang))

st.subheader(t("data_refresh", lang))
if store.local_error:
    st.error(t("data_local_error", lang, error=store.local_error))
when = last_refresh()
st.write(t("data_last_refresh", lang, when=md(when)) if when else t("data_never_refreshed", lang))  # file names
show_last_attempt(lang)
years = refresh_years()
with st.form("data_refresh_form"):
    year = st.selectbox(
        t("data_refresh_year", lang),
        years,
        key="data_refresh_year",
        index=years.index(max(store.years())) if max(store.years()) in years else 0,
        placeholder=t("widget_choose", lang),
    )
    go = st.form_submit_button(t("data_refresh_button", lang, gemeente=store.areas.name(sel.gemeente)))
if go:
    run_refresh(sel.gemeente, int(year), lang)
st.write(t("data_refresh_howto", lang))
st.code(
    f"python -m wijk.data refresh --gemeente {sel.gemeente} --year {max(store.years())}\n"
    f"python -m wijk.data refresh --all-gemeenten --year {max(store.years())}",
    language="bash",
)
st.write(t("data_refresh_manual", lang))
st.code(
    "python -m wijk.data import kwb-2023.csv --year 2023 --table 85618NED\npython -m wijk.data import kwb-2023.xlsx --year 2023",
    language="bash",
)
