"""Altair builders for 'Trends en vergelijken': data in (frames from wijk.trends.series), chart out.

A series is drawn as separate solid segments: no line crosses a boundary or definition break, and a
grey vertical rule marks where (tooltip: why). A 'caution' link (e.g. rounded against computed
percentages) is drawn dotted, never across a real break. References (gemeente, NL) are thinner.
Points sit at their reference period (`x`). Numbers speak the UI's language: in Dutch "9,5%" and
"250.000" (Vega's number locale in the chart config, tooltips from the pre-formatted `text`).
The comparison of several areas is a set of small multiples: one panel per area, each with its own
breaks, on one shared y-scale (counts: a scale per panel, their sizes differ too much).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from wijk.core.chart_locale import localise, wide_table

ROLE_WIDTH = {"area": 3.0, "compare": 2.5, "gemeente": 1.5, "land": 1.5}
ADDITIVE = ("count", "ha")
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


def value_label_expr(unit: str) -> str:
    """Axis labels in the chart's number locale: '9,5%' for shares, '250.000' for counts."""
    num = "format(datum.value, ',~f')"
    if unit == "pct":
        return num + " + '%'"
    if unit == "eur1000":
        return "'€ ' + " + num
    return num


ZERO_BASED = ("pct",)  # shares start at 0: a 1.2-point change must not fill the chart


def value_domain(values: pd.Series, unit: str = "") -> list[float]:
    """A y-domain around the data that is never a single value (a flat 0-only axis says nothing).
    Non-negative data keeps a non-negative domain; shares start at 0."""
    v = values.dropna().astype(float)
    if v.empty:
        return [0.0, 1.0]
    lo, hi = float(v.min()), float(v.max())
    pad = (hi - lo) * 0.08 if hi > lo else max(abs(hi) * 0.1, 1.0)
    lo2, hi2 = lo - pad, hi + pad
    if lo >= 0 > lo2 or (unit in ZERO_BASED and lo >= 0):
        lo2 = 0.0
    return [lo2, hi2]


def _year_axis(xs: list[float], title: str) -> alt.X:
    lo, hi = (min(xs), max(xs)) if xs else (0, 1)
    return alt.X(
        "x:Q",
        title=title,
        scale=alt.Scale(domain=[lo - 0.5, hi + 0.5], nice=False, zero=False),
        axis=alt.Axis(
            # one tick per calendar year: an autumn figure (2020.7) beside a year figure would repeat '2020'
            values=sorted({float(int(x)) for x in xs}),
            labelExpr="'' + floor(datum.value)",
            labelAngle=0,
            labelOverlap=False,
            grid=False,
        ),
    )


def _x_of(frame: pd.DataFrame, code: str, year: int) -> float:
    hit = frame.loc[(frame["code"] == code) & (frame["year"] == year), "x"]
    return float(hit.iloc[0]) if len(hit) else float(year)


def caution_links(frame: pd.DataFrame, breaks: pd.DataFrame) -> pd.DataFrame:
    """Two rows per dotted link: the points either side of a caution, per series, only where no real
    break lies between the same two years."""
    rows = []
    if breaks.empty:
        return pd.DataFrame(columns=["series", "role", "link", "x", "value"])
    hard = {(b.code, b.before, b.after) for b in breaks.itertuples() if b.kind != "caution"}
    cautions = breaks[breaks["kind"] == "caution"]
    for i, b in enumerate(cautions.itertuples()):
        if (b.code, b.before, b.after) in hard:
            continue
        pts = frame[(frame["code"] == b.code) & frame["year"].isin([b.before, b.after])]
        for p in pts.itertuples():
            rows.append(
                {
                    "series": p.series,
                    "role": p.role,
                    "link": f"{b.code}:{b.before}-{b.after}:{i}",
                    "x": p.x,
                    "value": p.value,
                }
            )
    return pd.DataFrame(rows, columns=["series", "role", "link", "x", "value"])


def break_marks(frame: pd.DataFrame, breaks: pd.DataFrame, break_label: str) -> pd.DataFrame:
    """One vertical rule per distinct break position (midway between the two points), reasons joined."""
    hard = breaks[breaks["kind"] != "caution"] if not breaks.empty else breaks
    if hard.empty:
        return pd.DataFrame(columns=["x", "label", "reason"])
    xs = [
        (_x_of(frame, code, before) + _x_of(frame, code, after)) / 2
        for code, before, after in zip(hard["code"], hard["before"], hard["after"])
    ]
    out = hard.assign(x=xs).groupby("x", as_index=False).agg(reason=("reason", lambda r: " | ".join(dict.fromkeys(r))))
    out["label"] = break_label
    return out


def _layers(
    data: pd.DataFrame,
    breaks: pd.DataFrame,
    x: alt.X,
    y: alt.Y,
    color: alt.Color,
    break_label: str,
    tooltip_titles: dict[str, str],
) -> list[alt.Chart]:
    tip = tooltip_titles
    tooltip = [
        alt.Tooltip("series:N", title=tip.get("series", "series")),
        alt.Tooltip("period:N", title=tip.get("period", "period")),
        alt.Tooltip("text:N", title=tip.get("value", "value")),
        alt.Tooltip("table:N", title=tip.get("table", "table")),
    ]
    width = alt.StrokeWidth(
        "role:N", scale=alt.Scale(domain=list(ROLE_WIDTH), range=list(ROLE_WIDTH.values())), legend=None
    )
    base = alt.Chart(data)
    layers = [
        base.mark_line().encode(x=x, y=y, color=color, detail="segment:N", strokeWidth=width),
        base.mark_point(filled=True, size=70, opacity=1).encode(x=x, y=y, color=color, tooltip=tooltip),
    ]
    links = caution_links(data, breaks)
    if not links.empty:
        layers.append(
            alt.Chart(links)
            .mark_line(strokeDash=[2, 3])
            .encode(x=x, y=y, color=color, detail="link:N", strokeWidth=width)
        )
    marks = break_marks(data, breaks, break_label)
    if not marks.empty:
        tip_b = [alt.Tooltip("reason:N", title=break_label)]
        layers.append(
            alt.Chart(marks)
            .mark_rule(color="#777", strokeDash=[6, 4], strokeWidth=1.5)
            .encode(x=alt.X("x:Q"), tooltip=tip_b)
        )
        layers.append(
            alt.Chart(marks)
            .mark_text(align="left", dx=3, dy=2, color="#555", baseline="top")
            .encode(x=alt.X("x:Q"), y=alt.value(0), text="label:N", tooltip=tip_b)
        )
    return layers


def _y(unit: str, title: str, domain: list[float] | None) -> alt.Y:
    scale = alt.Scale(domain=domain, nice=False, zero=False) if domain else alt.Scale(zero=False, nice=True)
    return alt.Y(
        "value:Q",
        title=title,
        scale=scale,
        axis=alt.Axis(labelExpr=value_label_expr(unit), tickCount=5, labelOverlap=False),
    )


def series_chart(
    frame: pd.DataFrame,
    breaks: pd.DataFrame,
    *,
    value_title: str,
    year_title: str,
    break_label: str,
    unit: str = "number",
    lang: str = "nl",
    title: str = "",
    height: int = 320,
    tooltip_titles: dict[str, str] | None = None,
) -> alt.LayerChart:
    """Time series of one or more areas (and references) in one panel, broken at every real break."""
    data = frame[frame["value"].notna()]
    x = _year_axis(data["x"].astype(float).tolist(), year_title)
    y = _y(unit, value_title, value_domain(data["value"], unit))
    color = alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=320))
    chart = alt.LayerChart(layer=list(_layers(data, breaks, x, y, color, break_label, tooltip_titles or {})))
    return localise(chart.properties(title=title, height=height, width="container"), lang)


def compare_chart(
    frame: pd.DataFrame,
    breaks: pd.DataFrame,
    *,
    value_title: str,
    year_title: str,
    break_label: str,
    unit: str = "number",
    lang: str = "nl",
    columns: int = 2,
    width: int = 300,
    height: int = 200,
    tooltip_titles: dict[str, str] | None = None,
) -> alt.ConcatChart:
    """Small multiples: one panel per area (titled with its name and code) with its own breaks; one y-scale
    for all panels, except for counts (each panel its own scale, never a flat line at 0)."""
    data = frame[frame["value"].notna()]
    names = list(dict.fromkeys(frame["series"]))
    x = _year_axis(data["x"].astype(float).tolist(), year_title)
    shared = unit not in ADDITIVE
    color = alt.Color("series:N", legend=None, scale=alt.Scale(domain=names, range=PALETTE[: max(1, len(names))]))
    panels = []
    for name in names:
        part = data[data["series"] == name]
        codes = set(frame.loc[frame["series"] == name, "code"])
        brk = breaks[breaks["code"].isin(codes)] if not breaks.empty else breaks
        y = _y(unit, value_title, value_domain(data["value"] if shared else part["value"], unit))
        if part.empty:
            part = frame[frame["series"] == name].head(0)
        layers = _layers(part, brk, x, y, color, break_label, tooltip_titles or {})
        panels.append(
            alt.layer(*layers).properties(
                title=alt.TitleParams(name, anchor="start", fontSize=13, limit=width + 40), width=width, height=height
            )
        )
    chart = alt.concat(*panels, columns=columns).resolve_scale(y="shared" if shared else "independent")
    return localise(chart, lang)


def heat_table(
    frame: pd.DataFrame,
    *,
    low_high: str,
    title: str = "",
    lang: str = "nl",
    tooltip_titles: dict[str, str] | None = None,
) -> alt.LayerChart:
    """Many indicators (rows) for up to six areas (columns), colour = position within the row.
    Every row and column label is drawn (no overlap pruning); area labels break before the code."""
    tip = tooltip_titles or {}
    data = frame.copy()
    data["rel"] = data["rel"].astype(float)
    rows = list(dict.fromkeys(data["label"]))
    cols = list(dict.fromkeys(data["series"]))
    col_w = 150
    base = alt.Chart(data).encode(
        x=alt.X(
            "series:N",
            title=None,
            sort=cols,
            axis=alt.Axis(
                orient="bottom",
                labelAngle=0,
                labelLimit=col_w - 6,
                labelOverlap=False,
                labelExpr="[substring(datum.label, 0, lastindexof(datum.label, ' (')), "
                "substring(datum.label, lastindexof(datum.label, ' (') + 1)]",
                labelLineHeight=14,
                labelPadding=6,
            ),
        ),
        y=alt.Y("label:N", title=None, sort=rows, axis=alt.Axis(labelLimit=300, labelOverlap=False, labelFontSize=12)),
    )
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "rel:Q",
            title=low_high,
            scale=alt.Scale(scheme="blues", domain=[0, 1]),
            legend=alt.Legend(orient="bottom", format=".0%"),
        ),
        tooltip=[
            alt.Tooltip("label:N", title=tip.get("indicator", "indicator")),
            alt.Tooltip("series:N", title=tip.get("series", "series")),
            alt.Tooltip("text:N", title=tip.get("value", "value")),
            alt.Tooltip("table:N", title=tip.get("table", "table")),
        ],
    )
    text = base.mark_text(fontSize=12).encode(
        text="text:N", color=alt.condition("datum.rel > 0.6", alt.value("white"), alt.value("black"))
    )
    chart = alt.LayerChart(layer=[rect, text]).properties(title=title, height=alt.Step(30), width="container")
    return localise(chart, lang)


def series_table(frame: pd.DataFrame, year_title: str) -> pd.DataFrame:
    """The numbers of a series or comparison chart as a table: one row per year, one column per series
    (as shown: '9,5%', '–' for a year without a figure)."""
    return wide_table(frame.sort_values("year", kind="stable"), "year", "series", "text", year_title)


def heat_table_frame(frame: pd.DataFrame, indicator_title: str) -> pd.DataFrame:
    """The numbers of the heat table as a table: one row per indicator, one column per area."""
    return wide_table(frame, "label", "series", "text", indicator_title)


def chart_points(chart: alt.TopLevelMixin) -> pd.DataFrame:
    """The rows the first line/point layer of a chart is drawn from (all panels of a concat): for tests."""
    spec = chart.to_dict()
    datasets = spec.get("datasets", {})
    panels = spec.get("concat") or [spec]
    rows = []
    for panel in panels:
        layer = panel["layer"][0]
        name = layer["data"]["name"] if "data" in layer else panel["data"]["name"]
        rows += datasets[name]
    return pd.DataFrame(rows)
