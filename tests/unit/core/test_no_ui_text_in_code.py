"""No user-facing sentence lives in Python: every one is a label in data/i18n/*.toml (issue 13).

Two checks over the string literals of wijk/, pages/ and app.py (read with `ast`, so comments and
docstrings are not looked at, nor the keys passed to `t`):

- no Dutch sentence: a literal with at least two words of the Dutch-only vocabulary (words that occur
  in the Dutch labels and nowhere in the English ones), making up a third or more of its words.
  Identifiers ('pct_met_kinderen'), codes, CSS, SQL and format strings have no such words; an f-string
  is read as one text with its placeholders left out;
- no choosing of text by language in code: no comparison of `lang` with "nl"/"en", no dict keyed by
  both languages and no NAME_NL / NAME_EN pair. English text could only enter the UI that way (code,
  exceptions and CLI help are English by convention), so this also keeps English sentences out.

The self-tests below plant a Dutch sentence and a language branch in a temporary file.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from wijk.core.i18n import LANGUAGES, load_labels

ROOT = Path(__file__).resolve().parents[3]
CODE = sorted([*(ROOT / "wijk").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"])

# Still Dutch-only, each for a reason; remove a file here when its messages have moved to labels.
KNOWN_DUTCH = {
    "wijk/data/facilities_build.py": "the source line of a facility layer, written into data/facilities.parquet",
}

_WORD = re.compile(r"[a-zà-ÿ]+(?:-[a-zà-ÿ]+)*")
_MARKUP = re.compile(r"<[^>]*>|\{[^{}]*\}")  # HTML tags and format placeholders
_PUNCT = ".,:;!?()[]'\"…«»—–-/"


def _words(text: str) -> list[str]:
    tokens = (tok.strip(_PUNCT) for tok in _MARKUP.sub(" ", text).lower().split())
    return [tok for tok in tokens if tok and _WORD.fullmatch(tok)]


def _vocabulary(lang: str) -> set[str]:
    return {w for entry in load_labels().values() for w in _words(str(entry.get(lang, "")))}


DUTCH_ONLY = _vocabulary("nl") - _vocabulary("en")


def is_dutch_sentence(text: str) -> bool:
    words = _words(text)
    dutch = sum(w in DUTCH_ONLY for w in words)
    return dutch >= 2 and dutch * 3 >= len(words)


def _texts(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, text) of every string literal except docstrings and t() keys; an f-string as one text."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t" and node.args:
            skip.update(id(n) for n in ast.walk(node.args[0]))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            skip.update(id(n) for n in ast.walk(node))
            yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def dutch_sentences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.name}:{line}: {text!r}" for line, text in _texts(tree) if is_dutch_sentence(text)]


def _names_lang(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "lang") or (
        isinstance(node, ast.Attribute) and node.attr == "lang"
    )


def _is_language(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in LANGUAGES


def language_branches(path: Path) -> list[str]:
    """`lang == "en"` (and !=, in), {"nl": ..., "en": ...} and NAME_NL / NAME_EN pairs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found, names = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_names_lang(s) for s in sides) and any(_is_language(s) for s in sides):
                found.append(f"{path.name}:{node.lineno}: compares lang with a language")
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if set(LANGUAGES) <= keys:
                found.append(f"{path.name}:{node.lineno}: a dict keyed by language")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and re.fullmatch(r"[A-Z0-9_]+_(NL|EN)", target.id):
                    names[target.id] = node.lineno
    for name, line in names.items():
        if name.endswith("_NL") and name[:-3] + "_EN" in names:
            found.append(f"{path.name}:{line}: {name} beside {name[:-3]}_EN")
    return found


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", [p for p in CODE if _rel(p) not in KNOWN_DUTCH], ids=_rel)
def test_no_dutch_sentence_in_code(path):
    hits = dutch_sentences(path)
    assert not hits, "user-facing text belongs in data/i18n/*.toml, used through t():\n" + "\n".join(hits)


@pytest.mark.parametrize("path", CODE, ids=_rel)
def test_no_text_chosen_by_language_in_code(path):
    hits = language_branches(path)
    assert not hits, "pick labels with t() and data columns with i18n.in_lang:\n" + "\n".join(hits)


@pytest.mark.parametrize("rel", sorted(KNOWN_DUTCH))
def test_the_known_exceptions_are_still_needed(rel):
    assert dutch_sentences(ROOT / rel), f"{rel} has no Dutch sentence left: remove it from KNOWN_DUTCH"


# ---- self-tests: the checks see what they are meant to see ---------------------------------------
PLANTED = '''
"""Een docstring in het Nederlands mag: die is voor ontwikkelaars."""
CSS = "body{font-family:sans-serif;margin:0 auto} td,th{padding:.25em .6em}"
SQL = "ALTER TABLE {} ADD COLUMN note TEXT NOT NULL DEFAULT ''"
IDS = ("pct_met_kinderen", "gem_huishoudensgrootte", "niet_westers")
label = t("profiel_sum_where", lang, name=name)
raise ValueError(f"question {qid!r} is not part of this workshop")


def warn(n):
    return f"Er zijn {n} buurten zonder cijfers voor dit jaar."


def word(lang):
    return "Source" if lang == "en" else "Bron"


NAMES = {"nl": "Nederlands", "en": "English"}
HEADER_NL = ["Regels die met # beginnen worden overgeslagen."]
HEADER_EN = ["Lines starting with # are skipped."]
'''


@pytest.fixture
def planted(tmp_path) -> Path:
    path = tmp_path / "planted.py"
    path.write_text(PLANTED, encoding="utf-8")
    return path


def test_a_planted_dutch_sentence_is_found_and_nothing_else(planted):
    hits = dutch_sentences(planted)
    assert len(hits) == 2, hits
    assert "Er zijn {} buurten zonder cijfers" in hits[0] or "Er zijn {} buurten zonder cijfers" in hits[1]
    assert any("worden overgeslagen" in h for h in hits)
    assert not any("docstring" in h or "pct_met" in h or "font-family" in h or "profiel_" in h for h in hits)


def test_planted_language_branches_are_found(planted):
    hits = language_branches(planted)
    assert any("compares lang" in h for h in hits)
    assert any("dict keyed by language" in h for h in hits)
    assert any("HEADER_NL beside HEADER_EN" in h for h in hits)
    assert len(hits) == 3, hits


def test_the_vocabulary_tells_dutch_from_english():
    assert {"niet", "het", "een", "worden"} <= DUTCH_ONLY
    assert not {"the", "of", "and", "cbs", "buurt"} & DUTCH_ONLY  # 'buurt' occurs in English labels too
    assert is_dutch_sentence("Waarom verwachtte je dit?")
    assert is_dutch_sentence("som van de onderliggende gebieden")
    assert not is_dutch_sentence("Why did you expect this?")
    assert not is_dutch_sentence("Indische buurt, BU00140107, Groningen")
