"""Server-side cost of a profile rerun: median over 20 switches between Groningen buurten (2024).

Two figures:
- profile_view_build: the wijk/ functions that build the view on every rerun (build_profile, summary,
  both chart frames and altair specs) on a warm store: the page's own logic.
- profile_export_build (informative): printable HTML + CSV; the page builds them only when a download
  button is clicked (deferred `data=` callables), so they are not part of a rerun.
- profile_apptest_rerun: a full rerun of app.py + pages/profiel.py in AppTest after picking another
  buurt in the sidebar (includes the frame, the sidebar and AppTest's own overhead: an upper bound).
Budget for both: median < 150 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
N = 20


def _buurten(store) -> list[str]:
    codes = [a.code for w in store.areas.wijken("GM0014", 2024) for a in store.areas.buurten(w.code, 2024)]
    return codes[:: max(1, len(codes) // N)][:N]


def _view(store, code: str) -> None:
    from wijk.profile.charts import age_structure_chart, household_chart
    from wijk.profile.model import AGE_IDS, HOUSEHOLD_IDS, build_profile, chart_frame
    from wijk.profile.summary import summary_sentences

    p = build_profile(store, code, 2024)
    summary_sentences(p, "nl")
    age_structure_chart(chart_frame(p, AGE_IDS), "a", "%").to_dict()
    household_chart(chart_frame(p, HOUSEHOLD_IDS), "h", "%").to_dict()


def _export(store, code: str) -> None:
    from wijk.profile.export import profile_csv, profile_html
    from wijk.profile.model import build_profile

    p = build_profile(store, code, 2024)
    profile_html(p, [], "nl")
    profile_csv(p, "nl")


def bench_view(fn=_view) -> float:
    from wijk.core.store import Store

    store = Store.load(ROOT / "data", ROOT / "data" / "__no_local__")
    codes = _buurten(store)
    fn(store, codes[0])  # warm the store's per-year indexes
    times = []
    for code in codes:
        t = time.perf_counter()
        fn(store, code)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def bench_apptest() -> float:
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    from wijk.core.store import Store
    from wijk.core.text import md  # the title shows the name as inert Markdown
    from wijk.ui.apptest import use_navigation_mode

    use_navigation_mode()  # every run executes app.py + the page, as on the server
    set_log_level("error")  # no bare-mode warnings in the bench output
    store = Store.load(ROOT / "data", ROOT / "data" / "__no_local__")
    codes = _buurten(store)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["buurt"] = codes[0]
    at.run()
    at.switch_page("pages/profiel.py").run()
    times = []
    for code in codes[1:] + codes[:1]:
        at.query_params["buurt"] = code
        t = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t) * 1000)
        name = store.areas.name(code, 2024)
        assert not at.exception and any(md(name) in x.value for x in at.title), (code, [x.value for x in at.title])
    return statistics.median(times)


def run() -> list[tuple[str, float, str, str]]:
    return [
        ("profile_view_build_median_20_buurten", bench_view(), "ms", "< 150 ms"),
        ("profile_export_build_median_20_buurten (on click only)", bench_view(_export), "ms", "informative"),
        ("profile_apptest_rerun_median_20_buurten", bench_apptest(), "ms", "< 150 ms (upper bound)"),
    ]


if __name__ == "__main__":
    for r in run():
        print(f"{r[0]}: {r[1]:.1f} {r[2]} (budget: {r[3]})")
