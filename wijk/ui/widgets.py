"""Around Streamlit's English widget defaults.

Streamlit has no translations. Where a widget has a parameter, the app passes its own text
(placeholder=..., select_all=False hides the untranslatable "Select all"). A multiselect's
max_selections shows "You can only select up to N options. Remove an option first." in English,
so the app caps the choice itself (`cap` as on_change callback) and says so in the UI language.
The "No results" of a filtered dropdown and the uploader's "Drag and drop a file here" have no
parameter: the stylesheet swaps them for the words of `css_texts` (see static/wijkbeeld.css). Only
text that is no control's name is swapped: generated content names no button for axe-core, so the
uploader's button keeps "Upload" (also Dutch: the imperative of "uploaden").
"""

from __future__ import annotations

import streamlit as st

from wijk.core.i18n import LANGUAGES, t

_REFUSED = "{}__refused"


def cap(key: str, n: int) -> None:
    """on_change callback of a multiselect: keep the first `n` choices; remember that one was refused."""
    chosen = list(st.session_state.get(key) or [])
    if len(chosen) > n:
        st.session_state[key] = chosen[:n]
        st.session_state[_REFUSED.format(key)] = True


def refused(key: str) -> bool:
    """Whether the last change of the capped multiselect `key` was refused (asked once, then forgotten)."""
    return bool(st.session_state.pop(_REFUSED.format(key), False))


def _css_string(text: str) -> str:
    """A CSS string literal: every character but letters, digits and spaces as a CSS escape, so no
    text can end the string, the rule or the <style> element."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def css_texts(lang: str) -> str:
    """CSS custom properties with the UI language's words for the texts the stylesheet replaces."""
    words = {
        "--wb-no-results": "widget_no_results",
        "--wb-drop": "widget_drop_here",
    }
    return ":root{" + ";".join(f"{var}:{_css_string(t(key, lang))}" for var, key in words.items()) + "}"


# Streamlit's (and its chart and map libraries') English names of controls, as screen readers
# announce them (aria-label / title): the label key of each, in data/i18n/common.toml (aria_<key>).
ARIA_NAMES = {
    "Open": "open",
    "Clear all": "clear_all",
    "Selected values": "selected_values",
    "Increment": "increment",
    "Decrement": "decrement",
    "Collapse sidebar": "collapse_sidebar",
    "Expand sidebar": "expand_sidebar",
    "Sidebar": "sidebar",
    "Search": "search",
    "Fullscreen": "fullscreen",
    "Close fullscreen": "close_fullscreen",
    "Download as CSV": "download_csv",
    "Download as PNG": "download_png",
    "Show data": "show_data",
    "Show/hide columns": "show_hide_columns",
    "Copy to clipboard": "copy",
    "Link to heading": "link_to_heading",
    "Map": "map",
    "Zoom In": "zoom_in",
    "Zoom Out": "zoom_out",
    "Toggle attribution": "toggle_attribution",
    "visualization": "visualization",  # vega-lite charts (also their aria-roledescription)
    "group mark container": "group_mark",
    "title": "chart_title",
}
# names that start with an English word and go on with the app's own text ("Remove Inwoners")
ARIA_PREFIXES = {"Remove ": "remove", "Help for ": "help_for", "Title text ": "title_text"}


def aria_words(lang: str) -> dict[str, object]:
    """{'names': {name: words}, 'prefixes': [[name, words], ...]} for the page script that renames
    Streamlit's controls (wijk.ui.style). Every language's name maps to the UI language's, so a
    name renamed before a language switch is renamed back."""
    names: dict[str, str] = {}
    prefixes: list[list[str]] = []
    for source in ("", *LANGUAGES):  # "": Streamlit's own English
        for en, key in ARIA_NAMES.items():
            names.setdefault(t(f"aria_{key}", source) if source else en, t(f"aria_{key}", lang))
        for en, key in ARIA_PREFIXES.items():
            prefixes.append([t(f"aria_{key}", source) if source else en, t(f"aria_{key}", lang)])
    return {"names": names, "prefixes": prefixes}
