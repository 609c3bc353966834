"""Uploads bounded by their cost: the crafted one-row xlsx (about 100 KB, 1.9 million cells) is refused.

Read in a fresh process (the file written by the parent); printed: the wall time of `read_upload` and
the growth of the process's peak resident size during it (VmHWM after minus before, imports and the
file's bytes already in memory). Budget: refused in < 2 s and < 50 MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_CHILD = """
import json, sys, time
from pathlib import Path
from wijk.owndata.read import ReadError, read_upload

def hwm():
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) / 1024
data = Path(sys.argv[1]).read_bytes()
before, t = hwm(), time.perf_counter()
try:
    read_upload('crafted.xlsx', data)
    key = None
except ReadError as err:
    key = err.key
print(json.dumps({'s': time.perf_counter() - t, 'mb': hwm() - before, 'key': key}))
"""


def run() -> list[tuple[str, float, str, str]]:
    from tests.unit.owndata.test_owndata_sheet_size import crafted_one_row_of_cells

    data = crafted_one_row_of_cells()
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, f.name], cwd=ROOT, capture_output=True, text=True, check=True
        )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    what = f"{len(data) / 1024:.0f} KB file, refused as {got['key']}"
    return [
        ("upload_crafted_xlsx_1_9m_cells_seconds", got["s"], f"s ({what})", "< 2 s"),
        ("upload_crafted_xlsx_1_9m_cells_peak_growth", got["mb"], "MB", "< 50 MB"),
    ]


if __name__ == "__main__":
    for r in run():
        print(f"{r[0]}: {r[1]:.2f} {r[2]} (budget: {r[3]})")
