"""Cached reads of the engine. The cache key includes the warehouse path and its data version, so a
new load shows up on the next rerun and nothing is computed twice."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from opsplan.exports import export_metrics
from opsplan.status import freshness
from opsplan.warehouse import Warehouse, data_version, resolve_db


def current_warehouse() -> Warehouse:
    return resolve_db(None)


@st.cache_data(ttl=600, show_spinner=False)
def _report(path: str, version: str, name: str) -> pd.DataFrame:
    return export_metrics(Warehouse(Path(path)), name)


def report(wh: Warehouse, name: str) -> pd.DataFrame:
    return _report(str(wh.path), data_version(wh), name)


@st.cache_data(ttl=600, show_spinner=False)
def _freshness(path: str, version: str) -> pd.DataFrame:
    return freshness(Warehouse(Path(path)))


def table_freshness(wh: Warehouse) -> pd.DataFrame:
    return _freshness(str(wh.path), data_version(wh))
