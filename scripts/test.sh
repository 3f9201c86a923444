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
exec .venv/bin/python -m pytest "$@"
