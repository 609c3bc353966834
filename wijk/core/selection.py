"""The shared selection (area, year, language) and its URL form, validated on the way in.

URL: ?gemeente=GM0014&wijk=WK001403&buurt=BU00140301&jaar=2024&lang=nl. Nothing from the URL is
trusted: codes must be well-formed and exist in the data; a bad one gives a message and a fallback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from wijk.core import codes
from wijk.core.areas import AreaIndex
from wijk.core.i18n import DEFAULT_LANG, Message, valid_lang
from wijk.core.text import plain

DEFAULT_GEMEENTE = "GM0014"  # Groningen: where the product started
PARAMS = (*codes.AREA_LEVELS, "jaar", "lang")


@dataclass(frozen=True)
class Selection:
    gemeente: str
    wijk: str | None
    buurt: str | None
    jaar: int
    lang: str = DEFAULT_LANG

    @property
    def code(self) -> str:
        """The most specific chosen area."""
        return self.buurt or self.wijk or self.gemeente

    @property
    def level(self) -> str:
        return codes.level_of(self.code) or "gemeente"

    def to_query(self) -> dict[str, str]:
        q = {"gemeente": self.gemeente}
        if self.wijk:
            q["wijk"] = self.wijk
        if self.buurt:
            q["buurt"] = self.buurt
        q["jaar"] = str(self.jaar)
        q["lang"] = self.lang
        return q

    def with_area(self, code: str, areas: AreaIndex) -> Selection:
        """Select another area (any level), keeping the year where the area has it."""
        year = self.jaar if areas.exists(code, self.jaar) else max(areas.years_for(code) or [self.jaar])
        return replace(
            self,
            gemeente=codes.gemeente_of(code) or self.gemeente,
            wijk=codes.wijk_of(code),
            buurt=code if codes.level_of(code) == "buurt" else None,
            jaar=year,
        )


def _first(value: object) -> str:
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return plain(value)[:40] if value is not None else ""  # foreign text: shown only through wijk.core.text.md


def _parse_year(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


def parse_selection(
    params: Mapping[str, object], areas: AreaIndex, default_gemeente: str = DEFAULT_GEMEENTE
) -> tuple[Selection, list[Message]]:
    """Turn URL parameters into a valid Selection, with messages for whatever was wrong."""
    msgs: list[Message] = []
    lang = valid_lang(_first(params.get("lang")) or DEFAULT_LANG)
    raw = {k: _first(params.get(k)).upper() for k in codes.AREA_LEVELS}
    chosen: str | None = None
    for level in reversed(codes.AREA_LEVELS):  # the most specific code in the link wins
        code = raw[level]
        if not code:
            continue
        if not codes.is_valid(code, level):
            msgs.append(Message("msg_bad_code", {"code": code, "what": f"level_{level}"}))
        elif not areas.exists(code):
            msgs.append(Message("msg_unknown_code", {"code": code, "what": f"level_{level}"}))
        elif chosen is None:
            chosen = code
        elif code not in codes.chain(chosen):
            msgs.append(Message("msg_mismatch", {"code": chosen, "parent": code}))
    fallback = chosen is None
    if chosen is None:
        chosen = default_gemeente
    shown = "default_area" if fallback else chosen
    msgs = [
        Message(m.key, {**m.params, "fallback": shown}) if m.key in ("msg_bad_code", "msg_unknown_code") else m
        for m in msgs
    ]
    available = areas.years_for(chosen)
    requested_raw = _first(params.get("jaar"))
    requested = _parse_year(requested_raw)
    if requested is not None and requested in available:
        year = requested
    else:
        year = max(available) if available else max(areas.years())
        if requested_raw:
            key = "msg_year_moved" if requested in areas.years() else "msg_bad_year"
            msgs.append(Message(key, {"area": chosen, "year": requested_raw, "shown": str(year)}))
    sel = Selection(
        gemeente=codes.gemeente_of(chosen) or default_gemeente,
        wijk=codes.wijk_of(chosen),
        buurt=chosen if codes.level_of(chosen) == "buurt" else None,
        jaar=year,
        lang=lang,
    )
    return sel, msgs
