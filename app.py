"""OpsPlan dashboard: page config, login, language, global filters and navigation.

app.py owns navigation, so the login guards every page, also one opened by its direct URL. The pages
live in pages/ and stay thin: they read the engine through ui/data.py and format with the registry.
"""

from __future__ import annotations

import logging

import streamlit as st

from opsplan.store.warehouse import WarehouseError
from opsplan.words import t
from ui import data
from ui.auth import is_allowed, show_access_note, show_login
from ui.frame import app_frame, app_navigation
from ui.state import language, sidebar_filters

logger = logging.getLogger("opsplan.app")

lang = language()
st.set_page_config(page_title=t("app.title", lang), page_icon="📈", layout="wide")
allowed = is_allowed()

navigation = app_navigation(lang, "sidebar" if allowed else "hidden")
if not allowed:
    show_login(lang)
    st.stop()
show_access_note(lang)


def frame() -> None:
    """The demo on an empty warehouse, the filters, then the page."""
    wh = data.current_warehouse()
    if data.bootstrap(wh):
        st.session_state["_demo_loaded_now"] = True
    data.ensure_plan_settings(wh)  # the plan's active / activation events reach every number before it is read
    first, through = data.data_window(wh)
    if first is None or through is None:
        st.warning(t("app.no_data", lang))
        return
    sidebar_filters(lang, first, through, data.channels(wh), data.campaigns(wh))
    st.sidebar.caption(t("app.data_and_plan", lang, day=through, plan=data.plan_path().name))
    if data.is_demo(wh):
        st.sidebar.caption(f"🧪 {t('app.demo_data', lang)}")
    if st.session_state.pop("_demo_loaded_now", False):
        st.info(t("app.demo_loaded", lang))
    navigation.run()


try:
    with app_frame():
        frame()
except WarehouseError as exc:  # the warehouse refuses (a .wal or unknown file beside it): no number is shown
    logger.error("page %s: %s", navigation.url_path, exc)  # the file and the steps to recover, for the admin
    st.error(t("app.warehouse_refused", lang))
except Exception:  # any error: a friendly line for the user; the details (SQL, paths) in the server log only
    logger.exception("page %s failed", navigation.url_path)
    st.error(t("app.page_error", lang))
