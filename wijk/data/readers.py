"""Readers for the real source files: each turns one file into observations and names.

An observation is one value: (code, year, indicator, value, table, variable, source, priority).
Which file is read how is data (data/source_files.csv); which column is which indicator is data
too (the CBS name stem in data/indicators.csv, other columns in data/source_columns.csv).

The shared parts live beside it: source_files (discovery, rules, periods), raw_values (numbers, column
mapping, melt), and the readers of one family each: readers_geo, readers_youth, readers_schools.
"""

from __future__ import annotations

import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import Catalogue
from wijk.data.raw_values import mapped_columns, melt, name_rows, statline_columns
from wijk.data.readers_geo import read_kaart, read_pdok_gemeenten
from wijk.data.readers_schools import read_duo_schools
from wijk.data.readers_youth import read_youth_gemeente, read_youth_indicators, read_youth_wijk
from wijk.data.source_files import ReadResult, SourceFile, column_map


def read_statline(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    code_col = next(c for c in ("Codering_3", "WijkenEnBuurten", "code") if c in frame.columns)
    frame["code"] = frame[code_col].map(codes.clean)
    mapping = statline_columns(list(frame.columns), catalogue, column_map("kwb_statline"), src.table)
    obs = melt(frame, mapping, src)
    names = []
    for name_col in ("buurt_naam", "naam"):
        if name_col in frame.columns:
            names.append(pd.DataFrame({"code": frame["code"], "name": frame[name_col].str.strip()}))
    if "Gemeentenaam_1" in frame.columns:
        gm = pd.DataFrame({"code": frame["code"].map(codes.gemeente_of), "name": frame["Gemeentenaam_1"].str.strip()})
        names.append(gm.dropna().drop_duplicates("code"))
    return ReadResult(obs, name_rows(names, src.year))


def read_crime(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame["code"] = frame["WijkenEnBuurten"].map(codes.clean)
    return ReadResult(melt(frame, mapped_columns(frame, src.reader), src))


def read_income(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame["code"] = [
        codes.clean(w) or (codes.NL_CODE if s == "NL" else codes.clean(g))
        for w, g, s in zip(frame["wk_code"], frame["gm_code"], frame["soort_regio"])
    ]
    names = pd.DataFrame({"code": frame["code"], "name": frame["regionaam"].str.strip()})
    return ReadResult(melt(frame, mapped_columns(frame, src.reader), src), name_rows([names], src.indeling))


def read_rivm(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    """RIVM health per wijk and buurt: the table is the file's (2012 is 50090NED, 2016 and 2020 50120NED,
    source_files.csv), not the one source_columns.csv gives the column."""
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame = frame[frame["Marges"].str.strip() == "MW00000"].copy()
    frame["code"] = frame["Codering_3"].map(codes.clean)
    colmap = {c: (spec[0], src.table, *spec[2:]) for c, spec in mapped_columns(frame, src.reader).items()}
    return ReadResult(melt(frame, colmap, src), rivm_gemeente_names(frame, src))


def rivm_gemeente_names(frame: pd.DataFrame, src: SourceFile) -> pd.DataFrame:
    """The gemeente names of the edition's own year: `Gemeentenaam_1` on the gemeente rows only.

    On a wijk or buurt row that column names the enclosing gemeente, never the area itself, so those
    rows give no name. A file on a later indeling than its year (2012 and 2016 on the 2020 indeling)
    gives none either: its names are not those of its own year's edition.
    """
    if src.boundary_year != src.year:
        return name_rows([], src.year)
    gm = frame[frame["SoortRegio_2"].str.strip() == "Gemeente"]
    return name_rows([pd.DataFrame({"code": gm["code"], "name": gm["Gemeentenaam_1"].str.strip()})], src.year)


def read_woonikveilig(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    """One row per area of one KWB indeling: the KWB block and year columns (crime, RIVM series).

    Only the columns named in source_columns.csv are read; the file's own derivations
    (misdrijven_per1000, misdrijven_laatste12mnd, *_laatst, stedelijkheidLabel, oppervlakteLandKm2)
    are not CBS figures and are left out.
    """
    frame = pd.read_csv(src.path, dtype=str, keep_default_na=False)
    frame["code"] = frame["code"].map(codes.clean)
    names = pd.DataFrame({"code": frame["code"], "name": frame["naam"].str.strip()})
    return ReadResult(melt(frame, mapped_columns(frame, src.reader), src), name_rows([names], src.indeling))


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
    "jeugdzorg_wijk": read_youth_wijk,
    "jeugdzorg_gemeente": read_youth_gemeente,
    "jeugdzorg_indicatoren": read_youth_indicators,
    "duo_scholen": read_duo_schools,
}


def read(src: SourceFile, catalogue: Catalogue) -> ReadResult:
    return READERS[src.reader](src, catalogue)
