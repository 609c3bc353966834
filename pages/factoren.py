"""Risico- en beschermende factoren: protective first, then risk, outcome signals apart, then similar buurten."""

from functools import partial

import streamlit as st

from wijk.core import provenance
from wijk.core.i18n import t
from wijk.core.text import md_fmt
from wijk.factors import charts, similar
from wijk.factors import model as factors
from wijk.factors import ui as cached
from wijk.ui import loaders, state
from wijk.ui import session_owndata as localdata
from wijk.ui.charts import drawn
from wijk.ui.lazy import lazy_section, lazy_table
from wijk.ui.tables import static_table
from wijk.youth.ui import lens_switch

store = loaders.get_store()
sel = state.current()
lang, year, code = sel.lang, sel.jaar, sel.code
framework = cached.framework()

area = store.areas.name(code, year)
st.title(t("factoren_title", lang))
if sel.level == "gemeente":
    st.caption(t("factoren_ref_gemeente_level", lang))
    reference = "nl"
else:
    gm_name = store.areas.name(sel.gemeente, year)
    reference = st.radio(
        t("factoren_reference", lang),
        ["gemeente", "nl"],
        horizontal=True,
        key="factoren_ref",
        format_func=lambda r: t(f"factoren_ref_{r}", lang, name=gm_name),
    )
strict = st.toggle(t("profiel_mode_strict", lang, year=year), key="factoren_strict", value=False)
basis = cached.level_basis(year, sel.level)
view = factors.factor_view(
    store,
    code,
    year,
    reference,
    lang,
    framework,
    basis,
    localdata.active_datasets(),
    strict=strict,
    basis_of=lambda y: cached.level_basis(y, sel.level),
)
st.markdown(t("factoren_intro", lang, area=area, year=year, ref=store.areas.name(view.ref_code, year, lang)))
st.info(t("factoren_fallacy", lang), icon="🔎")
lens_switch(store, sel, "factoren")  # the youth lens (issue 18)
if view.inhabitants is None:
    st.warning(t("factoren_small_unknown", lang, area=area), icon="⚠️")
elif view.small:
    st.warning(
        t(
            "factoren_small",
            lang,
            area=area,
            n=int(view.inhabitants),
            year=view.inhabitants_year,
            threshold=factors.SMALL_AREA,
        ),
        icon="⚠️",
    )

levels = t(f"factoren_plural_{sel.level}", lang)
st.caption(t("factoren_method", lang, levels=levels, clip=int(charts.CLIP)))
lazy_section(
    t("factoren_method_detail_title", lang),
    "factoren_method_open",
    lambda: st.markdown(t("factoren_method_detail", lang, levels=levels, year=year)),
)
if not strict:
    st.caption(t("profiel_mode_latest", lang))


def _missing_frame(missing: list):
    return charts.missing_frame(missing, year, lang, lambda c: store.areas.name(c, year, lang))


frame = charts.rows_frame(view.rows, lang)
for kind in factors.KINDS:
    box = st.container(border=kind == "outcome", key=f"factoren_band_{kind}")
    part = frame[frame["kind"] == kind]
    box.subheader(t(f"factoren_panel_{kind}", lang))
    box.caption(t(f"factoren_panel_{kind}_help", lang))
    missing = [m for m in view.missing if m.kind == kind]
    if part.empty:
        box.info(t("factoren_panel_none", lang, year=year))
        if any(m.higher is not None for m in missing):
            box.caption(t("factoren_panel_none_higher", lang))
    if part["shown"].notna().any():
        box.altair_chart(
            drawn(charts.diverging_bars(part, lang, outcome=kind == "outcome")),
            width="stretch",
            key=f"factoren_chart_{kind}",
        )
    notes = [
        t(key, lang)
        for key, shown in (
            ("factoren_nodirection", part["shown"].isna().any()),
            ("factoren_crime_note", view.shows_crime(kind)),
            ("factoren_rivm_note", view.shows_estimates(kind)),
        )
        if shown
    ]
    if notes:  # one caption for the band's notes, a paragraph each (an element each cost the browser, issue 22)
        box.caption("\n\n".join(notes))
    # the tables are made when their section is opened; the missing list of an empty part is open at once
    if not part.empty:
        lazy_table(
            t("factoren_details", lang),
            f"factoren_details_open_{kind}",
            partial(charts.table_frame, part, lang),
            f"factoren_table_{kind}",
            parent=box,
        )
    if missing:
        lazy_table(
            t("factoren_missing", lang, n=len(missing)),
            f"factoren_missing_open_{kind}",
            partial(_missing_frame, missing),
            f"factoren_missing_{kind}",
            expanded=part.empty,
            parent=box,
        )


def _provenance():
    """The provenance of every figure shown (worked out when its section is opened)."""
    figs = [store.figure(c, r.year, r.indicator) for r in view.rows if not r.local for c in (code, view.ref_code)]
    return provenance.summarise(figs, lang, max_codes=2)


lazy_table(t("provenance_title", lang), "factoren_provenance_open", _provenance, "factoren_provenance")


def _similar_detail(features: list[str]) -> None:
    """Which context figures the likeness is measured on (their labels worked out when opened)."""
    labels = charts.feature_labels(features, store.catalogue, lang)
    st.markdown(t("factoren_similar_detail", lang, **md_fmt(features=", ".join(labels))))


st.subheader(t("factoren_similar", lang))
space = cached.context_space(year) if sel.level == "buurt" else None
if sel.level != "buurt":
    st.info(t("factoren_similar_buurt_only", lang))
elif space is None:
    st.info(t("factoren_similar_none_year", lang, year=year))
elif space.index_of(code) is None:
    st.info(t("factoren_similar_incomplete", lang, area=area, year=year))
else:
    neighbours = similar.most_similar(space, code, similar.K)
    st.write(t("factoren_similar_intro", lang, k=similar.K, year=year, area=area))
    # tables a person reads as static HTML: no data grid on first paint (issue 22)
    static_table(
        charts.neighbours_frame(similar.neighbour_table(store, space, neighbours), lang),
        index=True,
        label=t("factoren_similar", lang),
    )
    st.caption(t("factoren_similar_method", lang, left_out=space.left_out))
    lazy_section(
        t("factoren_similar_detail_title", lang),
        "factoren_similar_detail_open",
        partial(_similar_detail, space.features),
    )
    diff = charts.compare_frame(
        similar.compare(store, code, neighbours, basis, framework), store.catalogue, framework, year, lang
    )
    st.markdown("**" + t("factoren_similar_diff", lang, area=area, k=similar.K) + "**")
    if diff.empty:
        st.info(t("factoren_similar_no_diff", lang, year=year))
    else:
        st.altair_chart(drawn(charts.diverging_bars(diff, lang)), width="stretch", key="factoren_chart_similar")
        static_table(
            charts.table_frame(diff, lang, charts.SIMILAR_DIFF_COLUMNS),
            label=t("factoren_similar_diff", lang, area=area, k=similar.K),
        )
st.caption(t("source_cbs", lang))
