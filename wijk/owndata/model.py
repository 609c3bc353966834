"""Own data: column mapping, validation per row and column, and the suppressed OwnDataset.

`process(raw, mapping, store, thresholds)` checks every cell, keeps the valid part, reports the
rest as `Issue`s (row, column, i18n key), and applies suppression before the dataset exists.
Numeric cell values are never echoed in issues (they might be small numbers); codes and
non-numeric text are, shortened.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import format_value
from wijk.core.i18n import LANGUAGES, t
from wijk.core.owndata import OWN_PREFIX, OwnDataset, OwnIndicator
from wijk.core.store import Store
from wijk.core.text import plain
from wijk.owndata.across import seen_before
from wijk.owndata.differencing import Unprotectable, real_children
from wijk.owndata.read import RawTable
from wijk.owndata.suppression import RATE_UNITS, RateLink, Thresholds, suppress, without_denominator

UNITS = ("count", "pct", "per1000")
ROLES = ("context", "risk", "protective", "outcome")
DIRECTIONS = ("", "high", "low")
MAX_LABEL = 80
MAX_SOURCE = 200
MAX_CELL = 100
UPPER = {"pct": 100.0, "per1000": 1000.0}
_MISSING = {"", ".", "-", "x", "?", "na", "n.a.", "n.b."}
_DUTCH = re.compile(r"[+-]?\d{1,3}(\.\d{3})*,\d+%?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")
_ECHOED = ("eigen_issue_not_number", "eigen_issue_formula", "eigen_issue_ambiguous")


@dataclass(frozen=True)
class ColumnSpec:
    """One indicator: its value column ('' for a rate computed from numerator/denominator)."""

    column: str
    label: str
    unit: str = "count"
    numerator: str = ""
    denominator: str = ""
    role: str = "context"
    unfavourable: str = ""


@dataclass(frozen=True)
class Mapping:
    name: str
    source: str
    code_column: str
    indicators: tuple[ColumnSpec, ...]
    year: int | None = None  # the chosen year, when there is no year column
    year_column: str = ""


@dataclass(frozen=True)
class Issue:
    row: int | None  # line/row in the file (None: about the whole file or mapping)
    column: str
    key: str  # i18n key of the message
    value: str = ""  # the offending text (codes, non-numbers; never a numeric value)
    fmt: tuple[tuple[str, object], ...] = ()


@dataclass
class Result:
    dataset: OwnDataset | None
    issues: list[Issue] = field(default_factory=list)
    rows_total: int = 0
    rows_kept: int = 0


def clean_text(text: object, limit: int) -> str:
    """User text for labels and names: no control characters, single spaces, at most `limit`."""
    return plain(text or "")[:limit]


def decimal_comma(cells: pd.Series, separator: str = "") -> bool:
    """Whether a column is in Dutch notation (a decimal comma somewhere, or a ';'-separated file)."""
    return separator == ";" or any(isinstance(c, str) and _DUTCH.fullmatch(c.strip()) for c in cells)


def parse_number(cell: object, dutch: bool = False) -> tuple[float | None, str]:
    """A cell as a number: (value, '') or (None, error key); empty/'.' -> (None, '') = missing.

    Dutch and English notation: '12,5', '1.234,5', '1,234.5', '12.5', '12%'. A lone '1.450' is
    1450 in a Dutch-notation column (`dutch`), else 1.45.
    """
    if cell is None:
        return None, ""
    if isinstance(cell, bool):
        return None, "eigen_issue_not_number"
    if isinstance(cell, (int, float)):
        value = float(cell)
        return (value, "") if math.isfinite(value) else (None, "eigen_issue_not_number")
    spaced = " ".join(str(cell).replace("\u00a0", " ").split())
    spaced = spaced[:-1].rstrip() if spaced.endswith("%") else spaced
    text = spaced.replace(" ", "")
    if text.lower() in _MISSING:
        return None, ""
    if len(text) > MAX_CELL:
        return None, "eigen_issue_too_long"
    if text[:1] in ("=", "@") or (text[:1] == "+" and not text[1:2].isdigit()):
        return None, "eigen_issue_formula"
    sign, body = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
    if not re.fullmatch(r"[\d.,]+([eE][+-]?\d+)?", body):
        return None, "eigen_issue_not_number"
    if " " in spaced and not re.fullmatch(r"[+-]?\d{1,3}( \d{3})+([.,]\d+)?", spaced):
        return None, "eigen_issue_ambiguous"  # '1 2 3'
    if "," in body and "." in body:
        thousands, decimal = (".", ",") if body.rfind(",") > body.rfind(".") else (",", ".")
        whole, _, frac = body.rpartition(decimal)
        if not _grouped(whole, thousands) or not frac.isdigit():
            return None, "eigen_issue_ambiguous"
        text = sign + whole.replace(thousands, "") + "." + frac
    elif body.count(",") > 1 or body.count(".") > 1:
        sep = "," if "," in body else "."
        if not _grouped(body, sep):
            return None, "eigen_issue_ambiguous"  # '1,2,3', '1.2.3': not a number anyone wrote on purpose
        text = sign + body.replace(sep, "")
    elif "," in body:
        text = sign + body.replace(",", ".")
    elif dutch and _GROUPED.fullmatch(body):
        text = sign + body.replace(".", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
        return None, "eigen_issue_not_number"
    value = float(text)
    return (value, "") if math.isfinite(value) else (None, "eigen_issue_not_number")


def _grouped(text: str, sep: str) -> bool:
    """Digits in groups of three after the first (1.234.567 or 1,234,567)."""
    return re.fullmatch(r"\d{1,3}(" + re.escape(sep) + r"\d{3})+", text) is not None


def _shown(cell: object) -> str:
    """A cell as echoed in a message: shortened, and every digit masked (it might be a small number)."""
    return _masked(clean_text(cell, 40) + ("…" if len(str(cell or "")) > 40 else ""))


def _masked(text: str) -> str:
    return re.sub(r"\d", "#", text)


def _shown_code(cell: object) -> str:
    """A code cell as echoed: a well-formed code as is (codes are public), anything else masked."""
    code = codes.clean(cell) if isinstance(cell, str) else ""
    return code if codes.level_of(code) else _shown(cell)


def guess_unit(column: str) -> str:
    """A first guess of the unit from a column name (the user confirms it)."""
    name = column.lower()
    if re.search(r"per[ _.]?1\.?000|promille|‰", name):
        return "per1000"
    if re.search(r"(^|[^a-z])(pct|perc|percentage|aandeel)([^a-z]|$)|%", name):
        return "pct"
    return "count"


def indicator_id(name: str, spec: ColumnSpec) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", clean_text(spec.label, MAX_LABEL).lower()).strip("_")[:30] or "x"
    digest = hashlib.sha1(f"{name}\x1f{spec.column}\x1f{spec.label}".encode()).hexdigest()[:6]
    return f"{OWN_PREFIX}{slug}_{digest}"


def reserved_labels() -> set[str]:
    """The result table's own column names, in every language (an indicator label may not be one)."""
    keys = ("eigen_col_name", "eigen_col_year")
    return {"code", *(t(k, lang).casefold() for k in keys for lang in LANGUAGES)}


def check_mapping(raw: RawTable, m: Mapping, years: list[int]) -> list[Issue]:
    """Problems with the mapping itself (nothing is processed while there are any)."""
    cols, out = set(raw.columns), []
    if not clean_text(m.name, MAX_LABEL):
        out.append(Issue(None, "", "eigen_map_no_name"))
    if not clean_text(m.source, MAX_SOURCE):
        out.append(Issue(None, "", "eigen_map_no_source"))
    if m.code_column not in cols:
        out.append(Issue(None, m.code_column, "eigen_map_no_code"))
    if m.year_column:
        if m.year_column not in cols:
            out.append(Issue(None, m.year_column, "eigen_map_no_year"))
    elif m.year not in years:
        out.append(Issue(None, "", "eigen_map_no_year"))
    if not m.indicators:
        out.append(Issue(None, "", "eigen_map_no_indicators"))
    labels = [clean_text(s.label, MAX_LABEL).lower() for s in m.indicators]
    for s in m.indicators:
        name = s.column or s.numerator
        if not clean_text(s.label, MAX_LABEL):
            out.append(Issue(None, name, "eigen_map_no_label"))
        elif labels.count(clean_text(s.label, MAX_LABEL).lower()) > 1:
            out.append(Issue(None, name, "eigen_map_dup_label"))
        elif clean_text(s.label, MAX_LABEL).casefold() in reserved_labels():
            out.append(Issue(None, name, "eigen_map_label_reserved"))
        if s.unit not in UNITS or s.role not in ROLES or s.unfavourable not in DIRECTIONS:
            out.append(Issue(None, name, "eigen_map_bad_choice"))
        used = [c for c in (s.column, s.numerator, s.denominator) if c]
        if any(c not in cols or c in (m.code_column, m.year_column) for c in used):
            out.append(Issue(None, name, "eigen_map_bad_column"))
        if (s.numerator and not s.denominator) or ((s.numerator or s.denominator) and s.unit not in RATE_UNITS):
            out.append(Issue(None, name, "eigen_map_num_den"))
        if not s.column and not (s.numerator and s.denominator):
            out.append(Issue(None, name, "eigen_map_no_value"))
    return out


def _year(cell: object, years: list[int]) -> tuple[int | None, str]:
    value, err = parse_number(cell)
    if err or value is None or value != int(value):
        return None, "eigen_issue_bad_year"
    return (int(value), "") if int(value) in years else (None, "eigen_issue_year_unknown")


def _code(cell: object, year: int, store: Store) -> tuple[str | None, str, tuple]:
    if isinstance(cell, str) and len(cell) > MAX_CELL:
        return None, "eigen_issue_too_long", ()
    code = codes.clean(str(cell) if isinstance(cell, (int, float)) else cell)
    if not code:
        return None, "eigen_issue_no_code", ()
    if codes.level_of(code) is None:
        return None, "eigen_issue_bad_code", ()
    if store.areas.exists(code, year):
        return code, "", ()
    other = store.areas.years_for(code)
    if other:
        return None, "eigen_issue_other_year", (("years", ", ".join(map(str, other))), ("year", year))
    return None, "eigen_issue_unknown_code", (("year", year),)


def _value(
    row: pd.Series, s: ColumnSpec, line: int, issues: list[Issue], dutch: dict[str, bool]
) -> tuple[float | None, float | None, float | None]:
    """The indicator value, its denominator and numerator for one row (None when invalid/missing)."""

    def num(col: str) -> float | None:
        if not col:
            return None
        value, err = parse_number(row[col], dutch[col])
        if not err and value is not None and value < 0:
            err = "eigen_issue_negative"
        if err:
            shown = _shown(row[col]) if err in _ECHOED else ""
            issues.append(Issue(line, col, err, shown))
            raise ValueError(err)
        return value

    try:
        value, top, bottom = num(s.column), num(s.numerator), num(s.denominator)
    except ValueError:
        return None, None, None
    if top is not None and bottom is not None:
        if top > bottom:
            issues.append(Issue(line, s.numerator, "eigen_issue_num_gt_den", "", (("den", s.denominator),)))
            return None, None, None
        if value is None and bottom > 0:
            value = top / bottom * UPPER[s.unit]
    if value is not None and s.unit in UPPER and value > UPPER[s.unit]:
        key = "eigen_issue_pct_range" if s.unit == "pct" else "eigen_issue_rate_range"
        issues.append(Issue(line, s.column or s.numerator, key))
        return None, None, None
    return value, bottom, top


def _links(specs: list[ColumnSpec], inds: list[OwnIndicator]) -> list[RateLink]:
    """Rates whose numerator or denominator column is also uploaded as a count."""
    count_of = {s.column: ind.id for s, ind in zip(specs, inds) if s.unit == "count" and s.column}
    return [
        RateLink(ind.id, count_of.get(s.numerator, ""), count_of.get(s.denominator, ""))
        for s, ind in zip(specs, inds)
        if s.unit in RATE_UNITS and (s.numerator in count_of or s.denominator in count_of)
    ]


def process(
    raw: RawTable,
    m: Mapping,
    store: Store,
    thresholds: Thresholds = Thresholds(),
    prior: Sequence[OwnDataset] = (),
) -> Result:
    """Validate every row, keep the valid part, suppress small numbers, build the OwnDataset.

    `prior`: the sets users can already see (shared on the server, earlier versions in this
    session); nothing hidden in them or here may follow from this upload together with them."""
    years = store.areas.years()
    issues = check_mapping(raw, m, years)
    if issues:
        return Result(None, issues, len(raw.frame))
    name, source = clean_text(m.name, MAX_LABEL), clean_text(m.source, MAX_SOURCE)
    specs = list(m.indicators)
    inds = [
        OwnIndicator(indicator_id(name, s), clean_text(s.label, MAX_LABEL), s.unit, source, s.role, s.unfavourable)
        for s in specs
    ]
    dutch = {c: decimal_comma(raw.frame[c], raw.separator) for c in raw.columns}
    records, kept = [], 0
    seen: dict[tuple[str, int], int] = {}
    for (_, row), line in zip(raw.frame.iterrows(), raw.line_numbers):
        if m.year_column:
            year, err = _year(row[m.year_column], years)
        else:
            assert m.year is not None  # check_mapping refused a mapping with neither a year nor a year column
            year, err = int(m.year), ""
        if year is None:  # err says why
            issues.append(Issue(line, m.year_column, err, _shown(row[m.year_column])))
            continue
        code, err, fmt = _code(row[m.code_column], year, store)
        if code is None:  # err says why
            issues.append(Issue(line, m.code_column, err, _shown_code(row[m.code_column]), fmt))
            continue
        if (code, year) in seen:
            issues.append(Issue(line, m.code_column, "eigen_issue_duplicate", code, (("first", seen[(code, year)]),)))
            continue
        seen[(code, year)] = line
        any_value = False
        for s, ind in zip(specs, inds):
            value, den, top = _value(row, s, line, issues, dutch)
            if value is not None:
                any_value = True
                records.append((code, year, ind.id, value, s.unit, den, top))
        kept += any_value
    issues = list(dict.fromkeys(issues))  # a cell used by two indicators is reported once
    values = pd.DataFrame(records, columns=["code", "year", "indicator", "value", "unit", "denominator", "numerator"])
    for ind_id in without_denominator(values):
        label = next(i.label for i in inds if i.id == ind_id)
        issues.append(Issue(None, label, "eigen_note_no_denominator"))
    try:
        values = suppress(
            values, thresholds, real_children(store.areas.frame), seen_before(inds, prior), _links(specs, inds)
        ).drop(columns=["unit"])
    except Unprotectable as err:
        issues.append(Issue(None, "", "eigen_refused_differencing", err.code, (("code", err.code),)))
        return Result(None, issues, len(raw.frame), int(kept))
    values["year"] = values["year"].astype(int)
    values["value"] = values["value"].astype(float)
    dataset = OwnDataset(name, source, inds, values.reset_index(drop=True), suppressed_with=thresholds.as_tuple())
    return Result(dataset, issues, len(raw.frame), int(kept))


def result_frame(ds: OwnDataset, store: Store, lang: str = "nl") -> pd.DataFrame:
    """The resulting figures, one row per area and year: formatted text, 'onderdrukt' when hidden."""
    hidden = t("eigen_suppressed", lang)
    v = ds.values
    base = v[["code", "year"]].drop_duplicates().sort_values(["year", "code"]).reset_index(drop=True)
    base = base.rename(columns={"year": t("eigen_col_year", lang)})
    base.insert(
        1,
        t("eigen_col_name", lang),
        [store.areas.name(c, int(y), lang) for c, y in zip(base["code"], base.iloc[:, 1])],
    )
    for ind in ds.indicators:
        sub = v[v["indicator"] == ind.id].set_index(["code", "year"])
        texts = []
        for c, y in zip(base["code"], base.iloc[:, 2]):
            if (c, y) not in sub.index:
                texts.append("")
                continue
            r = sub.loc[(c, y)]
            texts.append(
                hidden
                if bool(r["suppressed"])
                else format_value(None if pd.isna(r["value"]) else float(r["value"]), ind.unit, lang)
            )
        base[_free_column(base, ind.label)] = texts
    return base


def _free_column(frame: pd.DataFrame, label: str) -> str:
    """The label, or 'label (2)', ... when the table has a column of that name (any case): never overwritten."""
    taken = {str(c).casefold() for c in frame.columns}
    name, n = label, 1
    while name.casefold() in taken:
        n += 1
        name = f"{label} ({n})"
    return name


def issue_frame(issues: list[Issue], translate, headers: tuple[str, str, str, str]) -> pd.DataFrame:
    """Issues as a table for display (row, column, value, message), plain text only."""
    rows = [(i.row, i.column, i.value, translate(i.key, **dict(i.fmt))) for i in issues]
    frame = pd.DataFrame(rows, columns=list(headers))
    frame[headers[0]] = frame[headers[0]].astype("Int64")
    return frame
