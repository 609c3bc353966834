"""The frame's stylesheet (static/wijkbeeld.css): contrast, focus, hidden English hints."""

from __future__ import annotations

import json
from functools import lru_cache

import streamlit as st

from wijk.core.i18n import DEFAULT_LANG, valid_lang
from wijk.core.paths import ROOT
from wijk.ui.widgets import aria_words, css_texts


@lru_cache(maxsize=1)
def _css() -> str:
    return (ROOT / "static" / "wijkbeeld.css").read_text(encoding="utf-8")


# A page that is the whole screen (a workshop phone, the projector) has no sidebar to open, so
# it need not leave Streamlit's tall gap above the content (on a phone: a fifth of the screen).
OWN_SCREEN_CSS = '[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }'


def apply(lang: str = DEFAULT_LANG, own_screen: bool = False) -> None:
    """Inject the stylesheet and the words it shows in place of Streamlit's English (a style-only
    st.html adds no element to the page)."""
    extra = OWN_SCREEN_CSS if own_screen else ""
    st.html(f"<style>{css_texts(lang)}\n{_css()}\n{extra}</style>")
    st.html(f"<script>{_page_language_script(lang)}</script>", unsafe_allow_javascript=True)


_LANGUAGE_SCRIPT = """(() => {
  window.__wbWords = WORDS;
  const rename = (el, attr) => {
    const w = window.__wbWords, v = el.getAttribute(attr);
    let n = w.names[v];
    if (n === undefined) {
      for (const [p, q] of w.prefixes) if (v.startsWith(p)) { n = q + v.slice(p.length); break; }
    }
    if (n !== undefined && n !== v) el.setAttribute(attr, n);
  };
  const setLang = () => {
    const w = window.__wbWords;
    if (document.documentElement.lang !== w.lang) document.documentElement.lang = w.lang;
  };
  const fix = () => {
    window.__wbPending = false;
    setLang();
    for (const el of document.querySelectorAll('[aria-label]')) rename(el, 'aria-label');
    for (const el of document.querySelectorAll('[aria-roledescription]')) rename(el, 'aria-roledescription');
    for (const el of document.querySelectorAll('button[title], a[title]')) rename(el, 'title');
  };
  fix();
  if (!window.__wbObserver) {  // one pass per frame however many nodes Streamlit redraws
    window.__wbObserver = new MutationObserver(() => {
      setLang();  // at once; the renaming waits for the frame
      if (!window.__wbPending) { window.__wbPending = true; requestAnimationFrame(fix); }
    });
    window.__wbObserver.observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label', 'title', 'aria-roledescription'],
    });
  }
})();"""


@lru_cache(maxsize=4)
def _page_language_script(lang: str) -> str:
    """The page's language for screen readers and spell checkers (`<html lang>`; Streamlit says "en"),
    and Streamlit's English control names (aria-label, title) in that language (widgets.aria_words).
    Streamlit re-renders the page without touching <html>, so an observer keeps both set. Made once per
    language: the frame sends it on every script run, a live page's poll included."""
    words = json.dumps({"lang": valid_lang(lang), **aria_words(lang)}).replace("</", "<\\/")
    return _LANGUAGE_SCRIPT.replace("WORDS", words)
