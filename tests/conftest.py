"""Shared test set-up: caches cleared between tests; an isolated local dir (no refresh leaks in)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _isolated_local(tmp_path_factory, monkeypatch):
    """Every test sees only the embedded data: local refreshes and databases go to a temp dir."""
    local = tmp_path_factory.mktemp("local")
    monkeypatch.setenv("WIJK_LOCAL_DIR", str(local))
    monkeypatch.delenv("WIJK_DATABASE_URL", raising=False)
    yield local


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    yield
    try:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
    except Exception:  # noqa: BLE001 - clearing is best effort: streamlit not imported in this test
        pass


@pytest.fixture(scope="session")
def store():
    """The real embedded store (read-only)."""
    from wijk.core.store import Store

    return Store.load(ROOT / "data", ROOT / "data" / "__no_local__")
