"""渠道 · Channels: which channel earns its money — channel → campaign → day, against the previous period."""

from __future__ import annotations

import streamlit as st

from opsplan.metrics import get_metric
from opsplan.view_explore import change, funnel_metric_names, funnel_steps, phase_bands, previous_period
from ui import data, leave_legacy_pages_mode
from ui.explore_view import daily_chart, funnel_chart
from ui.i18n import channel_label, t
from ui.state import drill_to, filters
from ui.widgets import metric_table, plain, purpose

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

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

f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_channels", lang), t("ch_purpose", lang))
campaigns = data.campaigns(wh)
names = campaigns.set_index("campaign_id")["name"].astype(str)
scope = {"channels": f.channels, "campaigns": f.campaigns}

# where we are: every channel, the campaigns of one channel, or the days of one campaign
if f.campaign:
    st.subheader(t("ch_campaign", lang, campaign=plain(names.get(f.campaign, f.campaign))))
    back = t("ch_back_channel", lang, channel=channel_label(f.channel, lang)) if f.channel else t("ch_back", lang)
    st.button(back, key="drill-up", on_click=drill_to, args=(f.channel,))
    days = data.metrics(wh, COLUMNS, "day", f.start, f.end, **scope)
    st.caption(t("ch_by_day", lang))
    st.dataframe(metric_table(days, COLUMNS, lang, keys=["date"]), hide_index=True, width="stretch")
else:
    by, key = ("campaign", "campaign_id") if f.channel else ("channel", "channel")
    if f.channel:
        st.subheader(t("ch_by_campaign", lang, channel=channel_label(f.channel, lang)))
        st.button(t("ch_back", lang), key="drill-up", on_click=drill_to)
    else:
        st.subheader(t("ch_by_channel", lang))
    prev_start, prev_end = previous_period(f.start, f.end)
    now = data.metrics(wh, COLUMNS, "total", f.start, f.end, by=by, **scope)
    before = data.metrics(wh, COLUMNS, "total", prev_start, prev_end, by=by, **scope)
    rows = now.merge(before[[key, *COLUMNS]], on=key, how="left", suffixes=("", "_prev"))
    rows = rows.sort_values(["spend", "new_users"], ascending=False, kind="stable").reset_index(drop=True)
    table = metric_table(rows, COLUMNS, lang, keys=[key])
    if key == "campaign_id":
        table.insert(1, t("ch_name", lang), rows["campaign_id"].map(lambda c: names.get(c, c or "—")))
    for name in COMPARED:  # each Δ right after its metric
        label = get_metric(name).label(lang)
        deltas = [change(name, a, b) or "—" for a, b in zip(rows[name], rows[f"{name}_prev"], strict=True)]
        table.insert(table.columns.get_loc(label) + 1, t("ch_change", lang, name=label), deltas)
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(t("ch_previous", lang, start=prev_start, end=prev_end))

    items = [x for x in rows[key].tolist() if isinstance(x, str) and x]  # organic users have no campaign
    if items:
        st.write(t("ch_drill", lang))
        cols = st.columns(min(6, len(items)))
        for i, item in enumerate(items):
            if key == "channel":
                label, args = channel_label(item, lang), (item,)
            else:
                label, args = plain(names.get(item, item)), (f.channel, item)  # a name is data, not Markdown
            cols[i % len(cols)].button(label, key=f"drill-{item}", on_click=drill_to, args=args, width="stretch")

# day by day, with the campaign phases behind the lines
# (every campaign's bands at once would cover the whole axis: they show from one channel down)
shown = campaigns.iloc[0:0]
if f.campaign:
    shown = campaigns[campaigns["campaign_id"] == f.campaign]
elif f.channel:
    shown = campaigns[campaigns["channel"] == f.channel]
bands = phase_bands(shown, f.start, f.end)
st.subheader(t("ch_daily_phases" if not bands.empty else "ch_daily", lang))
by_channel = not (f.channel or f.campaign)
daily = data.metrics(wh, ["spend", "new_users"], "day", f.start, f.end, by="channel" if by_channel else None, **scope)
if by_channel:
    daily = daily[daily["channel"].notna()]
left, right = st.columns(2)
left.altair_chart(daily_chart(daily, "spend", lang, bands, by_channel), width="stretch")
right.altair_chart(daily_chart(daily, "new_users", lang, bands, by_channel), width="stretch")

# the funnel of the current scope
st.subheader(t("ch_funnel", lang))
steps = funnel_steps(data.metrics(wh, funnel_metric_names(), "total", f.start, f.end, **scope))
if steps:
    st.altair_chart(funnel_chart(steps, lang), width="stretch")
    st.caption(t("ch_funnel_note", lang))
else:
    st.info(t("no_data", lang))
