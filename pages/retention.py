"""留存 · Retention: do the users we buy stay — the cohort table (day 0..30, week / month 0..12, % in every
cell), curves by channel, the D1/D7/D30 trend."""

from __future__ import annotations

import streamlit as st

from opsplan import fmt
from ui import explore_view as view
from ui.frame import open_page

page = open_page("nav.retention", "retention.purpose")

CARDS = ("cohort_size", "retention_d1", "retention_d7", "retention_d30")
TREND = ("retention_d1", "retention_d7", "retention_d30")
MIN_SHARE = 0.2  # a curve point needs this share of the channel's cohort users to have reached day N

view.metric_cards(view.totals(page, CARDS), page.lang)

st.subheader(page.t("retention.heatmap"))
grain = st.segmented_control(
    page.t("retention.grain"),
    ["day", "week", "month"],
    default="day",
    format_func=lambda g: page.t(f"retention.{g}"),
    key="retention_grain",
)
grain = grain if grain in ("week", "month") else "day"
shown = view.retention_table(page, grain)
if shown is None:
    st.info(page.t("retention.empty"))
    st.stop()
styled, partial_note = shown
st.dataframe(styled, hide_index=True, width="stretch")
st.caption(page.t("retention.table_note") + (f"  \n{partial_note}" if partial_note else ""))

left, right = st.columns(2)
with left:
    st.subheader(page.t("retention.curves"))
    st.altair_chart(view.retention_curve_chart(page, MIN_SHARE), width="stretch")
    st.caption(page.t("retention.curves_note", share=fmt.share(MIN_SHARE)))
with right:
    st.subheader(page.t("retention.trend"))
    st.altair_chart(view.retention_trend(page, TREND), width="stretch")
