"""Sharing own datasets with colleagues: the database (SQLAlchemy Core; SQLite or PostgreSQL).

Nothing is written unless the user chooses to share. Only datasets that went through suppression
(`OwnDataset.suppressed_with` set) are accepted, and suppressed values are stored as NULL.
The URL rule is the project's: WIJK_DATABASE_URL, else SQLite under wijk.core.paths.local_dir().
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

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
    func,
    insert,
    select,
)

from wijk.core.db import database_url, make_engine
from wijk.core.owndata import OWN_PREFIX, OwnDataset, OwnIndicator

MAX_NAME = 80
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


class OwnDataStore:
    """Shared own datasets; the engine (and tables) are made on first use."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                engine = make_engine(self.url)
                metadata.create_all(engine)
                self._engine = engine
        return self._engine

    def dispose(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    def share(self, ds: OwnDataset, name: str, now: datetime | None = None) -> int:
        """Write a suppressed dataset under a name; returns its id. Refuses unsuppressed data."""
        if ds.suppressed_with is None:
            raise NotSuppressed("own data must be suppressed before it is shared")
        name = " ".join(str(name or "").split())[:MAX_NAME]
        if not name:
            raise ValueError("a shared dataset needs a name")
        v = ds.values
        bad = v["suppressed"].astype(bool) & v["value"].notna()
        if bad.any() or not v["indicator"].astype(str).str.startswith(OWN_PREFIX).all():
            raise NotSuppressed("inconsistent suppressed values")
        inds = json.dumps([ind.__dict__ for ind in ds.indicators])
        row = {
            "name": name,
            "source": ds.source,
            "indicators": inds,
            "count_threshold": ds.suppressed_with[0],
            "denominator_threshold": ds.suppressed_with[1],
            "created_at": now or datetime.now(UTC),
        }
        with self.engine.begin() as conn:
            key = conn.execute(insert(datasets).values(**row)).inserted_primary_key
            assert key is not None  # None only for an executemany; a single-row insert reports its key
            new_id = key[0]
            rows = [
                {
                    "dataset_id": new_id,
                    "code": str(c),
                    "year": int(y),
                    "indicator": str(i),
                    "value": None if bool(s) or pd.isna(x) else float(x),
                    "suppressed": bool(s),
                }
                for c, y, i, x, s in zip(v["code"], v["year"], v["indicator"], v["value"], v["suppressed"])
            ]
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
        frame = pd.DataFrame(rows, columns=["code", "year", "indicator", "value", "suppressed"])
        frame = frame.astype({"year": int, "value": float, "suppressed": bool})
        created = head["created_at"]
        return OwnDataset(
            head["name"],
            head["source"],
            inds,
            frame,
            suppressed_with=(head["count_threshold"], head["denominator_threshold"]),
            created=created.date().isoformat() if created else "",
        )
