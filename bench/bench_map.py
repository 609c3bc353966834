"""Map cost: time to build all layers for the whole gemeente Groningen (from scratch, and for another buurt
once the gemeente's map is prepared, as the screen's reruns do), and the JSON sent to the browser."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run() -> list[tuple[str, float, str, str]]:
    from wijk.core.store import Store
    from wijk.kaart import geo
    from wijk.kaart import model as kaart

    store = Store.load()
    fac = geo.load_facilities()
    opts = kaart.options(store, 2024, "buurt", "GM0014", [], "nl")
    option = next(o for o in opts if o.id == "inwoners")
    kaart.build_view(store, "BU00140000", 2024, "buurt", "GM0014", option, fac, None, kaart.KINDS, "nl")  # warm-up
    times, size = [], 0
    for _ in range(5):
        t0 = time.perf_counter()
        view = kaart.build_view(store, "BU00140000", 2024, "buurt", "GM0014", option, fac, None, kaart.KINDS, "nl")
        size = view.json_size()  # serialising is part of what the page pays
        times.append((time.perf_counter() - t0) * 1000)
    # what a rerun of the screen pays: the gemeente's map prepared once (the screen caches it), another buurt
    prepared = kaart.prepare(store, "buurt", 2024, "GM0014", fac, "nl")
    rerun = []
    for code in ("BU00140000", "BU00140001", "BU00140002", "BU00140003", "BU00140004"):
        t0 = time.perf_counter()
        view = kaart.build_view(
            store, code, 2024, "buurt", "GM0014", option, fac, None, kaart.KINDS, "nl", prepared=prepared
        )
        view.json_size()
        rerun.append((time.perf_counter() - t0) * 1000)
    nl = kaart.build_view(
        store,
        "GM0014",
        2023,
        "gemeente",
        "GM0014",
        kaart.options(store, 2023, "gemeente", "GM0014", [], "nl")[0],
        fac,
        None,
        [],
        "nl",
    )
    return [
        ("map_build_gemeente_groningen_buurten (median of 5, incl. JSON)", sorted(times)[2], "ms", "< 300 ms"),
        ("map_view_prepared_groningen_buurten (median of 5, incl. JSON)", sorted(rerun)[2], "ms", "informative"),
        ("map_json_gemeente_groningen_buurten", size / 1e6, "MB", "< 2 MB"),
        ("map_json_all_gemeenten_nl", nl.json_size() / 1e6, "MB", "informative"),
    ]


if __name__ == "__main__":
    for r in run():
        print(f"{r[0]}: {r[1]:.3f} {r[2]} (budget: {r[3]})")
