"""Workshop store for the perception-versus-data workshop (pure logic, no Streamlit).

A facilitator creates a workshop (a join code plus a facilitator secret); participants join with
the code and get a private token; they commit a number per question before the facilitator
reveals it. Only SHA-256 hashes of the secret and tokens are stored, nicknames are optional.
SQLite (default, WAL) and PostgreSQL (``postgresql+psycopg://``) run through the same code.

`WorkshopStore` is a thin facade over one database: the facilitator's commands
(workshop_facilitator), the participant's commands (workshop_participant) and the read model
(workshop_read); the tables are in workshop_schema, the shared checks and records in
workshop_access. Callers import from here.
"""

from __future__ import annotations

from wijk.beeld.workshop_access import (
    JOIN_ALPHABET,
    JOIN_CODE_LENGTH,
    CreatedWorkshop,
    JoiningClosed,
    NotAllowed,
    ParticipantRow,
    ParticipantView,
    Refusal,
    UnknownWorkshop,
    WorkshopError,
    WorkshopFull,
    WorkshopInfo,
    normalise_code,
)
from wijk.beeld.workshop_facilitator import FacilitatorCommands
from wijk.beeld.workshop_participant import MAX_NICKNAME_CHARS, MAX_NOTE_CHARS, ParticipantCommands
from wijk.beeld.workshop_read import WorkshopReads
from wijk.beeld.workshop_schema import workshop_database
from wijk.core.db import database_url

__all__ = [
    "JOIN_ALPHABET",
    "JOIN_CODE_LENGTH",
    "MAX_NICKNAME_CHARS",
    "MAX_NOTE_CHARS",
    "CreatedWorkshop",
    "JoiningClosed",
    "NotAllowed",
    "ParticipantRow",
    "ParticipantView",
    "Refusal",
    "UnknownWorkshop",
    "WorkshopError",
    "WorkshopFull",
    "WorkshopInfo",
    "WorkshopStore",
    "normalise_code",
]


class WorkshopStore(FacilitatorCommands, ParticipantCommands, WorkshopReads):
    """All workshop state; safe to share between threads (one engine, short transactions).
    Its owner calls `dispose` when done with it."""

    def __init__(self, url: str | None = None) -> None:
        super().__init__(workshop_database(url or database_url("workshops")))
