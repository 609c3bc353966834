#!/usr/bin/env bash
# Rewrite constraints.txt from .venv after `bash scripts/test.sh` passed in it: the exact versions tested.
# Usage: bash scripts/freeze-constraints.sh [PYTHON]   (default .venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-.venv/bin/python}
{
  echo "# Exactly what the suite last passed with ($("$python" -c 'import platform; print("Python", platform.python_version(), platform.system(), platform.machine())')),"
  echo "# written by scripts/freeze-constraints.sh. Both README commands install with -c constraints.txt, so a fresh"
  echo "# machine gets the versions CI tested; the supported ranges are in requirements.txt and requirements-dev.txt."
  "$python" -m pip freeze --exclude-editable --disable-pip-version-check | grep -v ' @ '
} > constraints.txt.part
mv constraints.txt.part constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) pins"
