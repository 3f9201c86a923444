"""预算 · Budget: planned vs actual spend by category and channel, burn against the straight-line pace, the reserve."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opsplan.metrics.registry import get_metric
from opsplan.screens.plan import TOTAL, burn_lines
from opsplan.words import channel_label
from ui import data
from ui.frame import open_page
from ui.plan_view import burn_chart, judged_plan

page = open_page("page_budget", "budget.purpose")

plan = judged_plan(data.plan_state(page.wh), page.lang)
check = data.check(page.wh)
if check.budget is None:
    st.info(page.t("budget.no_budget"))
    st.stop()
b = check.budget
money = get_metric("spend").format

cols = st.columns(4)
cols[0].metric(page.t("budget.total"), money(b.total), border=True)
cols[1].metric(page.t("budget.spent"), money(b.actual), border=True)
cols[2].metric(page.t("budget.projected"), money(b.projected), border=True)
cols[3].metric(
    page.t("budget.reserve"), money(b.reserve_amount), f"{b.reserve_share:.0%}", "off", delta_arrow="off", border=True
)
spent_share = b.actual / b.spendable if b.spendable else 0.0
st.progress(min(1.0, spent_share), text=f"{page.t('plan_spent_share')} {spent_share:.0%}")
st.progress(min(1.0, b.elapsed_share), text=f"{page.t('budget.elapsed')} {b.elapsed_share:.0%}")

st.subheader(page.t("budget.lines"))
frame = b.frame()
table = pd.DataFrame(
    {
        page.t("budget.category"): frame["category"],
        "渠道" if page.lang == "zh" else "Channel": frame["channel"].map(
            lambda c: channel_label(c, page.lang) if isinstance(c, str) else "—"
        ),
        page.t("budget.planned"): frame["planned"].map(money),
        page.t("budget.actual"): frame["actual"].map(money),
        page.t("budget.burn_rate"): frame["burn"].map(lambda v: "—" if pd.isna(v) else f"{v:.0%}"),
        page.t("budget.pace"): frame["pace"].map(lambda v: "—" if pd.isna(v) else f"{v:.0%}"),
        page.t("budget.projected"): frame["projected"].map(money),
        page.t("budget.over"): frame["over_pace"].map(lambda v: "⚠️" if v else ""),
    }
)
over = [line for line in b.lines if line.channel and line.over_pace]
if over:
    st.warning(
        f"**{page.t('plan_over_pace_list')}**: "
        + "; ".join(f"{channel_label(x.channel, page.lang)} {x.pace:.0%}" for x in over)
        + f" ({page.t('plan_over_pace')})"
    )
st.dataframe(
    table.style.apply(
        lambda row: ["background-color: #fee2e2" if v else "" for v in [frame.loc[row.name, "over_pace"]] * len(row)],
        axis=1,
    ),
    hide_index=True,
    width="stretch",
)

st.subheader(page.t("budget.burn"))
assert plan.start and plan.end
through = min(check.date or plan.end, plan.end)
daily = data.metrics(page.wh, ["spend"], "day", plan.start, plan.end, by="channel")
burn = burn_lines(daily, b, plan.start, plan.end, through)
st.altair_chart(burn_chart(burn, page.lang, per_channel=False), width="stretch")
if (burn["channel"] != TOTAL).any():
    st.subheader(page.t("plan_burn_by_channel"))
    st.altair_chart(burn_chart(burn, page.lang, per_channel=True))
