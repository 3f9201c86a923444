"""Layering: the engine never imports Streamlit (pages, ui/ and app.py may)."""

from __future__ import annotations

import subprocess
import sys


def test_cli_and_engine_import_without_streamlit() -> None:
    code = (
        "import sys, opsplan.cli.commands, opsplan.store.loading, opsplan.metrics.exports, opsplan.metrics.rollup\n"
        "import opsplan.store.views, opsplan.metrics.registry\n"
        "assert 'streamlit' not in sys.modules, 'opsplan imported streamlit'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_python_dash_m_opsplan_help() -> None:
    out = subprocess.run([sys.executable, "-m", "opsplan", "--help"], check=True, capture_output=True, text=True)
    assert "opsplan" in out.stdout and "metrics" in out.stdout
