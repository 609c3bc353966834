"""Eigen data: upload local figures, map the columns, validate and suppress: in use at once; remove or share."""

import streamlit as st

from wijk.core.i18n import t
from wijk.owndata import ui as owndata
from wijk.owndata.store import KEEP_DAYS
from wijk.owndata.template import template_csv, template_xlsx
from wijk.ui import loaders, state

store = loaders.get_store()
sel = state.current()
lang = sel.lang

st.title(t("eigen_title", lang))
st.write(t("eigen_intro", lang))
st.info(t("eigen_privacy", lang, days=KEEP_DAYS), icon=":material/lock:")

with st.expander(t("eigen_template", lang)):
    st.caption(t("eigen_template_help", lang))
    a, b = st.columns(2)
    a.download_button(
        t("eigen_template_csv", lang),
        template_csv(lang),
        "wijkbeeld_eigen_data_voorbeeld.csv",
        "text/csv",
        key="eigen_template_csv",
    )
    b.download_button(
        t("eigen_template_xlsx", lang),
        template_xlsx(lang),
        "wijkbeeld_eigen_data_voorbeeld.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="eigen_template_xlsx",
    )

raw = owndata.upload(lang)
if raw is not None:
    mapping = owndata.mapping_form(raw, lang, store.areas.years(), sel.jaar)
    thresholds = owndata.thresholds_input(lang)
    if st.button(t("eigen_process", lang), type="primary", key="eigen_process"):
        st.session_state[owndata.RESULT] = owndata.process_upload(raw, mapping, store, thresholds)
        owndata.use_result(st.session_state[owndata.RESULT])  # one step: valid figures are in use at once

result = st.session_state.get(owndata.RESULT)
if raw is not None and result is not None:
    owndata.report(result, lang)
    if result.dataset is not None:
        owndata.in_use_note(result.dataset, lang)
        owndata.show_result(result.dataset, store, lang)

st.divider()
owndata.active_section(lang)
if raw is not None and result is not None and result.dataset is not None and not result.dataset.values.empty:
    owndata.share_form(result.dataset, store, lang)
owndata.shared_section(lang)
