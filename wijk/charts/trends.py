"""Altair builders for 'Trends en vergelijken': data in (frames from wijk.series), chart out.

A series is drawn as separate solid segments: no line crosses a boundary or definition break, and a
grey vertical rule marks where (tooltip: why). A 'caution' link (e.g. rounded against computed
percentages) is drawn dotted. References (gemeente, NL) are thinner.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

ROLE_WIDTH = {"area": 3.0, "compare": 2.5, "gemeente": 1.5, "land": 1.5}


def _year_axis(years: list[int], title: str) -> alt.X:
    lo, hi = (min(years), max(years)) if years else (0, 1)
    return alt.X("year:Q", title=title, axis=alt.Axis(format="d", values=sorted(set(years)), labelAngle=0),
                 scale=alt.Scale(domain=[lo - 0.5, hi + 0.5], nice=False))


def caution_links(frame: pd.DataFrame, breaks: pd.DataFrame) -> pd.DataFrame:
    """Two rows per dotted link: the points either side of a caution, per series."""
    rows = []
    cautions = breaks[breaks["kind"] == "caution"] if not breaks.empty else breaks
    for i, b in enumerate(cautions.itertuples()):
        pts = frame[(frame["code"] == b.code) & frame["year"].isin([b.before, b.after])]
        for p in pts.itertuples():
            rows.append({"series": p.series, "role": p.role, "link": f"{b.code}:{b.before}-{b.after}:{i}",
                         "year": p.year, "value": p.value})
    return pd.DataFrame(rows, columns=["series", "role", "link", "year", "value"])


def break_marks(breaks: pd.DataFrame, break_label: str) -> pd.DataFrame:
    """One vertical rule per distinct break position (midway between the two years), reasons joined."""
    hard = breaks[breaks["kind"] != "caution"] if not breaks.empty else breaks
    if hard.empty:
        return pd.DataFrame(columns=["x", "label", "reason"])
    out = (hard.assign(x=(hard["before"] + hard["after"]) / 2)
           .groupby("x", as_index=False)
           .agg(reason=("reason", lambda r: " | ".join(dict.fromkeys(r)))))
    out["label"] = break_label
    return out


def series_chart(frame: pd.DataFrame, breaks: pd.DataFrame, *, value_title: str, year_title: str,
                 break_label: str, title: str = "", height: int = 320) -> alt.LayerChart:
    """Time series of one or more areas (and references), broken at every real break."""
    data = frame[frame["value"].notna()]
    years = data["year"].astype(int).tolist()
    x = _year_axis(years, year_title)
    color = alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=320))
    tooltip = [alt.Tooltip("series:N"), alt.Tooltip("year:Q", format="d"), alt.Tooltip("value:Q", format=",.2f"),
               alt.Tooltip("table:N"), alt.Tooltip("method:N")]
    base = alt.Chart(data)
    width = alt.StrokeWidth("role:N", scale=alt.Scale(domain=list(ROLE_WIDTH), range=list(ROLE_WIDTH.values())),
                            legend=None)
    lines = base.mark_line().encode(x=x, y=alt.Y("value:Q", title=value_title), color=color,
                                    detail="segment:N", strokeWidth=width)
    points = base.mark_point(filled=True, size=60).encode(x=x, y="value:Q", color=color, tooltip=tooltip)
    layers = [lines, points]
    links = caution_links(data, breaks)
    if not links.empty:
        layers.append(alt.Chart(links).mark_line(strokeDash=[2, 3]).encode(
            x=x, y="value:Q", color=color, detail="link:N", strokeWidth=width))
    marks = break_marks(breaks, break_label)
    if not marks.empty:
        rule = alt.Chart(marks).mark_rule(color="#888", strokeDash=[6, 4]).encode(
            x="x:Q", tooltip=[alt.Tooltip("reason:N", title=break_label)])
        text = alt.Chart(marks).mark_text(align="left", dx=3, dy=-4, color="#555", baseline="top").encode(
            x="x:Q", y=alt.value(0), text="label:N", tooltip=[alt.Tooltip("reason:N", title=break_label)])
        layers += [rule, text]
    return alt.layer(*layers).properties(title=title, height=height, width="container")


def heat_table(frame: pd.DataFrame, *, low_high: str, title: str = "") -> alt.LayerChart:
    """Many indicators (rows) for up to six areas (columns), colour = position within the row."""
    data = frame.copy()
    data["rel"] = data["rel"].astype(float)
    rows = list(dict.fromkeys(data["label"]))
    cols = list(dict.fromkeys(data["series"]))
    base = alt.Chart(data).encode(
        x=alt.X("series:N", title=None, sort=cols, axis=alt.Axis(orient="top", labelAngle=0, labelLimit=180)),
        y=alt.Y("label:N", title=None, sort=rows, axis=alt.Axis(labelLimit=280)))
    rect = base.mark_rect().encode(
        color=alt.Color("rel:Q", title=low_high, scale=alt.Scale(scheme="blues", domain=[0, 1]),
                        legend=alt.Legend(orient="bottom", format=".0%")),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("series:N"), alt.Tooltip("text:N"), alt.Tooltip("table:N")])
    text = base.mark_text(fontSize=12).encode(
        text="text:N", color=alt.condition("datum.rel > 0.6", alt.value("white"), alt.value("black")))
    return alt.layer(rect, text).properties(title=title, height=max(120, 28 * len(rows)), width="container")


def chart_points(chart: alt.TopLevelMixin) -> pd.DataFrame:
    """The rows of the first dataset of a chart (what the points are drawn from): for tests and checks."""
    spec = chart.to_dict()
    datasets = spec.get("datasets", {})
    name = spec["layer"][0]["data"]["name"] if "data" in spec["layer"][0] else spec["data"]["name"]
    return pd.DataFrame(datasets[name])
