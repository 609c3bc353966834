"""`python -m wijk.data build --from DIR`: regenerate data/ from the real source files.

Deterministic: the same sources give byte-identical parquet files (sorted rows, no timestamps).
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from wijk import codes
from wijk.catalogue import Catalogue, load_catalogue
from wijk.data import readers
from wijk.data.harmonise import harmonise
from wijk.paths import data_dir

PARQUET = {"compression": "zstd", "index": False}
TEXT_COLUMNS = ("code", "indicator", "table", "variable", "source", "method")


def completeness(sources: list[readers.SourceFile], results: list[readers.ReadResult]) -> dict[tuple[int, str], set[str]]:
    """(year, level) -> scopes ('all' or gemeente codes) for which a source holds every area."""
    out: dict[tuple[int, str], set[str]] = {}
    for src, res in zip(sources, results):
        if not src.complete or res.observations.empty:
            continue
        for level in set(res.observations["code"].map(codes.level_of)):
            out.setdefault((src.year, level), set()).add(src.complete)
    return out


def build_areas(values: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """One row per (code, year) that has figures, with the best available display name."""
    areas = values[["code", "year"]].drop_duplicates().copy()
    names = names.drop_duplicates(["code", "year"])
    exact = areas.merge(names, on=["code", "year"], how="left")
    exact["name_year"] = exact["year"].where(exact["name"].notna())
    missing = exact["name"].isna()
    if missing.any():
        # nearest year with a name for the same code (names change less than figures)
        cand = exact.loc[missing, ["code", "year"]].merge(names, on="code", how="inner", suffixes=("", "_n"))
        cand["dist"] = (cand["year"] - cand["year_n"]).abs() * 2 + (cand["year_n"] > cand["year"])
        best = cand.sort_values(["code", "year", "dist"]).drop_duplicates(["code", "year"])
        fill = best.set_index(["code", "year"])
        key = pd.MultiIndex.from_frame(exact.loc[missing, ["code", "year"]])
        exact.loc[missing, "name"] = fill["name"].reindex(key).values
        exact.loc[missing, "name_year"] = fill["year_n"].reindex(key).values
    exact.loc[exact["code"] == codes.NL_CODE, ["name", "name_year"]] = ["Nederland", None]
    exact["level"] = exact["code"].map(codes.level_of)
    exact["wijk"] = exact["code"].map(codes.wijk_of)
    exact["gemeente"] = exact["code"].map(codes.gemeente_of)
    exact["name_year"] = pd.to_numeric(exact["name_year"]).astype("Int64")
    cols = ["code", "year", "level", "name", "name_year", "wijk", "gemeente"]
    return exact[cols].sort_values(["year", "code"]).reset_index(drop=True)


def write_sources(sources: list[readers.SourceFile], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["source", "reader", "year", "boundary_year", "table", "title", "origin", "licence"])
        for s in sources:
            w.writerow([s.source_id, s.reader, s.year, s.boundary_year, s.table, s.title, s.origin, s.licence])


def build_values(source_dir: Path, catalogue: Catalogue) -> tuple[pd.DataFrame, pd.DataFrame, list[readers.SourceFile]]:
    sources = readers.discover(source_dir)
    results = [readers.read(s, catalogue) for s in sources]
    obs = pd.concat([r.observations for r in results], ignore_index=True)
    names = pd.concat([r.names for r in results], ignore_index=True)
    values = harmonise(obs, catalogue, completeness(sources, results))
    return values, names, sources


def categorise(values: pd.DataFrame) -> pd.DataFrame:
    out = values.copy()
    for col in TEXT_COLUMNS:
        out[col] = out[col].astype("category")
    out["year"] = out["year"].astype("int16")
    out["n_parts"] = out["n_parts"].astype("int32")
    out["coverage"] = out["coverage"].astype("float32")
    out["priority"] = out["priority"].astype("float32")
    return out


def build(source_dir: Path, out_dir: Path | None = None, extras: bool = True) -> dict[str, int]:
    out_dir = out_dir or data_dir()
    catalogue = load_catalogue(data_dir() / "indicators.csv")
    values, names, sources = build_values(source_dir, catalogue)
    areas = build_areas(values, names)
    out_dir.mkdir(parents=True, exist_ok=True)
    categorise(values).to_parquet(out_dir / "values.parquet", **PARQUET)
    areas.to_parquet(out_dir / "areas.parquet", **PARQUET)
    write_sources(sources, out_dir / "sources.csv")
    summary = {"values": len(values), "areas": len(areas), "sources": len(sources)}
    for extra in _extra_builders() if extras else []:
        summary.update(extra(source_dir, out_dir))
    return summary


def _extra_builders():
    """Geometry and facilities are built by their own modules when present."""
    found = []
    try:
        from wijk.data import geo_build
        found.append(geo_build.build)
    except ImportError:
        pass
    return found
