"""Files the engine reads besides its code — the SQL of queries/ and the demo plan — found the same way from a
source checkout (the files themselves, so an edit shows at once) and from an installed wheel (package data)."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

_CHECKOUT = Path(__file__).resolve().parents[1]
#: where each folder travels in a wheel (pyproject.toml maps queries/ and data/ to these packages)
_PACKAGES = {"queries": "opsplan._queries", "data": "opsplan._data"}


def project_path(folder: str, name: str = "") -> Path:
    """``queries/`` or ``data/demo_plan.yaml``: the checkout's when it exists, else the installed package data."""
    here = _CHECKOUT / folder / name if name else _CHECKOUT / folder
    if here.exists():
        return here
    # a folder of data files is a namespace package (no __init__.py): its one location on disk
    spec = importlib.util.find_spec(_PACKAGES[folder])
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise FileNotFoundError(f"neither {here} nor the installed package {_PACKAGES[folder]} exists")
    return Path(locations[0]) / name if name else Path(locations[0])
