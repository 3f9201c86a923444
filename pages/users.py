"""用户 · Users: how many come back and who they are — DAU/WAU/MAU, stickiness, lifecycle, silent users, profile mix."""

from __future__ import annotations

import streamlit as st

from ui import data
from ui import explore_view as view
from ui.frame import open_page

page = open_page("nav.users", "users.purpose")

PROFILE_MONTHS = 6  # the profile mix shows the months up to the range's end, month over month
window = data.data_window(page.wh)

# active users: the last day, the last complete week and month of the range, and the daily line
active = view.active_users(page, window)
view.metric_cards(active.cards, page.lang)
st.caption(active.note)
st.subheader(page.t("users.active"))
st.altair_chart(active.chart, width="stretch")

left, right = st.columns(2)
with left:
    st.subheader(page.t("users.lifecycle"))
    chart, note = view.lifecycle(page, window)
    st.altair_chart(chart, width="stretch")
    st.caption(note)
with right:
    plan, _ = data.plan()
    k = plan.silent_days if plan else 14
    st.subheader(page.t("users.silent", k=k))
    total, chart = view.silent(page, k)
    st.metric(page.t("users.silent_all"), total)
    st.altair_chart(chart, width="stretch")
    st.caption(page.t("users.silent_note"))

st.subheader(page.t("users.profile"))
columns = view.profile_attributes(page.wh)
if not columns:
    st.info(page.t("users.no_profile"))
    st.stop()
attribute = st.segmented_control(
    page.t("users.attribute"),
    columns,
    default=columns[0],
    format_func=lambda c: page.t(f"explore.attr_{c}"),
    key="profile_attribute",
)
attribute = attribute if attribute in columns else columns[0]
profile = view.profile(page, attribute, PROFILE_MONTHS, window)
st.altair_chart(profile.chart, width="stretch")
st.caption(profile.note)
st.dataframe(profile.table, hide_index=True, width="stretch")
