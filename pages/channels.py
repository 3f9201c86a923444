"""渠道 · Channels: which channel is burning money — channel → campaign → day, against the previous period."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from opsplan.charts import channel_scale
from opsplan.metrics import get_metric
from ui import data, leave_legacy_pages_mode
from ui.i18n import channel_label, t
from ui.state import drill_to, filters
from ui.widgets import metric_table, purpose

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

COLUMNS = (
    "spend",
    "impressions",
    "ctr",
    "clicks",
    "signup_cvr",
    "new_users",
    "cac",
    "revenue",
    "revenue_7d",
    "roi_7d",
    "roi_30d",
)
COMPARED = ("spend", "new_users", "cac", "roi_7d")
FUNNEL_STEPS = ("impressions", "clicks", "new_users", "activated", "paid_7d")
PHASES = {"preheat": ("预热", "preheat"), "burst": ("爆发", "burst"), "longtail": ("长尾", "long tail")}
PHASE_COLORS = {"preheat": "#fde68a", "burst": "#fca5a5", "longtail": "#bfdbfe"}
TEXT = {
    "purpose": (
        "按渠道 → 活动 → 天下钻：花费、点击、转化、获客成本和 ROI，对比上一个同长度周期；点按钮进入下一层。",
        "Drill down channel → campaign → day: spend, clicks, conversion, CAC and ROI against the previous "
        "period of the same length; press a button to go one level down.",
    ),
    "by_channel": ("各渠道", "By channel"),
    "by_campaign": ("{channel} 的各活动", "Campaigns of {channel}"),
    "campaign": ("活动 {campaign}", "Campaign {campaign}"),
    "previous": ("对比上期 {start} – {end}", "vs previous period {start} – {end}"),
    "drill": ("下钻", "Drill down"),
    "back": ("← 返回全部渠道", "← All channels"),
    "back_channel": ("← 返回 {channel}", "← Back to {channel}"),
    "daily": ("每日趋势（底色为活动阶段）", "Day by day (shaded: campaign phases)"),
    "funnel": ("转化漏斗", "Funnel"),
    "step_rate": ("转化率", "Step rate"),
    "change": ("环比 {name}", "Δ {name}"),
}


def tr(key: str, lang: str, **values: object) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**values)


def _change(now: pd.Series, before: pd.Series) -> pd.Series:
    return pd.Series(
        [
            None if pd.isna(a) or pd.isna(b) or float(b) == 0 else f"{(float(a) - float(b)) / abs(float(b)):+.0%}"
            for a, b in zip(now, before, strict=True)
        ],
        index=now.index,
    )


f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_channels", lang), tr("purpose", lang))
days = (f.end - f.start).days + 1
prev_end = f.start - dt.timedelta(days=1)
prev_start = prev_end - dt.timedelta(days=days - 1)
campaigns = data.campaigns(wh)

# where we are: all channels, one channel, one campaign
if f.campaign:
    level, by, key = "campaign", None, None
    name = campaigns.set_index("campaign_id")["name"].get(f.campaign, f.campaign)
    st.subheader(tr("campaign", lang, campaign=name))
    st.button(
        tr("back_channel", lang, channel=channel_label(f.channel, lang)) if f.channel else tr("back", lang),
        on_click=drill_to,
        args=(f.channel,),
    )
elif f.channel:
    level, by, key = "channel", "campaign", "campaign_id"
    st.subheader(tr("by_campaign", lang, channel=channel_label(f.channel, lang)))
    st.button(tr("back", lang), on_click=drill_to)
else:
    level, by, key = "all", "channel", "channel"
    st.subheader(tr("by_channel", lang))
st.caption(tr("previous", lang, start=prev_start, end=prev_end))

now = data.metrics(wh, COLUMNS, "total", f.start, f.end, by=by, channels=f.channels, campaigns=f.campaigns)
before = data.metrics(wh, COLUMNS, "total", prev_start, prev_end, by=by, channels=f.channels, campaigns=f.campaigns)
keys = [k for k in ("channel", "campaign_id") if k in now.columns]
if by == "campaign":
    keys = ["campaign_id"]
if keys:
    merged = now.merge(before, on=keys, how="left", suffixes=("", "_prev"))
else:
    merged = pd.concat([now, before.add_suffix("_prev")], axis=1)
if "spend" in merged:
    merged = merged.sort_values("spend", ascending=False, kind="stable").reset_index(drop=True)
table = metric_table(merged, COLUMNS, lang, keys=keys)
if by == "campaign":
    names = campaigns.set_index("campaign_id")["name"]
    table.insert(1, "名称" if lang == "zh" else "Name", merged["campaign_id"].map(lambda c: str(names.get(c, c))))
for name in COMPARED:
    table[tr("change", lang, name=get_metric(name).label(lang))] = _change(merged[name], merged[f"{name}_prev"])
st.dataframe(table, hide_index=True, width="stretch")

if key:  # one button per row to go one level down
    st.caption(tr("drill", lang))
    items = [x for x in merged[key].tolist() if isinstance(x, str) and x]
    cols = st.columns(min(6, max(1, len(items))))
    for i, item in enumerate(items):
        if key == "channel":
            cols[i % len(cols)].button(channel_label(item, lang), key=f"drill-{item}", on_click=drill_to, args=(item,))
        else:
            label = str(campaigns.set_index("campaign_id")["name"].get(item, item))
            cols[i % len(cols)].button(label, key=f"drill-{item}", on_click=drill_to, args=(f.channel, item))

# day by day, campaign phases behind the lines
st.subheader(tr("daily", lang))
series_by = "channel" if level == "all" else None
daily = data.metrics(
    wh, ["spend", "new_users"], "day", f.start, f.end, by=series_by, channels=f.channels, campaigns=f.campaigns
)
shown = campaigns
if f.campaign:
    shown = campaigns[campaigns["campaign_id"] == f.campaign]
elif f.channel:
    shown = campaigns[campaigns["channel"] == f.channel]
phases = shown.dropna(subset=["phase", "start_date", "end_date"]).copy()
phases["start"] = pd.to_datetime(phases["start_date"]).clip(lower=pd.Timestamp(f.start))
phases["stop"] = pd.to_datetime(phases["end_date"]).clip(upper=pd.Timestamp(f.end)) + pd.Timedelta(days=1)
phases = phases[phases["start"] < phases["stop"]]
phases["phase_label"] = phases["phase"].map(lambda p: PHASES.get(p, (p, p))[0 if lang == "zh" else 1])
charts = []
for metric in ("spend", "new_users"):
    m = get_metric(metric)
    frame = daily.copy()
    frame["date"] = pd.to_datetime(frame["date"])
    base = alt.Chart(frame).encode(x=alt.X("date:T", title=None))
    if series_by:
        frame["channel_label"] = frame["channel"].map(lambda c: channel_label(c, lang))
        scale = channel_scale(sorted(frame["channel"].dropna().unique().tolist()))
        line = (
            alt.Chart(frame)
            .mark_line()
            .encode(
                x=alt.X("date:T", title=None),
                y=alt.Y(f"{metric}:Q", title=m.label(lang)),
                color=alt.Color("channel:N", scale=alt.Scale(**scale), title=t("channel", lang)),
                tooltip=["channel_label:N", alt.Tooltip("date:T"), alt.Tooltip(f"{metric}:Q", format=",.2f")],
            )
        )
    else:
        line = base.mark_line(point=True, color="#111827").encode(
            y=alt.Y(f"{metric}:Q", title=m.label(lang)),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip(f"{metric}:Q", format=",.2f")],
        )
    layers: list[alt.Chart] = []
    if not phases.empty and level != "all":
        layers.append(
            alt.Chart(phases)
            .mark_rect(opacity=0.35)
            .encode(
                x="start:T",
                x2="stop:T",
                color=alt.Color(
                    "phase_label:N",
                    title="阶段" if lang == "zh" else "Phase",
                    scale=alt.Scale(
                        domain=[PHASES[p][0 if lang == "zh" else 1] for p in PHASE_COLORS],
                        range=list(PHASE_COLORS.values()),
                    ),
                ),
                tooltip=["name:N", "phase_label:N", "start_date:T", "end_date:T"],
            )
        )
    layers.append(line)
    charts.append(alt.layer(*layers).resolve_scale(color="independent").properties(height=260))
left, right = st.columns(2)
left.altair_chart(charts[0], width="stretch")
right.altair_chart(charts[1], width="stretch")

# the funnel of the current scope
st.subheader(tr("funnel", lang))
funnel = data.metrics(wh, FUNNEL_STEPS, "total", f.start, f.end, channels=f.channels, campaigns=f.campaigns)
if not funnel.empty:
    row = funnel.iloc[0]
    steps = pd.DataFrame(
        {
            "step": [get_metric(s).label(lang) for s in FUNNEL_STEPS],
            "value": [0 if pd.isna(row[s]) else float(row[s]) for s in FUNNEL_STEPS],
        }
    )
    steps["rate"] = [None] + [
        (b / a if a else None) for a, b in zip(steps["value"][:-1], steps["value"][1:], strict=True)
    ]
    steps["text"] = [
        f"{v:,.0f}" + ("" if r is None or pd.isna(r) else f"  ({r:.1%})")
        for v, r in zip(steps["value"], steps["rate"], strict=True)
    ]
    order = steps["step"].tolist()
    bars = alt.Chart(steps).encode(
        y=alt.Y("step:N", sort=order, title=None), x=alt.X("value:Q", title=None, scale=alt.Scale(type="symlog"))
    )
    st.altair_chart(
        (bars.mark_bar(color="#2563eb") + bars.mark_text(align="left", dx=4).encode(text="text:N")).properties(
            height=40 * len(steps)
        ),
        width="stretch",
    )
    st.caption(
        "括号内为相对上一步的转化率；激活与7日付费按成熟同期群计算。"
        if lang == "zh"
        else "In brackets: the rate from the step before; activation and 7-day payment count mature cohorts only."
    )
