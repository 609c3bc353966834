"""The frame's stylesheet (static/wijkbeeld.css): contrast, focus, hidden English hints."""

from __future__ import annotations

from functools import lru_cache

import streamlit as st

from wijk.core.paths import ROOT


@lru_cache(maxsize=1)
def _css() -> str:
    return (ROOT / "static" / "wijkbeeld.css").read_text(encoding="utf-8")


def apply() -> None:
    """Inject the stylesheet (a style-only st.html adds no element to the page)."""
    st.html(f"<style>{_css()}</style>")
