"""目标 · Goals: every target of the plan with progress, pace, forecast, status and the reason."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opsplan.charts.builders import pace_chart
from opsplan.plan.evaluate import Status
from opsplan.plan.model import TargetKind
from ui import data
from ui.frame import open_page
from ui.plan_view import judged_plan
from ui.widgets import label, scope_text, show, status_chip

page = open_page("page_goals", "goals.purpose")

KIND = {
    TargetKind.CUMULATIVE: ("累计", "cumulative"),
    TargetKind.LEVEL: ("水平", "level"),
    TargetKind.RELATIVE: ("相对", "relative"),
}
ORDER = {
    Status.MISSED: 0,
    Status.OFF_TRACK: 1,
    Status.AT_RISK: 2,
    Status.NO_DATA: 3,
    Status.ON_TRACK: 4,
    Status.ACHIEVED: 5,
}
plan = judged_plan(data.plan_state(page.wh), page.lang)
check = data.check(page.wh)
targets = sorted(check.targets, key=lambda x: ORDER[x.status])

st.subheader(page.t("goals.summary"))
st.dataframe(
    pd.DataFrame(
        {
            "id": [x.id for x in targets],
            page.t("goals.kind"): [KIND[x.kind][0 if page.lang == "zh" else 1] for x in targets],
            page.t("goals.scope"): [scope_text(x.scope, page.lang) for x in targets],
            "状态" if page.lang == "zh" else "Status": [status_chip(x.status, page.lang) for x in targets],
            page.t("goals.actual"): [show(x.metric, x.actual, plan) for x in targets],
            page.t("goals.target"): [show(x.metric, x.target, plan) for x in targets],
            page.t("goals.expected"): [show(x.metric, x.expected, plan) for x in targets],
            page.t("goals.forecast"): [show(x.metric, x.forecast, plan) for x in targets],
            page.t("goals.progress"): [x.progress for x in targets],
            page.t("goals.why"): [x.reason(page.lang) for x in targets],
        }
    ),
    hide_index=True,
    width="stretch",
    column_config={
        page.t("goals.progress"): st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0),
    },
)

for x in targets:
    with st.container(border=True):
        where = scope_text(x.scope, page.lang)
        st.markdown(f"#### {status_chip(x.status, page.lang)} · {label(x.metric, page.lang, plan)} · {where}")
        st.caption(f"`{x.id}` · {KIND[x.kind][0 if page.lang == 'zh' else 1]} · {x.reason(page.lang)}")
        cols = st.columns(4)
        cols[0].metric(page.t("goals.actual"), show(x.metric, x.actual, plan))
        cols[1].metric(page.t("goals.target"), show(x.metric, x.target, plan))
        if x.kind is TargetKind.CUMULATIVE:
            cols[2].metric(page.t("goals.expected"), show(x.metric, x.expected, plan))
            cols[3].metric(page.t("goals.forecast"), show(x.metric, x.forecast, plan))
            if x.progress is not None:
                st.progress(min(1.0, max(0.0, x.progress)), text=f"{page.t('goals.progress')} {x.progress:.0%}")
        elif x.trend is not None:
            cols[2].metric(page.t("goals.trend"), f"{x.trend:+.1%}")
        if not x.series.empty and x.series["actual"].notna().any():
            st.altair_chart(pace_chart(x.series, x.metric, page.lang), width="stretch")
