"""Streamlit-only helpers shared by the pages: cached engine calls keyed on the warehouse's data version.

It also closes a hole of Streamlit's multipage support: while a server has not yet run app.py's
``st.navigation``, it treats a folder named ``pages/`` the old way, and the very first request of a fresh
server to a direct URL (``/goals``) runs that page file on its own — without app.py's login. app.py runs
its frame inside ``frame_running()``; every page calls ``leave_legacy_pages_mode()`` first, and a page that
finds itself run without the frame turns the old mode off and reruns, so the run goes through app.py
(login, filters, navigation) like every other.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_FRAME = threading.local()  # one script thread per session run


@contextmanager
def frame_running() -> Iterator[None]:
    """Marks that app.py (login, filters, navigation) is running the page of this run."""
    _FRAME.active = True
    try:
        yield
    finally:
        _FRAME.active = False


def leave_legacy_pages_mode() -> None:
    """Called first by every page: rerun through app.py if the page was started without it."""
    if not getattr(_FRAME, "active", False):
        PagesManager.uses_pages_directory = False
        st.rerun()
