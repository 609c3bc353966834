"""Readers of the PDOK wijk- en buurtkaart files: gemeenten (GeoJSON) and the kaart's attribute tables."""

from __future__ import annotations

import gzip
import json

import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import Catalogue
from wijk.data.raw_values import mapped_columns, melt, name_rows
from wijk.data.source_files import ReadResult, SourceFile


def read_pdok_gemeenten(src: SourceFile, _catalogue: Catalogue) -> ReadResult:
    with gzip.open(src.path, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    rows = [f["properties"] for f in features if f["properties"].get("water", "NEE") != "JA"]
    frame = pd.DataFrame(rows)
    frame["code"] = frame["gemeentecode"].map(codes.clean)
    frame = frame.drop_duplicates("code")
    names = pd.DataFrame({"code": frame["code"], "name": frame["gemeentenaam"].str.strip()})
    return ReadResult(melt(frame, mapped_columns(frame, src.reader), src), name_rows([names], src.year))


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
    return ReadResult(melt(frame, mapped_columns(frame, src.reader), src), name_rows(names, src.year))
