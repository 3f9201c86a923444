"""The one opening of every page: ``page = open_page("nav.goals", "goals.purpose")``.

It enforces the login itself, so a page is guarded however it was reached. That matters because Streamlit
auto-discovers a folder named ``pages/``: until some session of a server has run app.py's ``st.navigation``,
the first request to a direct URL (``/goals``) runs the page file on its own, without app.py. A page run so
calls ``st.navigation`` itself (hidden: the old sidebar list of files disappears), which ends that mode for
the server — Streamlit ignores ``pages/`` once ``st.navigation`` is used — and then either shows the login and
stops, or, already signed in, reruns so that the run goes through app.py (filters, navigation) like any other.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import streamlit as st

from opsplan.store.warehouse import Warehouse
from opsplan.words import t
from ui import data
from ui.auth import is_allowed, show_login
from ui.state import Filters, filters, language
from ui.widgets import purpose

ROOT = Path(__file__).resolve().parents[1]

#: every page of the app: file, title key (opsplan.words), icon, default. app.py navigates these; test_frame checks
#: that no file in pages/ is missing here.
PAGES: tuple[tuple[str, str, str, bool], ...] = (
    ("pages/today.py", "nav.today", ":material/today:", True),
    ("pages/goals.py", "nav.goals", ":material/flag:", False),
    ("pages/channels.py", "nav.channels", ":material/campaign:", False),
    ("pages/retention.py", "nav.retention", ":material/grid_on:", False),
    ("pages/users.py", "nav.users", ":material/group:", False),
    ("pages/budget.py", "nav.budget", ":material/account_balance_wallet:", False),
    ("pages/initiatives.py", "nav.initiatives", ":material/checklist:", False),
    ("pages/alerts.py", "nav.alerts", ":material/notifications:", False),
    ("pages/review.py", "nav.review", ":material/summarize:", False),
    ("pages/data.py", "nav.data", ":material/database:", False),
)

_APP = threading.local()  # one script thread per session run


@contextmanager
def app_frame() -> Iterator[None]:
    """app.py runs its page inside this: the page then knows the login, filters and sidebar are done."""
    _APP.active = True
    try:
        yield
    finally:
        _APP.active = False


def app_navigation(lang: str, position: Literal["sidebar", "hidden"]) -> st.Page:
    """``st.navigation`` over PAGES (absolute paths: also right when a page file is the main script)."""
    pages = [st.Page(ROOT / path, title=t(key, lang), icon=icon, default=default) for path, key, icon, default in PAGES]
    return st.navigation(pages, position=position)


@dataclass(frozen=True)
class Page:
    """What a page needs from the frame: the global filters, its language, the warehouse, the data's last day."""

    filters: Filters
    wh: Warehouse
    through: dt.date

    @property
    def lang(self) -> str:
        return self.filters.lang

    def t(self, key: str, **values: object) -> str:
        """``opsplan.words.t`` in this page's language."""
        return t(key, self.lang, **values)


def _outside_app() -> None:
    """This page file runs without app.py (a direct URL on a fresh server): login or rerun through app.py."""
    lang = language()  # the same switch as app.py's login shows
    app_navigation(lang, "hidden")  # replaces the pages/ folder's sidebar list, and ends that mode for the server
    if not is_allowed():
        show_login(lang)
        st.stop()
    if st.session_state.pop("_frame_rerouted", False):  # no app.py to reach (a page file run as the main script)
        raise RuntimeError("a page runs inside app.py's navigation")
    st.session_state["_frame_rerouted"] = True
    st.rerun()


def open_page(title_key: str, purpose_key: str, *, dated: bool = False) -> Page:
    """Every page's first call: login enforced, then the page's title and purpose; ``dated`` adds the data's
    last day to the title (Today)."""
    if not getattr(_APP, "active", False):
        _outside_app()
    elif not is_allowed():  # app.py never runs a page before login: checked again all the same
        show_login(filters().lang if "_filters" in st.session_state else language())
        st.stop()
    st.session_state.pop("_frame_rerouted", None)
    f = filters()
    wh = data.current_warehouse()
    _, through = data.data_window(wh)
    assert through is not None  # app.py runs a page only on a warehouse with data
    page = Page(f, wh, through)
    purpose(page.t(title_key) + (f" · {through}" if dated else ""), page.t(purpose_key))
    return page
