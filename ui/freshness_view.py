"""The stale-data notice: a page that judges "today" says so when its data is old or the last load failed,
instead of showing yesterday's verdict on last month's numbers as if it were current."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from opsplan.store.freshness import Freshness, expected_day, failures_signature, freshness_state
from opsplan.store.warehouse import Warehouse, warehouse_timezone
from opsplan.words import t
from ui.data import TTL, _version
from ui.widgets import plain


@st.cache_data(ttl=TTL, show_spinner=False)
def _zone(path: str, version: str) -> str:
    return warehouse_timezone(Warehouse(Path(path)))


@st.cache_data(ttl=TTL, show_spinner=False)
def _state(path: str, version: str, failures: tuple[int, int] | None, expected: dt.date) -> Freshness:
    # keyed on the failures file too: a refused load records a failure but leaves the data version as it was
    return freshness_state(Warehouse(Path(path)), expected=expected)


def freshness(wh: Warehouse) -> Freshness:
    """``freshness_state`` through the cache; the expected day is part of the key, so it turns at midnight."""
    version = _version(wh)
    expected = expected_day(_zone(str(wh.path), version))
    return _state(str(wh.path), version, failures_signature(wh), expected)


def notice_text(state: Freshness, lang: str, is_demo: bool) -> str | None:
    """The notice's plain text, or None when the data is current and no load failed since the last good one."""
    if not state.needs_notice:
        return None
    return state.message(lang) + (t("today.demo_suffix", lang) if is_demo else "")


def stale_notice(wh: Warehouse, lang: str, is_demo: bool) -> bool:
    """A warning when the data is behind the expected day or the last load failed (demo data too, marked as
    such); nothing when current. True when it warned: the page must then not show an all-clear as current."""
    text = notice_text(freshness(wh), lang, is_demo)
    if text:
        st.warning(plain(text))  # a reason quoting data must show as written
    return bool(text)
