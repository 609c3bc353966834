"""Run every benchmark (bench/bench_*.py, each with `run() -> [(name, value, unit, budget)]`).

Prints one line per figure: `name: value unit (budget: ...)`. Benchmarks measure; tests assert.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def format_row(name: str, value: float, unit: str, budget: str) -> str:
    shown = f"{value:.1f}" if isinstance(value, float) else str(value)
    return f"{name}: {shown} {unit} (budget: {budget})"


def main(only: list[str]) -> int:
    failed = 0
    for path in sorted(HERE.glob("bench_*.py")):
        if only and not any(o in path.stem for o in only):
            continue
        try:
            for row in _load(path).run():
                print(format_row(*row), flush=True)
        except Exception:  # noqa: BLE001 - a broken benchmark must not hide the others
            failed += 1
            print(f"{path.stem}: failed", file=sys.stderr)
            traceback.print_exc()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
