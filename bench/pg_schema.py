"""A fresh PostgreSQL schema for one benchmark run (WIJK_TEST_PG_URL or 127.0.0.1:5432/test)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

PG_URL = os.environ.get("WIJK_TEST_PG_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_schema_url() -> tuple[str, Callable[[], None]]:
    """(URL whose search_path is a new schema, drop function); raises when no server answers."""
    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.pool import NullPool

    schema = f"wijk_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, poolclass=NullPool, connect_args={"connect_timeout": 3})
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()

    return url.render_as_string(hide_password=False), drop
