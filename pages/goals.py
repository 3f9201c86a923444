"""目标 · Goals: every target of the plan with progress, pace, forecast, status and the reason."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opsplan.charts import pace_chart
from opsplan.evaluate import Status
from opsplan.plan import TargetKind
from ui import data, leave_legacy_pages_mode
from ui.i18n import t
from ui.plan_view import judged_plan
from ui.state import filters
from ui.widgets import label, purpose, scope_text, show, status_chip

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

TEXT = {
    "purpose": (
        "计划里每个目标的进度、应达进度、期末预测、状态和原因；图中实线是实际，虚线是按时间应达到的进度。",
        "Every target of the plan: progress, expected pace, forecast, status and why; in the charts the solid "
        "line is the actual and the dashed one where the pace says it should be.",
    ),
    "actual": ("实际", "Actual"),
    "target": ("目标", "Target"),
    "expected": ("应达", "Expected"),
    "forecast": ("期末预测", "Forecast"),
    "progress": ("进度", "Progress"),
    "trend": ("环比", "Week over week"),
    "kind": ("类型", "Kind"),
    "scope": ("范围", "Scope"),
    "summary": ("目标一览", "All targets"),
    "why": ("说明", "Why"),
}
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


def tr(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_goals", lang), tr("purpose", lang))
plan = judged_plan(data.plan_state(wh), lang)
check = data.check(wh)
targets = sorted(check.targets, key=lambda x: ORDER[x.status])

st.subheader(tr("summary", lang))
st.dataframe(
    pd.DataFrame(
        {
            "id": [x.id for x in targets],
            tr("kind", lang): [KIND[x.kind][0 if lang == "zh" else 1] for x in targets],
            tr("scope", lang): [scope_text(x.scope, lang) for x in targets],
            "状态" if lang == "zh" else "Status": [status_chip(x.status, lang) for x in targets],
            tr("actual", lang): [show(x.metric, x.actual, plan) for x in targets],
            tr("target", lang): [show(x.metric, x.target, plan) for x in targets],
            tr("expected", lang): [show(x.metric, x.expected, plan) for x in targets],
            tr("forecast", lang): [show(x.metric, x.forecast, plan) for x in targets],
            tr("progress", lang): [x.progress for x in targets],
            tr("why", lang): [x.reason(lang) for x in targets],
        }
    ),
    hide_index=True,
    width="stretch",
    column_config={
        tr("progress", lang): st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0),
    },
)

for x in targets:
    with st.container(border=True):
        st.markdown(f"#### {status_chip(x.status, lang)} · {label(x.metric, lang, plan)} · {scope_text(x.scope, lang)}")
        st.caption(f"`{x.id}` · {KIND[x.kind][0 if lang == 'zh' else 1]} · {x.reason(lang)}")
        cols = st.columns(4)
        cols[0].metric(tr("actual", lang), show(x.metric, x.actual, plan))
        cols[1].metric(tr("target", lang), show(x.metric, x.target, plan))
        if x.kind is TargetKind.CUMULATIVE:
            cols[2].metric(tr("expected", lang), show(x.metric, x.expected, plan))
            cols[3].metric(tr("forecast", lang), show(x.metric, x.forecast, plan))
            if x.progress is not None:
                st.progress(min(1.0, max(0.0, x.progress)), text=f"{tr('progress', lang)} {x.progress:.0%}")
        elif x.trend is not None:
            cols[2].metric(tr("trend", lang), f"{x.trend:+.1%}")
        if not x.series.empty and x.series["actual"].notna().any():
            st.altair_chart(pace_chart(x.series, x.metric, lang), width="stretch")
