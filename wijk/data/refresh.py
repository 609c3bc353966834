"""Refresh: fetch KWB (and registered crime) from CBS into the local store, or import a hand download.

Raw fetched tables go to <local>/raw/ under names the source rules know; the local store is then
rebuilt from the embedded CBS observations plus everything in raw/. Embedded files are never written
by the app (the command line records `verified` dates in data/cbs_tables.csv).

Order of sources per year, each named in the status ("served_by"): StatLine v3, OData v4, and the hand
download (`import_file`: StatLine CSV export or kwb-YYYY.xlsx). The last attempt, with its self-checks
and any failure, is kept in <local>/refresh_status.json for the data page.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from wijk.core import codes
from wijk.core.catalogue import Catalogue, load_catalogue
from wijk.core.i18n import Message, MessageError, from_json, to_json
from wijk.core.paths import data_dir, local_dir
from wijk.core.store import OBSERVATION_COLUMNS, categorise
from wijk.data import cbs, readers, source_files
from wijk.data.build import build_areas, write_sources
from wijk.data.harmonise import harmonise
from wijk.data.raw_files import drop_rows
from wijk.data.raw_files import merge_raw as _merge_raw

BATCH = 10  # gemeenten per batch: keeps each answer well under CBS's row limit (URLs are split below 2,000 bytes)
ALL_BATCHES = 40  # batches of --all-gemeenten, for the default deadline (some 345 gemeenten)
STATUS = "refresh_status.json"  # the last attempt (also a failed one), for the data page
REFRESH_SUFFIX = "_buurt_refresh.csv.gz"  # raw KWB files written by the refresh (hand imports end otherwise)


class RefreshError(MessageError):
    """A refresh could not be done: one clear sentence for the user (`exc.message`; str() in Dutch)."""


def last_refresh() -> str | None:
    """When the local store last gained data (a failed attempt does not count)."""
    path = local_dir() / "refresh.json"
    if not path.exists():
        return None
    info = json.loads(path.read_text(encoding="utf-8"))
    return f"{info['when']} ({', '.join(info.get('what', []))})"


def last_attempt() -> dict | None:
    """The last refresh attempt: when, ok, served_by per year, problems found, error (if it failed).

    Sentences come back as Messages, to be put into the reader's language (wijk.core.i18n.text_of);
    a status file written before they were stored as messages holds plain (Dutch) text, kept as it is."""
    path = local_dir() / STATUS
    try:
        status = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    except (OSError, ValueError):
        return None
    if not isinstance(status, dict):
        return None
    try:
        status["error"] = from_json(status.get("error", ""))
        status["problems"] = from_json(list(status.get("problems", [])))
        status["served_by"] = {k: from_json(v) for k, v in dict(status.get("served_by", {})).items()}
    except (KeyError, TypeError, ValueError):
        return None
    return status


def _catalogue_stems(catalogue: Catalogue) -> list[list[str]]:
    out, seen = [], set()
    for ind in catalogue:
        aliases = [re.sub(r"@\d+$", "", s) for s in ind.stems]
        if aliases and aliases[0] not in seen:
            seen.add(aliases[0])
            out.append(aliases)
    return out


def refresh(
    gemeenten: list[str],
    all_gemeenten: bool,
    years: list[int],
    timeout: float = 10.0,
    progress: Callable[[Message], None] = lambda _m: None,
    deadline: float | None = None,
    client: cbs.Client | None = None,
) -> dict:
    """Fetch KWB (v3, else v4) and crime per year into raw/, each year's file replaced only when all its
    batches succeeded; then rebuild the local store. A failure leaves the previous local store working."""
    kwb = cbs.tables("kwb")
    gemeenten, years = _checked_request(gemeenten, all_gemeenten, years, kwb)
    # --all-gemeenten: each year's own gemeente list (read below), so gemeenten merged away later are included
    n_batches = ALL_BATCHES if all_gemeenten else len(_batches(gemeenten))
    shown = "--all-gemeenten" if all_gemeenten else f"{', '.join(gemeenten[:5])}{' …' if len(gemeenten) > 5 else ''}"
    what = [shown, *map(str, years)]
    status: dict = {
        "when": _now(),
        "what": what,
        "ok": False,
        "served_by": {},
        "problems": [],
        "error": "",
        "verified": {},
    }
    own_client = client is None  # a client made here lives for this refresh only: its session is closed at the end
    client = client or cbs.Client(timeout=timeout, deadline=deadline or 60 + 30 * n_batches * len(years))
    try:
        v3_up = _probe(kwb[years[0]], client, timeout, status)
        targets = None if all_gemeenten else gemeenten
        fetched = _fetch_into_raw(client, [kwb[y] for y in years], targets, v3_up, progress, status)
        progress(Message.of("refresh_rebuilding"))
        try:
            summary = rebuild_local()
        except Exception as exc:  # any failure here must leave the previous store and one sentence
            raise RefreshError(Message.of("refresh_rebuild_failed", error=type(exc).__name__)) from exc
    except RefreshError as exc:
        status["error"] = exc.message
        _write_status(status)
        raise
    except cbs.CBSUnavailable as exc:
        status["error"] = exc.message
        _write_status(status)
        raise RefreshError(exc.message) from exc
    finally:
        if own_client:
            client.session.close()
    status["ok"] = not status["error"]  # False when a year failed while others were stored
    _write_status(status)
    _stamp(what)
    return {
        "rows_fetched": fetched,
        "requests": client.requests,
        "served_by": status["served_by"],
        "problems": status["problems"],
        "verified": status["verified"],
        **summary,
    }


def _checked_request(
    gemeenten: list[str], all_gemeenten: bool, years: list[int], kwb: dict[int, cbs.CbsTable]
) -> tuple[list[str], list[int]]:
    """The cleaned gemeente codes and the years to fetch (the newest KWB when none is named); a request that
    cannot be done raises RefreshError with one sentence."""
    years = years or [max(kwb)]
    unknown = [y for y in years if y not in kwb]
    if unknown:
        raise RefreshError(Message.of("refresh_unknown_year", years=_join(unknown), known=_join(sorted(kwb))))
    gemeenten = [codes.clean(g) for g in gemeenten]
    bad = [g for g in gemeenten if not codes.is_valid(g, "gemeente")]
    if bad:
        raise RefreshError(Message.of("refresh_bad_gemeente", codes=_join(bad)))
    if not gemeenten and not all_gemeenten:
        raise RefreshError(Message.of("refresh_no_gemeente"))
    return gemeenten, years


def _fetch_into_raw(
    client: cbs.Client,
    tables: list[cbs.CbsTable],
    gemeenten: list[str] | None,
    v3_up: bool,
    progress: Callable[[Message], None],
    status: dict,
) -> int:
    """Each KWB table (and the crime table of its year) fetched into raw/, for `gemeenten` (None: each year's
    own gemeente list); the number of KWB rows fetched. No year stored raises RefreshError."""
    catalogue = load_catalogue(data_dir() / "indicators.csv")
    stems = _catalogue_stems(catalogue)
    raw = local_dir() / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    all_gemeenten = gemeenten is None
    fetched, done = 0, []
    for table in tables:
        year = table.year
        batches = _batches(_gemeenten_of(client, table, v3_up, status) if gemeenten is None else gemeenten)
        frame = _fetch_year(client, table, batches, stems, all_gemeenten, v3_up, progress, status)
        if frame is None:
            continue
        fetched += len(frame)
        _merge_raw(raw / f"kwb{year}_{table.table_id}{REFRESH_SUFFIX}", frame, "WijkenEnBuurten")
        done.append(year)
        crime = cbs.tables("crime").get(year)
        if crime is not None:
            _fetch_crime(client, crime, batches, set(frame["WijkenEnBuurten"]), raw, progress, status)
    if not done:
        raise RefreshError(status["error"] or Message.of("refresh_no_year_fetched"))
    return fetched


def _batches(gemeenten: list[str]) -> list[list[str]]:
    return [gemeenten[i : i + BATCH] for i in range(0, len(gemeenten), BATCH)]


def _gemeenten_of(client: cbs.Client, table: cbs.CbsTable, v3_up: bool, status: dict) -> list[str]:
    """The gemeenten of one KWB edition: CBS's own region list of that table; else the store's list of that
    year; else the newest list, said (gemeenten merged away since then are then missing)."""
    from wijk.core.store import Store

    if v3_up:
        try:
            found = cbs.gemeenten_of(client, table)
            if found:
                return found
        except cbs.CBSUnavailable:
            pass
    store = Store.load()
    year = table.year if table.year in store.years() else max(store.years())
    if year != table.year:
        status["problems"].append(
            Message.of("refresh_gemeenten_of_other_year", year=table.year, table=table.table_id, used=year)
        )
    return [a.code for a in store.areas.gemeenten(year)]


def _probe(table: cbs.CbsTable, client: cbs.Client, timeout: float, status: dict) -> bool:
    """One fast request on the download endpoint (v3), then on v4; both down -> one clear sentence."""
    fast = cbs.Client(timeout=min(timeout, 5.0), deadline=min(timeout, 5.0) * 2, retries=0)
    up = True
    try:
        cbs.check_reachable(table, client=fast)
    except cbs.CBSUnavailable as v3:
        try:
            fast.get(f"{cbs.base_url(cbs.V4_HOST)}/{cbs.V4_ROOT}/{table.table_id}", None)
        except cbs.CBSUnavailable as v4:
            client.requests += fast.requests
            if v3.status == 404 and v4.status == 404:  # CBS answered: the table itself is not there
                raise RefreshError(Message.of("refresh_table_not_found", table=table.table_id, year=table.year)) from v4
            raise RefreshError(Message.of("refresh_cbs_unreachable", v3=v3.detail, v4=v4.detail)) from v4
        status["problems"].append(Message.of("refresh_v3_down", detail=v3.detail))
        up = False
    client.requests += fast.requests
    return up


def _fetch_year(
    client: cbs.Client,
    table: cbs.CbsTable,
    batches: list[list[str]],
    stems: list[list[str]],
    country: bool,
    v3_up: bool,
    progress: Callable[[Message], None],
    status: dict,
) -> pd.DataFrame | None:
    """All batches of one year through v3, else all through v4; None when neither served every batch."""
    errors: list[Message] = []
    for via in ["v3", "v4"] if v3_up else ["v4"]:
        frames = []
        try:
            for n, batch in enumerate(batches, start=1):
                progress(
                    Message.of(
                        "refresh_progress_batch",
                        year=table.year,
                        table=table.table_id,
                        via=via,
                        n=n,
                        total=len(batches),
                    )
                )
                got = (
                    cbs.fetch_kwb(client, table, batch, stems, country=country and n == 1)
                    if via == "v3"
                    else cbs.fetch_kwb_v4(client, table, batch, stems)
                )
                frames.append(got.frame)
                for p in got.problems:
                    if p not in status["problems"]:
                        status["problems"].append(p)
        except cbs.CBSUnavailable as exc:
            errors.append(Message.of("refresh_via_detail", via=via, detail=exc.detail))
            progress(Message.of("refresh_progress_via_failed", year=table.year, via=via, error=exc.message))
            continue
        frame = (
            pd.concat([f for f in frames if not f.empty], ignore_index=True)
            if any(not f.empty for f in frames)
            else pd.DataFrame()
        )
        if frame.empty:
            errors.append(Message.of("refresh_via_detail", via=via, detail=Message.of("refresh_detail_no_rows")))
            continue
        status["served_by"][str(table.year)] = f"{via} ({table.table_id})"
        if via == "v3" and not cbs.title_problem(table, client.meta(table, "TableInfos")):
            status["verified"][table.table_id] = _now()[:10]
        return cbs.without_sentinels(frame)
    status["problems"].append(
        Message.of("refresh_year_not_fetched", year=table.year, table=table.table_id, errors=errors)
    )
    status["error"] = status["problems"][-1]
    return None


def _fetch_crime(
    client: cbs.Client,
    table: cbs.CbsTable,
    batches: list[list[str]],
    kwb_codes: set[str],
    raw: Path,
    progress: Callable[[Message], None],
    status: dict,
) -> None:
    """47018NED for one year, joined only to the codes of that year's KWB; unmatched codes reported."""
    try:
        parts = [cbs.fetch_crime(client, table, b) for b in batches]
    except cbs.CBSUnavailable as exc:
        status["problems"].append(Message.of("refresh_crime_not_fetched", year=table.year, detail=exc.detail))
        progress(status["problems"][-1])
        return
    frame = pd.concat([p.frame for p in parts], ignore_index=True)
    status["problems"] += [p for got in parts for p in got.problems]
    if frame.empty:
        return
    boundary = next((p.boundary_year for p in parts if p.boundary_year), None)
    if boundary is None:  # never guessed from the KWB year: stored as unknown, so no rate per 1,000 is made
        status["problems"].append(Message.of("refresh_crime_boundary_unknown", table=table.table_id, year=table.year))
        progress(status["problems"][-1])
    indeling = f"indeling{boundary}" if boundary else "indeling_onbekend"
    unmatched = sorted(set(frame["WijkenEnBuurten"]) - kwb_codes)
    if unmatched:
        shown = f"{', '.join(unmatched[:8])}{' …' if len(unmatched) > 8 else ''}"
        status["problems"].append(
            Message.of(
                "refresh_crime_unmatched",
                table=table.table_id,
                boundary=boundary or "?",
                n=len(unmatched),
                year=table.year,
                codes=shown,
            )
        )
    frame = cbs.without_sentinels(frame[frame["WijkenEnBuurten"].isin(kwb_codes)])
    status["served_by"][f"{table.year} {table.table_id}"] = (
        Message.of("refresh_served_crime", table=table.table_id, boundary=boundary)
        if boundary
        else Message.of("refresh_served_crime_unknown", table=table.table_id)
    )
    target = raw / f"cbs_geregistreerde_misdrijven_{table.year}_buurt_{indeling}.csv.gz"
    _merge_raw(target, frame, "WijkenEnBuurten")
    for other in raw.glob(f"cbs_geregistreerde_misdrijven_{table.year}_buurt_indeling*.csv.gz"):
        if other != target:  # these areas' crime of this year now lives on one indeling only
            drop_rows(other, set(frame["WijkenEnBuurten"]), "WijkenEnBuurten")


def _join(items: Iterable[object]) -> str:
    return ", ".join(map(str, items))


def _now() -> str:
    return datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _write_status(status: dict) -> None:
    out = local_dir()
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / (STATUS + ".part")
    stored = {
        **status,
        "error": to_json(status["error"]),
        "problems": to_json(status["problems"]),
        "served_by": {k: to_json(v) for k, v in status["served_by"].items()},
    }
    tmp.write_text(json.dumps(stored, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, out / STATUS)


def _stamp(what: list[str]) -> None:
    (local_dir() / "refresh.json").write_text(json.dumps({"when": _now(), "what": what}), encoding="utf-8")


def rebuild_local() -> dict[str, int]:
    """Local store = harmonise(embedded CBS observations + every raw file fetched or imported).

    Only the gemeenten (and years) the raw files hold are recomputed: the store puts local values over
    the embedded ones per (code, year, indicator), so a one-gemeente refresh rebuilds one gemeente.
    The new files are written aside and renamed into place: a failure keeps the previous local store."""
    catalogue = load_catalogue(data_dir() / "indicators.csv")
    sources = source_files.discover(local_dir() / "raw") if (local_dir() / "raw").exists() else []
    results = [readers.read(s, catalogue) for s in sources]
    raw_obs = [r.observations for r in results if not r.observations.empty]
    if not raw_obs:
        return {"values": 0, "local_sources": 0}
    raw_codes = pd.concat([o["code"] for o in raw_obs], ignore_index=True).drop_duplicates()
    scope = set(raw_codes.map(codes.gemeente_of).dropna())
    with_country = bool((raw_codes == codes.NL_CODE).any())
    embedded = pd.read_parquet(
        data_dir() / "values.parquet",
        filters=[("method", "==", "cbs"), ("year", "in", sorted({s.year for s in sources}))],
    )
    for col in ("code", "indicator", "table", "variable", "source"):
        embedded[col] = embedded[col].astype(str)
    code = embedded["code"]  # vectorised gemeente_of: 'GM' + the 4 digits of a GM/WK/BU code
    in_scope = (code.str[:2].isin(["GM", "WK", "BU"]) & ("GM" + code.str[2:6]).isin(scope)) | (
        with_country & (code == codes.NL_CODE)
    )
    obs = pd.concat([embedded.loc[in_scope, OBSERVATION_COLUMNS], *raw_obs], ignore_index=True)
    emb_areas = pd.read_parquet(data_dir() / "areas.parquet")
    names = pd.concat([emb_areas[["code", "year", "name"]].dropna(), *[r.names for r in results]], ignore_index=True)
    names = names.drop_duplicates(["code", "year"], keep="last")
    complete = _embedded_completeness(obs)
    for src, res in zip(sources, results):
        if res.observations.empty:
            continue
        # a refreshed KWB table holds every area of the gemeenten it was asked for; a hand import holds what
        # the user exported: its parents are complete only where the children add up to CBS's own total
        scope_rule = src.complete or ("all" if src.reader == "kwb_statline" and _is_refresh(src.relpath) else "")
        for level in set(res.observations["code"].map(codes.level_of)) if scope_rule else ():
            complete.setdefault((src.year, level), set()).update(
                {scope_rule} if scope_rule != "all" else set(res.observations["code"].map(codes.gemeente_of).dropna())
            )
    values = harmonise(obs, catalogue, complete)
    if not with_country:  # a country figure summed from a few gemeenten would be wrong: keep the embedded one
        values = values[values["code"] != codes.NL_CODE]
    out = local_dir()
    out.mkdir(parents=True, exist_ok=True)
    parts = {"values.parquet": categorise(values), "areas.parquet": build_areas(values, names)}
    for name, frame in parts.items():
        frame.to_parquet(out / (name + ".part"), index=False)
    write_sources(sources, out / "sources.csv.part")
    for name in (*parts, "sources.csv"):
        os.replace(out / (name + ".part"), out / name)
    return {"values": len(values), "local_sources": len(sources)}


def _is_refresh(relpath: str) -> bool:
    """A raw file the refresh fetched (every area of its gemeenten), not a hand import."""
    return relpath.endswith(REFRESH_SUFFIX)


def _embedded_completeness(obs: pd.DataFrame) -> dict[tuple[int, str], set[str]]:
    """Re-derive the embedded sources' completeness from the same rules the build used."""
    rules = source_files._rules()
    out: dict[tuple[int, str], set[str]] = {}
    for source, grp in obs.groupby("source"):
        for rule in rules:
            if rule["complete"] and (
                re.fullmatch(rule["pattern"], str(source))
                or re.search("(?:^|/)(?:" + rule["pattern"] + ")$", str(source))
            ):
                for year, level in set(zip(grp["year"], grp["code"].map(codes.level_of))):
                    out.setdefault((int(year), level), set()).add(rule["complete"])
                break
    return out
