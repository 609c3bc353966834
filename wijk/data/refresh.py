"""Refresh: fetch KWB (and registered crime) from CBS into the local store, or import a hand download.

Raw fetched tables go to <local>/raw/ under names the source rules know; the local store is then
rebuilt from the embedded CBS observations plus everything in raw/. Embedded files are never written.
"""
from __future__ import annotations

import gzip
import io
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pandas as pd

from wijk import cbs, codes, textfile
from wijk.catalogue import load_catalogue
from wijk.data import readers
from wijk.data.build import build_areas, categorise, write_sources
from wijk.data.harmonise import harmonise
from wijk.paths import data_dir, local_dir

BATCH = 10  # gemeenten per OData query: keeps each answer well under CBS's row limit


class RefreshError(Exception):
    """A refresh could not be done; str() is one clear sentence for the user."""


def last_refresh() -> str | None:
    path = local_dir() / "refresh.json"
    if not path.exists():
        return None
    info = json.loads(path.read_text(encoding="utf-8"))
    return f"{info['when']} ({', '.join(info.get('what', []))})"


def refresh(gemeenten: list[str], all_gemeenten: bool, years: list[int], timeout: float = 10.0,
            progress: Callable[[str], None] = lambda _m: None, download=None) -> dict[str, int]:
    kwb = cbs.tables("kwb")
    years = years or [max(y for y, t in kwb.items())]
    unknown = [y for y in years if y not in kwb]
    if unknown:
        raise RefreshError(f"Geen KWB-tabel bekend voor {unknown}; bekend: {sorted(kwb)} (data/cbs_tables.csv).")
    gemeenten = [codes.clean(g) for g in gemeenten]
    bad = [g for g in gemeenten if not codes.is_valid(g, "gemeente")]
    if bad:
        raise RefreshError(f"Geen geldige gemeentecode: {', '.join(bad)} (verwacht GM gevolgd door 4 cijfers).")
    if all_gemeenten:
        from wijk.store import Store
        store = Store.load()
        gemeenten = [a.code for a in store.areas.gemeenten(max(store.years()))]
    if not gemeenten:
        raise RefreshError("Geef --gemeente GMxxxx (of --all-gemeenten).")
    kwargs = {"download": download} if download else {}
    try:
        if download is None:
            cbs.check_reachable(kwb[years[0]].catalog, timeout=min(timeout, 5.0))
        raw = local_dir() / "raw"
        raw.mkdir(parents=True, exist_ok=True)
        fetched = 0
        for year in years:
            table = kwb[year]
            batches = [gemeenten[i:i + BATCH] for i in range(0, len(gemeenten), BATCH)]
            frames = []
            for n, batch in enumerate(batches, start=1):
                progress(f"{year} ({table.table_id}): gemeenten {n}/{len(batches)} ...")
                frames.append(cbs.fetch_kwb(table, batch, timeout=timeout, **kwargs))
            frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
            fetched += len(frame)
            _merge_raw(raw / f"kwb{year}_{table.table_id}_buurt_refresh.csv.gz", frame, "WijkenEnBuurten")
            crime = cbs.tables("crime").get(year)
            if crime is not None:
                try:
                    cf = pd.concat([cbs.fetch_crime(crime, b, timeout=timeout, **kwargs) for b in batches], ignore_index=True)
                    _merge_raw(raw / f"cbs_geregistreerde_misdrijven_{year}_buurt.csv.gz", cf, "WijkenEnBuurten")
                except cbs.CBSUnavailable as exc:
                    progress(f"Misdrijven {year} niet opgehaald: {exc}")
    except cbs.CBSUnavailable as exc:
        raise RefreshError(str(exc)) from exc
    summary = rebuild_local()
    _stamp([f"{', '.join(gemeenten[:5])}{' …' if len(gemeenten) > 5 else ''}", *map(str, years)])
    return {"rows_fetched": fetched, **summary}


def _merge_raw(path: Path, frame: pd.DataFrame, key: str) -> None:
    if frame.empty:
        return
    frame = frame.copy()
    frame[key] = frame[key].map(codes.clean)
    if path.exists():
        old = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame = pd.concat([old[~old[key].isin(set(frame[key]))], frame.astype(str)], ignore_index=True)
    frame.to_csv(path, index=False, compression="gzip")


def _stamp(what: list[str]) -> None:
    when = datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")
    (local_dir() / "refresh.json").write_text(json.dumps({"when": when, "what": what}), encoding="utf-8")


def rebuild_local() -> dict[str, int]:
    """Local store = harmonise(embedded CBS observations + every raw file fetched or imported)."""
    catalogue = load_catalogue(data_dir() / "indicators.csv")
    embedded = pd.read_parquet(data_dir() / "values.parquet")
    base = embedded[embedded["method"] == "cbs"].copy()
    for col in ("code", "indicator", "table", "variable", "source"):
        base[col] = base[col].astype(str)
    sources = readers.discover(local_dir() / "raw") if (local_dir() / "raw").exists() else []
    results = [readers.read(s, catalogue) for s in sources]
    years = {s.year for s in sources}  # only years that gained data are recomputed; others stay embedded
    base = base[base["year"].isin(years)]
    obs = pd.concat([base[readers.OBS_COLUMNS], *[r.observations for r in results]], ignore_index=True)
    if obs.empty:
        return {"values": 0, "local_sources": 0}
    emb_areas = pd.read_parquet(data_dir() / "areas.parquet")
    names = pd.concat([emb_areas[["code", "year", "name"]].dropna(), *[r.names for r in results]], ignore_index=True)
    names = names.drop_duplicates(["code", "year"], keep="last")
    complete = _embedded_completeness(obs)
    for src, res in zip(sources, results):
        if res.observations.empty:
            continue
        # a refreshed KWB table holds every area of the gemeenten it was asked for
        scope = src.complete or ("all" if src.reader == "kwb_statline" else "")
        for level in set(res.observations["code"].map(codes.level_of)) if scope else ():
            complete.setdefault((src.year, level), set()).update(
                {scope} if scope != "all" else set(res.observations["code"].map(codes.gemeente_of).dropna()))
    values = harmonise(obs, catalogue, complete)
    out = local_dir()
    out.mkdir(parents=True, exist_ok=True)
    categorise(values).to_parquet(out / "values.parquet", index=False)
    build_areas(values, names).to_parquet(out / "areas.parquet", index=False)
    write_sources(sources, out / "sources.csv")
    return {"values": len(values), "local_sources": len(sources)}


def _embedded_completeness(obs: pd.DataFrame) -> dict[tuple[int, str], set[str]]:
    """Re-derive the embedded sources' completeness from the same rules the build used."""
    rules = readers._rules()
    out: dict[tuple[int, str], set[str]] = {}
    for source, grp in obs.groupby("source"):
        for rule in rules:
            if rule["complete"] and (re.fullmatch(rule["pattern"], str(source))
                                     or re.search("(?:^|/)(?:" + rule["pattern"] + ")$", str(source))):
                for (year, level) in set(zip(grp["year"], grp["code"].map(codes.level_of))):
                    out.setdefault((int(year), level), set()).add(rule["complete"])
                break
    return out


def import_file(path: Path, year: int, table: str = "") -> dict[str, int]:
    """Import a StatLine CSV export or a wijk- en buurtkaart attribute table downloaded by hand."""
    if not path.exists():
        raise RefreshError(f"Bestand niet gevonden: {path}")
    try:
        frame = _read_any_csv(path)
    except (textfile.NotText, pd.errors.ParserError, ValueError) as exc:
        raise RefreshError(f"Kan {path.name} niet lezen als CSV ({type(exc).__name__}).") from exc
    raw = local_dir() / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    if {"BU_CODE"} & set(frame.columns) or {"WK_CODE"} & set(frame.columns):
        frame.to_csv(raw / f"kaart_{year}_import_{path.stem[:40]}.csv", index=False)
    else:
        table = table or cbs.tables("kwb").get(year, cbs.CbsTable(year, "kwb", "", "")).table_id
        if not re.fullmatch(r"\d+NED", table or ""):
            raise RefreshError("Geef de CBS-tabel op (--table, bijv. 85984NED).")
        keyed = statline_titles_to_keys(frame)
        if not any(c in keyed.columns for c in ("Codering_3", "WijkenEnBuurten", "code")):
            raise RefreshError("Geen kolom met gebiedscodes gevonden (Codering / WijkenEnBuurten).")
        keyed.to_csv(raw / f"kwb{year}_{table}_buurt_import.csv.gz", index=False, compression="gzip")
    summary = rebuild_local()
    _stamp([f"import {path.name}", str(year)])
    return summary


def _read_any_csv(path: Path) -> pd.DataFrame:
    text, _encoding = textfile.decode(path.read_bytes())
    sep = textfile.sniff_separator("\n".join(text.splitlines()[:20]))
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)


def _norm(title: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", title).strip().lower()


def statline_titles_to_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """StatLine CSV exports use titles ('Aantal inwoners (aantal)'); map them to keys via DataProperties."""
    if any(re.search(r"_\d+$", c) for c in frame.columns):
        return frame
    keys: dict[str, str] = {}
    for meta in sorted((data_dir() / "cbs_meta").glob("*_DataProperties.json.gz")):
        with gzip.open(meta, "rt", encoding="utf-8") as fh:
            for prop in json.load(fh):
                if prop.get("Key"):
                    keys.setdefault(_norm(prop["Title"]), prop["Key"])
    keys.update({"wijken en buurten": "WijkenEnBuurten", "codering": "Codering_3", "gemeentenaam": "Gemeentenaam_1"})
    return frame.rename(columns={c: keys.get(_norm(c), c) for c in frame.columns})
