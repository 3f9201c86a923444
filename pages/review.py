"""周报 · Weekly review: the Monday meeting's report for an ISO week, ready to project or to download."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from opsplan.view_data import last_complete_week, review_weeks
from ui import data, leave_legacy_pages_mode
from ui.data_view import report
from ui.i18n import t
from ui.plan_view import judged_plan
from ui.state import filters
from ui.widgets import purpose

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_review", lang), t("review_purpose", lang))
plan = judged_plan(data.plan_state(wh), lang)
first, through = data.data_window(wh)
if first is None or through is None:
    st.warning(t("no_data", lang))
    st.stop()

weeks = review_weeks(first, through)
default = last_complete_week(first, through)
if st.session_state.get("week") not in weeks:
    st.session_state.pop("week", None)
week = st.selectbox(t("review_week", lang), weeks, index=weeks.index(default), key="week", width=320)
if dt.date.fromisoformat(f"{week}-7") > through:  # '2026-W03-7' is that week's Sunday
    st.caption(t("review_partial", lang, through=through))

markdown = report(wh, week, "md", lang)
buttons = st.container(horizontal=True)
buttons.download_button(
    t("review_md", lang),
    markdown,
    file_name=f"opsplan-{week}-{lang}.md",
    mime="text/markdown",
    on_click="ignore",
    icon=":material/download:",
)
buttons.download_button(
    t("review_html", lang),
    report(wh, week, "html", lang),
    file_name=f"opsplan-{week}-{lang}.html",
    mime="text/html",
    on_click="ignore",
    icon=":material/download:",
)
st.divider()
with st.container(border=True):
    st.markdown(markdown)  # no unsafe_allow_html: any HTML inside the data (a campaign name) shows as text
