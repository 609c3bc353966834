"""Where Wijkbeeld keeps its files. Overridable by environment for tests and deployments."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The committed, embedded dataset (never written by the app)."""
    return Path(os.environ.get("WIJK_DATA_DIR", ROOT / "data"))


def local_dir() -> Path:
    """Local additions: CBS refreshes, the workshop database. Not committed."""
    return Path(os.environ.get("WIJK_LOCAL_DIR", data_dir() / "local"))
