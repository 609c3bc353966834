"""Read the figure cards (wijk/profile/cards.py) back from their HTML as a person sees them: label,
value, lines, sign, definition and provenance, with entities decoded. Shared by unit and app tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Card:
    label: str = ""
    value: str = ""
    lines: list[str] = field(default_factory=list)
    sign: str = ""
    definition: str = ""  # the text under "Wat betekent dit?"
    provenance: str = ""  # all text of the provenance <details>, table included
    table: list[list[str]] = field(default_factory=list)  # provenance rows, header row first
    summaries: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The card as lines of text, label and value on one line ('Inwoners 1.325')."""
        parts = [f"{self.label} {self.value}", *self.lines, self.sign, self.definition, self.provenance]
        return "\n".join(p for p in parts if p)

    def facts(self, row: str) -> list[str]:
        """The provenance cells of one row ('CBS-tabel'): the area's first, then each reference's."""
        return next(r[1:] for r in self.table if r and r[0] == row)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[Card] = []
        self.missing: list[str] = []  # the lines under a grid that list the figures without a value
        self.stack: list[tuple[str, str]] = []
        self.row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = dict(attrs).get("class") or ""
        self.stack.append((tag, cls))
        if cls == "wb-card":
            self.cards.append(Card())
        elif tag == "tr":
            self.row = []
        elif tag in ("th", "td") and self.row is not None:
            self.row.append("")
        elif cls == "wb-card-line" and self.cards and not self._inside("details"):
            self.cards[-1].lines.append("")

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass
        if tag == "tr" and self.row is not None and self.cards:
            self.cards[-1].table.append(self.row)
            self.row = None

    def _inside(self, tag: str, cls: str | None = None) -> bool:
        return any(t == tag and (cls is None or c == cls) for t, c in self.stack)

    def handle_data(self, data: str) -> None:
        if self._inside("p", "wb-cards-missing"):
            self.missing.append(data)
            return
        if not self.cards or not self._inside("div", "wb-card"):
            return
        card = self.cards[-1]
        if self._inside("summary"):
            card.summaries.append(data)
        elif self._inside("details", "wb-card-prov"):
            card.provenance = " ".join(f"{card.provenance} {data}".split())
            if self.row is not None and self.row:
                self.row[-1] += data
        elif self._inside("details", "wb-card-def"):
            card.definition += data
        elif self._inside("p", "wb-card-label"):
            card.label += data
        elif self._inside("p", "wb-card-value"):
            card.value += data
        elif self._inside("p", "wb-card-sign"):
            card.sign += data
        elif self._inside("p", "wb-card-line"):
            card.lines[-1] += data


def read_cards(html: str) -> list[Card]:
    """Every card in the HTML, in order."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.cards


def read_missing(html: str) -> list[str]:
    """The lines under the grids that list the figures without a value, in order."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.missing
