"""周报 · Weekly review: the Monday meeting's report for an ISO week, ready to project or to download."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from opsplan.screens.review import last_complete_week, review_weeks, week_option
from ui import data
from ui.data_view import lazy_report, report
from ui.frame import open_page
from ui.plan_view import judged_plan

page = open_page("nav.review", "review.purpose")

plan = judged_plan(data.plan_state(page.wh), page.lang)
first, through = data.data_window(page.wh)
if first is None or through is None:
    st.warning(page.t("app.no_data"))
    st.stop()

weeks = review_weeks(first, through)
default = last_complete_week(first, through)
if st.session_state.get("week") not in weeks:
    st.session_state.pop("week", None)
week = st.selectbox(
    page.t("review.week"),
    weeks,
    index=weeks.index(default),
    key="week",
    width=320,
    format_func=lambda w: week_option(w, page.lang),
)
if dt.date.fromisoformat(f"{week}-7") > through:  # '2026-W03-7' is that week's Sunday
    st.caption(page.t("review.partial", through=through))

html = report(page.wh, week, "html", page.lang)  # rendered once per data version, week and language (cached)
buttons = st.container(horizontal=True)
buttons.download_button(
    page.t("review.md"),
    lazy_report(page.wh, week, "md", page.lang),  # made only when clicked: a rerun renders no Markdown
    file_name=f"opsplan-{week}-{page.lang}.md",
    mime="text/markdown",
    on_click="ignore",
    icon=":material/download:",
)
buttons.download_button(
    page.t("review.html"),
    html,  # the very page shown below
    file_name=f"opsplan-{week}-{page.lang}.html",
    mime="text/html",
    on_click="ignore",
    icon=":material/download:",
)
# The HTML report as it downloads, charts and colours included. An iframe, not st.html: its stylesheet (body,
# table, h2 …) stays inside and does not restyle the app; report.render escapes every data text, and the charts
# are SVG text vl-convert escaped, so a campaign name cannot add markup or script to it.
st.iframe(html, height="content", alt=page.t("speed.review_frame", week=week))
