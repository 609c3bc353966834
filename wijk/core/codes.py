"""CBS area codes: GM + 4 digits, WK + 6, BU + 8 characters, NL01 for the country.

Wijk and buurt parts may hold capitals (Amsterdam: WK0363AA, BU0363TA06).

A buurt's first six digits are its wijk, a wijk's first four its gemeente
(BU00140301 -> WK001403 -> GM0014). Codes are identity; names are for display.
"""

from __future__ import annotations

import re

NL_CODE = "NL01"
LEVELS = ("land", "gemeente", "wijk", "buurt")
_PATTERNS = {
    "gemeente": re.compile(r"^GM\d{4}$"),
    "wijk": re.compile(r"^WK\d{4}[0-9A-Z]{2}$"),
    "buurt": re.compile(r"^BU\d{4}[0-9A-Z]{4}$"),
    "land": re.compile(r"^NL01$"),
}


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
    if lvl in ("gemeente", "wijk", "buurt"):
        return "GM" + code[2:6]
    return None


def wijk_of(code: str) -> str | None:
    lvl = level_of(code)
    if lvl == "wijk":
        return code
    if lvl == "buurt":
        return "WK" + code[2:8]
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
