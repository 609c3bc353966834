"""Read the static HTML tables (wijk/ui/tables.py) back as DataFrames of the text a person sees
(entities decoded; the index as the first column when the rows have row headers, then set as index).
Shared by unit and app tests."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[str], list[list[str]], bool]] = []
        self.cell: list[str] | None = None
        self.row: list[str] = []
        self.head: list[str] = []
        self.body: list[list[str]] = []
        self.in_table = self.in_head = self.row_headers = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and "wb-table" in (a.get("class") or "").split():
            self.in_table, self.head, self.body, self.row_headers = True, [], [], False
        elif self.in_table and tag == "thead":
            self.in_head = True
        elif self.in_table and tag == "tr":
            self.row = []
        elif self.in_table and tag in ("th", "td"):
            self.cell = []
            self.row_headers |= tag == "th" and a.get("scope") == "row"

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if not self.in_table:
            return
        if tag in ("th", "td") and self.cell is not None:
            self.row.append("".join(self.cell))
            self.cell = None
        elif tag == "tr":
            if self.in_head:
                self.head = self.row
            else:
                self.body.append(self.row)
        elif tag == "thead":
            self.in_head = False
        elif tag == "table":
            self.tables.append((self.head, self.body, self.row_headers))
            self.in_table = False


def read_tables(html: str) -> list[pd.DataFrame]:
    """Every wb-table in `html`, in order."""
    p = _Parser()
    p.feed(html)
    out = []
    for head, body, row_headers in p.tables:
        frame = pd.DataFrame(body, columns=head)
        out.append(frame.set_index(head[0]) if row_headers else frame)
    return out
