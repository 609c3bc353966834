"""Own datasets in the database (SQLAlchemy Core; SQLite or PostgreSQL): shared, and kept for a link.

Two uses, one rule: only datasets that went through suppression (`OwnDataset.suppressed_with` set)
are accepted, only the aggregate columns (code, year, indicator, value, suppressed) are written,
and suppressed values are stored as NULL. The raw upload is never written.
- Shared with colleagues (`share`, `list_shared`, `load`): only when the user chooses to share.
- Kept for one browser link (`keep`, `restore`, `forget`): the session's active datasets under a
  random token (`new_token`, put in the URL as `eigen=`), so a reload finds them again. The
  database holds only a SHA-256 hash of the token; a set unused for KEEP_DAYS days is deleted.
The URL rule is the project's: WIJK_DATABASE_URL, else SQLite under wijk.core.paths.local_dir().
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from wijk.core.db import Database, database_url
from wijk.core.owndata import OWN_PREFIX, OwnDataset, OwnIndicator

MAX_NAME = 80
KEEP_DAYS = 30  # a kept set not opened for this long is deleted
TOKEN_BYTES = 24  # secrets.token_urlsafe(24): 32 URL-safe characters, 192 random bits
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
COLUMNS = ["code", "year", "indicator", "value", "suppressed"]  # the aggregate: all that is ever written
metadata = MetaData()

datasets = Table(
    "owndata_datasets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(MAX_NAME), nullable=False),
    Column("source", Text, nullable=False),
    Column("indicators", Text, nullable=False),  # JSON list of OwnIndicator fields
    Column("count_threshold", Integer, nullable=False),
    Column("denominator_threshold", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

values = Table(
    "owndata_values",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset_id", Integer, ForeignKey("owndata_datasets.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("code", String(16), nullable=False),
    Column("year", Integer, nullable=False),
    Column("indicator", String(80), nullable=False),
    Column("value", Float, nullable=True),  # NULL when suppressed
    Column("suppressed", Boolean, nullable=False),
)


kept = Table(
    "owndata_kept",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, index=True),  # sha256 of the link's token, never the token
    Column("position", Integer, nullable=False),
    Column("name", String(MAX_NAME), nullable=False),
    Column("source", Text, nullable=False),
    Column("indicators", Text, nullable=False),
    Column("count_threshold", Integer, nullable=False),
    Column("denominator_threshold", Integer, nullable=False),
    Column("created", String(10), nullable=False),  # the shared date of a dataset loaded from colleagues
    Column("used_at", DateTime(timezone=True), nullable=False, index=True),
)

kept_values = Table(
    "owndata_kept_values",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kept_id", Integer, ForeignKey("owndata_kept.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("code", String(16), nullable=False),
    Column("year", Integer, nullable=False),
    Column("indicator", String(80), nullable=False),
    Column("value", Float, nullable=True),  # NULL when suppressed
    Column("suppressed", Boolean, nullable=False),
)


class NotSuppressed(ValueError):
    """Refused: the dataset did not go through suppression."""


@dataclass(frozen=True)
class SharedInfo:
    id: int
    name: str
    source: str
    created_at: datetime
    n_indicators: int
    n_values: int
    thresholds: tuple[int, int]


def default_url() -> str:
    return database_url("owndata")


def new_token() -> str:
    """A fresh, unguessable key for one link's kept own data."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def valid_token(text: object) -> bool:
    """Whether URL text has the form of a token (anything else is never looked up)."""
    return isinstance(text, str) and TOKEN.fullmatch(text) is not None


def _token_hash(token: str) -> str:
    if not valid_token(token):
        raise ValueError("not a token")
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _checked(ds: OwnDataset) -> tuple[int, int]:
    """The thresholds of a dataset that may be written; refuses one that is not (consistently) suppressed."""
    if ds.suppressed_with is None:
        raise NotSuppressed("own data must be suppressed before it is written")
    v = ds.values
    bad = v["suppressed"].astype(bool) & v["value"].notna()
    if bad.any() or not v["indicator"].astype(str).str.startswith(OWN_PREFIX).all():
        raise NotSuppressed("inconsistent suppressed values")
    return ds.suppressed_with


def _value_rows(ds: OwnDataset, key: str, head_id: int) -> list[dict]:
    v = ds.values
    return [
        {
            key: head_id,
            "code": str(c),
            "year": int(y),
            "indicator": str(i),
            "value": None if bool(s) or pd.isna(x) else float(x),
            "suppressed": bool(s),
        }
        for c, y, i, x, s in zip(v["code"], v["year"], v["indicator"], v["value"], v["suppressed"])
    ]


def _frame(rows: Sequence) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"year": int, "value": float, "suppressed": bool})


class OwnDataStore:
    """Shared own datasets; the engine (and tables) are made on first use.

    The database machinery is the project's (`wijk.core.db.Database`): on SQLite, writes queue on
    the same per-file write lock as the workshop's (one lock per database file, whichever store
    writes). Owned by whoever made it (the app: one per server, `ui_link.db`); `dispose` ends it."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self._db = Database(self.url, metadata)

    @property
    def engine(self) -> Engine:
        return self._db.engine

    def dispose(self) -> None:
        self._db.dispose()

    def share(self, ds: OwnDataset, name: str, now: datetime | None = None) -> int:
        """Write a suppressed dataset under a name; returns its id. Refuses unsuppressed data."""
        thresholds = _checked(ds)
        name = " ".join(str(name or "").split())[:MAX_NAME]
        if not name:
            raise ValueError("a shared dataset needs a name")
        inds = json.dumps([ind.__dict__ for ind in ds.indicators])
        row = {
            "name": name,
            "source": ds.source,
            "indicators": inds,
            "count_threshold": thresholds[0],
            "denominator_threshold": thresholds[1],
            "created_at": now or datetime.now(UTC),
        }
        with self._db.write() as conn:
            key = conn.execute(insert(datasets).values(**row)).inserted_primary_key
            assert key is not None  # None only for an executemany; a single-row insert reports its key
            new_id = key[0]
            rows = _value_rows(ds, "dataset_id", new_id)
            if rows:
                conn.execute(insert(values), rows)
        return int(new_id)

    def list_shared(self) -> list[SharedInfo]:
        """All shared datasets, newest first."""
        n_values = select(values.c.dataset_id, func.count().label("n")).group_by(values.c.dataset_id).subquery()
        query = (
            select(datasets, n_values.c.n)
            .select_from(datasets.outerjoin(n_values, n_values.c.dataset_id == datasets.c.id))
            .order_by(datasets.c.created_at.desc(), datasets.c.id.desc())
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            SharedInfo(
                r["id"],
                r["name"],
                r["source"],
                r["created_at"],
                len(json.loads(r["indicators"])),
                int(r["n"] or 0),
                (r["count_threshold"], r["denominator_threshold"]),
            )
            for r in rows
        ]

    def load(self, dataset_id: int) -> OwnDataset:
        """One shared dataset as a OwnDataset (KeyError when there is none with this id)."""
        with self.engine.connect() as conn:
            head = conn.execute(select(datasets).where(datasets.c.id == int(dataset_id))).mappings().first()
            if head is None:
                raise KeyError(dataset_id)
            rows = conn.execute(
                select(values.c.code, values.c.year, values.c.indicator, values.c.value, values.c.suppressed)
                .where(values.c.dataset_id == head["id"])
                .order_by(values.c.id)
            ).all()
        inds = [OwnIndicator(**d) for d in json.loads(head["indicators"])]
        created = head["created_at"]
        return OwnDataset(
            head["name"],
            head["source"],
            inds,
            _frame(rows),
            suppressed_with=(head["count_threshold"], head["denominator_threshold"]),
            created=created.date().isoformat() if created else "",
        )

    def shared_datasets(self) -> list[OwnDataset]:
        """Every shared dataset (what any user of the server can see), for the check against differencing."""
        with self.engine.connect() as conn:
            heads = conn.execute(select(datasets).order_by(datasets.c.id)).mappings().all()
            rows = conn.execute(
                select(values.c.dataset_id, *[values.c[c] for c in COLUMNS]).order_by(values.c.id)
            ).all()
        by_id: dict[int, list] = {}
        for row in rows:
            by_id.setdefault(row[0], []).append(row[1:])
        return [
            OwnDataset(
                head["name"],
                head["source"],
                [OwnIndicator(**d) for d in json.loads(head["indicators"])],
                _frame(by_id.get(head["id"], [])),
                suppressed_with=(head["count_threshold"], head["denominator_threshold"]),
            )
            for head in heads
        ]

    def keep(self, token: str, active: list[OwnDataset], now: datetime | None = None) -> None:
        """Keep exactly these datasets under the link's token (replacing what it held); [] forgets it.

        Every dataset must be suppressed (NotSuppressed otherwise, and nothing is written); only the
        aggregate columns are stored. Sets unused for KEEP_DAYS days are deleted on the way."""
        token_hash = _token_hash(token)
        thresholds = [_checked(ds) for ds in active]
        now = now or datetime.now(UTC)
        with self._db.write() as conn:  # one transaction: drop what the token held, write the new set
            self._drop(conn, kept.c.token_hash == token_hash)
            self._drop(conn, kept.c.used_at < now - timedelta(days=KEEP_DAYS))
            for position, (ds, (count, den)) in enumerate(zip(active, thresholds)):
                row = {
                    "token_hash": token_hash,
                    "position": position,
                    "name": " ".join(ds.name.split())[:MAX_NAME],
                    "source": ds.source,
                    "indicators": json.dumps([ind.__dict__ for ind in ds.indicators]),
                    "count_threshold": count,
                    "denominator_threshold": den,
                    "created": ds.created[:10],
                    "used_at": now,
                }
                key = conn.execute(insert(kept).values(**row)).inserted_primary_key
                assert key is not None  # a single-row insert reports its key
                rows = _value_rows(ds, "kept_id", key[0])
                if rows:
                    conn.execute(insert(kept_values), rows)

    def restore(self, token: str, now: datetime | None = None) -> list[OwnDataset]:
        """The datasets kept under this token, in their order ([] when none: unknown, removed or expired).

        Opening them counts as use (the KEEP_DAYS clock starts again). Raises ValueError for text
        that is not a token."""
        token_hash = _token_hash(token)
        now = now or datetime.now(UTC)
        with self._db.write() as conn:  # opening counts as use: read and touch in one transaction
            heads = (
                conn.execute(
                    select(kept)
                    .where(kept.c.token_hash == token_hash, kept.c.used_at >= now - timedelta(days=KEEP_DAYS))
                    .order_by(kept.c.position, kept.c.id)
                )
                .mappings()
                .all()
            )
            out = []
            for head in heads:
                rows = conn.execute(
                    select(*[kept_values.c[c] for c in COLUMNS])
                    .where(kept_values.c.kept_id == head["id"])
                    .order_by(kept_values.c.id)
                ).all()
                out.append(
                    OwnDataset(
                        head["name"],
                        head["source"],
                        [OwnIndicator(**d) for d in json.loads(head["indicators"])],
                        _frame(rows),
                        suppressed_with=(head["count_threshold"], head["denominator_threshold"]),
                        created=head["created"],
                    )
                )
            if heads:
                conn.execute(update(kept).where(kept.c.token_hash == token_hash).values(used_at=now))
        return out

    def forget(self, token: str) -> None:
        """Delete everything kept under this token (the user's 'verwijderen')."""
        token_hash = _token_hash(token)
        with self._db.write() as conn:
            self._drop(conn, kept.c.token_hash == token_hash)

    @staticmethod
    def _drop(conn: Connection, where: ColumnElement[bool]) -> None:
        ids = select(kept.c.id).where(where)
        conn.execute(delete(kept_values).where(kept_values.c.kept_id.in_(ids)))
        conn.execute(delete(kept).where(where))
