"""用户 · Users: how many come back and who they are — DAU/WAU/MAU, stickiness, lifecycle, silent users, profile mix."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from opsplan.charts import channel_scale
from opsplan.contract import PROFILE_COLUMNS
from opsplan.metrics import get_metric
from ui import data, leave_legacy_pages_mode
from ui.i18n import channel_label, t
from ui.state import filters
from ui.widgets import purpose

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

TEXT = {
    "purpose": (
        "有多少人在用、多少人回来：日活/周活/月活与粘性，新增 / 回访 / 召回 / 流失，"
        "沉默用户，以及新用户画像的月度变化。",
        "How many use the product and come back: DAU / WAU / MAU and stickiness, new / returning / resurrected / "
        "dormant, silent users, and the profile mix of new users month over month.",
    ),
    "active": ("活跃用户", "Active users"),
    "lifecycle": ("用户生命周期（按周）", "Lifecycle (by week)"),
    "silent": ("沉默用户（连续 {k} 天未活跃）", "Silent users (inactive for {k} days or more)"),
    "profile": ("新用户画像（按月）", "Profile of new users (by month)"),
    "attribute": ("维度", "Attribute"),
    "share": ("占比", "Share"),
    "week": ("周", "Week"),
    "month": ("月", "Month"),
    "users": ("人数", "Users"),
    "state": ("状态", "State"),
    "no_profile": ("用户表里没有画像字段。", "The users table has no profile columns."),
}
ATTRIBUTES = {
    "region": ("地区", "Region"),
    "city_tier": ("城市等级", "City tier"),
    "age_group": ("年龄段", "Age group"),
    "gender": ("性别", "Gender"),
    "platform": ("平台", "Platform"),
}
STATES = ("new_users", "returning_users", "resurrected_users", "dormant_users")


def tr(key: str, lang: str, **values: object) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**values)


f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_users", lang), tr("purpose", lang))
scope = {"channels": f.channels, "campaigns": f.campaigns}

# active users: the last value of each grain in the range, and the daily line
daily = data.metrics(wh, ["dau"], "day", f.start, f.end, **scope)
weekly = data.metrics(wh, ["wau"], "week", f.start, f.end, **scope)
monthly = data.metrics(wh, ["mau", "stickiness"], "month", f.start, f.end, **scope)
cols = st.columns(4)
for col, frame, name in (
    (cols[0], daily, "dau"),
    (cols[1], weekly, "wau"),
    (cols[2], monthly, "mau"),
    (cols[3], monthly, "stickiness"),
):
    m = get_metric(name)
    value = frame[name].iloc[-1] if not frame.empty else None
    col.metric(m.label(lang), m.format(value), help=m.definition, border=True)
st.subheader(tr("active", lang))
line = daily.copy()
line["date"] = pd.to_datetime(line["date"])
st.altair_chart(
    alt.Chart(line)
    .mark_area(opacity=0.5, line=True)
    .encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("dau:Q", title=get_metric("dau").label(lang)),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("dau:Q", format=",")],
    )
    .properties(height=220),
    width="stretch",
)

left, right = st.columns(2)
with left:
    st.subheader(tr("lifecycle", lang))
    life = data.metrics(wh, STATES, "week", f.start, f.end, **scope)
    long = life.melt(id_vars=["week"], value_vars=list(STATES), var_name="state", value_name="users")
    long["users"] = long["users"].astype(float)
    long.loc[long["state"] == "dormant_users", "users"] *= -1  # the ones we lost, below the axis
    long["state"] = long["state"].map(lambda s: get_metric(s).label(lang))
    st.altair_chart(
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("week:O", title=tr("week", lang)),
            y=alt.Y("users:Q", title=tr("users", lang)),
            color=alt.Color(
                "state:N",
                title=tr("state", lang),
                scale=alt.Scale(
                    domain=[get_metric(s).label(lang) for s in STATES],
                    range=["#2563eb", "#16a34a", "#f59e0b", "#dc2626"],
                ),
            ),
            tooltip=["week:O", "state:N", alt.Tooltip("users:Q", format=",")],
        )
        .properties(height=300),
        width="stretch",
    )
with right:
    plan, _ = data.plan()
    k = plan.silent_days if plan else 14
    st.subheader(tr("silent", lang, k=k))
    silent = data.silent(wh, k)
    if f.channel:
        silent = silent[silent["channel"] == f.channel]
    silent["channel_label"] = silent["channel"].map(lambda c: channel_label(c, lang))
    scale = channel_scale(sorted(silent["channel"].dropna().unique().tolist()))
    st.altair_chart(
        alt.Chart(silent)
        .mark_bar()
        .encode(
            y=alt.Y("channel_label:N", title=None, sort="-x"),
            x=alt.X("silent_users:Q", title=get_metric("silent_users").label(lang)),
            color=alt.Color("channel:N", scale=alt.Scale(**scale), legend=None),
            tooltip=["channel_label:N", alt.Tooltip("silent_users:Q", format=",")],
        )
        .properties(height=300),
        width="stretch",
    )

st.subheader(tr("profile", lang))
have = data.sql(wh, "SELECT column_name FROM information_schema.columns WHERE table_name = 'users'", ())
columns = [c for c in PROFILE_COLUMNS if c in set(have["column_name"])]
if not columns:
    st.info(tr("no_profile", lang))
    st.stop()
attribute = st.segmented_control(
    tr("attribute", lang),
    columns,
    default=columns[0],
    format_func=lambda c: ATTRIBUTES.get(c, (c, c))[0 if lang == "zh" else 1],
    key="profile_attribute",
)
attribute = attribute if attribute in columns else columns[0]
conds, params = ["signup_day BETWEEN ? AND ?"], [f.start.replace(day=1), f.end]
if f.channel:
    conds.append("channel = ?")
    params.append(f.channel)
if f.campaign:
    conds.append("campaign_id = ?")
    params.append(f.campaign)
mix = data.sql(
    wh,
    f"SELECT strftime(signup_day, '%Y-%m') AS month, coalesce(CAST({attribute} AS VARCHAR), '—') AS value, "
    f"count(*) AS users FROM users WHERE {' AND '.join(conds)} GROUP BY ALL ORDER BY ALL",
    params,
)
mix["share"] = mix["users"] / mix.groupby("month")["users"].transform("sum")
st.altair_chart(
    alt.Chart(mix)
    .mark_bar()
    .encode(
        x=alt.X("month:O", title=tr("month", lang)),
        y=alt.Y("share:Q", title=tr("share", lang), axis=alt.Axis(format=".0%"), stack="normalize"),
        color=alt.Color("value:N", title=ATTRIBUTES.get(attribute, (attribute, attribute))[0 if lang == "zh" else 1]),
        tooltip=["month:O", "value:N", alt.Tooltip("share:Q", format=".1%"), alt.Tooltip("users:Q", format=",")],
    )
    .properties(height=320),
    width="stretch",
)
