"""The house rules, read from the source (issues 13 and 26).

- `wijk.core` imports nothing of wijk outside core;
- `wijk.data` (build, refresh, CBS client) imports core and itself;
- `wijk.ui` (the frame: loaders, state, sidebar) imports core and itself;
- a feature (`wijk.profile`, `wijk.beeld`, ...) imports core, the frame and itself; the data page
  (`wijk.about`) may also run the refresh in `wijk.data`;
- relative imports count like absolute ones; no dynamic imports (`importlib`, `__import__`);
- only UI modules import Streamlit: the frame (`wijk/ui/`) and a feature's `ui.py` / `ui_*.py`
  (never a core or data module, whatever its name), and a logic module does not reach Streamlit
  through a UI module of its own feature;
- no import cycles between modules;
- pages are scripts of their screen: no pandas, no DataFrame reshaping or positional slicing, no file
  reads, no network, no literal area code;
- modules in wijk/ stay under 450 lines and functions under 80 (today's offenders are named below).

Each rule is a function over source text, so the self-tests at the end can show it catching a planted
violation.
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
LOGIC_ONLY_LAYERS = {"core", "data"}  # never UI, whatever a module's name


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_package(module: str) -> bool:
    return (ROOT.joinpath(*module.split(".")) / "__init__.py").exists()


def _absolute(module: str, node: ast.ImportFrom) -> str:
    """The absolute name of a `from ... import` target, resolving a relative import against `module`."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if _is_package(module) else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(source: str, module: str) -> set[str]:
    """Every module or package a source imports, at any depth (lazy imports count), relative ones resolved."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, node)
            out.add(target)
            out |= {f"{target}.{a.name}" for a in node.names if _is_module(f"{target}.{a.name}")}
    return out


def _imports(path: Path) -> set[str]:
    return imports_of(path.read_text(encoding="utf-8"), _module_name(path))


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "root"


def is_ui_module(module: str) -> bool:
    """The frame (`wijk.ui...`) or a feature's `ui` / `ui_*` module; core and data modules never are."""
    layer = _layer(module)
    if layer in LOGIC_ONLY_LAYERS:
        return False
    last = module.split(".")[-1]
    return layer == "ui" or last == "ui" or last.startswith("ui_")


def _uses_streamlit(imports: set[str]) -> bool:
    return any(i == "streamlit" or i.startswith("streamlit.") for i in imports)


def layer_problems(module: str, source: str) -> list[str]:
    layer = _layer(module)
    allowed = {
        "core": {"core"},
        "data": {"core", "data"},
        "ui": {"core", "ui"},
    }.get(layer, {"core", "ui", layer} | EXTRA_ALLOWED.get(layer, set()))
    wrong = sorted(i for i in imports_of(source, module) if i.startswith("wijk.") and _layer(i) not in allowed)
    return [f"{module} ({layer}) imports {wrong}; allowed: {sorted(allowed)}"] if wrong else []


def streamlit_problems(module: str, source: str) -> list[str]:
    """A logic module neither imports Streamlit nor a UI module (which would bring Streamlit along)."""
    if is_ui_module(module):
        return []
    imports = imports_of(source, module)
    problems = [f"{module} imports streamlit but is not a UI module"] if _uses_streamlit(imports) else []
    via_ui = sorted(i for i in imports if i.startswith("wijk.") and _is_module(i) and is_ui_module(i))
    if via_ui:
        problems.append(f"{module} is not a UI module but imports UI modules {via_ui}")
    return problems


DYNAMIC_IMPORTS = {"importlib", "__import__", "import_module"}


def dynamic_import_problems(source: str) -> list[str]:
    """Imports the checker cannot read: `importlib.import_module`, `__import__`."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "importlib"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "importlib":
            found.add(node.module or "")
        elif isinstance(node, ast.Name) and node.id in DYNAMIC_IMPORTS:
            found.add(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in DYNAMIC_IMPORTS:
            found.add(node.attr)
    return [f"dynamic import: {sorted(found)}"] if found else []


AREA_CODE = re.compile(r"\b(GM|WK|BU)\d{4}")
FILE_READS = re.compile(r"\bopen\(|read_text\(|read_bytes\(|read_csv\(|read_parquet\(|read_excel\(|Path\(")
NETWORK_MODULES = {"requests", "urllib", "urllib3", "httpx", "http", "socket", "aiohttp", "cbsodata", "wijk.data.cbs"}
# DataFrame and Series methods and accessors that reshape, select by position or aggregate: a page hands a
# frame from wijk/ to Streamlit as it is.
RESHAPING = {
    "iloc", "loc", "iat", "at", "T", "transpose", "pivot", "pivot_table", "melt", "stack", "unstack", "explode",
    "groupby", "merge", "concat", "crosstab", "set_index", "reset_index", "reindex", "sort_values", "sort_index",
    "rename", "drop", "drop_duplicates", "dropna", "fillna", "assign", "apply", "applymap", "agg", "aggregate",
    "query", "nlargest", "nsmallest", "head", "tail", "astype", "to_frame", "value_counts", "cumsum", "resample",
}  # fmt: skip


def page_problems(source: str) -> list[str]:
    imports = imports_of(source, "pages.page")
    problems = []
    if {"pandas", "numpy"} & {i.split(".")[0] for i in imports}:
        problems.append("imports pandas/numpy: put the logic in wijk/")
    if re.search(r"\bpd\.", source):
        problems.append("calls pandas")
    network = sorted(i for i in imports if any(i == m or i.startswith(m + ".") for m in NETWORK_MODULES))
    if network:
        problems.append(f"imports network code {network}: fetch in wijk/, behind a timeout and a message")
    reshaping = sorted(
        {n.attr for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Attribute) and n.attr in RESHAPING}
    )
    if reshaping:
        problems.append(f"reshapes or slices a DataFrame ({', '.join(reshaping)}): do it in wijk/, by column name")
    if m := AREA_CODE.search(source):
        problems.append(f"names an area code: {m.group(0)}")
    if m := FILE_READS.search(source):
        problems.append(f"reads files: {m.group(0)}")
    return problems + dynamic_import_problems(source)


MODULES = {_module_name(p): p for p in sorted(WIJK.rglob("*.py"))}
PAGES = sorted((ROOT / "pages").glob("*.py"))


def test_the_tree_is_grouped_by_feature_over_a_core():
    layers = {_layer(m) for m in MODULES} - {"root"}
    assert layers == FEATURES | {"core", "data", "ui"}, layers
    flat = [m for m, p in MODULES.items() if m.count(".") == 1 and p.name != "__init__.py"]
    assert not flat, f"modules directly under wijk/: {flat}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_layers(module):
    problems = layer_problems(module, MODULES[module].read_text(encoding="utf-8"))
    assert not problems, problems


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_ui_modules_import_streamlit(module):
    problems = streamlit_problems(module, MODULES[module].read_text(encoding="utf-8"))
    assert not problems, problems


@pytest.mark.parametrize("path", [*MODULES.values(), *PAGES, ROOT / "app.py"], ids=lambda p: str(p.relative_to(ROOT)))
def test_no_dynamic_imports(path):
    problems = dynamic_import_problems(path.read_text(encoding="utf-8"))
    assert not problems, problems


def test_no_import_cycles():
    graph = {
        m: {i for i in _imports(p) if i in MODULES and i != m and MODULES[i].name != "__init__.py"}
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


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_are_scripts_of_their_screen(page):
    problems = page_problems(page.read_text(encoding="utf-8"))
    assert not problems, f"{page.name}: {problems}"


# Known offenders (issue 26 split them all; keep these empty). A name here is allowed to stay long; the test below
# fails on a name that no longer needs to be here, so the list cannot go stale.
LONG_MODULES: set[str] = set()
LONG_FUNCTIONS: set[str] = set()
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 80


def long_functions(source: str) -> dict[str, int]:
    """Functions (and methods) over MAX_FUNCTION_LINES lines, from `def` to their last line."""
    return {
        node.name: node.end_lineno - node.lineno + 1
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    }


def test_modules_and_functions_stay_small():
    long_modules, long_funcs = set(), {}
    for path in MODULES.values():
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES:
            long_modules.add(rel)
        long_funcs |= {f"{rel}:{name}": n for name, n in long_functions(text).items()}
    assert long_modules <= LONG_MODULES, f"modules over {MAX_MODULE_LINES} lines: {sorted(long_modules - LONG_MODULES)}"
    assert set(long_funcs) <= LONG_FUNCTIONS, f"functions over {MAX_FUNCTION_LINES} lines: " + str(
        {f: n for f, n in long_funcs.items() if f not in LONG_FUNCTIONS}
    )
    assert long_modules >= LONG_MODULES, f"now small enough, drop from LONG_MODULES: {LONG_MODULES - long_modules}"
    assert set(long_funcs) >= LONG_FUNCTIONS, (
        f"now short enough, drop from LONG_FUNCTIONS: {LONG_FUNCTIONS - set(long_funcs)}"
    )


# The checker itself: each planted violation (the six of issue 26 and the first one of issue 13) is reported,
# and the legal counterpart is not.


def test_checker_reports_a_core_module_importing_a_feature():
    assert layer_problems("wijk.core.areas", "from wijk.profile import model\n")
    assert not layer_problems("wijk.core.areas", "from wijk.core import codes\n")


def test_checker_reports_streamlit_in_a_core_module_named_ui():
    source = "import streamlit as st\n"
    assert streamlit_problems("wijk.core.ui_helpers", source)
    assert streamlit_problems("wijk.data.ui", source)
    assert not streamlit_problems("wijk.profile.ui_helpers", source)
    assert not streamlit_problems("wijk.ui.loaders", source)


def test_checker_resolves_a_relative_import_from_core_into_a_feature():
    assert "wijk.profile.model" in imports_of("from ..profile import model\n", "wijk.core.areas")
    assert layer_problems("wijk.core.areas", "from ..profile import model\n")
    assert layer_problems("wijk.core.areas", "from ..profile.model import build_profile\n")
    assert not layer_problems("wijk.core.areas", "from . import codes\nfrom .codes import level_of\n")


def test_checker_reports_a_logic_module_reaching_streamlit_through_a_ui_sibling():
    assert streamlit_problems("wijk.profile.model", "from wijk.profile import ui\n")
    assert streamlit_problems("wijk.profile.model", "from .ui import figures\n")
    assert streamlit_problems("wijk.trends.series", "from wijk.ui.loaders import get_store\n")
    assert not streamlit_problems("wijk.profile.ui", "from wijk.profile import model\n")


def test_checker_reports_importlib():
    assert dynamic_import_problems("import importlib\nm = importlib.import_module('wijk.profile.ui')\n")
    assert dynamic_import_problems("from importlib import import_module\n")
    assert dynamic_import_problems("m = __import__('streamlit')\n")
    assert not dynamic_import_problems("from wijk.core import codes\n")


def test_checker_reports_reshaping_in_a_page_without_pd():
    assert page_problems("table = charts.table_frame(diff, lang).iloc[:, [0, 1, 2]]\n")
    assert page_problems("wide = frame.pivot_table(index='code', columns='year', values='value')\n")
    assert page_problems("shown = frame.rename(columns=names)\n")
    assert not page_problems("st.dataframe(charts.table_frame(diff, lang), hide_index=True)\n")


def test_checker_reports_a_network_call_from_a_page():
    assert page_problems("import requests\nr = requests.get('https://opendata.cbs.nl', timeout=5)\n")
    assert page_problems("from urllib.request import urlopen\nurlopen('https://example.org')\n")
    assert page_problems("from wijk.data import cbs\nrows = cbs.fetch_table('85618NED')\n")
    assert not page_problems("from wijk.data.refresh import last_refresh\n")


def test_checker_reports_long_functions():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    assert long_functions(f"def long():\n{body}\n") == {"long": MAX_FUNCTION_LINES + 1}
    assert not long_functions("def short():\n    return 1\n")
