"""The table list data/cbs_tables.csv: `refresh --check` verifies every table id online (the title names the
edition year) and records the date and the MapYear the metadata names; a refresh records its verified dates.

Only the command line writes here (a maintainer's run); the app never writes data/. On a read-only install the
write fails: that is said in one sentence, after the data were stored, never as a traceback.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from pathlib import Path

from wijk.core.i18n import Message
from wijk.core.paths import data_dir
from wijk.data import cbs

TABLE_COLUMNS = ["year", "kind", "table_id", "catalog", "verified", "map_year"]


def check_tables(
    record_to: Path | None = None,
    timeout: float = 10.0,
    client: cbs.Client | None = None,
    tables_csv: Path | None = None,
) -> list[Message]:
    """Online check (`refresh --check`): every table id in data/cbs_tables.csv answers, its title names the
    edition year; matches get today's date in `verified` and the MapYear their metadata names in `map_year`
    (the crime table's rows are stored only on a known classification). With record_to, fresh fixtures are
    written there."""
    path = tables_csv or data_dir() / "cbs_tables.csv"
    from wijk.data.refresh import _now

    client = client or cbs.Client(timeout=timeout, deadline=600)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    lines: list[Message] = []
    today = _now()[:10]
    for row in rows:
        table = cbs.CbsTable(int(row["year"]), row["kind"], row["table_id"], row["catalog"])
        which = f"{row['kind']} {row['year']} {row['table_id']}"
        try:
            infos = client.meta(table, "TableInfos")
            props = client.meta(table, "DataProperties")
        except cbs.CBSUnavailable as exc:
            lines.append(Message.of("refresh_check_error", table=which, detail=exc.detail))
            continue
        problem = cbs.title_problem(table, infos)
        if problem:
            lines.append(Message.of("refresh_check_problem", table=which, problem=problem))
            continue
        row["verified"] = today
        found = cbs.map_year(props)
        if found:
            row["map_year"] = str(found)
        lines.append(Message.of("refresh_check_ok", table=which, title=str(infos[0].get("Title", ""))))
        if record_to is not None:
            record_to.mkdir(parents=True, exist_ok=True)
            body = {
                "_comment": f"RECORDED from {cbs.base_url(table.catalog)} on {today} by refresh --check (a fixture).",
                "catalog": table.catalog,
                "TableInfos": infos,
                "DataProperties": props,
            }
            (record_to / f"cbs_recorded_{table.table_id}_{row['kind']}{row['year']}.json").write_text(
                json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8"
            )
    problem = _write_tables(rows, path)
    if problem:
        lines.append(problem)
    lines.append(Message.of("refresh_check_requests", n=client.requests))
    return lines


def record_verified(verified: dict[str, str], tables_csv: Path | None = None) -> Message | None:
    """Write the dates a refresh matched a table (title names the year) into data/cbs_tables.csv.

    Called by the command line only (a maintainer's run); the app itself never writes data/."""
    if not verified:
        return None
    path = tables_csv or data_dir() / "cbs_tables.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["table_id"] in verified and row["kind"] == "kwb":
            row["verified"] = verified[row["table_id"]]
    return _write_tables(rows, path)


def _write_tables(rows: list[dict], path: Path) -> Message | None:
    """Write the table list aside and rename it into place; a read-only install gets one sentence back."""
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=TABLE_COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows({k: r.get(k) or "" for k in TABLE_COLUMNS} for r in rows)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):  # the rename failed: the temporary file goes if it can
            tmp.unlink(missing_ok=True)
        return Message.of("refresh_tables_not_written", path=str(path), error=exc.strerror or type(exc).__name__)
    return None
