"""渠道 · Channels: which channel earns its money. A click on a row or on a point drills channel → campaign → day →
that day's cohort (each step a URL: Back steps up); money first (spend, 7-day ROI, CAC), each row's stop-loss
state, ROI by cohort day against the break-even and stop-loss lines, the funnel and its rates by channel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opsplan.screens import explore as ex
from opsplan.screens.plan import stop_loss_marks
from opsplan.words import channel_label
from ui import channels_view as cv
from ui import data
from ui.explore_view import daily_chart
from ui.frame import open_page
from ui.state import drill_to
from ui.widgets import metric_table, plain

page = open_page("nav.channels", "channels.purpose")

COLUMNS = ("spend", "roi_7d", "cac", "new_users", "revenue_7d", "signup_cvr", "ctr", "clicks", "impressions")
COLUMNS += ("revenue_30d", "roi_30d")
COMPARED = ("spend", "ctr", "signup_cvr", "new_users", "cac", "roi_7d")
f, lang = page.filters, page.lang
names = data.campaign_names(page.wh)
scope = {"channels": f.channels, "campaigns": f.campaigns}

if f.day:  # the last step: one day's cohort
    cv.cohort_view(page)
    st.stop()

by, key = ("campaign", "campaign_id") if f.channel or f.campaign else ("channel", "channel")
if f.campaign:  # a campaign: its days, a click on one opens that day's cohort
    st.subheader(page.t("channels.campaign", campaign=plain(names.get(f.campaign, f.campaign))))
    back = page.t("channels.back_channel", channel=channel_label(f.channel, lang)) if f.channel else None
    st.button(back or page.t("channels.back"), key="drill-up", on_click=drill_to, args=(f.channel,))
    days = data.metrics(page.wh, COLUMNS, "day", f.start, f.end, **scope).iloc[::-1].reset_index(drop=True)
    st.caption(page.t("drill.pick_day"))
    table = metric_table(days, COLUMNS, lang, keys=["date"])
    cv.drill_table(table, {}, list(pd.to_datetime(days["date"]).dt.date), cv.level_go(f.channel, f.campaign), "t-day")
else:
    if f.channel:
        st.subheader(page.t("channels.by_campaign", channel=channel_label(f.channel, lang)))
        st.button(page.t("channels.back"), key="drill-up", on_click=drill_to)
    else:
        st.subheader(page.t("channels.by_channel"))
    prev_start, prev_end = ex.previous_period(f.start, f.end)
    now = data.metrics(page.wh, COLUMNS, "total", f.start, f.end, by=by, **scope)
    before = data.metrics(page.wh, COLUMNS, "total", prev_start, prev_end, by=by, **scope)
    rows = ex.channel_rows(now, before, key, COLUMNS)
    marks = stop_loss_marks(data.check(page.wh), key, lang)
    table, tones = ex.channel_table(rows, COLUMNS, COMPARED, key, lang, names, marks)
    st.caption(page.t("drill.pick_row"))
    go, wide = cv.level_go(f.channel, None), [page.t("channels.stop_loss")]
    cv.drill_table(table, tones, rows[key].tolist(), go, f"t-{key}-{f.channel}", wide)
    st.caption(page.t("channels.previous", start=prev_start, end=prev_end))

cv.roi_section(page, by, key)
cv.why_section(page)

# day by day, the campaign phases behind the lines (from one channel down)
bands = ex.phase_bands(ex.phase_campaigns(data.campaigns(page.wh), f.channel, f.campaign), f.start, f.end)
st.subheader(page.t("channels.daily_phases" if not bands.empty else "channels.daily"))
by_day = None if f.channel or f.campaign else "channel"
daily = data.metrics(page.wh, ["spend", "new_users"], "day", f.start, f.end, by=by_day, **scope)
daily = ex.with_channel(daily) if by_day else daily
left, right = st.columns(2)
left.altair_chart(daily_chart(daily, "spend", lang, bands, by_day is not None), width="stretch")
right.altair_chart(daily_chart(daily, "new_users", lang, bands, by_day is not None), width="stretch")

cv.funnel_section(page)
