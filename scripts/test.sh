#!/usr/bin/env bash
# The README's second command: install everything the tests need, lint, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip "setuptools>=78.1.1"  # a new venv's setuptools has CVE-2024-6345
.venv/bin/python -m pip install -q -r requirements-dev.txt -e .
.venv/bin/python scripts/audit.py  # installed packages against security/advisories.toml: a known advisory fails
.venv/bin/ruff check .
.venv/bin/ruff format --check opsplan >/dev/null || echo "note: ruff format would reformat files in opsplan/"
if [ $# -gt 0 ]; then
  exec .venv/bin/python -m pytest "$@"
fi
# The whole suite: the browser tests (-m e2e) spend most of their time waiting on a Streamlit server and Chromium,
# so they run beside the rest, each run in a folder of its own; their report follows, and either failing fails.
e2e_log=$(mktemp)
e2e_tmp=$(mktemp -d)
rest_tmp=$(mktemp -d)
.venv/bin/python -m pytest -m e2e -p no:cacheprovider --basetemp "$e2e_tmp/t" >"$e2e_log" 2>&1 &
e2e_pid=$!
status=0
.venv/bin/python -m pytest -m "not e2e" --basetemp "$rest_tmp/t" || status=$?
e2e_status=0
wait "$e2e_pid" || e2e_status=$?
echo "── the browser tests (-m e2e), run beside the rest ──"
cat "$e2e_log"
rm -rf "$e2e_log" "$e2e_tmp" "$rest_tmp"
[ "$status" -eq 0 ] && [ "$e2e_status" -eq 0 ]
