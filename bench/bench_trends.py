"""Trends cost on the embedded store (warm: the store is loaded once, as in the app):
the ranking of all buurten of a gemeente, and a 6-area comparison over all years (budget < 200 ms)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AREAS = ["GM0014", "WK001401", "BU00140107", "GM0344", "GM0363", "GM0855"]


def _ms(fn, repeat: int = 5) -> float:
    fn()  # first call warms the store's per-year indexes, as the app's first view does
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000


def run() -> list[tuple[str, float, str, str]]:
    from wijk.core.store import Store
    from wijk.trends import series

    store = Store.load(ROOT / "data", ROOT / "data" / "__no_local__")
    rows = []
    for gm, since in (("GM0014", 2017), ("GM0034", 2017), ("GM0855", 2017)):
        n = len(series.ranking(store, gm, "pct_0_14", 2024, since))
        rows.append(
            (
                f"trends_ranking_buurten_{gm}_pct_0_14_2024_vs_{since} ({n} buurten)",
                _ms(lambda gm=gm, since=since: series.ranking(store, gm, "pct_0_14", 2024, since)),
                "ms",
                "< 200 ms",
            )
        )

    def six():
        comp = series.compare(store, AREAS, "pct_0_14")
        return series.series_frame(store, comp), series.breaks_frame(store, comp)

    rows.append(("trends_compare_6_areas_all_years", _ms(six), "ms", "< 200 ms"))

    def trend():
        t = series.trend(store, "BU00140107", "pct_0_14")
        return series.series_frame(store, t), series.breaks_frame(store, t)

    rows.append(("trends_series_with_references", _ms(trend), "ms", "< 200 ms"))
    return rows


if __name__ == "__main__":
    for r in run():
        print(f"{r[0]}: {r[1]:.1f} {r[2]} (budget: {r[3]})")
