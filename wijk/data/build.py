"""`python -m wijk.data build --from DIR`: regenerate data/ from the real source files.

Deterministic: the same sources give byte-identical parquet files (sorted rows, no timestamps).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, cast

import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import Catalogue, load_catalogue
from wijk.core.paths import data_dir
from wijk.core.store import categorise
from wijk.data import crosswalk, readers, source_files
from wijk.data.harmonise import harmonise

PARQUET_COMPRESSION: Literal["zstd"] = "zstd"


def completeness(
    sources: list[source_files.SourceFile], results: list[source_files.ReadResult]
) -> dict[tuple[int, str], set[str]]:
    """(year, level) -> scopes ('all' or gemeente codes) for which a source holds every area."""
    out: dict[tuple[int, str], set[str]] = {}
    for src, res in zip(sources, results):
        if not src.complete or res.observations.empty:
            continue
        obs = res.observations
        for year, level in set(zip(obs["year"].astype(int), obs["code"].map(codes.level_of))):
            out.setdefault((int(year), level), set()).add(src.complete)
    return out


def edition_codes(
    sources: list[source_files.SourceFile], results: list[source_files.ReadResult]
) -> dict[tuple[int, str], set[str]]:
    """(year, level) -> the codes that a KWB edition (or its map) of that year holds."""
    out: dict[tuple[int, str], set[str]] = {}
    for src, res in zip(sources, results):
        if not src.edition or res.observations.empty:
            continue
        obs = res.observations[res.observations["boundary_year"] == res.observations["year"]]
        for key, grp in obs.groupby([obs["year"].astype(int), obs["code"].map(codes.level_of)]):
            year, level = cast(tuple[int, str], key)  # a group's key: one value per grouper
            out.setdefault((int(year), level), set()).update(grp["code"])
    return out


def join_to_editions(obs: pd.DataFrame, editions: dict[tuple[int, str], set[str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep a figure only at a code that exists in the edition of its year (or, for a year without an
    edition at that level in the store, in the edition of the figure's own boundary year).

    Returns the kept observations and a report: source, year, level, kept, dropped, checked against.
    """
    level = obs["code"].map(codes.level_of)
    keep = pd.Series(True, index=obs.index)
    report = []
    groups = obs.groupby([obs["source"], obs["year"], level, obs["boundary_year"]], dropna=False).groups
    for key, idx in groups.items():
        # a group's key: one value per grouper (the boundary year may be missing)
        source, year, lv, by = cast(tuple[str, int, str, Any], key)
        against = (int(year), lv) if (int(year), lv) in editions or pd.isna(by) else (int(by), lv)
        known = editions.get(against)
        if known is None:
            report.append((source, int(year), lv, len(idx), 0, "no edition"))
            continue
        ok = obs.loc[idx, "code"].isin(known)
        keep.loc[idx] = ok.values
        report.append((source, int(year), lv, int(ok.sum()), int((~ok).sum()), f"KWB {against[0]}"))
    cols = ["source", "year", "level", "kept", "dropped", "checked_against"]
    return obs[keep], pd.DataFrame(report, columns=cols).sort_values(cols[:3]).reset_index(drop=True)


def build_areas(values: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """One row per (code, year) of an indeling the store holds figures on, with that year's name.

    An area-year exists where a figure describes the code on that year's boundaries (crime of 2025
    on the 2024 indeling adds no 2025 areas). A name comes from the same year's edition only: a
    later year's name is never shown as the old one, so an area without a name of its own year has
    none (the page shows its code).
    """
    own = (
        values["boundary_year"].eq(values["year"].astype(int)).fillna(False)
        if "boundary_year" in values
        else pd.Series(True, index=values.index)
    )
    areas = values.loc[own, ["code", "year"]].drop_duplicates().copy()
    areas["code"] = areas["code"].astype(str)
    areas["year"] = areas["year"].astype(int)
    names = names.drop_duplicates(["code", "year"])
    exact = areas.merge(names, on=["code", "year"], how="left")
    exact["name_year"] = exact["year"].where(exact["name"].notna())
    exact.loc[exact["code"] == codes.NL_CODE, ["name", "name_year"]] = ["Nederland", None]
    exact["level"] = exact["code"].map(codes.level_of)
    exact["wijk"] = exact["code"].map(codes.wijk_of)
    exact["gemeente"] = exact["code"].map(codes.gemeente_of)
    exact["name_year"] = pd.to_numeric(exact["name_year"]).astype("Int64")
    cols = ["code", "year", "level", "name", "name_year", "wijk", "gemeente"]
    return exact[cols].sort_values(["year", "code"]).reset_index(drop=True)


def write_sources(sources: list[source_files.SourceFile], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["source", "reader", "year", "boundary_year", "table", "title", "origin", "licence"])
        for s in sources:
            w.writerow([s.source_id, s.reader, s.year, s.boundary_year, s.table, s.title, s.origin, s.licence])


def build_values(
    source_dir: Path, catalogue: Catalogue
) -> tuple[pd.DataFrame, pd.DataFrame, list[source_files.SourceFile]]:
    values, names, sources, _ = build_values_report(source_dir, catalogue)
    return values, names, sources


def build_values_report(
    source_dir: Path, catalogue: Catalogue
) -> tuple[pd.DataFrame, pd.DataFrame, list[source_files.SourceFile], pd.DataFrame]:
    """Values, names, sources and the join report (which codes of which file were kept)."""
    sources = source_files.discover(source_dir)
    results = [readers.read(s, catalogue) for s in sources]
    editions = edition_codes(sources, results)
    reports = []
    for src, res in zip(sources, results):
        if src.join_edition and not res.observations.empty:
            res.observations, rep = join_to_editions(res.observations, editions)
            reports.append(rep)
    obs = pd.concat([r.observations for r in results], ignore_index=True)
    names = pd.concat([r.names for r in results], ignore_index=True)
    values = harmonise(obs, catalogue, completeness(sources, results))
    report = pd.concat(reports, ignore_index=True) if reports else pd.DataFrame()
    return values, names, sources, report


def build(source_dir: Path, out_dir: Path | None = None, extras: bool = True) -> dict[str, int]:
    out_dir = out_dir or data_dir()
    catalogue = load_catalogue(data_dir() / "indicators.csv")
    values, names, sources, report = build_values_report(source_dir, catalogue)
    areas = build_areas(values, names)
    out_dir.mkdir(parents=True, exist_ok=True)
    categorise(values).to_parquet(out_dir / "values.parquet", compression=PARQUET_COMPRESSION, index=False)
    areas.to_parquet(out_dir / "areas.parquet", compression=PARQUET_COMPRESSION, index=False)
    write_sources(sources, out_dir / "sources.csv")
    if not report.empty:
        report.to_csv(out_dir / "join_report.csv", index=False, lineterminator="\n")
    dropped = int(report["dropped"].sum()) if not report.empty else 0
    summary = {"values": len(values), "areas": len(areas), "sources": len(sources), "codes not joined": dropped}
    summary.update(write_carried(source_dir, out_dir, values))
    for extra in _extra_builders() if extras else []:
        summary.update(extra(source_dir, out_dir))
    return summary


def write_carried(source_dir: Path, out_dir: Path, values: pd.DataFrame) -> dict[str, int]:
    """The buurt crosswalk (data/buurt_crosswalk.csv) and the figures of old codes carried to the new
    code of the same area (data/carried.parquet; areas are built before, so a carried row adds no area)."""
    pairs, summary = crosswalk.build(source_dir, data_dir(), out_dir)
    if pairs.empty:
        return summary
    carried = crosswalk.carry(values, pairs)
    out = categorise(carried.drop(columns=["carried_from"]))
    out["carried_from"] = carried["carried_from"].astype("category").to_numpy()
    out.to_parquet(out_dir / crosswalk.CARRIED_FILE, compression=PARQUET_COMPRESSION, index=False)
    summary["carried_values"] = len(carried)
    summary["carried_codes"] = int(carried["code"].nunique())
    return summary


def _extra_builders() -> list[Callable[[Path, Path], dict[str, int]]]:
    """Geometry and facilities are built by their own modules when present."""
    found: list[Callable[[Path, Path], dict[str, int]]] = []
    try:
        from wijk.data import geo_build

        found.append(geo_build.build)
    except ImportError:
        pass
    return found
