"""CBS area codes: GM + 4 digits, WK + 6, BU + 8 characters, NL01 for the country.

Wijk and buurt parts may hold capitals (Amsterdam: WK0363AA, BU0363TA06).

A buurt's first six digits are its wijk, a wijk's first four its gemeente
(BU00140301 -> WK001403 -> GM0014). Codes are identity; names are for display.
"""

from __future__ import annotations

import re

NL_CODE = "NL01"
# The one order of the levels, broadest first; every other order of levels is derived from it.
LEVELS = ("land", "gemeente", "wijk", "buurt")
AREA_LEVELS = LEVELS[1:]  # below the country: the levels the URL names (gemeente, wijk, buurt)
PARENT_LEVELS = tuple(reversed(LEVELS[:-1]))  # the levels above a buurt, nearest first: wijk, gemeente, land
PREFIXES = {"land": "NL", "gemeente": "GM", "wijk": "WK", "buurt": "BU"}  # how a level's codes begin
_PATTERNS = {
    "gemeente": re.compile(r"^GM\d{4}$"),
    "wijk": re.compile(r"^WK\d{4}[0-9A-Z]{2}$"),
    "buurt": re.compile(r"^BU\d{4}[0-9A-Z]{4}$"),
    "land": re.compile(r"^NL01$"),
}


def rank(level: str | None) -> int:
    """The level's place in LEVELS (0 for the country, 3 for a buurt); len(LEVELS) for anything else."""
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def below(level: str) -> str | None:
    """The next finer level (gemeente -> wijk), None for a buurt or an unknown level."""
    i = rank(level) + 1
    return LEVELS[i] if i < len(LEVELS) else None


def clean(code: object) -> str:
    """Strip CBS padding and upper-case; non-strings become ''."""
    return str(code).strip().upper() if isinstance(code, str) else ""


def level_of(code: str) -> str | None:
    """The level of a well-formed code, or None for anything else."""
    for level, pattern in _PATTERNS.items():
        if pattern.match(code or ""):
            return level
    return None


def is_valid(code: str, level: str | None = None) -> bool:
    found = level_of(code)
    return found is not None and (level is None or found == level)


def gemeente_of(code: str) -> str | None:
    lvl = level_of(code)
    if lvl in AREA_LEVELS:
        return PREFIXES["gemeente"] + code[2:6]
    return None


def wijk_of(code: str) -> str | None:
    lvl = level_of(code)
    if lvl == "wijk":
        return code
    if lvl == "buurt":
        return PREFIXES["wijk"] + code[2:8]
    return None


def parent_of(code: str) -> str | None:
    """The next level up: buurt -> wijk -> gemeente -> NL."""
    lvl = level_of(code)
    if lvl == "buurt":
        return wijk_of(code)
    if lvl == "wijk":
        return gemeente_of(code)
    if lvl == "gemeente":
        return NL_CODE
    return None


def chain(code: str) -> list[str]:
    """The code and all its ancestors, most specific first."""
    out: list[str] = []
    current: str | None = code
    while current:
        out.append(current)
        current = parent_of(current)
    return out


def reference_code(code: str, reference: str = "gemeente") -> str:
    """The area a comparison refers to: the area's gemeente, or the country (NL01) when `reference`
    asks for it or the area is itself a gemeente."""
    gm = gemeente_of(code)
    return gm if reference == "gemeente" and gm and gm != code else NL_CODE
