"""Widgets of the trends screen: a chart with its breaks explained, the three download buttons, and
selectboxes that keep a valid value. Text that is not the app's own (area names, own-data labels)
is escaped before it reaches Markdown."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st

from wijk.core.i18n import t
from wijk.core.text import md
from wijk.trends import export as trends_export
from wijk.ui.charts import drawn


def keep(key: str, options: list, default, context: object = None) -> None:
    """A widget's remembered value must still be one of its options; when its context (e.g. the
    indicator and year a default was chosen for) changes, it goes back to the default."""
    ctx_key = f"{key}__context"
    changed = context is not None and st.session_state.get(ctx_key) != context
    if changed or key not in st.session_state or st.session_state[key] not in options:
        st.session_state[key] = default
    if context is not None:
        st.session_state[ctx_key] = context


def explain(brk: pd.DataFrame, lang: str) -> None:
    """Every break under its chart: a warning per real break, a caption per dotted caution."""
    for r in brk.itertuples():
        fmt = dict(series=md(r.series), before=r.before, after=r.after, reason=r.reason)
        if r.kind == "caution":
            st.caption(t("trends_caution_item", lang, **fmt))
        else:
            st.warning(t("trends_break_item", lang, **fmt))


def chart(spec, key: str) -> None:
    """Single and layered charts fill the column; small multiples keep their panel width."""
    st.altair_chart(drawn(spec), width="content" if isinstance(spec, alt.ConcatChart) else "stretch", key=key)


def _file(make: Callable[[], trends_export.Export], fmt: str, lang: str) -> bytes:
    return trends_export.file_bytes(make(), fmt, lang)


def downloads(make: Callable[[], trends_export.Export], stem: str, key: str, lang: str) -> None:
    """Excel, CSV for Dutch Excel, international CSV and the sources file of one table, side by side. Each file,
    and the table it is made of (`make()`), is made when its button is clicked (not on every run: four files
    per table cost more than the screen)."""
    labels = {
        "xlsx": "trends_download_xlsx_label",
        "csv_nl": "trends_download_csv_nl",
        "csv_intl": "trends_download_csv_intl",
        "info": "export_download_info",
    }
    names = trends_export.file_names(stem, lang)
    for col, (fmt, (name, mime)) in zip(st.columns(len(names)), names.items()):
        col.download_button(
            t(labels[fmt], lang),
            partial(_file, make, fmt, lang),
            file_name=name,
            mime=mime,
            key=f"{key}_{fmt}",
            on_click="ignore",
        )
