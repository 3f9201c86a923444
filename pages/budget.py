"""预算 · Budget: planned vs actual spend by category and channel, burn against the straight-line pace, the reserve."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from opsplan.metrics import get_metric
from ui import data, leave_legacy_pages_mode
from ui.i18n import channel_label, t
from ui.state import filters
from ui.widgets import purpose

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

TEXT = {
    "purpose": (
        "预算花得是否按计划：各类别与渠道的计划与实际、消耗进度、按时间应花到的线，以及预留金。",
        "Is the budget spent as planned: planned vs actual by category and channel, burn against the "
        "straight-line pace, and the reserve.",
    ),
    "no_budget": ("计划里没有预算。", "The plan has no budget."),
    "total": ("总预算", "Total budget"),
    "spent": ("已花费", "Spent"),
    "projected": ("期末预计", "Projected"),
    "reserve": ("预留金", "Reserve"),
    "elapsed": ("时间已过", "Time gone"),
    "lines": ("计划与实际", "Planned vs actual"),
    "burn": ("累计花费与计划进度", "Cumulative spend vs planned pace"),
    "category": ("类别", "Category"),
    "planned": ("计划", "Planned"),
    "actual": ("实际", "Actual"),
    "burn_rate": ("消耗", "Burn"),
    "pace": ("进度比", "Pace"),
    "over": ("超速", "Over pace"),
    "pace_line": ("计划进度", "Planned pace"),
}


def tr(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_budget", lang), tr("purpose", lang))
plan, _ = data.plan()
check = data.check(wh) if plan else None
if plan is None or check is None or check.budget is None:
    st.info(tr("no_budget", lang))
    st.stop()
b = check.budget
money = get_metric("spend").format

cols = st.columns(5)
cols[0].metric(tr("total", lang), money(b.total))
cols[1].metric(tr("spent", lang), money(b.actual), f"{b.actual / b.spendable:.0%}" if b.spendable else None, "off")
cols[2].metric(tr("projected", lang), money(b.projected))
cols[3].metric(tr("reserve", lang), money(b.reserve_amount), f"{b.reserve_share:.0%}", "off")
cols[4].metric(tr("elapsed", lang), f"{b.elapsed_share:.0%}")

st.subheader(tr("lines", lang))
frame = b.frame()
table = pd.DataFrame(
    {
        tr("category", lang): frame["category"],
        "渠道" if lang == "zh" else "Channel": frame["channel"].map(
            lambda c: channel_label(c, lang) if isinstance(c, str) else "—"
        ),
        tr("planned", lang): frame["planned"].map(money),
        tr("actual", lang): frame["actual"].map(money),
        tr("burn_rate", lang): frame["burn"].map(lambda v: "—" if pd.isna(v) else f"{v:.0%}"),
        tr("pace", lang): frame["pace"].map(lambda v: "—" if pd.isna(v) else f"{v:.0%}"),
        tr("projected", lang): frame["projected"].map(money),
        tr("over", lang): frame["over_pace"].map(lambda v: "⚠️" if v else ""),
    }
)
st.dataframe(table, hide_index=True, width="stretch")

st.subheader(tr("burn", lang))
assert plan.start and plan.end
daily = data.metrics(wh, ["spend"], "day", plan.start, plan.end, by="channel")
daily = daily[daily["date"] <= (check.date or plan.end)]
cumulative = daily.groupby("date", as_index=False)["spend"].sum().sort_values("date")
cumulative["spend"] = cumulative["spend"].cumsum()
days = pd.date_range(plan.start, plan.end).date
pace = pd.DataFrame({"date": days, "spend": [b.spendable * (i + 1) / len(days) for i in range(len(days))]})
actual_name, pace_name = tr("actual", lang), tr("pace_line", lang)
lines = pd.concat([cumulative.assign(series=actual_name), pace.assign(series=pace_name)])
lines["date"] = pd.to_datetime(lines["date"])
chart = (
    alt.Chart(lines)
    .mark_line()
    .encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("spend:Q", title=get_metric("spend").label(lang), axis=alt.Axis(format=",.0f")),
        color=alt.Color("series:N", title=None, scale=alt.Scale(range=["#2563eb", "#9ca3af"])),
        strokeDash=alt.StrokeDash("series:N", legend=None, scale=alt.Scale(range=[[1, 0], [6, 4]])),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("series:N"), alt.Tooltip("spend:Q", format=",.2f")],
    )
    .properties(height=320)
)
st.altair_chart(chart, width="stretch")
