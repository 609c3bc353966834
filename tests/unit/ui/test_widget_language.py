"""Every selectbox and multiselect in the app's code passes its own placeholder (Streamlit's default is
the English "Choose an option"); no multiselect shows Streamlit's English "Select all" or its English
max_selections message (the app caps a choice itself: wijk.ui.widgets.cap)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "wijk").rglob("*.py"))]


# every node of every source file, parsed once for the module (each test scans them again)
NODES = {path: list(ast.walk(ast.parse(path.read_text(encoding="utf-8")))) for path in SOURCES}


def _calls(name: str):
    for path, nodes in NODES.items():
        for node in nodes:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name:
                yield f"{path.relative_to(ROOT)}:{node.lineno}", {k.arg for k in node.keywords}, node


def test_the_scan_finds_the_widgets():
    assert len(list(_calls("selectbox"))) >= 20 and len(list(_calls("multiselect"))) >= 5


def test_every_selectbox_and_multiselect_has_its_own_placeholder():
    bare = [where for name in ("selectbox", "multiselect") for where, kw, _ in _calls(name) if "placeholder" not in kw]
    assert not bare, bare


def test_no_multiselect_shows_select_all_or_the_english_limit_message():
    for where, kw, node in _calls("multiselect"):
        assert "max_selections" not in kw, where
        select_all = next((k.value for k in node.keywords if k.arg == "select_all"), None)
        assert isinstance(select_all, ast.Constant) and select_all.value is False, where


def test_streamlits_control_names_have_words_in_every_language_and_map_back():
    from wijk.ui.widgets import ARIA_NAMES, aria_words

    nl, en = aria_words("nl"), aria_words("en")
    assert nl["names"]["Open"] == "Openen" and nl["names"]["Clear all"] == "Alles wissen"
    assert set(ARIA_NAMES) <= set(nl["names"])
    assert en["names"]["Openen"] == "Open"  # renamed before a switch to English: renamed back
    assert ["Remove ", "Verwijder "] in nl["prefixes"] and ["Verwijder ", "Remove "] in en["prefixes"]


def test_the_page_script_carries_the_words_and_cannot_end_its_element():
    from wijk.ui.style import _page_language_script

    script = _page_language_script("nl")
    assert '"Openen"' in script and '"lang": "nl"' in script and "</" not in script
