"""Readers for the real source files: each turns one file into observations and names.

An observation is one value: (code, year, indicator, value, table, variable, source, priority).
Which file is read how is data (data/source_files.csv); which column is which indicator is data
too (the CBS name stem in data/indicators.csv, other columns in data/source_columns.csv).
"""

from __future__ import annotations

import csv
import fnmatch
import gzip
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import Catalogue, stem
from wijk.core.paths import data_dir
from wijk.core.store import OBSERVATION_COLUMNS

NAME_COLUMNS = ["code", "year", "name"]
_SUFFIX_NUM = re.compile(r"_(\d+)$")
_COMMA_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$")  # 2,3 or 1.234,5
_COMMA_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")  # 1.234,5 or 1.234 in a decimal-comma file


@dataclass
class SourceFile:
    path: Path
    relpath: str
    reader: str
    year: int
    table: str
    title: str
    origin: str
    licence: str
    priority: int
    complete: str
    boundary_year: int | None  # None: the file's indeling is unknown (rule boundary 'unknown')
    edition: bool = False  # the file defines which areas exist in its year (a KWB edition or its map)
    join_edition: bool = False  # its codes are kept only where that year's edition has them

    @property
    def source_id(self) -> str:
        return self.relpath

    @property
    def indeling(self) -> int:
        """The boundary year for readers that need one (maps, names); their rules always name it."""
        if self.boundary_year is None:
            raise ValueError(f"{self.relpath}: boundary year unknown")
        return self.boundary_year


@dataclass(frozen=True)
class PeriodRule:
    source: str
    indicators: tuple[str, ...]
    period: str

    def matches(self, relpath: str, indicator: str) -> bool:
        return bool(re.fullmatch(self.source, relpath)) and any(
            fnmatch.fnmatchcase(indicator, p) for p in self.indicators
        )


def period_rules(path: Path | None = None) -> list[PeriodRule]:
    """data/reference_periods.csv: the period a figure describes, per source file and indicator."""
    p = path or data_dir() / "reference_periods.csv"
    if not p.exists():
        return []
    with open(p, newline="", encoding="utf-8") as fh:
        return [PeriodRule(r["source"], tuple(r["indicator"].split("|")), r["period"]) for r in csv.DictReader(fh)]


def reference_period(relpath: str, indicator: str, year: int, rules: list[PeriodRule]) -> str:
    """'2014', '2024-01-01', '2020-autumn', 'before:2024'; the figure's own year when no rule says otherwise."""
    for rule in rules:
        if rule.matches(relpath, indicator):
            return rule.period.format(year=year)
    return str(year)


@dataclass
class ReadResult:
    observations: pd.DataFrame
    names: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NAME_COLUMNS))


def _rules(path: Path | None = None) -> list[dict[str, str]]:
    with open(path or data_dir() / "source_files.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def column_map(reader: str, path: Path | None = None) -> dict[str, tuple[str, str, str]]:
    """Non-catalogue column mappings for one reader: column stem -> (indicator, table, CBS variable or '')."""
    with open(path or data_dir() / "source_columns.csv", newline="", encoding="utf-8") as fh:
        return {
            r["column"]: (r["indicator"], r["cbs_table"], (r.get("variable") or "").strip())
            for r in csv.DictReader(fh)
            if r["reader"] == reader
        }


def discover(source_dir: Path) -> list[SourceFile]:
    """All files below source_dir that a rule in source_files.csv knows how to read, sorted."""
    found = []
    rules = _rules()
    for path in sorted(p for p in source_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(source_dir).as_posix()
        for rule in rules:
            m = re.fullmatch(rule["pattern"], rel) or re.search("(?:^|/)(?:" + rule["pattern"] + ")$", rel)
            if not m:
                continue
            groups = m.groupdict()
            fmt = {k: v for k, v in groups.items() if v}
            year = int(groups["year"])
            found.append(
                SourceFile(
                    path=path,
                    relpath=rel,
                    reader=rule["reader"],
                    year=year,
                    table=rule["cbs_table"].format(**fmt),
                    title=rule["title"].format(**fmt),
                    origin=rule["origin"],
                    licence=rule["licence"],
                    priority=int(rule["priority"]),
                    complete=rule["complete"],
                    boundary_year=_boundary_year(groups.get("boundary"), rule.get("boundary"), year),
                    edition=(rule.get("edition") or "").strip() == "1",
                    join_edition=(rule.get("join_edition") or "").strip() == "1",
                )
            )
            break
    return found


def _boundary_year(from_name: str | None, from_rule: str | None, year: int) -> int | None:
    """The indeling a file describes: named in its file name, else its rule, else its own year; None when the
    rule says 'unknown' (crime whose table names no MapYear: stored, but never divided by inhabitants)."""
    rule = (from_rule or "").strip()
    if from_name:
        return int(from_name)
    if rule == "unknown":
        return None
    return int(rule or year)


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


def _melt(frame: pd.DataFrame, colmap: dict[str, tuple], src: SourceFile) -> pd.DataFrame:
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


def read_statline(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    code_col = next(c for c in ("Codering_3", "WijkenEnBuurten", "code") if c in frame.columns)
    frame["code"] = frame[code_col].map(codes.clean)
    mapping = statline_columns(list(frame.columns), catalogue, column_map("kwb_statline"), src.table)
    obs = _melt(frame, mapping, src)
    names = []
    for name_col in ("buurt_naam", "naam"):
        if name_col in frame.columns:
            names.append(pd.DataFrame({"code": frame["code"], "name": frame[name_col].str.strip()}))
    if "Gemeentenaam_1" in frame.columns:
        gm = pd.DataFrame({"code": frame["code"].map(codes.gemeente_of), "name": frame["Gemeentenaam_1"].str.strip()})
        names.append(gm.dropna().drop_duplicates("code"))
    return ReadResult(obs, _names(names, src.year))


def _names(parts: list[pd.DataFrame], year: int) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame(columns=NAME_COLUMNS)
    names = pd.concat(parts, ignore_index=True)
    names = names[(names["name"].fillna("") != "") & names["code"].map(codes.level_of).notna()]
    names["year"] = year
    return names.drop_duplicates("code")[NAME_COLUMNS]


def _mapped(frame: pd.DataFrame, reader: str) -> dict[str, tuple]:
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


def read_crime(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame["code"] = frame["WijkenEnBuurten"].map(codes.clean)
    return ReadResult(_melt(frame, _mapped(frame, src.reader), src))


def read_income(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame["code"] = [
        codes.clean(w) or (codes.NL_CODE if s == "NL" else codes.clean(g))
        for w, g, s in zip(frame["wk_code"], frame["gm_code"], frame["soort_regio"])
    ]
    names = pd.DataFrame({"code": frame["code"], "name": frame["regionaam"].str.strip()})
    return ReadResult(_melt(frame, _mapped(frame, src.reader), src), _names([names], src.indeling))


def read_rivm(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    """RIVM health per wijk and buurt: the table is the file's (2012 is 50090NED, 2016 and 2020 50120NED,
    source_files.csv), not the one source_columns.csv gives the column."""
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame = frame[frame["Marges"].str.strip() == "MW00000"].copy()
    frame["code"] = frame["Codering_3"].map(codes.clean)
    colmap = {c: (spec[0], src.table, *spec[2:]) for c, spec in _mapped(frame, src.reader).items()}
    return ReadResult(_melt(frame, colmap, src))


def read_woonikveilig(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    """One row per area of one KWB indeling: the KWB block and year columns (crime, RIVM series).

    Only the columns named in source_columns.csv are read; the file's own derivations
    (misdrijven_per1000, misdrijven_laatste12mnd, *_laatst, stedelijkheidLabel, oppervlakteLandKm2)
    are not CBS figures and are left out.
    """
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame["code"] = frame["code"].map(codes.clean)
    names = pd.DataFrame({"code": frame["code"], "name": frame["naam"].str.strip()})
    return ReadResult(_melt(frame, _mapped(frame, src.reader), src), _names([names], src.indeling))


def read_pdok_gemeenten(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    with gzip.open(src.path, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    rows = [f["properties"] for f in features if f["properties"].get("water", "NEE") != "JA"]
    frame = pd.DataFrame(rows)
    frame["code"] = frame["gemeentecode"].map(codes.clean)
    frame = frame.drop_duplicates("code")
    names = pd.DataFrame({"code": frame["code"], "name": frame["gemeentenaam"].str.strip()})
    return ReadResult(_melt(frame, _mapped(frame, src.reader), src), _names([names], src.year))


def read_kaart(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    code_col = "BU_CODE" if "BU_CODE" in frame.columns else "WK_CODE"
    name_col = "BU_NAAM" if code_col == "BU_CODE" else "WK_NAAM"
    frame["code"] = frame[code_col].map(codes.clean)
    names = [
        pd.DataFrame({"code": frame["code"], "name": frame[name_col].str.strip()}),
        pd.DataFrame({"code": frame["GM_CODE"].map(codes.clean), "name": frame["GM_NAAM"].str.strip()}),
    ]
    frame = frame.drop(columns=[c for c in frame.columns if c.startswith("GM_")])
    return ReadResult(_melt(frame, _mapped(frame, src.reader), src), _names(names, src.year))


# Every reader is called as reader(src, catalogue); one that needs no catalogue names it `_catalogue`.
READERS = {
    "kwb_statline": read_statline,
    "crime_csv": read_crime,
    "woonikveilig": read_woonikveilig,
    "income_wijk": read_income,
    "rivm_18plus": read_rivm,
    "rivm_65plus": read_rivm,
    "pdok_gemeenten": read_pdok_gemeenten,
    "kaart": read_kaart,
}


def read(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    return READERS[src.reader](src, catalogue)


# ---- youth care (issue 18) ---------------------------------------------------------------------
_YOUTH_NL = {"NL00", "NL01"}  # CBS's country row in the youth-care tables -> the app's NL code
_NAME_SUFFIX = re.compile(r"\s*\((?:gemeente|[A-Za-z]{1,3}\.)\)\s*$")


def _youth_code(raw: object) -> str:
    code = codes.clean(raw)
    return codes.NL_CODE if code in _YOUTH_NL else code


def _year_tables(spec: str) -> dict[int, str]:
    """'2021:85075NED;2022:85335NED' -> {2021: '85075NED', 2022: '85335NED'}."""
    out = {}
    for part in spec.split(";"):
        year, _, table = part.partition(":")
        if table:
            out[int(year)] = table.strip()
    return out


def _kwb_tables() -> dict[int, str]:
    with open(data_dir() / "cbs_tables.csv", newline="", encoding="utf-8") as fh:
        return {int(r["year"]): r["table_id"] for r in csv.DictReader(fh) if r["kind"] == "kwb"}


def _youth_observations(frame: pd.DataFrame, src: SourceFile, year: int, table: str) -> pd.DataFrame:
    """One year's youth-care rows -> observations; KWB population columns get that year's KWB table."""
    kwb = _kwb_tables()
    colmap = {}
    for column, (indicator, tbl, _) in column_map(src.reader).items():
        if column in frame.columns or any(stem(c) == column for c in frame.columns):
            name = column if column in frame.columns else next(c for c in frame.columns if stem(c) == column)
            colmap[name] = (indicator, kwb.get(year, tbl) if tbl == "KWB" else (tbl or table), name)
    return _melt(frame, colmap, replace(src, year=year))


def read_youth_wijk(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    """CBS 85075NED (2021) / 85335NED (2022) per gemeente and wijk, with the KWB counts of that year.

    Blank youth-care cells are suppressed (0-7) or unknown: they stay missing. NL00 -> NL01."""
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame["code"] = frame["gwb_code_10"].map(_youth_code)
    tables = _year_tables(src.table)
    parts, names = [], []
    for year, rows in frame.groupby(frame["year"].str.strip().astype(int), sort=True):
        parts.append(_youth_observations(rows, src, int(year), tables.get(int(year), src.table)))
        named = rows[
            rows["recs"].str.strip().isin(["Wijk", "Gemeente"] if int(year) not in PDOK_NAME_YEARS else ["Wijk"])
        ]
        names.append(_names([pd.DataFrame({"code": named["code"], "name": named["regio"].str.strip()})], int(year)))
    obs = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=OBSERVATION_COLUMNS)
    return ReadResult(obs, pd.concat(names, ignore_index=True) if names else pd.DataFrame(columns=NAME_COLUMNS))


# gemeente names of these years come from the wijk- en buurtkaart (PDOK); the youth file's copy of
# 2022 has damaged punctuation ('Nuenen. Gerwen en Nederwetten')
PDOK_NAME_YEARS = (2022,)


def read_youth_gemeente(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    """CBS 85335NED per gemeente (first column a pandas index); 'Wijken' holds padded codes, NL00 = country."""
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame["code"] = frame["Wijken"].map(_youth_code)
    return ReadResult(_youth_observations(frame, src, src.year, src.table))


def _fold_name(name: str) -> str:
    return re.sub(r"[\s.,]+", " ", str(name).lower()).strip()


def gemeente_name_index(names: pd.DataFrame) -> dict[str, str]:
    """Folded gemeente name -> code, from (code, name) rows; names shared by two codes are left out."""
    rows = names[names["code"].map(codes.level_of) == "gemeente"]
    index: dict[str, set[str]] = {}
    for code, name in zip(rows["code"], rows["name"]):
        index.setdefault(_fold_name(name), set()).add(code)
    return {n: next(iter(c)) for n, c in index.items() if len(c) == 1}


def code_for_gemeente_name(name: str, index: dict[str, str]) -> str | None:
    """A StatLine region name -> code: 'Nederland' -> NL01; exact (folded) first, then without a
    CBS suffix such as ' (gemeente)' or ' (L.)' when that leaves one gemeente."""
    if name.strip().lower() == "nederland":
        return codes.NL_CODE
    folded = _fold_name(name)
    if folded in index:
        return index[folded]
    return index.get(_fold_name(_NAME_SUFFIX.sub("", name)))


NAME_SOURCES = ("jeugdzorg_wijk", "pdok_gemeenten")


def sibling_gemeente_names(src: SourceFile, catalogue: Catalogue) -> pd.DataFrame:
    """Gemeente (code, name) rows the build reads from the other source files beside `src`:
    the youth-care file (2021, 2022) and the wijk- en buurtkaart gemeenten (the store's names)."""
    parts = []
    for other in discover(src.path.parent):
        if other.reader == "jeugdzorg_wijk":
            frame = pd.read_csv(other.path, dtype=str, keep_default_na=False, usecols=["gwb_code_10", "regio"])
            parts.append(
                pd.DataFrame({"code": frame["gwb_code_10"].map(_youth_code), "name": frame["regio"].str.strip()})
            )
        elif other.reader in NAME_SOURCES:
            parts.append(READERS[other.reader](other, catalogue).names[["code", "name"]])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["code", "name"])


def read_youth_indicators(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    """CBS 'Indicatoren jeugdzorg; gemeenten' StatLine export (';', decimal comma, BOM): gemeenten by
    NAME only, mapped to codes through the gemeente names of the other sources. A region that does not
    map raises (the build must not drop a gemeente silently). The period is kept in the variable:
    '2022*' is CBS's mark for provisional figures."""
    frame = pd.read_csv(src.path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    index = gemeente_name_index(sibling_gemeente_names(src, catalogue))
    region = frame.columns[0]
    frame["code"] = [code_for_gemeente_name(n, index) for n in frame[region]]
    unmapped = frame.loc[frame["code"].isna(), region].tolist()
    if unmapped:
        raise ValueError(f"{src.relpath}: no gemeente code for {unmapped}")
    for column in frame.columns:
        if column not in (region, "Perioden", "code"):
            frame[column] = frame[column].str.replace(",", ".", regex=False)
    periods = frame["Perioden"].str.strip()
    parts = []
    for period, rows in frame.groupby(periods, sort=True):
        colmap = {
            c: (ind, tbl or src.table, f"{c} [{period}]")
            for c, (ind, tbl, _) in column_map(src.reader).items()
            if c in rows.columns
        }
        parts.append(_melt(rows, colmap, replace(src, year=int(period[:4]))))
    return ReadResult(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=OBSERVATION_COLUMNS))


READERS.update(
    {
        "jeugdzorg_wijk": read_youth_wijk,
        "jeugdzorg_gemeente": read_youth_gemeente,
        "jeugdzorg_indicatoren": read_youth_indicators,
    }
)


# ---- DUO school locations counted per wijk and gemeente (issue 18) -----------------------------
SCHOOL_GROUPS = {
    "basisschool": "regulier",
    "SBAO": "speciaal",
    "SO": "speciaal",
    "VSO": "speciaal",
    "(V)SO": "speciaal",
}
WIJK_BOUNDARIES = "*wijken_{year}_NL*.geojson.gz"  # the wijk- en buurtkaart wijken of the same year, beside it


def _not_an_area(props: dict) -> bool:
    """The kaart's 'Groot water' wijken and 'Buitenland' (GM0998) hold no residents and no KWB figures."""
    return (
        str(props.get("wijknaam", "")).startswith("Groot water") or codes.clean(props.get("gemeentecode")) == "GM0998"
    )


def _wijk_polygons(folder: Path, year: int) -> tuple[list, list[str], list[str]]:
    from shapely.geometry import shape

    path = next(iter(sorted(folder.glob(WIJK_BOUNDARIES.format(year=year)))), None)
    if path is None:
        raise FileNotFoundError(f"no wijk boundaries {WIJK_BOUNDARIES.format(year=year)} in {folder}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        feats = json.load(fh)["features"]
    feats = [
        f
        for f in feats
        if codes.level_of(codes.clean(f["properties"].get("wijkcode"))) == "wijk" and not _not_an_area(f["properties"])
    ]
    return (
        [shape(f["geometry"]) for f in feats],
        [codes.clean(f["properties"]["wijkcode"]) for f in feats],
        [codes.clean(f["properties"]["gemeentecode"]) for f in feats],
    )


def school_counts(src: SourceFile) -> pd.DataFrame:
    """One row per primary or special-education school location with the wijk it lies in (2024 borders)."""
    from shapely import STRtree
    from shapely.geometry import Point

    with gzip.open(src.path, "rt", encoding="utf-8") as fh:
        feats = json.load(fh)["features"]
    polys, wijken, gemeenten = _wijk_polygons(src.path.parent, src.indeling)
    tree = STRtree(polys)
    rows = []
    for f in feats:
        group = SCHOOL_GROUPS.get(f["properties"].get("type"))
        if group is None or not f.get("geometry"):
            continue
        pt = Point(f["geometry"]["coordinates"][:2])
        hits = list(tree.query(pt, predicate="intersects"))
        rows.append(
            {
                "group": group,
                "leerlingen": f["properties"].get("leerlingen"),
                "wijk": wijken[hits[0]] if hits else None,
                "gemeente": gemeenten[hits[0]] if hits else None,
            }
        )
    return pd.DataFrame(rows, columns=["group", "leerlingen", "wijk", "gemeente"])


def read_duo_schools(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    """Regular primary and special-education school locations (DUO, all NL) counted per wijk, gemeente
    and NL; pupils only where every location of the area has a known count (else missing, never a partial sum)."""
    schools = school_counts(src)
    schools["land"] = codes.NL_CODE
    _, wijken, gemeenten = _wijk_polygons(src.path.parent, src.indeling)
    every = {"wijk": sorted(set(wijken)), "gemeente": sorted(set(gemeenten)), "land": [codes.NL_CODE]}
    extra = column_map(src.reader)
    frames = []
    for level in codes.PARENT_LEVELS:
        placed = schools.dropna(subset=[level])
        for group in sorted(set(SCHOOL_GROUPS.values())):
            # every area of the (complete, NL-wide) file: no school of a kind there is a real 0
            g = placed[placed["group"] == group].groupby(level)
            count_id, count_tbl, _ = extra[f"aantal_{group}"]
            pupils_id, pupils_tbl, _ = extra[f"leerlingen_{group}"]
            n = g.size().reindex(every[level], fill_value=0)
            pupils = g["leerlingen"].apply(lambda s: float(s.sum()) if s.notna().all() else None)
            pupils = pupils.reindex(every[level]).where(n > 0, 0.0)
            types = ", ".join(k for k, v in SCHOOL_GROUPS.items() if v == group)
            frames.append(
                pd.DataFrame(
                    {
                        "code": n.index,
                        "indicator": count_id,
                        "value": n.values.astype(float),
                        "table": count_tbl,
                        "variable": f"DUO type {types}",
                    }
                )
            )
            frames.append(
                pd.DataFrame(
                    {
                        "code": pupils.index,
                        "indicator": pupils_id,
                        "value": pupils.values,
                        "table": pupils_tbl,
                        "variable": "leerlingen (DUO 2023-2024)",
                    }
                ).dropna()
            )
    obs = pd.concat(frames, ignore_index=True)
    obs["value"] = pd.to_numeric(obs["value"]).astype(float)
    obs["year"], obs["source"], obs["priority"] = src.year, src.source_id, src.priority
    obs["boundary_year"] = src.boundary_year
    rules = period_rules()
    obs["period"] = obs["indicator"].map(lambda i: reference_period(src.relpath, i, src.year, rules))
    return ReadResult(obs[OBSERVATION_COLUMNS].sort_values(["code", "indicator"]).reset_index(drop=True))


READERS["duo_scholen"] = read_duo_schools
