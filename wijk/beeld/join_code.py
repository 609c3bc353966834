"""A workshop's join code: its alphabet, length and normal form (no database: the beeld page and the
frame read a code from the URL without loading the workshop store)."""

from __future__ import annotations

JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
JOIN_CODE_LENGTH = 6


def normalise_code(code: str) -> str:
    """Upper-case the code and drop all whitespace ("ab c12 3" -> "ABC123")."""
    return "".join(str(code).split()).upper()
