"""Diverging bar charts of the factor view (altair): data in, chart out.

Convention everywhere: positive deviation = less favourable than the reference, drawn to the right.
Bars are capped at ±CLIP so one extreme figure does not flatten the rest; the tooltip keeps the
actual deviation, the raw value, the reference and how strong the indicator is as a proxy.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import Catalogue, format_value
from wijk.core.chart_locale import localise
from wijk.core.i18n import t
from wijk.core.numbers import number
from wijk.core.provenance import period_text
from wijk.factors.model import OWN_PROVIDER, FactorRow, Framework

CLIP = 3.0
COLUMNS = [
    "kind",
    "label",
    "factor",
    "value_text",
    "ref_text",
    "ref_label",
    "deviation",
    "shown",
    "dev_text",
    "direction",
    "strength",
    "strength_text",
    "explanation",
    "year",
    "n_areas",
    "local",
    "source",
]
OPACITY = {"strong": 1.0, "moderate": 0.7, "weak": 0.4, "local": 0.7}


def _num(x: float | None, lang: str) -> str:
    if x is None or pd.isna(x):
        return t("factoren_none_dev", lang)
    return number(x, 1, lang, sign=True, grouped=False)


def ref_label_text(label: str, lang: str) -> str:
    """'median:buurt:Groningen' -> 'mediaan van de buurten in Groningen'; a plain name stays."""
    if label.startswith("median:"):
        _, level, name = label.split(":", 2)
        return t("factoren_ref_median", lang, levels=t(f"factoren_plural_{level}", lang), name=name)
    return label


def _direction(dev: float | None, kind: str, lang: str) -> str:
    if dev is None or pd.isna(dev):
        return ""
    if kind == "outcome":
        return t("factoren_dir_more" if dev > 0 else "factoren_dir_less", lang)
    return t("factoren_dir_unfavourable" if dev > 0 else "factoren_dir_favourable", lang)


def _year_text(r: FactorRow, lang: str) -> str:
    """'2024' or '2020 (najaar 2020)': the figure's own year with the period it describes; an old figure
    says so, a figure of the old code of the same area says that code."""
    period = period_text(getattr(r, "period", ""), lang)
    text = str(r.year) + (f" ({period})" if period and period != str(r.year) else "")
    if getattr(r, "old", False):
        text += " · " + t("figure_old_tag", lang)
    if getattr(r, "carried_from", ""):
        text += " · " + t("figure_carried_from", lang, code=r.carried_from, year=r.boundary_year or r.year)
    return text


def _bar_label(r: FactorRow, lang: str) -> str:
    """The bar's label with the year it describes: 'Gemiddeld inkomen (2014, oud)'."""
    if getattr(r, "local", False):
        return r.label
    year = period_text(r.period, lang) if r.period and r.period[:4].isdigit() and len(r.period) == 4 else r.year
    old = ", " + t("figure_old_tag", lang) if getattr(r, "old", False) else ""
    return f"{r.label} ({year}{old})"


def rows_frame(rows: list[FactorRow], lang: str = "nl") -> pd.DataFrame:
    """The presentation frame shared by the charts and the tables."""
    out = []
    for r in rows:
        tag = f" · {t('factoren_local_tag', lang)}" if r.local else ""
        dev = r.deviation
        out.append(
            {
                "kind": r.kind,
                "label": _bar_label(r, lang) + tag,
                "factor": r.factor,
                "value_text": format_value(r.value, r.unit, lang),
                "ref_text": format_value(r.ref_value, r.unit, lang),
                "ref_label": ref_label_text(r.ref_label, lang),
                "deviation": dev,
                "shown": None if dev is None else max(-CLIP, min(CLIP, dev)),
                "dev_text": _num(dev, lang),
                "direction": _direction(dev, r.kind, lang),
                "strength": r.strength,
                "strength_text": t(f"factoren_strength_{r.strength}", lang),
                "explanation": r.explanation,
                "year": _year_text(r, lang),
                "n_areas": r.n_areas,
                "local": r.local,
                "source": r.source,
                **{
                    f"chain_{lvl}": format_value(r.chain.get(lvl), r.unit, lang, missing="–")
                    for lvl in codes.PARENT_LEVELS
                },
            }
        )
    return pd.DataFrame(out, columns=COLUMNS + ["chain_wijk", "chain_gemeente", "chain_land"])


def compare_frame(
    diff: pd.DataFrame, catalogue: Catalogue, framework: Framework, year: int, lang: str = "nl"
) -> pd.DataFrame:
    """wijk.factors.similar.compare() output as a presentation frame (reference = the similar buurten)."""
    by_id = {(fi.factor_id, fi.indicator): fi for fi in framework}
    rows = [
        FactorRow(
            r["kind"],
            by_id[(r["factor_id"], r["indicator"])].factor(lang),
            r["indicator"],
            catalogue.get(r["indicator"]).label(lang),
            catalogue.get(r["indicator"]).unit,
            r["unfavourable"],
            r["strength"],
            by_id[(r["factor_id"], r["indicator"])].explanation(lang),
            "",
            r["value"],
            year,
            r["ref_value"],
            t("factoren_similar_ref", lang, k=int(r["n_with_value"])),
            None if pd.isna(r["deviation"]) else r["deviation"],
            int(r["n_with_value"]),
        )
        for r in diff.to_dict("records")
    ]
    return rows_frame(rows, lang)


def diverging_bars(frame: pd.DataFrame, lang: str = "nl", outcome: bool = False) -> alt.LayerChart:
    """One horizontal bar per indicator: deviation from the reference, + = unfavourable (or more need)."""
    data = frame[frame["shown"].notna()].copy()
    if outcome:
        domain = [t("factoren_dir_more", lang), t("factoren_dir_less", lang)]
        colours, axis = ["#7570b3", "#b8b8d8"], t("factoren_axis_outcome", lang)
    else:
        domain = [t("factoren_dir_unfavourable", lang), t("factoren_dir_favourable", lang)]
        colours, axis = ["#d95f02", "#1b9e77"], t("factoren_axis", lang)
    strengths = [s for s in OPACITY if s in set(data["strength"])] or list(OPACITY)
    tooltip = [
        alt.Tooltip("label:N", title=t("factoren_col_indicator", lang)),
        alt.Tooltip("factor:N", title=t("factoren_col_factor", lang)),
        alt.Tooltip("value_text:N", title=t("factoren_col_value", lang)),
        alt.Tooltip("ref_text:N", title=t("factoren_col_reference", lang)),
        alt.Tooltip("ref_label:N", title=t("factoren_col_ref_label", lang)),
        alt.Tooltip("dev_text:N", title=t("factoren_col_deviation", lang)),
        alt.Tooltip("strength_text:N", title=t("factoren_col_strength", lang)),
        alt.Tooltip("year:O", title=t("factoren_col_year", lang)),
        alt.Tooltip("n_areas:Q", title=t("factoren_col_n_areas", lang), format=",d"),  # 13.812
        alt.Tooltip("explanation:N", title=t("factoren_col_explanation", lang)),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("shown:Q", scale=alt.Scale(domain=[-CLIP, CLIP]), title=axis),
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=340)),
            color=alt.Color(
                "direction:N",
                scale=alt.Scale(domain=domain, range=colours),
                legend=alt.Legend(title=None, orient="bottom", labelLimit=0),  # never cut off
            ),
            opacity=alt.Opacity(
                "strength:N",
                scale=alt.Scale(domain=strengths, range=[OPACITY[s] for s in strengths]),
                legend=alt.Legend(
                    title=t("factoren_strength", lang), orient="bottom", labelExpr=_label_expr(strengths, lang)
                ),
            ),
            tooltip=tooltip,
        )
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#333").encode(x="x:Q")
    return localise(alt.LayerChart(layer=[bars, zero]).properties(height=alt.Step(28)), lang)


def _label_expr(keys: list[str], lang: str) -> str:
    """Vega expression mapping strength keys to their translated labels in the legend."""
    parts = " : ".join(f"datum.label == '{k}' ? '{t('factoren_strength_' + k, lang)}'" for k in keys)
    return f"{parts} : datum.label"


TABLE_COLUMNS = {
    "label": "indicator",
    "factor": "factor",
    "value_text": "value",
    "chain_wijk": "wijk",
    "chain_gemeente": "gemeente",
    "chain_land": "land",
    "ref_label": "ref_label",
    "dev_text": "deviation",
    "strength_text": "strength",
    "year": "year",
    "source": "source",
}
# the comparison with similar areas: the figure, its reference and how far it lies from it
SIMILAR_DIFF_COLUMNS = ["label", "factor", "value_text", "ref_label", "dev_text", "strength_text"]


def table_frame(frame: pd.DataFrame, lang: str = "nl", columns: list[str] | None = None) -> pd.DataFrame:
    """The detail table: every figure with wijk, gemeente and NL beside it (or only `columns`, by name)."""
    cols = {k: v for k, v in TABLE_COLUMNS.items() if columns is None or k in columns}
    return frame[list(cols)].rename(columns={k: t(f"factoren_col_{v}", lang) for k, v in cols.items()})


def missing_frame(missing: list, year: int, lang: str = "nl", area_name=None) -> pd.DataFrame:
    """What is missing for this area and year, why, the nearest enclosing area's figure (context,
    with its own area and year) and what would provide it. `area_name(code)` names that area."""
    rows = []
    for m in missing:
        years = ", ".join(str(y) for y in m.years)
        provider = t("factoren_provider_eigen" if m.provider == OWN_PROVIDER else "factoren_provider_cbs", lang)
        higher = ""
        if m.higher is not None:
            higher = t(
                "factoren_higher_value",
                lang,
                area=area_name(m.higher.code) if area_name else m.higher.code,
                level=t(f"level_{codes.level_of(m.higher.code)}", lang),
                year=m.higher.year,
                value=format_value(m.higher.value, m.unit, lang),
            )
        rows.append(
            {
                "kind": t(f"factoren_kind_{m.kind}", lang),
                "factor": m.factor,
                "indicator": m.label,
                "reason": t(f"factoren_reason_{m.reason}", lang, year=year, years=years),
                "higher": higher,
                "provider": m.source or provider,
            }
        )
    cols = ["indicator", "higher", "reason", "factor", "kind", "provider"]
    return pd.DataFrame(rows, columns=cols).rename(columns={c: t(f"factoren_col_{c}", lang) for c in cols})


def feature_labels(features: list[str], catalogue: Catalogue, lang: str = "nl") -> list[str]:
    """The similar-buurten features as a reader knows them: indicator labels, never raw ids."""
    return [catalogue.get(f).label(lang) if f in catalogue else t(f"factoren_feature_{f}", lang) for f in features]


def neighbours_frame(table: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """wijk.factors.similar.neighbour_table() with translated headers (context only, no risk figures)."""
    cols = {
        "name": "name",
        "gemeente": "gemeente",
        "inwoners": "inwoners",
        "stedelijkheid": "stedelijkheid",
        "distance": "distance",
    }
    out = table.set_index("code")[list(cols)].astype(object)
    # numbers as the UI writes them (st.dataframe would print 1025 and 0.34 in a Dutch screen)
    out["inwoners"] = [
        format_value(None if pd.isna(v) else float(v), "count", lang, missing="–") for v in out["inwoners"]
    ]
    out["stedelijkheid"] = [
        format_value(None if pd.isna(v) else float(v), "code", lang, missing="–") for v in out["stedelijkheid"]
    ]
    out["distance"] = [number(v, 2, lang) for v in out["distance"]]
    return out.rename(columns={k: t(f"factoren_col_{v}", lang) for k, v in cols.items()})
