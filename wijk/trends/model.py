"""What the trends screen shows beyond single series: the ranking with a minimum population and a
default comparison year that has comparable areas, and the 'since when do you know this area?' lens.

No Streamlit here: the page calls these and renders what they return.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import format_value
from wijk.core.i18n import t
from wijk.core.owndata import OwnDataset
from wijk.core.settings import SMALL_AREA  # also the default minimum population of a ranked area
from wijk.core.store import Store
from wijk.trends import series

DASH = "–"
RANK_LEVELS = tuple(reversed(codes.AREA_LEVELS[1:]))  # a gemeente's areas are ranked per buurt or per wijk


@dataclass
class RankView:
    table: pd.DataFrame  # ranked areas only (inhabitants >= minimum), rank 1..n
    excluded: int  # areas left out: fewer inhabitants than the minimum, or no population figure
    min_inwoners: int
    since: int | None
    comparable: int  # ranked areas with a change since `since`


def rank_view(
    store: Store,
    gemeente: str,
    indicator: str,
    year: int,
    since: int | None,
    level: str = "buurt",
    min_inwoners: int = SMALL_AREA,
    lang: str = "nl",
) -> RankView:
    full = series.ranking(store, gemeente, indicator, year, since, level, lang)
    keep = (
        full["inwoners"].notna() & (full["inwoners"].astype(float) >= min_inwoners)
        if min_inwoners > 0
        else pd.Series(True, index=full.index)
    )
    table = full[keep].drop(columns="rank").reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return RankView(table, int((~keep).sum()), min_inwoners, since, int(table["comparable"].sum()) if since else 0)


def default_since(
    store: Store,
    gemeente: str,
    indicator: str,
    year: int,
    level: str = "buurt",
    min_inwoners: int = SMALL_AREA,
    lang: str = "nl",
) -> tuple[int | None, str]:
    """The latest earlier year in which at least one ranked area is comparable with `year`, or None with
    the sentence that says why none is (the most common reason, e.g. the 2019 redivision)."""
    earlier = [y for y in sorted(series.ranking_years(store, gemeente, indicator, level), reverse=True) if y < year]
    if not earlier:
        return None, t("trends_rank_no_earlier", lang, year=year)
    reasons: list[str] = []
    for y in earlier:
        view = rank_view(store, gemeente, indicator, year, y, level, min_inwoners, lang)
        if view.comparable:
            return y, ""
        notes = view.table.loc[~view.table["comparable"], "note"]
        reasons += [n for n in notes if n]
    why = pd.Series(reasons).mode().iloc[0] if reasons else t("trends_rank_no_overlap", lang)
    return None, t("trends_rank_none_comparable", lang, year=year, years=", ".join(map(str, earlier)), reason=why)


def rank_column_titles(year: int, since: int | None, lang: str = "nl") -> dict[str, str]:
    """The ranking's column titles, one set for the screen and the export."""
    return {
        "rank": t("trends_col_rank", lang),
        "name": t("trends_col_name", lang),
        "code": t("trends_col_code", lang),
        "inwoners": t("trends_col_inwoners", lang),
        "value": t("trends_col_value_year", lang, year=year),
        "value_since": t("trends_col_value_year", lang, year=since),
        "change": t("trends_col_change_since", lang, since=since),
        "comparable": t("trends_col_comparable", lang),
        "note": t("trends_col_note", lang),
    }


def rank_display(view: RankView, unit: str, year: int, lang: str = "nl"):
    """The ranking as a pandas Styler: Dutch (or English) number format, '–' for missing, ja/nee.
    The underlying values stay numbers, so sorting a column in the table still sorts by value."""
    tb = view.table
    cols = ["rank", "name", "code", "inwoners", "value", *(["value_since", "change"] if view.since else []), "note"]
    out = tb[cols].copy()
    out["note"] = out["note"].fillna("").astype(str)
    names = rank_column_titles(year, view.since, lang)
    out = out.rename(columns=names)
    change_unit = "number" if unit == "pct" else unit

    def fmt(u: str):
        return lambda v: format_value(None if pd.isna(v) else float(v), u, lang, missing=DASH)

    def signed(v):
        if pd.isna(v):
            return DASH
        return (
            ("+" if v > 0 else "")
            + format_value(float(v), change_unit, lang)
            + (" " + t("trends_pp", lang) if unit == "pct" else "")
        )

    formats = {names["inwoners"]: fmt("count"), names["value"]: fmt(unit)}
    if view.since:
        formats |= {names["value_since"]: fmt(unit), names["change"]: signed}
    return out.style.format(formats, na_rep=DASH)


def change_text(before: float, after: float, unit: str, lang: str = "nl") -> str:
    d = after - before
    if unit == "pct":
        return ("+" if d > 0 else "") + format_value(d, "number", lang) + " " + t("trends_pp", lang)
    return ("+" if d > 0 else "") + format_value(d, unit, lang)


def lens(
    store: Store,
    code: str,
    since_year: int,
    indicators: list[str],
    lang: str = "nl",
    datasets: tuple[OwnDataset, ...] = (),
) -> pd.DataFrame:
    """'Since when do you know this area?': per indicator the figure of then (the latest at or before
    `since_year`, else the first after it, said so) against the newest, with the change only where the
    series does not break in between; otherwise the reason."""
    rows: list[dict[str, object]] = []
    for ind in indicators:
        s = series.build_series(store, code, ind, "area", datasets)
        figs = [(f, f.value) for f in s.figures if f.value is not None]  # each figure with its (present) value
        label, *_ = series.indicator_meta(store, ind, datasets, lang)
        unit = series.unit_of(store, ind, datasets)
        row: dict[str, object] = {
            "indicator": ind,
            "label": label,
            "then_year": None,
            "then": DASH,
            "now_year": None,
            "now": DASH,
            "change": DASH,
            "comparable": False,
            "note": "",
        }
        if not figs:
            rows.append(row | {"note": t("trends_lens_no_figures", lang)})
            continue
        now, now_value = figs[-1]
        row |= {"now_year": now.year, "now": format_value(now.value, unit, lang, missing=DASH)}
        before = [(f, v) for f, v in figs if f.year <= since_year]
        then, then_value = before[-1] if before else figs[0]
        if then is now:
            rows.append(
                row
                | {
                    "note": t("trends_lens_only_now", lang, year=now.year)
                    if not before or len(figs) == 1
                    else t("trends_lens_no_newer", lang, year=now.year)
                }
            )
            continue
        row |= {"then_year": then.year, "then": format_value(then.value, unit, lang, missing=DASH)}
        note = "" if before else t("trends_lens_first_after", lang, since=since_year, year=then.year)
        segs = dict(zip([f.year for f in s.figures], s.segments()))
        hard = [b for b in s.breaks if b.kind != "caution" and then.year <= b.before and b.after <= now.year]
        if segs[then.year] != segs[now.year]:
            reasons = " ".join(dict.fromkeys(b.text(lang) for b in hard))
            rows.append(row | {"note": " ".join(x for x in (note, t("trends_lens_break", lang, reason=reasons)) if x)})
            continue
        rows.append(row | {"change": change_text(then_value, now_value, unit, lang), "comparable": True, "note": note})
    return pd.DataFrame(
        rows, columns=["indicator", "label", "then_year", "then", "now_year", "now", "change", "comparable", "note"]
    )


def lens_display(frame: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """The lens as a table of text (years as text, so no '2.017'); indicators without any figure left out."""
    out = frame.loc[
        frame["now_year"].notna(), ["label", "then_year", "then", "now_year", "now", "change", "note"]
    ].copy()
    for c in ("then_year", "now_year"):
        out[c] = [DASH if pd.isna(v) else str(int(v)) for v in out[c]]
    return out.rename(columns={c: t(f"trends_lens_col_{c}", lang) for c in out.columns})
