"""Layering: the engine never imports Streamlit (pages, ui/ and app.py may): every module of opsplan/ is
imported in a fresh interpreter. The rest of the layering is tests/test_layers.py and the ruff configs."""

from __future__ import annotations

import subprocess
import sys


def test_cli_and_engine_import_without_streamlit() -> None:
    code = (
        "import importlib, pkgutil, sys, opsplan\n"
        "for m in pkgutil.walk_packages(opsplan.__path__, 'opsplan.'):\n"
        "    if m.name != 'opsplan.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "assert 'streamlit' not in sys.modules, 'opsplan imported streamlit'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_python_dash_m_opsplan_help() -> None:
    out = subprocess.run([sys.executable, "-m", "opsplan", "--help"], check=True, capture_output=True, text=True)
    assert "opsplan" in out.stdout and "metrics" in out.stdout
