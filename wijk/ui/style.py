"""The frame's stylesheet (static/wijkbeeld.css): contrast, focus, hidden English hints."""

from __future__ import annotations

from functools import lru_cache

import streamlit as st

from wijk.core.i18n import DEFAULT_LANG
from wijk.core.paths import ROOT
from wijk.ui.widgets import css_texts


@lru_cache(maxsize=1)
def _css() -> str:
    return (ROOT / "static" / "wijkbeeld.css").read_text(encoding="utf-8")


def apply(lang: str = DEFAULT_LANG) -> None:
    """Inject the stylesheet and the words it shows in place of Streamlit's English (a style-only
    st.html adds no element to the page)."""
    st.html(f"<style>{css_texts(lang)}\n{_css()}</style>")
