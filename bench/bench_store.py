"""Store cost: cold load time and peak memory, embedded and synthetically scaled (labelled synthetic)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_COLD = """
import resource, time, sys
sys.path.insert(0, {root!r})
t = time.perf_counter()
from wijk.core.store import Store
s = Store.load({data})
s.wide(max(s.years()))
# VmHWM is this process image's own peak (ru_maxrss would carry the forking parent's peak over exec)
hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]
print(time.perf_counter() - t, int(hwm) / 1024)
"""

_SCALE = """
import sys, numpy as np, pandas as pd
sys.path.insert(0, {root!r})
from pathlib import Path
src = Path({root!r}) / 'data'
out = Path({out!r})
v = pd.read_parquet(src / 'values.parquet')
a = pd.read_parquet(src / 'areas.parquet')
base_v = v[v['year'] == 2024]
base_a = a[a['year'] == 2024]
rng = np.random.default_rng(7)
parts_v, parts_a = [], []
for i, year in enumerate(range(2015, 2025)):  # SYNTHETIC: 10 years x all NL buurten, jittered copies
    pv = base_v.copy(); pv['year'] = year
    pv['value'] = pv['value'] * rng.uniform(0.9, 1.1, len(pv))
    pv['source'] = 'SYNTHETIC benchmark data'
    pa = base_a.copy(); pa['year'] = year
    parts_v.append(pv); parts_a.append(pa)
sv = pd.concat(parts_v, ignore_index=True)
for c in ('code', 'indicator', 'table', 'variable', 'source', 'method'):
    sv[c] = sv[c].astype(str).astype('category')
sv.to_parquet(out / 'values.parquet', index=False, compression='zstd')
pd.concat(parts_a, ignore_index=True).to_parquet(out / 'areas.parquet', index=False)
import shutil
shutil.copy(src / 'indicators.csv', out / 'indicators.csv')
print(len(sv))
"""


# RSS of a fresh process after the store is loaded and the five screens are drawn (AppTest, one session
# each, Rotterdam Tarwewijk 2024): the server's resident size without a browser (bench_paint measures that).
_SCREENS_RSS = """
import sys
sys.path.insert(0, {root!r})
from streamlit.logger import set_log_level
from streamlit.testing.v1 import AppTest
from wijk.ui.apptest import use_navigation_mode
use_navigation_mode()
set_log_level("error")
kept = []
for screen in ("profiel", "factoren", "kaart", "trends", "beeld"):
    at = AppTest.from_file({app!r}, default_timeout=300)
    at.session_state["wb_intro_show"] = False
    for k, v in dict(gemeente="GM0599", wijk="WK059915", buurt="BU05991571", jaar="2024", lang="nl").items():
        at.query_params[k] = v
    at.run()
    at = at.switch_page(f"pages/{{screen}}.py")
    at.run()
    assert not at.exception, at.exception
    kept.append(at)
print([int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS')][0] / 1024)
"""


def _screens_rss() -> float:
    code = _SCREENS_RSS.format(root=str(ROOT), app=str(ROOT / "app.py"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.split()[-1])


def _cold(data_expr: str) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", _COLD.format(root=str(ROOT), data=data_expr)], capture_output=True, text=True, check=True
    )
    seconds, mb = out.stdout.split()
    return float(seconds) * 1000, float(mb)


def run() -> list[tuple[str, float, str, str]]:
    ms, mb = _cold("None")
    rows = [("store_cold_load_embedded", ms, "ms", "< 1000 ms"), ("store_peak_memory_embedded", mb, "MB", "< 300 MB")]
    rows.append(("store_rss_after_five_screens", _screens_rss(), "MB", "< 300 MB"))
    with tempfile.TemporaryDirectory() as tmp:
        n = subprocess.run(
            [sys.executable, "-c", _SCALE.format(root=str(ROOT), out=tmp)], capture_output=True, text=True, check=True
        ).stdout.strip()
        ms, mb = _cold(f"Path({tmp!r}), Path({tmp!r}) / 'none'".replace("Path(", "__import__('pathlib').Path("))
        rows += [
            (f"store_cold_load_synthetic_10y_allNL ({n} rows, SYNTHETIC)", ms, "ms", "informative"),
            ("store_peak_memory_synthetic_10y_allNL (SYNTHETIC)", mb, "MB", "informative"),
        ]
    return rows


if __name__ == "__main__":
    for r in run():
        print(f"{r[0]}: {r[1]:.1f} {r[2]} (budget: {r[3]})")
