"""Docs and docstrings point at files that exist (issue 26): every `wijk/...`, `data/...`, `tests/...`
(and `pages/`, `bench/`, `docs/`, `scripts/`, `static/`) path named in README, SECURITY, docs/, data's
notes and labels, and in the code's docstrings and comments; and every `wijk.x.y` module named in the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATH = re.compile(r"(?<![\w./-])((?:wijk|data|tests|pages|bench|docs|scripts|static)/[\w./*<>{}-]*)")
DOTTED = re.compile(r"(?<![\w./-])(wijk(?:\.\w+)+)")
# Named on purpose though absent from a clean clone: made when the app runs, or a command's output folder;
# and prose that looks like a path (the levels wijk/gemeente/NL, "the pages/-folder").
NOT_FILES = {"data/local", "tests/fixtures/recorded", "wijk/gemeente/NL", "pages/-folder"}

DOCS = [
    ROOT / "README.md",
    ROOT / "SECURITY.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "data").glob("*.md")),
    *sorted((ROOT / "data" / "i18n").glob("*.toml")),
]
CODE = [
    *sorted((ROOT / "wijk").rglob("*.py")),
    *sorted((ROOT / "pages").glob("*.py")),
    ROOT / "app.py",
    *sorted(p for p in (ROOT / "tests").rglob("*.py") if p != Path(__file__).resolve()),  # not its own examples
    *sorted((ROOT / "bench").glob("*.py")),
]


def missing_paths(text: str, root: Path = ROOT) -> list[str]:
    """Paths in `text` that name no file or folder under `root` (a glob must match something)."""
    out = []
    for match in PATH.finditer(text):
        path = match.group(1).rstrip(".,:;)`'\"/")
        if any(c in path for c in "<>{}") or path in NOT_FILES:
            continue  # a placeholder such as wijk/<feature>/
        found = any(root.glob(path)) if "*" in path else (root / path).exists()
        if not found:
            out.append(path)
    return out


def missing_modules(text: str, root: Path = ROOT) -> list[str]:
    """`wijk.a.b[.name]` references whose module is gone or no longer defines `name`."""
    out = []
    for match in DOTTED.finditer(text):
        parts = match.group(1).rstrip(".").split(".")
        for i in range(len(parts), 0, -1):
            base = root.joinpath(*parts[:i])
            source = base.with_suffix(".py") if base.with_suffix(".py").exists() else base / "__init__.py"
            if source.exists():
                rest = parts[i:]
                defines = rf"^\s*(def |class )?{rest[0]}\b" if rest else ""
                if rest and not (base / rest[0]).exists() and not re.search(defines, source.read_text("utf-8"), re.M):
                    out.append(match.group(1))
                break
        else:
            out.append(match.group(1))
    return out


@pytest.mark.parametrize("path", DOCS + CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_named_paths_exist(path):
    missing = missing_paths(path.read_text(encoding="utf-8"))
    assert not missing, f"{path.name} names paths that do not exist: {missing}"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_named_modules_exist(path):
    missing = missing_modules(path.read_text(encoding="utf-8"))
    assert not missing, f"{path.name} names modules that do not exist: {missing}"


def test_the_checks_report_a_moved_file():
    assert missing_paths("see `wijk/suppression.py` and tests/unit/test_harmonise.py.") == [
        "wijk/suppression.py",
        "tests/unit/test_harmonise.py",
    ]
    assert not missing_paths("see `wijk/owndata/suppression.py`, wijk/beeld/ui_*.py and wijk/<feature>/")
    assert missing_modules("(wijk.ui.figures.code_meaning)") == ["wijk.ui.figures.code_meaning"]
    assert missing_modules("(wijk.profile.ui.no_such_function)") == ["wijk.profile.ui.no_such_function"]
    assert not missing_modules("(wijk.profile.card_lines.code_meaning) and wijk.core.store")
