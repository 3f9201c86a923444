"""渠道 · Channels: which channel earns its money — channel → campaign → day, against the previous period; money
first (spend, 7-day ROI, CAC: the stop-loss metric visible without scrolling) and each row's stop-loss state."""

from __future__ import annotations

import streamlit as st

from opsplan.screens import explore as ex
from opsplan.screens.plan import stop_loss_marks
from opsplan.words import channel_label
from ui import data
from ui.explore_view import daily_chart, funnel_chart
from ui.frame import open_page
from ui.state import drill_to
from ui.widgets import metric_table, plain, show_toned

page = open_page("nav.channels", "channels.purpose")

COLUMNS = ("spend", "roi_7d", "cac", "new_users", "revenue_7d", "signup_cvr", "ctr", "clicks", "impressions")
COLUMNS += ("revenue_30d", "roi_30d")
COMPARED = ("spend", "ctr", "signup_cvr", "new_users", "cac", "roi_7d")
f, lang = page.filters, page.lang
names = data.campaign_names(page.wh)
scope = {"channels": f.channels, "campaigns": f.campaigns}

# where we are: every channel, the campaigns of one channel, or the days of one campaign
if f.campaign:
    st.subheader(page.t("channels.campaign", campaign=plain(names.get(f.campaign, f.campaign))))
    back = (
        page.t("channels.back_channel", channel=channel_label(f.channel, lang))
        if f.channel
        else page.t("channels.back")
    )
    st.button(back, key="drill-up", on_click=drill_to, args=(f.channel,))
    days = data.metrics(page.wh, COLUMNS, "day", f.start, f.end, **scope)
    st.caption(page.t("channels.by_day"))
    st.dataframe(metric_table(days, COLUMNS, lang, keys=["date"]), hide_index=True, width="stretch")
else:
    by, key = ("campaign", "campaign_id") if f.channel else ("channel", "channel")
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
    show_toned(*ex.channel_table(rows, COLUMNS, COMPARED, key, lang, names, marks), [page.t("channels.stop_loss")])
    st.caption(page.t("channels.previous", start=prev_start, end=prev_end))

    items = ex.drill_items(rows, key)
    if items:
        st.write(page.t("channels.drill"))
        cols = st.columns(min(6, len(items)))
        for i, item in enumerate(items):
            if key == "channel":
                label, args = channel_label(item, lang), (item,)
            else:
                label, args = plain(names.get(item, item)), (f.channel, item)  # a name is data, not Markdown
            cols[i % len(cols)].button(label, key=f"drill-{item}", on_click=drill_to, args=args, width="stretch")

# day by day, with the campaign phases behind the lines (from one channel down)
bands = ex.phase_bands(ex.phase_campaigns(data.campaigns(page.wh), f.channel, f.campaign), f.start, f.end)
st.subheader(page.t("channels.daily_phases" if not bands.empty else "channels.daily"))
by_day = None if f.channel or f.campaign else "channel"
daily = data.metrics(page.wh, ["spend", "new_users"], "day", f.start, f.end, by=by_day, **scope)
daily = ex.with_channel(daily) if by_day else daily
left, right = st.columns(2)
left.altair_chart(daily_chart(daily, "spend", lang, bands, by_day is not None), width="stretch")
right.altair_chart(daily_chart(daily, "new_users", lang, bands, by_day is not None), width="stretch")

st.subheader(page.t("channels.funnel"))
steps = ex.funnel_steps(data.metrics(page.wh, ex.funnel_metric_names(), "total", f.start, f.end, **scope))
if steps:
    st.altair_chart(funnel_chart(steps, lang), width="stretch")
    st.caption(page.t("channels.funnel_note"))
else:
    st.info(page.t("app.no_data"))
