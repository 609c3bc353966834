"""Factor view and similar-buurten search over all NL buurten of the embedded data (server-side, no rendering).

Measured, for a Groningen buurt in 2024 (the year with every NL buurt):
- factors_cold: level statistics (median/IQR of every framework indicator over all buurten, and which
  years each indicator has) + the factor view + the context space (all buurten standardised) + the
  5-nearest search + the comparison. The store is loaded and `Store.wide` warmed first, as in the app
  (`get_store` is a cached resource). This is the first visit to the page for a year.
- factors_warm: the same with the two per-year objects cached (`level_basis`, `build_space`, as the
  page caches them with st.cache_resource): what every later visit and rerun costs.
Median of repeated runs. Budget: < 200 ms server-side.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUURT = "BU00140107"
YEAR = 2024


def _time(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs)


def run() -> list[tuple[str, float, str, str]]:
    from wijk.core.store import Store
    from wijk.factors import model as factors
    from wijk.factors import similar

    store = Store.load(ROOT / "data", ROOT / "data" / "__no_local__")
    for y in store.years():
        store.wide(y)  # warm, as the cached store in the app is after the first page
    framework = factors.default_framework()
    n_buurten = len(factors.level_rows(store.wide(YEAR), "buurt"))

    def page(basis=None, space=None):
        basis = basis or factors.level_basis(store, YEAR, "buurt", framework)
        factors.factor_view(store, BUURT, YEAR, "gemeente", "nl", framework, basis)
        space = space or similar.build_space(store, YEAR)
        neighbours = similar.most_similar(space, BUURT)
        similar.compare(store, BUURT, neighbours, basis, framework)

    cold = _time(page, 7)
    basis, space = factors.level_basis(store, YEAR, "buurt", framework), similar.build_space(store, YEAR)
    warm = _time(lambda: page(basis, space), 21)
    search = _time(lambda: similar.most_similar(space, BUURT), 51)
    return [
        (f"factors_cold_view_plus_similar ({n_buurten} buurten {YEAR})", cold, "ms", "< 200 ms"),
        (f"factors_warm_view_plus_similar ({n_buurten} buurten {YEAR}, per-year caches warm)", warm, "ms", "< 200 ms"),
        (f"similar_search_only ({len(space.codes)} buurten with complete context)", search, "ms", "informative"),
    ]


if __name__ == "__main__":
    for r in run():
        print(f"{r[0]}: {r[1]:.1f} {r[2]} (budget: {r[3]})")
