"""All user-facing labels, from data/i18n/*.toml (one file per screen, one place for all).

Each key is a TOML table with `nl` and `en`; Dutch is the default language.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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


Escape = Callable[[str], str]


@dataclass(frozen=True)
class Message:
    """A user-facing sentence not yet in a language: a label key and its parameters.

    Made where the language is not known (the data layer, a stored status), put into words where it is
    shown: `msg.text(lang)`. A parameter is a number, plain text (a table id, a URL, an exception's text:
    passed through as it is, or through `escape`, e.g. wijk.core.text.md for a Markdown element), another
    Message (put into the same language) or a list of these (joined with '; ').
    """

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, key: str, **params: object) -> Message:
        return cls(key, params)

    def text(self, lang: str = DEFAULT_LANG, escape: Escape | None = None) -> str:
        return t(self.key, lang, **{k: _param(v, lang, escape) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.text()

    def to_json(self) -> dict[str, object]:
        """For a JSON file: {"key": ..., "params": {...}}, nested messages the same way."""
        return {"key": self.key, "params": {k: _encode(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Message:
        params = data.get("params")
        return cls(
            str(data["key"]), {k: _decode(v) for k, v in (params or {}).items()} if isinstance(params, dict) else {}
        )


def text_of(value: object, lang: str = DEFAULT_LANG, escape: Escape | None = None) -> str:
    """A Message in the language; anything else (e.g. plain text from an older status file) as text."""
    return str(_param(value, lang, escape))


def to_json(value: object) -> object:
    """A Message (or a list of them, or plain text) as JSON-ready data; `from_json` reads it back."""
    return _encode(value)


def from_json(value: object) -> object:
    return _decode(value)


def _param(value: object, lang: str, escape: Escape | None) -> object:
    if isinstance(value, Message):
        return value.text(lang, escape)
    if isinstance(value, (list, tuple)):
        return "; ".join(str(_param(v, lang, escape)) for v in value)
    if isinstance(value, Mapping):  # e.g. a refresh's served_by: 'key: value; key: value'
        return "; ".join(f"{_param(k, lang, escape)}: {_param(v, lang, escape)}" for k, v in value.items())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return escape(str(value)) if escape else str(value)


def _encode(value: object) -> object:
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: object) -> object:
    if isinstance(value, dict) and "key" in value:
        return Message.from_json(value)
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


class MessageError(Exception):
    """An error whose sentence is a Message: `str(exc)` is the default language (logs, command line),
    `exc.message.text(lang)` the language of the screen."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message.text()
