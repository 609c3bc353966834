"""Raw file values to observations: numbers as CBS writes them (decimal commas, sentinels), columns mapped to
indicators by name stem, and one melt from a wide file to observation rows."""

from __future__ import annotations

import re

import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import Catalogue, stem
from wijk.core.store import OBSERVATION_COLUMNS
from wijk.data.source_files import NAME_COLUMNS, SourceFile, column_map, period_rules, reference_period

_SUFFIX_NUM = re.compile(r"_(\d+)$")
_COMMA_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$")  # 2,3 or 1.234,5
_COMMA_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")  # 1.234,5 or 1.234 in a decimal-comma file


def has_decimal_comma(columns: list[pd.Series]) -> bool:
    """Whether a file writes decimal commas: some value reads '2,3' or '1.234,5' (a StatLine export of the
    Dutch site). Decided per file, so that '1.234' in its other columns is read as one thousand two hundred."""
    return any(_is_text(c) and c.astype(str).str.strip().str.match(_COMMA_NUMBER.pattern).any() for c in columns)


def decimal_point_text(series: pd.Series, comma: bool) -> pd.Series:
    """Values as stripped text with a decimal point: in a decimal-comma file '2,3' -> '2.3', '1.234,5' ->
    '1234.5' and '1.234' -> '1234'. The one parser of raw files and hand imports."""
    text = series.astype(str).str.strip()
    if not comma:
        return text
    grouped = text.str.match(_COMMA_GROUPED.pattern)
    text = text.where(~grouped, text.str.replace(".", "", regex=False))
    return text.str.replace(",", ".", regex=False)


def to_number(series: pd.Series, comma: bool | None = None) -> pd.Series:
    """CBS values to floats: '.', '', padding and negative sentinels (-99999999) become missing. Decimal commas
    are read when `comma` (None: when this column writes them, see has_decimal_comma)."""
    if _is_text(series):
        comma = has_decimal_comma([series]) if comma is None else comma
        series = decimal_point_text(series, comma).replace({".": None, "": None, "nan": None, "None": None})
    values = pd.to_numeric(series, errors="coerce")
    return values.where(values > -99999990)


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or pd.api.types.is_string_dtype(series)


def melt(frame: pd.DataFrame, colmap: dict[str, tuple], src: SourceFile) -> pd.DataFrame:
    """frame: code column + value columns; colmap: column -> (indicator, table, variable[, year]).

    A fourth element gives the year of a column that holds another year than the file's
    (e.g. misdrijven_2021 in a 2024 file); its boundaries stay those of the file.
    """
    parts = []
    rules = period_rules()
    comma = has_decimal_comma([frame[c] for c in colmap])
    for column, spec in colmap.items():
        indicator, table, variable = spec[:3]
        year = spec[3] if len(spec) > 3 else src.year
        values = to_number(frame[column], comma)
        part = pd.DataFrame({"code": frame["code"], "value": values}).dropna()
        part["indicator"], part["table"], part["variable"] = indicator, table, variable
        part["year"] = year
        part["period"] = reference_period(src.relpath, indicator, year, rules)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=OBSERVATION_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["source"] = src.source_id
    out["priority"] = src.priority
    out["boundary_year"] = pd.array([src.boundary_year] * len(out), dtype="Int64")  # unknown stays <NA>
    out = out[out["code"].map(codes.level_of).notna()]
    return out[OBSERVATION_COLUMNS]


def statline_columns(
    columns: list[str], catalogue: Catalogue, extra: dict[str, tuple[str, str, str]], table: str
) -> dict[str, tuple[str, str, str]]:
    """Map StatLine columns to indicators by name stem (never by position).

    A stem that occurs more than once in one table (e.g. 'Nederland' for two groupings) is
    addressed as 'Nederland@2' for its second occurrence in CBS's own column order.
    """

    def order(c: str) -> int:
        m = _SUFFIX_NUM.search(c)
        return int(m.group(1)) if m else 10**6

    seen: dict[str, int] = {}
    mapping: dict[str, tuple[str, str, str]] = {}
    for column in sorted(columns, key=order):
        s = stem(column)
        seen[s] = seen.get(s, 0) + 1
        ind = catalogue.by_stem(f"{s}@{seen[s]}") or (catalogue.by_stem(s) if seen[s] == 1 else None)
        if ind is not None:
            mapping[column] = (ind.id, table, column)
        elif s in extra:
            mapping[column] = (extra[s][0], extra[s][1], extra[s][2] or column)
    return mapping


def name_rows(parts: list[pd.DataFrame], year: int) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame(columns=NAME_COLUMNS)
    names = pd.concat(parts, ignore_index=True)
    names = names[(names["name"].fillna("") != "") & names["code"].map(codes.level_of).notna()]
    names["year"] = year
    return names.drop_duplicates("code")[NAME_COLUMNS]


def mapped_columns(frame: pd.DataFrame, reader: str) -> dict[str, tuple]:
    """Columns named in source_columns.csv; a '{year}' in the column name gives each column its year."""
    extra = column_map(reader)
    out: dict[str, tuple] = {}
    for pattern, (indicator, table, variable) in extra.items():
        if "{year}" in pattern:
            rx = re.compile(re.escape(pattern).replace(re.escape("{year}"), r"(\d{4})"))
            for c in frame.columns:
                m = rx.fullmatch(c)
                if m:
                    out[c] = (indicator, table, variable or c, int(m.group(1)))
    for c in frame.columns:
        if stem(c) in extra and c not in out:
            indicator, table, variable = extra[stem(c)]
            out[c] = (indicator, table, variable or c)
    return out
