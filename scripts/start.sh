#!/usr/bin/env bash
# Install Wijkbeeld into .venv and start it on the embedded data: http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
ensure_venv requirements.txt
exec .venv/bin/python -m streamlit run app.py "$@"
