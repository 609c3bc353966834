"""Buurtprofiel: who lives here, work and income, housing, safety, facilities, for one area and year."""

from functools import partial

import streamlit as st

from wijk.core.catalogue import format_value
from wijk.core.i18n import t, with_level
from wijk.core.text import md
from wijk.profile import ui as figures
from wijk.profile.charts import age_structure_chart, household_chart, table_frame
from wijk.profile.export import file_stem, profile_files, profile_html
from wijk.profile.model import AGE_IDS, HOUSEHOLD_IDS, build_profile, chart_frame, local_rows, subtitle
from wijk.profile.summary import summary_sentences
from wijk.ui import loaders, state
from wijk.ui.charts import drawn
from wijk.ui.downloads import download_row, lazy_files
from wijk.ui.lazy import lazy_table
from wijk.ui.session_owndata import active_datasets
from wijk.youth.ui import lens_switch

store = loaders.get_store()
sel = state.current()
lang = sel.lang
strict = st.toggle(t("profiel_mode_strict", lang, year=sel.jaar), key="profiel_strict", value=False)
profile = build_profile(store, sel.code, sel.jaar, strict=strict)
if profile is None:
    st.error(t("profiel_unknown_area", lang, code=sel.code, year=sel.jaar))
    st.stop()
name = md(profile.name)

st.title(t("profiel_title", lang, name=name))
st.caption(md(subtitle(profile, "profiel_subtitle_year", lang)))
st.info(t("area_note", lang), icon="👪")
lens_switch(store, sel, "profiel")  # the youth lens (issue 18)

if profile.small.small:
    wijk_code = next((c for c, lv, _ in profile.parents if lv == "wijk"), None)
    inw = format_value(profile.small.inhabitants, "count", lang, missing="–")
    st.warning(t("profiel_small_warning", lang, inwoners=inw, missing=f"{profile.small.missing_share:.0%}"), icon="⚠️")
    if wijk_code and st.button(
        t(
            "profiel_to_wijk",
            lang,
            name=md(with_level("wijk", store.areas.name(wijk_code, sel.jaar), lang)),
        ),
        key="profiel_to_wijk",
        type="primary",
    ):
        state.set_selection(sel.with_area(wijk_code, store.areas))
        st.rerun()


summary = summary_sentences(profile, lang)
st.subheader(t("profiel_summary", lang))
st.markdown("\n".join(f"- {md(s)}" for s in summary) if summary else t("profiel_summary_empty", lang))

st.subheader(t("profiel_headline", lang))
if not profile.strict:
    st.caption(t("profiel_mode_latest", lang))
figures.card_grid(profile.headline, lang, notes=profile.layout.notes, year=profile.year)
st.caption(t("profiel_thresholds", lang) + " " + t("profiel_year_hint", lang))

for section in profile.sections:
    st.header(t(f"profiel_section_{section.id}", lang), divider="gray")
    if section.id == "bewoners":
        cols = st.columns(2)
        for col, ids, builder, key, title in (
            (cols[0], AGE_IDS, age_structure_chart, "profiel_chart_age", "profiel_chart_age"),
            (cols[1], HOUSEHOLD_IDS, household_chart, "profiel_chart_households", "profiel_chart_households"),
        ):
            frame = chart_frame(profile, ids, lang)
            if not frame.empty:
                col.altair_chart(
                    drawn(builder(frame, t(title, lang), t("profiel_chart_pct", lang), lang)), key=key, width="stretch"
                )
                # the table is made when its section is opened (issue 22: no data grid on first paint)
                lazy_table(
                    t("chart_table", lang),
                    f"{key}_table_open",
                    partial(table_frame, frame, t("profiel_chart_group", lang), lang),
                    f"{key}_table",
                    parent=col,
                )
    if section.id == "veiligheid":
        st.caption(t("profiel_note_crime", lang))
    if not section.rows and not section.missing:
        st.caption(t("profiel_section_empty", lang, year=profile.year))
    figures.card_grid(section.rows, lang, year=profile.year, missing=section.missing)
    for key in section.notes:
        if key != "profiel_note_crime":
            st.caption(t(key, lang))
    if section.id == "voorzieningen":
        st.page_link("pages/kaart.py", label=t("profiel_map_link", lang, name=name), icon="🗺️")

rows = local_rows(active_datasets(), profile.code, profile.year, profile.parents)
if rows:
    st.header(t("profiel_section_local", lang), divider="gray")
    figures.local_cards(rows, lang)
    st.page_link("pages/eigen-data.py", label=t("profiel_local_manage", lang), icon=":material/upload_file:")

st.header(t("profiel_download", lang), divider="gray")
st.caption(t("profiel_download_help", lang))
st.download_button(
    t("profiel_download_html", lang),
    partial(profile_html, profile, summary, lang),
    file_name=file_stem(profile, lang) + ".html",
    mime="text/html",
    key="profiel_dl_html",
    on_click="ignore",
    icon="🖨️",
)
# the files are made when a button is clicked, not on every run (issue 22)
files = lazy_files(partial(profile_files, profile, lang), file_stem(profile, lang), lang)
download_row(files, "profiel_dl", lang, t("profiel_download_csv", lang))
st.caption(t("source_cbs", lang))
