"""Fixtures for the unit tests: `pg_url` (a real PostgreSQL server, or a skip with the reason)."""

from tests.unit.pg_fixture import pg_url  # noqa: F401  (re-exported as a fixture for every unit test)
