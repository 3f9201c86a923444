"""预算 · Budget: planned vs actual spend by category and channel, burn against the straight-line pace, the reserve."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opsplan.metrics import get_metric
from opsplan.view_plan import TOTAL, burn_lines
from ui import data, leave_legacy_pages_mode
from ui.i18n import channel_label, t
from ui.plan_view import burn_chart, judged_plan
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
}


def tr(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_budget", lang), tr("purpose", lang))
plan = judged_plan(data.plan_state(wh), lang)
check = data.check(wh)
if check.budget is None:
    st.info(tr("no_budget", lang))
    st.stop()
b = check.budget
money = get_metric("spend").format

cols = st.columns(4)
cols[0].metric(tr("total", lang), money(b.total), border=True)
cols[1].metric(tr("spent", lang), money(b.actual), border=True)
cols[2].metric(tr("projected", lang), money(b.projected), border=True)
cols[3].metric(
    tr("reserve", lang), money(b.reserve_amount), f"{b.reserve_share:.0%}", "off", delta_arrow="off", border=True
)
spent_share = b.actual / b.spendable if b.spendable else 0.0
st.progress(min(1.0, spent_share), text=f"{t('plan_spent_share', lang)} {spent_share:.0%}")
st.progress(min(1.0, b.elapsed_share), text=f"{tr('elapsed', lang)} {b.elapsed_share:.0%}")

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
over = [line for line in b.lines if line.channel and line.over_pace]
if over:
    st.warning(
        f"**{t('plan_over_pace_list', lang)}**: "
        + "; ".join(f"{channel_label(x.channel, lang)} {x.pace:.0%}" for x in over)
        + f" ({t('plan_over_pace', lang)})"
    )
st.dataframe(
    table.style.apply(
        lambda row: ["background-color: #fee2e2" if v else "" for v in [frame.loc[row.name, "over_pace"]] * len(row)],
        axis=1,
    ),
    hide_index=True,
    width="stretch",
)

st.subheader(tr("burn", lang))
assert plan.start and plan.end
through = min(check.date or plan.end, plan.end)
daily = data.metrics(wh, ["spend"], "day", plan.start, plan.end, by="channel")
burn = burn_lines(daily, b, plan.start, plan.end, through)
st.altair_chart(burn_chart(burn, lang, per_channel=False), width="stretch")
if (burn["channel"] != TOTAL).any():
    st.subheader(t("plan_burn_by_channel", lang))
    st.altair_chart(burn_chart(burn, lang, per_channel=True))
