"""The only module that talks to CBS: a small StatLine OData client on `requests`.

Why not cbsodata for the downloads: `cbsodata.download_data` (1.3.5) inverts typed/untyped (with
the default typed=False it downloads TypedDataSet and drops the UntypedDataSet that was asked for,
J535D165/cbsodata#20, open) and re-downloads every metadata table of the table (including the
18k-row region list) on every call. Here the data set is read from the Feed with $filter/$select,
following odata.nextLink, and DataProperties/TableInfos are read once per table per refresh.
cbsodata stays right for browsing the table list (`cbsodata.get_table_list`); it is not needed here.

Every request has a connect/read timeout, retries with backoff on connection errors, resets, 429
and 5xx, and the whole refresh has one deadline. Raw keys are kept (padded, as CBS sends them)
until `area_code` strips them: codes stay identity. CBS's country row NL00 becomes the app's NL01.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from wijk.core import codes
from wijk.core.i18n import Message
from wijk.core.paths import data_dir
from wijk.data.cbs_http import MAX_URL, V3_FEED, V4_HOST, V4_ROOT, CBSUnavailable, Client, base_url, url_length

__all__ = ["MAX_URL", "V3_FEED", "V4_HOST", "V4_ROOT", "CBSUnavailable", "Client", "base_url", "url_length"]

KEY_WIDTH = 10  # WijkenEnBuurten keys are padded to 10 characters ('GM0014    ')
ID_COLUMNS = ("WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3")
CBS_COUNTRY = "NL00"
SPLIT_AT = MAX_URL - 100  # queries are split below this: CBS's next-page links repeat the query and add a skip


@dataclass(frozen=True)
class CbsTable:
    year: int
    kind: str
    table_id: str
    catalog: str
    verified: str = ""
    map_year: int | None = None  # the region classification recorded by `refresh --check --record`


def tables(kind: str = "kwb", path: Path | None = None) -> dict[int, CbsTable]:
    """CBS table ids per year, from data/cbs_tables.csv."""
    with open(path or data_dir() / "cbs_tables.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kind"] == kind]
    return {
        int(r["year"]): CbsTable(
            int(r["year"]),
            r["kind"],
            r["table_id"],
            r["catalog"],
            r.get("verified") or "",
            int(r["map_year"]) if (r.get("map_year") or "").strip().isdigit() else None,
        )
        for r in rows
    }


def padded(key: str, width: int = KEY_WIDTH) -> str:
    """CBS pads dimension keys; an `eq` on an unpadded key silently matches nothing."""
    return f"{key:<{width}}"


def area_code(key: object) -> str:
    """A CBS region key as the app's code: padding stripped, NL00 -> NL01."""
    code = codes.clean(key)
    return codes.NL_CODE if code == CBS_COUNTRY else code


def area_filter(gemeenten: list[str], key: str = "WijkenEnBuurten", country: bool = False) -> str:
    """OData filter for the gemeenten and all their wijken and buurten (codes validated first)."""
    parts = []
    for gm in gemeenten:
        if not codes.is_valid(gm, "gemeente"):
            raise ValueError(f"not a gemeente code: {gm!r}")
        digits = gm[2:]
        parts += [
            f"startswith({key},'GM{digits}')",
            f"startswith({key},'WK{digits}')",
            f"startswith({key},'BU{digits}')",
        ]
    if country:
        parts.append(f"{key} eq '{padded(CBS_COUNTRY)}'")
    return " or ".join(parts)


@dataclass
class Fetched:
    """Rows in wide v3 shape (keys as columns) plus what the self-checks found."""

    frame: pd.DataFrame
    served_by: str
    problems: list[Message] = field(default_factory=list)
    boundary_year: int | None = None


def gemeenten_of(client: Client, table: CbsTable) -> list[str]:
    """The gemeente codes of one KWB table, from its own region dimension (that edition's gemeenten)."""
    root = f"{base_url(table.catalog)}/{V3_FEED}/{table.table_id}"
    rows = client.pages(
        f"{root}/WijkenEnBuurten", {"$format": "json", "$filter": "startswith(Key,'GM')", "$select": "Key"}
    )
    return sorted({area_code(r.get("Key")) for r in rows} - {""})


def title_problem(table: CbsTable, infos: list[dict]) -> Message | None:
    """The table's title must name the edition year (a wrong id in cbs_tables.csv shows up here)."""
    title = str((infos or [{}])[0].get("Title", ""))
    if str(table.year) not in title and table.kind == "kwb":
        return Message.of("cbs_title_wrong_year", table=table.table_id, title=title[:80], year=table.year)
    return None


def resolve_stems(props: list[dict], stems: list[list[str]]) -> tuple[list[str], list[str]]:
    """Catalogue stems (each a list of aliases, newest first) -> table keys; and the stems not found."""
    by_stem: dict[str, str] = {}
    for p in props:
        key = p.get("Key") or ""
        if p.get("Type") == "Topic" and key:
            by_stem.setdefault(re.sub(r"_\d+$", "", key), key)
    keys, missing = [], []
    for aliases in stems:
        found = [by_stem[s] for s in aliases if s in by_stem]
        if found:
            keys.append(found[0])
        else:
            missing.append(aliases[0])
    return keys, missing


def map_year(props: list[dict]) -> int | None:
    """The region classification year a table uses (GeoDetail MapYear)."""
    for p in props:
        if p.get("Type") == "GeoDetail" and p.get("MapYear"):
            return int(p["MapYear"])
    return None


def fetch_kwb(
    client: Client, table: CbsTable, gemeenten: list[str], stems: list[list[str]], country: bool = False
) -> Fetched:
    """KWB rows (gemeente, wijken, buurten) of the gemeenten via v3 TypedDataSet, with a 'naam' column."""
    infos, props = client.meta(table, "TableInfos"), client.meta(table, "DataProperties")
    problems = [p for p in [title_problem(table, infos)] if p]
    keys, missing = resolve_stems(props, stems)
    if missing:
        problems.append(Message.of("cbs_missing_variables", table=table.table_id, names=", ".join(missing)))
    present = {p.get("Key") for p in props}
    select = [c for c in ID_COLUMNS if c in present] + keys
    root = f"{base_url(table.catalog)}/{V3_FEED}/{table.table_id}"

    def data(group: list[str], with_select: bool = True) -> tuple[str, dict]:
        params = {"$format": "json", "$filter": area_filter(group, country=country and group[0] == gemeenten[0])}
        return f"{root}/TypedDataSet", {**params, "$select": ",".join(select)} if with_select else params

    def regions(group: list[str]) -> tuple[str, dict]:
        flt = area_filter(group, "Key", country and group[0] == gemeenten[0])
        return f"{root}/WijkenEnBuurten", {"$format": "json", "$filter": flt, "$select": "Key,Title"}

    # a long $select (some 80 keys) leaves room for one gemeente per URL: then all columns come, cut here
    selected = _fitting(gemeenten, data)
    everything = _fitting(gemeenten, lambda g: data(g, False))
    with_select = len(selected) <= len(everything) and url_length(*data(gemeenten[:1])) <= SPLIT_AT
    rows = [r for g in (selected if with_select else everything) for r in client.pages(*data(g, with_select))]
    names = [r for g in _fitting(gemeenten, regions) for r in client.pages(*regions(g))]
    frame = pd.DataFrame(rows).reindex(columns=select)
    if frame.empty:
        problems.append(Message.of("cbs_no_rows", table=table.table_id, gemeenten=", ".join(gemeenten)))
        return Fetched(frame, "v3", problems)
    titles = {r["Key"]: r["Title"] for r in names}
    frame["naam"] = frame["WijkenEnBuurten"].map(lambda k: str(titles.get(k, "")).strip())
    frame["WijkenEnBuurten"] = frame["WijkenEnBuurten"].map(area_code)
    if "Codering_3" in frame.columns:
        frame["Codering_3"] = frame["Codering_3"].map(area_code)
    empty = [k for k in keys if frame[k].isna().all()]
    if empty:
        problems.append(Message.of("cbs_no_values", table=table.table_id, names=", ".join(empty)))
    return Fetched(frame, "v3", problems)


def fetch_kwb_v4(client: Client, table: CbsTable, gemeenten: list[str], stems: list[list[str]]) -> Fetched:
    """The same rows through OData v4 (datasets.cbs.nl): long Observations, each measure identifier mapped to
    its v3 key by its title together with its group (v4 measure codes are stable, v3 keys change per edition;
    85984NED repeats 'Nederland' in two groups), region keys unpadded."""
    measures = client.meta(table, "MeasureCodes")
    groups = client.meta(table, "MeasureGroups")
    problems: list[Message] = []
    via = f"{table.table_id} (v4)"
    try:
        props = client.meta(table, "DataProperties")
    except CBSUnavailable:
        props = []
    code_to_key, ambiguous = v4_keys(measures, groups, props)
    topics = [p for p in props if p.get("Type") == "Topic"] or [
        {"Type": "Topic", "Key": k} for k in code_to_key.values()
    ]
    keys, missing = resolve_stems([p for p in topics if p.get("Key") in set(code_to_key.values())], stems)
    if missing:
        problems.append(Message.of("cbs_missing_variables", table=via, names=", ".join(missing)))
    unsure = sorted({t for t in ambiguous if _camel(t) in {s for aliases in stems for s in aliases}})
    if unsure:
        problems.append(Message.of("cbs_v4_ambiguous", table=via, titles=", ".join(unsure)))
    wanted = [c for c, k in code_to_key.items() if k in keys]
    if not wanted:
        return Fetched(pd.DataFrame(), "v4", problems + [Message.of("cbs_no_known_variables", table=via)])
    url = f"{base_url(V4_HOST)}/{V4_ROOT}/{table.table_id}/Observations"
    by_measure = " or ".join(f"Measure eq {_q(c)}" for c in wanted)

    def observations(group: list[str], with_measures: bool = True) -> tuple[str, dict]:
        flt = f"({area_filter(group)}) and ({by_measure})" if with_measures else area_filter(group)
        return url, {"$filter": flt}

    with_measures = url_length(*observations(gemeenten[:1])) <= SPLIT_AT  # else all measures, cut here
    rows = [
        r
        for g in _fitting(gemeenten, lambda g: observations(g, with_measures))
        for r in client.pages(*observations(g, with_measures))
    ]
    long = pd.DataFrame(rows).reindex(columns=["Measure", "Value", "WijkenEnBuurten"])
    long = long[long["Measure"].isin(wanted)]
    if long.empty:
        return Fetched(long, "v4", problems + [Message.of("cbs_no_rows", table=via, gemeenten=", ".join(gemeenten))])
    long["key"] = long["Measure"].map(code_to_key)
    wide = long.pivot_table(index="WijkenEnBuurten", columns="key", values="Value", aggfunc="first", dropna=False)
    frame = wide.reset_index()
    frame.columns.name = None
    frame["WijkenEnBuurten"] = frame["WijkenEnBuurten"].map(area_code)
    frame["Codering_3"] = frame["WijkenEnBuurten"]
    frame["naam"] = ""
    return Fetched(frame, "v4", problems)


def v4_keys(measures: list[dict], groups: list[dict], props: list[dict]) -> tuple[dict[str, str], list[str]]:
    """v4 measure identifier -> v3 key, one to one; and the titles that could not be placed unambiguously.

    A measure matches the v3 topic with the same title under the same group path; where the group paths
    differ, by title alone only if that title occurs once in both. Without v3 metadata a measure is named
    by its title (CamelCase) only if no other measure has that title."""
    v3_path = _paths(props, "ID", "ParentID", "Title")
    v4_path = _paths(groups, "Id", "ParentId", "Title")
    topics = [p for p in props if p.get("Type") == "Topic" and p.get("Key")]
    by_path: dict[tuple, list[str]] = {}
    by_title: dict[str, list[str]] = {}
    for p in topics:
        by_path.setdefault((v3_path(p.get("ParentID")), _norm(p.get("Title", ""))), []).append(p["Key"])
        by_title.setdefault(_norm(p.get("Title", "")), []).append(p["Key"])
    v4_titles = [_norm(m.get("Title", "")) for m in measures]
    out: dict[str, str] = {}
    ambiguous: list[str] = []
    for m, title in zip(measures, v4_titles):
        once = v4_titles.count(title) == 1
        if topics:
            found = by_path.get((v4_path(m.get("MeasureGroupId")), title)) or (
                by_title.get(title, []) if once and len(by_title.get(title, [])) == 1 else []
            )
            key = found[0] if len(found) == 1 else None
        else:
            key = _camel(m.get("Title", "")) if once else None
        if key:
            out[m["Identifier"]] = key
        elif not once or len(by_title.get(title, [])) > 1:
            ambiguous.append(str(m.get("Title", "")))
    return out, ambiguous


def _paths(rows: list[dict], id_key: str, parent_key: str, title_key: str) -> Callable[[object], tuple[str, ...]]:
    """A function: group id -> the normalised titles of the group and its parents (outermost first)."""
    by_id = {r.get(id_key): r for r in rows if r.get(id_key) is not None}

    def path(group: object) -> tuple[str, ...]:
        titles: list[str] = []
        while group is not None and group in by_id and len(titles) < 20:
            titles.insert(0, _norm(by_id[group].get(title_key, "")))
            group = by_id[group].get(parent_key)
        return tuple(titles)

    return path


def fetch_crime(client: Client, table: CbsTable, gemeenten: list[str]) -> Fetched:
    """Registered crime, all types ('0.0.0 ', padded), one year ('YYYYJJ00'), per buurt/wijk/gemeente.

    47018NED uses one recent buurt classification for every year: its MapYear (from the metadata, else the
    one recorded in data/cbs_tables.csv) is returned so the rows are joined only to codes of that
    classification; None when neither names it (the rows are then not stored, never labelled with a guess)."""
    props = client.meta(table, "DataProperties")
    root = f"{base_url(table.catalog)}/{V3_FEED}/{table.table_id}"

    def query(group: list[str]) -> tuple[str, dict]:
        flt = f"SoortMisdrijf eq '{padded('0.0.0', 6)}' and Perioden eq '{table.year}JJ00' and ({area_filter(group)})"
        return f"{root}/TypedDataSet", {
            "$format": "json",
            "$filter": flt,
            "$select": "WijkenEnBuurten,GeregistreerdeMisdrijven_1",
        }

    rows = [r for g in _fitting(gemeenten, query) for r in client.pages(*query(g))]
    frame = pd.DataFrame(rows).reindex(columns=["WijkenEnBuurten", "GeregistreerdeMisdrijven_1"])
    frame["WijkenEnBuurten"] = frame["WijkenEnBuurten"].map(area_code)
    problems = [] if not frame.empty else [Message.of("cbs_no_crime", table=table.table_id, year=table.year)]
    return Fetched(frame, "v3", problems, boundary_year=map_year(props) or table.map_year)


def _fitting(gemeenten: list[str], query: Callable[[list[str]], tuple[str, dict]]) -> list[list[str]]:
    """The gemeenten in groups whose request URL (`query(group)` -> url, params) stays under SPLIT_AT."""
    groups: list[list[str]] = []
    for gm in gemeenten:
        if groups and url_length(*query([*groups[-1], gm])) <= SPLIT_AT:
            groups[-1].append(gm)
        else:
            groups.append([gm])
    return groups


def without_sentinels(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing-value markers of every CBS format become empty (missing, never 0): '.', '', -99995 and -99997
    (kwb-xlsx: secret / not applicable) and anything <= -99999990 (StatLine 'impossible')."""
    out = frame.copy()
    for col in out.columns:
        if col in ID_COLUMNS or col == "naam":
            continue
        text = out[col].astype(str).str.strip()
        num = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
        sentinel = text.isin([".", "", "nan", "None", "<NA>"]) | num.isin([-99995, -99997]) | (num <= -99999990)
        out[col] = out[col].astype(object).where(~sentinel, None)
    return out


def _q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _norm(title: str) -> str:
    return re.sub(r"\s+", " ", str(title)).strip().lower()


def _camel(title: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", str(title)))


def check_reachable(
    table: CbsTable | str = "opendata.cbs.nl", timeout: float = 5.0, client: Client | None = None
) -> None:
    """Fail fast (one request, short timeout, no retries) on the endpoint the downloads use; HTTP status counts."""
    if isinstance(table, str):
        table = CbsTable(0, "kwb", "", table)
    probe = client or Client(timeout=timeout, deadline=timeout * 2, retries=0)
    try:
        if table.table_id:
            probe.probe(table)
        else:
            probe.get(f"{base_url(table.catalog)}/{V3_FEED}/", {"$format": "json"})
    except CBSUnavailable as exc:
        raise CBSUnavailable(
            Message.of("cbs_unreachable", host=table.catalog, detail=exc.detail), exc.detail, exc.status
        ) from exc
