"""The youth lens ("Jeugd"): conditions for young people in an area, with every figure's own level and year.

Pure logic (no Streamlit). What the lens shows is data (data/youth_lens.csv): the target group, schools
within reach, protective then risk factors that matter for young people. Youth care (CBS 85075NED /
85335NED) exists per wijk and gemeente for 2021 and 2022 only, child protection (CBS's own percentage)
per gemeente for 2022 (provisional): the lens shows them for the years that exist, whatever year is
selected, and every cell says whose figure it is (a wijk figure on a buurt page is the wijk's).
Figures describe conditions in an area, never children or families.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import Indicator, format_value
from wijk.core.i18n import t, with_level
from wijk.core.paths import data_dir
from wijk.core.store import Figure, Store

SECTIONS = ("doelgroep", "scholen", "beschermend", "risico")  # data/youth_lens.csv, with jeugdzorg, jeugdbescherming


@lru_cache(maxsize=2)
def load_lens(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """data/youth_lens.csv: section -> indicator ids in order."""
    with open(path or data_dir() / "youth_lens.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r["section"], []).append(r["indicator"])
    return {s: tuple(ids) for s, ids in out.items()}


def is_provisional(fig: Figure) -> bool:
    """CBS marks provisional periods with '*' ('2022*'); the reader keeps the period in the variable."""
    return fig.value is not None and "*]" in (fig.variable or "")


@dataclass(frozen=True)
class Cell:
    """One figure of one area (the selected one or a parent) in one year."""

    level: str  # buurt | wijk | gemeente | land
    code: str
    name: str
    figure: Figure
    own: bool  # True when this is the selected area's own figure
    provisional: bool

    def area_label(self, lang: str = "nl") -> str:
        """'wijk Oud-Noord', 'gemeente Groningen', 'Nederland': whose figure this is."""
        if self.level == "land":
            return t("area_nl", lang)
        return with_level(self.level, self.name, lang)


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    cells: tuple[Cell, ...]  # selected area (when it has the figure), then its parents

    @property
    def has_data(self) -> bool:
        return any(c.figure.value is not None for c in self.cells)


@dataclass
class YouthLens:
    code: str
    level: str
    name: str
    year: int  # the selected year
    target: list[Row]
    care: dict[int, list[Row]]  # youth-care year -> rows (wijk/gemeente/NL cells), newest first
    protection: list[Row]  # gemeente and NL only: never a buurt's or wijk's
    schools: list[Row]
    protective: list[Row]
    risk: list[Row]

    @property
    def care_years(self) -> list[int]:
        return sorted(self.care, reverse=True)


def _years_with(store: Store, code: str, indicator: str) -> list[int]:
    return [y for y in sorted(store.years(), reverse=True) if store.figure(code, y, indicator).value is not None]


def latest_figure(store: Store, code: str, year: int, indicator: str) -> Figure:
    """The figure of the selected year, else the newest year that has one (its year is in the figure)."""
    fig = store.figure(code, year, indicator)
    if fig.value is not None:
        return fig
    years = _years_with(store, code, indicator)
    return store.figure(code, years[0], indicator) if years else fig


def _cell(store: Store, code: str, fig: Figure, own_code: str) -> Cell:
    level = codes.level_of(code) or "land"
    name = store.areas.name(code, fig.year)
    return Cell(level, code, name, fig, code == own_code, is_provisional(fig))


def _row(
    store: Store, code: str, year: int, indicator: str, levels: tuple[str, ...] | None = None, latest: bool = True
) -> Row:
    """The area and its parents; each cell the selected year or (latest=True) its own newest year."""
    cells = []
    for c in codes.chain(code):
        level = codes.level_of(c) or "land"
        if levels is not None and level not in levels:
            continue
        fig = latest_figure(store, c, year, indicator) if latest else store.figure(c, year, indicator)
        if c == code or fig.value is not None:
            cells.append(_cell(store, c, fig, code))
    return Row(store.catalogue.get(indicator), tuple(cells))


def care_rows(store: Store, code: str) -> dict[int, list[Row]]:
    """Youth care per year it exists (2021, 2022): for a buurt the wijk's, then gemeente and NL."""
    start = codes.wijk_of(code) or code  # no youth care per buurt: start at the wijk
    chain = codes.chain(start)
    care_ids = load_lens()["jeugdzorg"]
    years = sorted({y for c in chain for y in _years_with(store, c, care_ids[0])}, reverse=True)
    out: dict[int, list[Row]] = {}
    for y in years:
        rows = []
        for ind in care_ids:
            cells = tuple(_cell(store, c, store.figure(c, y, ind), code) for c in chain)
            rows.append(Row(store.catalogue.get(ind), cells))
        out[y] = rows
    return out


def protection_rows(store: Store, code: str) -> list[Row]:
    """CBS's child-protection and youth-care percentages: the gemeente's and NL's, newest year."""
    gm = codes.gemeente_of(code) or code
    out = []
    for ind in load_lens()["jeugdbescherming"]:
        cells = []
        for c in (gm, codes.NL_CODE):
            years = _years_with(store, c, ind)
            if years:
                cells.append(_cell(store, c, store.figure(c, years[0], ind), code))
        out.append(Row(store.catalogue.get(ind), tuple(cells)))
    return out


def youth_lens(store: Store, code: str, year: int) -> YouthLens | None:
    """Everything the lens shows for one area; None when the area is unknown in that year."""
    area = store.areas.get(code, year)
    if area is None:
        return None
    lens = load_lens()

    def rows(section: str) -> list[Row]:
        return [_row(store, code, year, i) for i in lens.get(section, ()) if i in store.catalogue]

    return YouthLens(
        code,
        area.level,
        area.name,
        year,
        rows("doelgroep"),
        care_rows(store, code),
        protection_rows(store, code),
        rows("scholen"),
        rows("beschermend"),
        rows("risico"),
    )


# ---- tables for display (plain text cells; nothing here is parsed as Markdown) -----------------
def _value(cell: Cell, unit: str, lang: str) -> str:
    if cell.figure.value is None:
        return "–"
    text = format_value(cell.figure.value, unit, lang)
    return text + (" " + t("jeugd_provisional_tag", lang) if cell.provisional else "")


def rows_frame(rows: list[Row], lang: str = "nl") -> pd.DataFrame:
    """One line per figure and area: indicator, whose figure, year, value."""
    out = []
    for row in rows:
        for cell in row.cells:
            out.append(
                {
                    t("jeugd_col_indicator", lang): row.indicator.label(lang),
                    t("jeugd_col_area", lang): cell.area_label(lang),
                    t("jeugd_col_year", lang): cell.figure.year if cell.figure.value is not None else None,
                    t("jeugd_col_value", lang): _value(cell, row.indicator.unit, lang),
                }
            )
    frame = pd.DataFrame(
        out,
        columns=[t(k, lang) for k in ("jeugd_col_indicator", "jeugd_col_area", "jeugd_col_year", "jeugd_col_value")],
    )
    return frame.astype({t("jeugd_col_year", lang): "Int64"})


def care_frame(lens: YouthLens, lang: str = "nl") -> pd.DataFrame:
    """Youth care: one line per year and area (wijk, gemeente, NL), count, share and referrals."""
    out = []
    for year in lens.care_years:
        rows = lens.care[year]  # in data/youth_lens.csv order, the count first
        for i, cell in enumerate(rows[0].cells):
            line = {t("jeugd_col_year", lang): year, t("jeugd_col_area", lang): cell.area_label(lang)}
            for r in rows:
                line[r.indicator.label(lang)] = _value(r.cells[i], r.indicator.unit, lang)
            out.append(line)
    return pd.DataFrame(out)


def provenance_figures(lens: YouthLens) -> list[Figure]:
    """Every shown figure with a value, for the provenance panel."""
    rows = [*lens.target, *lens.protection, *lens.schools, *lens.protective, *lens.risk]
    rows += [r for rs in lens.care.values() for r in rs]
    return [c.figure for r in rows for c in r.cells if c.figure.value is not None]
