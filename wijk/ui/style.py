"""The frame's stylesheet (static/wijkbeeld.css): contrast, focus, hidden English hints."""

from __future__ import annotations

import json
from functools import lru_cache

import streamlit as st

from wijk.core.i18n import DEFAULT_LANG, valid_lang
from wijk.core.paths import ROOT
from wijk.ui.widgets import css_texts


@lru_cache(maxsize=1)
def _css() -> str:
    return (ROOT / "static" / "wijkbeeld.css").read_text(encoding="utf-8")


def apply(lang: str = DEFAULT_LANG) -> None:
    """Inject the stylesheet and the words it shows in place of Streamlit's English (a style-only
    st.html adds no element to the page)."""
    st.html(f"<style>{css_texts(lang)}\n{_css()}</style>")
    st.html(f"<script>{_page_language_script(lang)}</script>", unsafe_allow_javascript=True)


_LANGUAGE_SCRIPT = """(() => {
  window.__wbWords = WORDS;
  const fix = () => {
    const w = window.__wbWords;
    if (document.documentElement.lang !== w.lang) document.documentElement.lang = w.lang;
  };
  fix();
  if (!window.__wbObserver) {
    window.__wbObserver = new MutationObserver(fix);
    window.__wbObserver.observe(document.body, { childList: true, subtree: true });
  }
})();"""


def _page_language_script(lang: str) -> str:
    """The page's language for screen readers and spell checkers (`<html lang>`; Streamlit says "en").
    Streamlit re-renders the page without touching <html>, so an observer keeps it set."""
    words = json.dumps({"lang": valid_lang(lang)})
    return _LANGUAGE_SCRIPT.replace("WORDS", words)
