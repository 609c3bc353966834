"""Which indicators exist for which level and year: the coverage matrix of 'Over de data'."""

from __future__ import annotations

import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import Catalogue
from wijk.core.i18n import t
from wijk.core.numbers import number
from wijk.data import cbs

LEVEL_ORDER = [*codes.AREA_LEVELS, codes.LEVELS[0]]  # the areas broadest first, the country last


def coverage_matrix(coverage: pd.DataFrame, catalogue: Catalogue, lang: str = "nl") -> pd.DataFrame:
    """Rows: every catalogue indicator (also those without data); columns: level × year; cells: areas."""
    table = coverage.pivot_table(index="indicator", columns=["level", "year"], values="areas", aggfunc="sum")
    levels = [lv for lv in LEVEL_ORDER if lv in table.columns.get_level_values(0)]
    table = table.reindex(columns=sorted(table.columns, key=lambda c: (levels.index(c[0]), c[1])))
    table = table.reindex([i.id for i in catalogue])
    table.index = [catalogue.get(i).label(lang) for i in table.index]
    pairs = zip(table.columns.get_level_values(0), table.columns.get_level_values(1))  # (level, year)
    table.columns = [f"{t(f'level_{lv}', lang)} {yr}" for lv, yr in pairs]
    # text cells in the language's number format; blank where there are no figures (not 'None', never 0).
    # One type per column: a column of numbers and "" cannot be sent to the browser as Arrow.
    return table.apply(lambda col: col.map(lambda v: "" if pd.isna(v) else number(v, 0, lang)))


def missing_everywhere(coverage: pd.DataFrame, catalogue: Catalogue) -> list[str]:
    """Catalogue indicators that no area has in any year: they appear after a CBS refresh."""
    have = set(coverage["indicator"])
    return [i.id for i in catalogue if i.id not in have]


def catalogue_frame(catalogue: Catalogue, lang: str = "nl") -> pd.DataFrame:
    """Every indicator of the catalogue with its unit, domain, role, CBS variable (or formula) and definition."""
    rows = [
        {
            t("data_col_id", lang): i.id,
            t("data_col_label", lang): i.label(lang),
            t("data_col_unit", lang): i.unit_label(lang) or t(f"data_unit_{i.unit}", lang),
            t("data_col_domain", lang): i.domain.replace("_", " "),
            t("data_col_role", lang): t(f"data_role_{i.role}", lang),
            t("data_col_cbs", lang): i.cbs_stem or i.formula(),
            t("data_col_definition", lang): i.definition(lang),
        }
        for i in catalogue
    ]
    return pd.DataFrame(rows)


def sources_frame(sources: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """The sources and licences table with its column titles in the UI language."""
    return sources.rename(columns={c: t(f"data_col_{c}", lang) for c in sources.columns})


def refresh_years() -> list[int]:
    """The years a refresh can fetch (those with a CBS KWB table id), newest first."""
    return sorted(cbs.tables("kwb"), reverse=True)
