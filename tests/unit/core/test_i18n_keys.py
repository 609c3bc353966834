"""Every label the code asks for exists in Dutch and English, with the same placeholders, and no label
is dead weight. A misspelt key would otherwise show the raw key to the user (`t` falls back to it)."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from wijk.core.i18n import LANGUAGES, load_labels

ROOT = Path(__file__).resolve().parents[3]
CODE = sorted([*(ROOT / "wijk").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"])
LABELS = load_labels()


def _parse_code() -> dict[Path, list[ast.AST]]:
    """Every node of every source file, parsed once for the whole module (917 tests read it)."""
    return {path: list(ast.walk(ast.parse(path.read_text(encoding="utf-8")))) for path in CODE}


NODES = _parse_code()


def _is_message_of(func: ast.expr) -> bool:
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "of"
        and isinstance(func.value, ast.Name)
        and func.value.id == "Message"
    )


def _message_calls() -> list[tuple[str, str, set[str]]]:
    """(where, key, keyword names) of every Message.of("key", name=...) call: a sentence made for later."""
    out = []
    for path, nodes in NODES.items():
        for node in nodes:
            if isinstance(node, ast.Call) and _is_message_of(node.func) and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names = {k.arg for k in node.keywords if k.arg}
                    out.append((f"{path.name}:{node.lineno}", first.value, names))
    return out


def _calls_of_t() -> tuple[set[str], set[str]]:
    """Literal keys of t("key", ...) and Message.of("key", ...) calls, and the constant prefixes of
    t(f"prefix_{x}", ...) calls."""
    keys, prefixes = {key for _, key, _ in _message_calls()}, set()
    for nodes in NODES.values():
        for node in nodes:
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"):
                continue
            if not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                keys.add(first.value)
            elif isinstance(first, ast.JoinedStr) and first.values and isinstance(first.values[0], ast.Constant):
                prefixes.add(str(first.values[0].value))
            elif isinstance(first, ast.BinOp) and isinstance(first.left, ast.Constant):
                prefixes.add(str(first.left.value))
    return keys, prefixes


def _strings_elsewhere() -> str:
    """Every string literal in the code and every definition file: keys are also passed as data."""
    parts = []
    for nodes in NODES.values():
        parts += [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    parts += [p.read_text(encoding="utf-8") for p in (ROOT / "data").glob("*.csv")]
    return "\n".join(parts)


def _composed_prefixes() -> set[str]:
    """Constant heads of f-strings that build a key elsewhere (key = f"profiel_sign_{strength}_{direction}")."""
    out = set()
    for nodes in NODES.values():
        for n in nodes:
            if isinstance(n, ast.JoinedStr) and n.values and isinstance(n.values[0], ast.Constant):
                head = str(n.values[0].value)
                if re.fullmatch(r"[a-z]+_[a-z0-9_]*", head):
                    out.add(head)
    return out


KEYS, PREFIXES = _calls_of_t()
MESSAGE_CALLS = _message_calls()


def test_the_scan_finds_the_calls():
    assert {"sidebar_gemeente", "source_cbs", "refresh_cbs_unreachable"} <= KEYS and len(KEYS) > 200


@pytest.mark.parametrize("where,key,names", MESSAGE_CALLS, ids=lambda v: v if isinstance(v, str) else "")
def test_every_message_fills_in_the_placeholders_of_its_label(where, key, names):
    assert key in LABELS, f"{where}: Message.of({key!r}) has no label in data/i18n/*.toml"
    assert names == _fields(LABELS[key]["nl"]), f"{where}: {key} is given {sorted(names)}"


@pytest.mark.parametrize("key", sorted(KEYS))
def test_every_key_the_code_asks_for_exists_in_both_languages(key):
    assert key in LABELS, f"t({key!r}) has no label in data/i18n/*.toml: the user would see the raw key"
    for lang in LANGUAGES:
        assert str(LABELS[key].get(lang, "")).strip(), f"{key} has no {lang} text"


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("key", sorted(LABELS))
def test_every_label_has_both_languages_with_the_same_placeholders(key):
    entry = LABELS[key]
    assert set(entry) >= set(LANGUAGES), f"{key}: {sorted(entry)}"
    assert _fields(entry["nl"]) == _fields(entry["en"]), f"{key}: nl and en fill in different values"


def test_no_label_is_unused():
    elsewhere = _strings_elsewhere()
    prefixes = [p for p in PREFIXES | _composed_prefixes() if p]
    unused = sorted(
        k
        for k in LABELS
        if k not in KEYS
        and not any(k.startswith(p) for p in prefixes)
        and not re.search(rf"(?<![\w]){re.escape(k)}(?![\w])", elsewhere)
    )
    assert not unused, f"labels no code or definition uses: {unused}"
