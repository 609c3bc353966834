"""All user-facing labels, from data/i18n/*.toml (one file per screen, one place for all).

Each key is a TOML table with `nl` and `en`; Dutch is the default language.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from wijk.core.paths import data_dir

LANGUAGES = ("nl", "en")
DEFAULT_LANG = "nl"


@lru_cache(maxsize=4)
def load_labels(folder: Path | None = None) -> dict[str, dict[str, str]]:
    folder = folder or data_dir() / "i18n"
    labels: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.toml")):
        with open(path, "rb") as fh:
            for key, value in tomllib.load(fh).items():
                if key in labels:
                    raise ValueError(f"label {key!r} defined twice (again in {path.name})")
                labels[key] = value
    return labels


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The label in the language (falling back to Dutch, then the key itself), formatted."""
    entry = load_labels().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or key
    return text.format(**fmt) if fmt else text


def valid_lang(lang: object) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANG


def in_lang(record: object, field: str, lang: str = DEFAULT_LANG) -> str:
    """A bilingual field of a definition in the language: in_lang(indicator, "label", "en") is its label_en.

    Definitions (indicators, factors, questions, comparability rules) carry their own nl/en columns in
    data/*.csv; this is the one place that picks the column (Dutch for an unknown language, as `t`)."""
    return str(getattr(record, f"{field}_{valid_lang(lang)}"))


def with_level(level: str, name: str, lang: str = DEFAULT_LANG) -> str:
    """'wijk Oud-Noord', but 'Wijk 00 Annen' as it is: no level word before a name that already
    starts with one (CBS names many wijken 'Wijk 00 ...'; 'wijk Wijk 00' reads as a typo)."""
    word = t(f"level_{level}", lang)
    first = name.split(maxsplit=1)[0].casefold() if name and name.strip() else ""
    if first and first in {word.casefold(), t(f"level_{level}", DEFAULT_LANG).casefold()}:
        return name
    return f"{word} {name}".strip()
