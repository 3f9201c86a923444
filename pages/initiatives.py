"""关键举措 · Initiatives: who owns what, until when, and whether its own metric says it is working."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import data, leave_legacy_pages_mode
from ui.i18n import t
from ui.plan_view import judged_plan
from ui.state import filters
from ui.widgets import label, plain, purpose, scope_text, show, status_chip

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

TEXT = {
    "purpose": (
        "每个关键举措的负责人、起止日期、进度和状态；衡量指标按举措自己的日期和范围计算。",
        "Each initiative's owner, dates, progress and status; its metric is measured over its own dates and scope.",
    ),
    "none": ("计划里没有关键举措。", "The plan has no initiatives."),
    "module": ("模块", "Module"),
    "name": ("举措", "Initiative"),
    "owner": ("负责人", "Owner"),
    "dates": ("日期", "Dates"),
    "state": ("阶段", "Stage"),
    "metric": ("衡量指标", "Metric"),
    "actual": ("实际", "Actual"),
    "target": ("目标", "Target"),
    "progress": ("进度", "Progress"),
    "elapsed": ("时间已过", "Time gone"),
    "status": ("状态", "Status"),
    "why": ("说明", "Why"),
}
STATES = {
    "not_started": ("未开始", "not started"),
    "running": ("进行中", "running"),
    "finished": ("已结束", "finished"),
    "unknown": ("—", "—"),
}


def tr(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_initiatives", lang), tr("purpose", lang))
plan = judged_plan(data.plan_state(wh), lang)
check = data.check(wh)
if not check.initiatives:
    st.info(tr("none", lang))
    st.stop()

rows = check.initiatives
frame = pd.DataFrame(
    {
        tr("name", lang): [i.name for i in rows],
        tr("owner", lang): [i.owner for i in rows],
        tr("status", lang): [status_chip(i.status, lang) for i in rows],
        tr("state", lang): [STATES[i.state][0 if lang == "zh" else 1] for i in rows],
        tr("progress", lang): [i.progress if i.progress is not None else None for i in rows],
        tr("elapsed", lang): [i.elapsed for i in rows],
        tr("actual", lang): [show(i.metric, i.actual, plan) if i.metric else "—" for i in rows],
        tr("target", lang): [show(i.metric, i.target, plan) if i.metric else "—" for i in rows],
        tr("metric", lang): [
            (label(i.metric, lang, plan) + (f" · {scope_text(i.scope, lang)}" if i.scope else "")) if i.metric else "—"
            for i in rows
        ],
        tr("dates", lang): [f"{i.start} – {i.end}" for i in rows],
        tr("module", lang): [i.module for i in rows],
    }
)
# progress beside the share of its time gone: 60% done with 90% of the time gone is behind
bar = {"format": "percent", "min_value": 0.0, "max_value": 1.0, "width": "small"}
st.dataframe(
    frame,
    hide_index=True,
    width="stretch",
    column_config={
        tr("progress", lang): st.column_config.ProgressColumn(**bar),
        tr("elapsed", lang): st.column_config.ProgressColumn(**bar),
    },
)
for i in rows:
    why = (i.reason_zh if lang == "zh" else i.reason_en) or i.reason_zh or i.reason_en
    if why:
        st.caption(f"{status_chip(i.status, lang)} {plain(i.name)} ({plain(i.owner)}): {why}")
