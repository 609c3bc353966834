"""The house rules, read from the imports (issue 13).

- `wijk.core` imports nothing of wijk outside core;
- `wijk.data` (build, refresh, CBS client) imports core and itself;
- `wijk.ui` (the frame: loaders, state, sidebar) imports core and itself;
- a feature (`wijk.profile`, `wijk.beeld`, ...) imports core, the frame and itself; the data page
  (`wijk.about`) may also run the refresh in `wijk.data`;
- only UI modules import Streamlit: the frame and a feature's `ui.py` / `ui_*.py`;
- no import cycles between modules;
- pages are scripts of their screen: no pandas, no file reads, no literal area code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WIJK = ROOT / "wijk"
FEATURES = {"profile", "factors", "kaart", "beeld", "trends", "owndata", "youth", "about"}
EXTRA_ALLOWED = {"about": {"data"}}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every wijk module or package a file imports, at any depth of the file (lazy imports count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names if _is_module(f"{node.module}.{a.name}")}
    return out


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "root"


def _is_ui_module(module: str) -> bool:
    parts = module.split(".")
    return _layer(module) == "ui" or parts[-1] == "ui" or parts[-1].startswith("ui_")


MODULES = {_module_name(p): p for p in sorted(WIJK.rglob("*.py"))}


def test_the_tree_is_grouped_by_feature_over_a_core():
    layers = {_layer(m) for m in MODULES} - {"root"}
    assert layers == FEATURES | {"core", "data", "ui"}, layers
    flat = [m for m, p in MODULES.items() if m.count(".") == 1 and p.name != "__init__.py"]
    assert not flat, f"modules directly under wijk/: {flat}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_layers(module):
    layer = _layer(module)
    allowed = {
        "core": {"core"},
        "data": {"core", "data"},
        "ui": {"core", "ui"},
    }.get(layer, {"core", "ui", layer} | EXTRA_ALLOWED.get(layer, set()))
    wrong = sorted(imp for imp in _imports(MODULES[module]) if imp.startswith("wijk.") and _layer(imp) not in allowed)
    assert not wrong, f"{module} ({layer}) imports {wrong}; allowed: {sorted(allowed)}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_ui_modules_import_streamlit(module):
    uses = any(i == "streamlit" or i.startswith("streamlit.") for i in _imports(MODULES[module]))
    assert not uses or _is_ui_module(module), f"{module} imports streamlit but is not a UI module"


def test_no_import_cycles():
    graph = {
        m: {i for i in _imports(p) if i in MODULES and i != m and not MODULES[i].name == "__init__.py"}
        for m, p in MODULES.items()
    }
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycle = stack[stack.index(n) :] + [n]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


AREA_CODE = re.compile(r"\b(GM|WK|BU)\d{4}")
FILE_READS = re.compile(r"\bopen\(|read_text\(|read_bytes\(|read_csv\(|read_parquet\(|Path\(")


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_are_scripts_of_their_screen(page):
    imports = _imports(page)
    text = page.read_text(encoding="utf-8")
    assert not {"pandas", "numpy"} & imports, f"{page.name} imports pandas/numpy: put the logic in wijk/"
    assert not re.search(r"\bpd\.", text), f"{page.name} calls pandas"
    assert not AREA_CODE.search(text), f"{page.name} names an area code: {AREA_CODE.search(text).group(0)}"
    assert not FILE_READS.search(text), f"{page.name} reads files: {FILE_READS.search(text).group(0)}"


def test_the_rules_would_catch_a_wrong_import(tmp_path):
    """The checker itself: a core module that imports a feature is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from wijk.profile import model\nimport streamlit as st\n")
    imps = _imports(bad)
    assert "wijk.profile.model" in imps and "streamlit" in imps
    assert _layer("wijk.profile.model") not in {"core"}
