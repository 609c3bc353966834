"""Text files from Dutch offices: decode UTF-8 (with or without BOM), UTF-16 (Excel's 'Unicode text',
with a BOM or recognisable by its zero bytes) or Windows-1252; sniff ; , or tab."""

from __future__ import annotations

import csv


class NotText(ValueError):
    """The bytes are not text in one of the encodings we read."""


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding label); raises NotText for binary data or bytes no encoding fits."""
    utf16 = _utf16(data)
    if utf16:
        try:
            text = data.decode(utf16).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise NotText("encoding") from exc
        if "\x00" in text:
            raise NotText("binary")
        return text, "UTF-16"
    if b"\x00" in data:
        raise NotText("binary")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError as exc:
            raise NotText("encoding") from exc
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise NotText("encoding") from exc


def _utf16(data: bytes) -> str:
    """'utf-16' (BOM), 'utf-16-le' / 'utf-16-be' (zero bytes in every odd / even place), or ''."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return ""
    odd, even = sample[1::2], sample[0::2]
    if odd.count(0) == len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) == len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return ""


def sniff_separator(sample: str) -> str:
    """The column separator of a CSV sample (; , or tab); ',' when nothing tells."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return max(";,\t", key=first.count) if any(c in first for c in ";,\t") else ","
