# Sourced by start.sh and test.sh: make .venv (installing Debian's python3-venv if needed) and pip install
# the requirements at the exact versions CI tested (constraints.txt).
# Usage: ensure_venv REQUIREMENTS_FILE

# Python caches the bytecode of what it imports (__pycache__), unless PYTHONDONTWRITEBYTECODE is set, as it
# is on some machines (these sandboxes): then every new process - each server start, test worker and test
# server - compiles the ~600 modules it imports from source again (about 1 s of CPU per process).
unset PYTHONDONTWRITEBYTECODE
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

apt_install() {
  echo "==> apt-get install $*"
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

ensure_venv() {
  if [ ! -x .venv/bin/python ]; then
    if ! python3 -m venv .venv >/dev/null 2>&1; then
      rm -rf .venv
      apt_install python3-venv python3-pip
      python3 -m venv .venv
    fi
  fi
  echo "==> pip install -r $1 -c constraints.txt"
  # --no-compile: no bytecode for all ~6,000 installed modules up front (about 11 s of one core); Python
  # compiles (and caches) the ones a run imports when it first imports them
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-compile -r "$1" -c constraints.txt
}
