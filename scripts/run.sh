#!/usr/bin/env bash
# The README's first command: install, load the demo data when there is no warehouse yet, open the dashboard.
# The install runs when requirements.txt or pyproject.toml changed since the last one (a stamp in .venv/).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=.venv/.opsplan-installed
want="$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip "setuptools>=78.1.1"  # a new venv's setuptools has CVE-2024-6345
  .venv/bin/python -m pip install -q -r requirements.txt -e .
  echo "$want" > "$stamp"
fi
if [ ! -f "${OPSPLAN_DB:-data/opsplan.duckdb}" ]; then
  .venv/bin/opsplan --tz Asia/Shanghai demo
fi
echo "the command line: .venv/bin/opsplan --help  (or: source .venv/bin/activate, then opsplan …)"
exec .venv/bin/streamlit run app.py "$@"
