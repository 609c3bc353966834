"""Map cost for the largest maps outside Groningen: the map for an Amsterdam buurt (GM0363, the largest
gemeente; its 2024 buurt codes have no fitting boundary, so it draws its 110 wijken of 2024) and the
largest buurt map on the checked 2019 polygons (Tilburg GM0855, 242 buurten). Time includes the JSON
the page sends; median of 5 after a warm-up. CPU time is printed too: wall time on a shared machine
also counts other processes."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES = [("amsterdam_buurt_BU0363AA01", "BU0363AA01", "GM0363"), ("tilburg_buurten_GM0855", "BU08550000", "GM0855")]


def _measure(store, fac, code: str, gm: str):
    from wijk.kaart import model as kaart

    level = kaart.drawn_level(store, "buurt", 2024, gm)
    option = next(o for o in kaart.options(store, 2024, level, gm, [], "nl") if o.id == "inwoners")

    def once():
        view = kaart.build_view(store, code, 2024, "buurt", gm, option, fac, None, kaart.KINDS, "nl")
        return view, view.json_size()

    once()  # warm-up: the store's year table, the geometry files in the OS cache
    wall, cpu, size, n = [], [], 0, 0
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        view, size = once()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        n = len(view.layer.features)
    return statistics.median(wall), statistics.median(cpu), size, n


def run() -> list[tuple[str, float, str, str]]:
    from wijk.core.store import Store
    from wijk.kaart import geo

    store, fac = Store.load(), geo.load_facilities()
    rows = []
    for name, code, gm in CASES:
        wall, cpu, size, n = _measure(store, fac, code, gm)
        rows += [
            (f"map_build_{name} ({n} areas, median of 5, incl. JSON)", wall, "ms", "< 300 ms"),
            (f"map_build_cpu_{name}", cpu, "ms", "informative"),
            (f"map_json_{name}", size / 1e6, "MB", "< 2 MB"),
        ]
    geo_bytes = sum(p.stat().st_size for p in (ROOT / "data" / "geo").rglob("*") if p.is_file())
    rows.append(("map_geometry_committed", geo_bytes / 1e6, "MB", "informative"))
    return rows


if __name__ == "__main__":
    for r in run():
        print(f"{r[0]}: {r[1]:.3f} {r[2]} (budget: {r[3]})")
