"""`pg_url` fixture: a PostgreSQL URL whose search_path is a fresh, empty schema.

The server is taken from WIJK_TEST_PG_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/test
(trust auth); where no server runs, scripts/test.sh installs and starts one and sets WIJK_TEST_PG_URL.
The test is skipped when no server answers within 3 s. Every test gets its own schema, named with its
pytest-xdist worker (``wijk_test_gw1_…``, ``wijk_test_main_…`` without -n), dropped afterwards: runs and
parallel workers never see each other's rows, and a schema left by a killed run says where it came from.
tests/unit/conftest.py re-exports it for the unit tests; elsewhere import it with
``from tests.unit.pg_fixture import pg_url  # noqa: F401``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CONNECT_TIMEOUT_S = 3
_unreachable: dict[str, str] = {}  # base URL -> skip reason, so only the first test waits


def _admin_engine(url: str):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}, poolclass=NullPool)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """Yield a postgresql+psycopg URL bound to a fresh schema; skip if no server is reachable."""
    from sqlalchemy import make_url, text
    from sqlalchemy.exc import SQLAlchemyError

    base = os.environ.get("WIJK_TEST_PG_URL") or DEFAULT_PG_URL
    if base in _unreachable:
        pytest.skip(_unreachable[base])
    admin = _admin_engine(base)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1, ... under pytest -n
    schema = f"wijk_test_{worker}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except (SQLAlchemyError, OSError) as exc:
        admin.dispose()
        where = make_url(base).render_as_string(hide_password=True)
        _unreachable[base] = (
            f"no PostgreSQL server on 127.0.0.1:5432; run scripts/test.sh (tried {where}: {type(exc).__name__})"
        )
        pytest.skip(_unreachable[base])
    url = make_url(base)
    options = " ".join(filter(None, [url.query.get("options"), f"-csearch_path={schema}"]))
    url = url.update_query_dict({"options": options})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
