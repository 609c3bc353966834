"""The only module that talks to CBS (StatLine OData via cbsodata). Every call has a timeout.

Raw keys are kept (cbsodata.get_data would replace region keys by names): codes stay identity.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import requests

from wijk import codes
from wijk.paths import data_dir


class CBSUnavailable(Exception):
    """CBS could not be reached or answered with an error; the message is one clear sentence."""


@dataclass(frozen=True)
class CbsTable:
    year: int
    kind: str
    table_id: str
    catalog: str


def tables(kind: str = "kwb", path: Path | None = None) -> dict[int, CbsTable]:
    """CBS table ids per year, from data/cbs_tables.csv."""
    with open(path or data_dir() / "cbs_tables.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kind"] == kind]
    return {int(r["year"]): CbsTable(int(r["year"]), r["kind"], r["table_id"], r["catalog"]) for r in rows}


def check_reachable(catalog: str = "opendata.cbs.nl", timeout: float = 5.0) -> None:
    """Fail fast (one request, short timeout) before a long series of calls."""
    try:
        requests.get(f"https://{catalog}/ODataApi/OData/", timeout=timeout)
    except requests.RequestException as exc:
        raise CBSUnavailable(
            f"CBS ({catalog}) is niet bereikbaar ({type(exc).__name__}); de app blijft werken met de gegevens die ze heeft."
        ) from exc


def area_filter(gemeenten: list[str], key: str = "WijkenEnBuurten") -> str:
    """OData filter for the gemeenten and all their wijken and buurten (codes validated first)."""
    parts = []
    for gm in gemeenten:
        if not codes.is_valid(gm, "gemeente"):
            raise ValueError(f"not a gemeente code: {gm!r}")
        digits = gm[2:]
        parts += [f"startswith({key},'GM{digits}')", f"startswith({key},'WK{digits}')", f"startswith({key},'BU{digits}')"]
    return " or ".join(parts)


def _download(table_id: str, filters: str, catalog: str, timeout: float) -> dict:
    import cbsodata  # imported lazily: no network code at import time
    try:
        return cbsodata.download_data(table_id, filters=filters, catalog_url=catalog, timeout=timeout)
    except (requests.RequestException, OSError, ValueError, KeyError) as exc:
        raise CBSUnavailable(f"Ophalen van CBS-tabel {table_id} mislukte ({type(exc).__name__}: {str(exc)[:120]}).") from exc


def fetch_kwb(table: CbsTable, gemeenten: list[str], timeout: float = 10.0, download=_download) -> pd.DataFrame:
    """KWB rows (gemeente, wijken, buurten) of the gemeenten, with raw keys and a 'naam' column."""
    meta = download(table.table_id, area_filter(gemeenten), table.catalog, timeout)
    rows = meta.get("UntypedDataSet") or meta.get("TypedDataSet") or []
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    titles = {r["Key"]: r["Title"] for r in meta.get("WijkenEnBuurten", [])}
    frame["naam"] = frame["WijkenEnBuurten"].map(lambda k: str(titles.get(k, "")).strip())
    return frame


def fetch_crime(table: CbsTable, gemeenten: list[str], timeout: float = 10.0, download=_download) -> pd.DataFrame:
    """Registered crime (all types, 0.0.0) per buurt/wijk/gemeente for one year."""
    filters = f"startswith(SoortMisdrijf,'0.0.0') and Perioden eq '{table.year}JJ00' and ({area_filter(gemeenten)})"
    meta = download(table.table_id, filters, table.catalog, timeout)
    frame = pd.DataFrame(meta.get("UntypedDataSet") or [])
    if frame.empty:
        return frame
    frame["WijkenEnBuurten"] = frame["WijkenEnBuurten"].map(codes.clean)
    return frame[["WijkenEnBuurten", *[c for c in frame.columns if c.startswith("GeregistreerdeMisdrijven")]]]
