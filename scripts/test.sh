#!/usr/bin/env bash
# Install what the tests need, run the quality gate, then the whole suite (unit, AppTest, PostgreSQL, browser).
# - Python packages into .venv (requirements-dev.txt at the versions in constraints.txt)
# - Debian's chromium for the Playwright tests
# - PostgreSQL: a server already on 127.0.0.1:5432 is used; only where none runs is one installed and started.
# - the gate, each step stopping the run: ruff check, ruff format --check, mypy (wijk/, pages/ and app.py with pandas-stubs, settings in pyproject.toml)
# Arguments go to pytest (e.g. bash scripts/test.sh tests/unit -x).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh

pg_up() { python3 -c 'import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(("127.0.0.1",5432)))'; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! pg_up && ! command -v pg_ctlcluster >/dev/null 2>&1; then missing+=(postgresql); fi
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

if ! pg_up; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "==> starting PostgreSQL $version on 127.0.0.1:5432"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || $SUDO pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  # a fresh Debian cluster wants a password over TCP: give the test role one and tell the tests
  $SUDO -u postgres psql -q -c "ALTER USER postgres PASSWORD 'wijkbeeld-test'" 2>/dev/null \
    || su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'wijkbeeld-test'\""
  ($SUDO -u postgres createdb test 2>/dev/null || su postgres -c "createdb test" 2>/dev/null) || true
  export WIJK_TEST_PG_URL="postgresql+psycopg://postgres:wijkbeeld-test@127.0.0.1:5432/test"
fi

ensure_venv requirements-dev.txt

echo "==> ruff check"
.venv/bin/python -m ruff check .
echo "==> ruff format --check"
.venv/bin/python -m ruff format --check .
echo "==> mypy"
.venv/bin/python -m mypy

echo "==> pytest"
# unit tests and AppTests on two workers; the browser tests on one of them, in turn (see tests/browser/conftest.py)
exec .venv/bin/python -m pytest -q -n 2 --dist loadgroup "$@"
