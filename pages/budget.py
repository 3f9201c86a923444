"""预算 · Budget: planned vs actual spend by category and channel, burn against the straight-line pace, the reserve."""

from __future__ import annotations

import streamlit as st

from opsplan import fmt
from opsplan.metrics.registry import get_metric
from opsplan.screens.plan import TOTAL, budget_frame, burn_lines, over_pace_text
from ui import data
from ui.frame import open_page
from ui.plan_view import burn_chart, judged_plan

page = open_page("nav.budget", "budget.purpose")

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
reserve = fmt.share(b.reserve_share)
cols[3].metric(page.t("budget.reserve"), money(b.reserve_amount), reserve, "off", delta_arrow="off", border=True)
spent_share = b.actual / b.spendable if b.spendable else 0.0
st.progress(min(1.0, spent_share), text=f"{page.t('plan.spent_share')} {fmt.share(spent_share)}")
st.progress(min(1.0, b.elapsed_share), text=f"{page.t('budget.elapsed')} {fmt.share(b.elapsed_share)}")

st.subheader(page.t("budget.lines"))
table, over_rows = budget_frame(b, page.lang)
if over := over_pace_text(b, page.lang):
    st.warning(
        page.t(
            "plan.over_pace_warning", title=page.t("plan.over_pace_list"), channels=over, why=page.t("plan.over_pace")
        )
    )
red = "background-color: #fee2e2"
st.dataframe(
    table.style.apply(lambda row: [red if over_rows[row.name] else ""] * len(row), axis=1),
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
    st.subheader(page.t("plan.burn_by_channel"))
    st.altair_chart(burn_chart(burn, page.lang, per_channel=True))
