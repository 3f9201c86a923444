"""目标 · Goals: every target of the plan with progress, pace, forecast, status and the reason."""

from __future__ import annotations

import streamlit as st

from opsplan import fmt
from opsplan.charts.goals import pace_chart
from opsplan.metrics.measure import metric_info
from opsplan.plan.model import TargetKind
from opsplan.screens.plan import kind_label, sorted_targets, targets_frame
from ui import data
from ui.frame import open_page
from ui.plan_view import judged_plan
from ui.widgets import label, scope_text, show, status_chip

page = open_page("nav.goals", "goals.purpose")

plan = judged_plan(data.plan_state(page.wh), page.lang)
check = data.check(page.wh)
names = data.campaign_names(page.wh)
targets = sorted_targets(check.targets)

st.subheader(page.t("goals.summary"))
st.dataframe(
    targets_frame(targets, page.lang, plan, names),
    hide_index=True,
    width="stretch",
    column_config={
        page.t("goals.progress"): st.column_config.ProgressColumn(
            format="percent", min_value=0.0, max_value=1.0, step=0.01
        ),
    },
)

for x in targets:
    with st.container(border=True):
        where = scope_text(x.scope, page.lang, names)
        st.markdown(f"#### {status_chip(x.status, page.lang)} · {label(x.metric, page.lang, plan)} · {where}")
        st.caption(f"{kind_label(x.kind, page.lang)} · {x.reason(page.lang)}")
        cols = st.columns(4)
        cols[0].metric(page.t("goals.actual"), show(x.metric, x.actual, plan))
        cols[1].metric(page.t("goals.target"), show(x.metric, x.target, plan))
        if x.kind is TargetKind.CUMULATIVE:
            cols[2].metric(page.t("goals.expected"), show(x.metric, x.expected, plan))
            cols[3].metric(page.t("goals.forecast"), show(x.metric, x.forecast, plan))
            if x.progress is not None:
                st.progress(min(1.0, max(0.0, x.progress)), text=f"{page.t('goals.progress')} {fmt.share(x.progress)}")
        elif x.trend is not None:
            cols[2].metric(page.t("goals.trend"), fmt.change(x.trend))
        if not x.series.empty and x.series["actual"].notna().any():
            named = {
                "label": label(x.metric, page.lang, plan),
                "unit": metric_info(x.metric, plan).unit,
            }  # nps, ugc_posts
            st.altair_chart(pace_chart(x.series, x.metric, page.lang, **named), width="stretch")
