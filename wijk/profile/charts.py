"""Charts of the neighbourhood profile: the area against its gemeente, as grouped horizontal bars.

Pure builders: a long frame (group, area, pct, order) in, an `alt.LayerChart` out. The frame comes from
`wijk.profile.model.chart_frame`; missing figures are simply absent (never drawn as 0).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from wijk.core.catalogue import format_value
from wijk.core.chart_locale import localise, wide_table
from wijk.core.i18n import t

AREA_COLOURS = ("#1f6f8b", "#b8b8b8")  # the area, then its reference: neutral, no good/bad colours


def grouped_bars(
    frame: pd.DataFrame, title: str, x_title: str, area_order: list[str] | None = None, lang: str = "nl"
) -> alt.LayerChart:
    """One bar per (group, area); groups in `order`, areas side by side, values labelled."""
    areas = area_order or list(dict.fromkeys(frame["area"]))
    colours = alt.Scale(domain=areas, range=list(AREA_COLOURS[: len(areas)]))
    sort = list(frame.sort_values("order")["group"].drop_duplicates())
    base = alt.Chart(frame).encode(
        y=alt.Y("group:N", sort=sort, title=None, axis=alt.Axis(labelLimit=220)),
        yOffset=alt.YOffset("area:N", sort=areas),
        x=alt.X("pct:Q", title=x_title, scale=alt.Scale(domainMin=0)),
        color=alt.Color("area:N", scale=colours, sort=areas, legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[
            alt.Tooltip("area:N", title=t("profiel_chart_area", lang)),
            alt.Tooltip("group:N", title=t("profiel_chart_group", lang)),
            alt.Tooltip("pct:Q", title=x_title, format=".1f"),
        ],
    )
    bars = base.mark_bar()
    labels = base.mark_text(align="left", dx=3, fontSize=11).encode(text=alt.Text("pct:Q", format=".1f"))
    return localise(alt.LayerChart(layer=[bars, labels]).properties(title=title, height=alt.Step(14)), lang)


def table_frame(frame: pd.DataFrame, group_title: str, lang: str = "nl") -> pd.DataFrame:
    """The numbers of a grouped-bar chart as a table: one row per group, one column per area ('9,5%')."""
    data = frame.sort_values("order", kind="stable").assign(
        text=lambda f: [format_value(v, "pct", lang) for v in f["pct"]]
    )
    return wide_table(data, "group", "area", "text", group_title)


def age_structure_chart(frame: pd.DataFrame, title: str, x_title: str, lang: str = "nl") -> alt.LayerChart:
    """Age groups (% of inhabitants) of the area against the gemeente."""
    return grouped_bars(frame, title, x_title, lang=lang)


def household_chart(frame: pd.DataFrame, title: str, x_title: str, lang: str = "nl") -> alt.LayerChart:
    """Household composition (% of households) of the area against the gemeente."""
    return grouped_bars(frame, title, x_title, lang=lang)
