"""Text files from Dutch offices: decode UTF-8 (with or without BOM) or Windows-1252; sniff ; , or tab."""
from __future__ import annotations

import csv


class NotText(ValueError):
    """The bytes are not text in one of the encodings we read."""


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding label); raises NotText for binary data or bytes no encoding fits."""
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


def sniff_separator(sample: str) -> str:
    """The column separator of a CSV sample (; , or tab); ',' when nothing tells."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return max(";,\t", key=first.count) if any(c in first for c in ";,\t") else ","
