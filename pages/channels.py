"""渠道 · Channels: which channel earns its money — channel → campaign → day, against the previous period."""

from __future__ import annotations

import streamlit as st

from opsplan.metrics.registry import get_metric
from opsplan.screens.explore import change, funnel_metric_names, funnel_steps, phase_bands, previous_period
from opsplan.words import channel_label
from ui import data
from ui.explore_view import daily_chart, funnel_chart
from ui.frame import open_page
from ui.state import drill_to
from ui.widgets import metric_table, plain

page = open_page("page_channels", "ch_purpose")

COLUMNS = (
    "spend",
    "impressions",
    "ctr",
    "clicks",
    "signup_cvr",
    "new_users",
    "cac",
    "revenue_7d",
    "roi_7d",
    "revenue_30d",
    "roi_30d",
)
COMPARED = ("spend", "ctr", "signup_cvr", "new_users", "cac", "roi_7d")
campaigns = data.campaigns(page.wh)
names = campaigns.set_index("campaign_id")["name"].astype(str)
scope = {"channels": page.filters.channels, "campaigns": page.filters.campaigns}

# where we are: every channel, the campaigns of one channel, or the days of one campaign
if page.filters.campaign:
    st.subheader(page.t("ch_campaign", campaign=plain(names.get(page.filters.campaign, page.filters.campaign))))
    back = (
        page.t("ch_back_channel", channel=channel_label(page.filters.channel, page.lang))
        if page.filters.channel
        else page.t("ch_back")
    )
    st.button(back, key="drill-up", on_click=drill_to, args=(page.filters.channel,))
    days = data.metrics(page.wh, COLUMNS, "day", page.filters.start, page.filters.end, **scope)
    st.caption(page.t("ch_by_day"))
    st.dataframe(metric_table(days, COLUMNS, page.lang, keys=["date"]), hide_index=True, width="stretch")
else:
    by, key = ("campaign", "campaign_id") if page.filters.channel else ("channel", "channel")
    if page.filters.channel:
        st.subheader(page.t("ch_by_campaign", channel=channel_label(page.filters.channel, page.lang)))
        st.button(page.t("ch_back"), key="drill-up", on_click=drill_to)
    else:
        st.subheader(page.t("ch_by_channel"))
    prev_start, prev_end = previous_period(page.filters.start, page.filters.end)
    now = data.metrics(page.wh, COLUMNS, "total", page.filters.start, page.filters.end, by=by, **scope)
    before = data.metrics(page.wh, COLUMNS, "total", prev_start, prev_end, by=by, **scope)
    rows = now.merge(before[[key, *COLUMNS]], on=key, how="left", suffixes=("", "_prev"))
    rows = rows.sort_values(["spend", "new_users"], ascending=False, kind="stable").reset_index(drop=True)
    table = metric_table(rows, COLUMNS, page.lang, keys=[key])
    if key == "campaign_id":
        table.insert(1, page.t("ch_name"), rows["campaign_id"].map(lambda c: names.get(c, c or "—")))
    for name in COMPARED:  # each Δ right after its metric
        label = get_metric(name).label(page.lang)
        deltas = [change(name, a, b) or "—" for a, b in zip(rows[name], rows[f"{name}_prev"], strict=True)]
        table.insert(table.columns.get_loc(label) + 1, page.t("ch_change", name=label), deltas)
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(page.t("ch_previous", start=prev_start, end=prev_end))

    items = [x for x in rows[key].tolist() if isinstance(x, str) and x]  # organic users have no campaign
    if items:
        st.write(page.t("ch_drill"))
        cols = st.columns(min(6, len(items)))
        for i, item in enumerate(items):
            if key == "channel":
                label, args = channel_label(item, page.lang), (item,)
            else:
                label, args = plain(names.get(item, item)), (page.filters.channel, item)  # a name is data, not Markdown
            cols[i % len(cols)].button(label, key=f"drill-{item}", on_click=drill_to, args=args, width="stretch")

# day by day, with the campaign phases behind the lines
# (every campaign's bands at once would cover the whole axis: they show from one channel down)
shown = campaigns.iloc[0:0]
if page.filters.campaign:
    shown = campaigns[campaigns["campaign_id"] == page.filters.campaign]
elif page.filters.channel:
    shown = campaigns[campaigns["channel"] == page.filters.channel]
bands = phase_bands(shown, page.filters.start, page.filters.end)
st.subheader(page.t("ch_daily_phases" if not bands.empty else "ch_daily"))
by_channel = not (page.filters.channel or page.filters.campaign)
daily = data.metrics(
    page.wh,
    ["spend", "new_users"],
    "day",
    page.filters.start,
    page.filters.end,
    by="channel" if by_channel else None,
    **scope,
)
if by_channel:
    daily = daily[daily["channel"].notna()]
left, right = st.columns(2)
left.altair_chart(daily_chart(daily, "spend", page.lang, bands, by_channel), width="stretch")
right.altair_chart(daily_chart(daily, "new_users", page.lang, bands, by_channel), width="stretch")

# the funnel of the current scope
st.subheader(page.t("ch_funnel"))
steps = funnel_steps(
    data.metrics(page.wh, funnel_metric_names(), "total", page.filters.start, page.filters.end, **scope)
)
if steps:
    st.altair_chart(funnel_chart(steps, page.lang), width="stretch")
    st.caption(page.t("ch_funnel_note"))
else:
    st.info(page.t("no_data"))
