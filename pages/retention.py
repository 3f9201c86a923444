"""留存 · Retention: do the users we buy stay — cohort heatmap 0..30 days, curves by channel, D1/D7/D30 trend."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from opsplan.charts import channel_scale
from opsplan.metrics import get_metric
from ui import data, leave_legacy_pages_mode
from ui.i18n import channel_label, t
from ui.state import filters
from ui.widgets import purpose

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

TEXT = {
    "purpose": (
        "买来的用户留不留得住：按注册日或注册周的同期群看第 0–30 天留存（空白格 = 还没到那一天），各渠道留存曲线，"
        "以及次日/7日/30日留存的走势。",
        "Do the users we buy stay: day-0..30 retention by signup day or week cohort (a blank cell has not "
        "happened yet), curves by channel, and the D1 / D7 / D30 trend.",
    ),
    "grain": ("同期群", "Cohorts"),
    "day": ("按日", "by day"),
    "week": ("按周", "by week"),
    "heatmap": ("同期群留存热力图", "Cohort retention heatmap"),
    "curves": ("各渠道留存曲线", "Retention curves by channel"),
    "trend": ("次日 / 7日 / 30日留存走势", "D1 / D7 / D30 retention trend"),
    "offset": ("注册后第 N 天", "Day N after signup"),
    "cohort": ("同期群", "Cohort"),
    "rate": ("留存率", "Retention"),
    "size": ("人数", "Users"),
}


def tr(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_retention", lang), tr("purpose", lang))

conds, params = ["cohort_date BETWEEN ? AND ?"], [f.start, f.end]
if f.channel:
    conds.append("channel = ?")
    params.append(f.channel)
if f.campaign:
    conds.append("campaign_id = ?")
    params.append(f.campaign)
where = " AND ".join(conds)
totals = data.metrics(
    wh,
    ["cohort_size", "retention_d1", "retention_d7", "retention_d30"],
    "total",
    f.start,
    f.end,
    channels=f.channels,
    campaigns=f.campaigns,
)
cards = st.columns(4)
for col, name in zip(cards, totals.columns, strict=True):
    m = get_metric(name)
    col.metric(
        m.label(lang), m.format(totals[name].iloc[0] if not totals.empty else None), help=m.definition, border=True
    )
grain = st.segmented_control(
    tr("grain", lang), ["day", "week"], default="day", format_func=lambda g: tr(g, lang), key="retention_grain"
)
cohort = "cohort_date" if grain != "week" else "CAST(date_trunc('week', cohort_date) AS DATE)"
cells = data.sql(
    wh,
    f"SELECT {cohort} AS cohort, day_offset, sum(cohort_size) AS size, sum(retained) AS retained, "
    f"sum(mature_size) AS mature FROM retention_curve WHERE {where} GROUP BY ALL ORDER BY ALL",
    params,
)
cells["rate"] = cells["retained"] / cells["mature"].where(cells["mature"] > 0)
cells["cohort"] = pd.to_datetime(cells["cohort"]).dt.strftime("%Y-%m-%d")

st.subheader(tr("heatmap", lang))
heat = cells[cells["day_offset"] > 0]
chart = (
    alt.Chart(heat)
    .mark_rect()
    .encode(
        x=alt.X("day_offset:O", title=tr("offset", lang)),
        y=alt.Y("cohort:O", title=tr("cohort", lang), sort="descending"),
        color=alt.Color(
            "rate:Q", title=tr("rate", lang), scale=alt.Scale(scheme="blues"), legend=alt.Legend(format=".0%")
        ),
        tooltip=[
            alt.Tooltip("cohort:O", title=tr("cohort", lang)),
            alt.Tooltip("day_offset:O", title="N"),
            alt.Tooltip("rate:Q", title=tr("rate", lang), format=".1%"),
            alt.Tooltip("size:Q", title=tr("size", lang), format=","),
        ],
    )
    .properties(height=max(200, 16 * heat["cohort"].nunique()))
)
st.altair_chart(chart, width="stretch")

left, right = st.columns(2)
with left:
    st.subheader(tr("curves", lang))
    cond = where.replace("cohort_date", "c.cohort_date")
    curves = data.sql(
        wh,
        f"SELECT channel, day_offset, sum(retained) / nullif(sum(mature_size), 0) AS rate FROM retention_curve c "
        f"WHERE {cond} AND day_offset > 0 GROUP BY ALL HAVING sum(mature_size) >= 30 ORDER BY ALL",
        params,
    )
    curves["channel_label"] = curves["channel"].map(lambda c: channel_label(c, lang))
    scale = channel_scale(sorted(curves["channel"].dropna().unique().tolist()))
    st.altair_chart(
        alt.Chart(curves)
        .mark_line()
        .encode(
            x=alt.X("day_offset:Q", title=tr("offset", lang)),
            y=alt.Y("rate:Q", title=tr("rate", lang), axis=alt.Axis(format=".0%")),
            color=alt.Color("channel:N", scale=alt.Scale(**scale), title=t("channel", lang)),
            tooltip=["channel_label:N", "day_offset:Q", alt.Tooltip("rate:Q", format=".1%")],
        )
        .properties(height=300),
        width="stretch",
    )
with right:
    st.subheader(tr("trend", lang))
    names = ["retention_d1", "retention_d7", "retention_d30"]
    trend = data.metrics(wh, names, "cohort", f.start, f.end, channels=f.channels, campaigns=f.campaigns)
    long = trend.melt(id_vars=["cohort"], value_vars=names, var_name="metric", value_name="rate").dropna()
    long["metric"] = long["metric"].map(lambda n: get_metric(n).label(lang))
    long["cohort"] = pd.to_datetime(long["cohort"])
    st.altair_chart(
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("cohort:T", title=tr("cohort", lang)),
            y=alt.Y("rate:Q", title=tr("rate", lang), axis=alt.Axis(format=".0%")),
            color=alt.Color("metric:N", title=None),
            tooltip=["metric:N", alt.Tooltip("cohort:T"), alt.Tooltip("rate:Q", format=".1%")],
        )
        .properties(height=300),
        width="stretch",
    )
