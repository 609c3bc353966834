"""CBS refresh cost for one gemeente (GM0014, KWB 2024 + crime) against the local TEST FIXTURE server.

Counts the HTTP requests and times the refresh (fetch, and fetch + rebuild of the local store), and counts
what the cbsodata path (`cbsodata.download_data` per batch: service document + every metadata table,
including the region list, + the data set) asks of the same server with the same page size.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cbsodata_requests(server) -> int | None:
    try:
        import cbsodata
    except ImportError:
        return None
    from wijk.data import cbs

    before = len(server.log)
    old = cbsodata.options.use_https
    cbsodata.options.use_https = False
    try:
        host = server.url.removeprefix("http://")
        cbsodata.download_data("85984NED", filters=cbs.area_filter(["GM0014"]), catalog_url=host)
        flt = f"SoortMisdrijf eq '0.0.0 ' and Perioden eq '2024JJ00' and ({cbs.area_filter(['GM0014'])})"
        cbsodata.download_data("47018NED", filters=flt, catalog_url=host)
    finally:
        cbsodata.options.use_https = old
    return len(server.log) - before + 1  # + the old reachability probe


def run():
    from tests.fixtures.cbs_fixture_server import FixtureCBS

    saved = {k: os.environ.get(k) for k in ("WIJK_CBS_BASE", "WIJK_LOCAL_DIR")}
    rows = []
    with tempfile.TemporaryDirectory() as tmp, FixtureCBS(page_size=10) as server:
        os.environ["WIJK_CBS_BASE"] = server.url
        os.environ["WIJK_LOCAL_DIR"] = tmp
        try:
            from wijk.data import refresh

            marks = {}
            t0 = time.perf_counter()
            summary = refresh.refresh(
                ["GM0014"],
                False,
                [2024],
                timeout=5,
                progress=lambda m: (
                    marks.setdefault("rebuild", time.perf_counter()) if m.key == "refresh_rebuilding" else None
                ),
            )
            total = time.perf_counter() - t0
            fetch = marks.get("rebuild", t0 + total) - t0
            old = _cbsodata_requests(server)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    budget_req = f"< {old} (cbsodata path)" if old else "< 20"
    rows.append(("refresh_one_gemeente_requests", summary["requests"], "requests", budget_req))
    if old:
        rows.append(("refresh_cbsodata_path_requests", old, "requests", "reference"))
    rows.append(("refresh_one_gemeente_fetch_time", round(fetch, 2), "s", "< 5 s (local fixture server)"))
    rows.append(("refresh_one_gemeente_total_time", round(total, 1), "s", "< 30 s (incl. rebuild of one gemeente)"))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
