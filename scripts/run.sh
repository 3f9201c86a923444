#!/usr/bin/env bash
# The README's first command: install, load the demo data when there is no warehouse yet, open the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip "setuptools>=78.1.1"  # a new venv's setuptools has CVE-2024-6345
.venv/bin/python -m pip install -q -r requirements.txt -e .
if [ ! -f "${OPSPLAN_DB:-data/opsplan.duckdb}" ]; then
  .venv/bin/opsplan --tz Asia/Shanghai demo
fi
exec .venv/bin/streamlit run app.py "$@"
