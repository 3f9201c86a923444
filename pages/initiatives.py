"""关键举措 · Initiatives: who owns what, until when, and whether its own metric says it is working."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import data
from ui.frame import open_page
from ui.plan_view import judged_plan
from ui.widgets import label, plain, scope_text, show, status_chip

page = open_page("page_initiatives", "initiatives.purpose")

STATES = {
    "not_started": ("未开始", "not started"),
    "running": ("进行中", "running"),
    "finished": ("已结束", "finished"),
    "unknown": ("—", "—"),
}
plan = judged_plan(data.plan_state(page.wh), page.lang)
check = data.check(page.wh)
if not check.initiatives:
    st.info(page.t("initiatives.none"))
    st.stop()

rows = check.initiatives
frame = pd.DataFrame(
    {
        page.t("initiatives.name"): [i.name for i in rows],
        page.t("initiatives.owner"): [i.owner for i in rows],
        page.t("initiatives.status"): [status_chip(i.status, page.lang) for i in rows],
        page.t("initiatives.state"): [STATES[i.state][0 if page.lang == "zh" else 1] for i in rows],
        page.t("initiatives.progress"): [i.progress if i.progress is not None else None for i in rows],
        page.t("initiatives.elapsed"): [i.elapsed for i in rows],
        page.t("initiatives.actual"): [show(i.metric, i.actual, plan) if i.metric else "—" for i in rows],
        page.t("initiatives.target"): [show(i.metric, i.target, plan) if i.metric else "—" for i in rows],
        page.t("initiatives.metric"): [
            (label(i.metric, page.lang, plan) + (f" · {scope_text(i.scope, page.lang)}" if i.scope else ""))
            if i.metric
            else "—"
            for i in rows
        ],
        page.t("initiatives.dates"): [f"{i.start} – {i.end}" for i in rows],
        page.t("initiatives.module"): [i.module for i in rows],
    }
)
# progress beside the share of its time gone: 60% done with 90% of the time gone is behind
bar = {"format": "percent", "min_value": 0.0, "max_value": 1.0, "width": "small"}
st.dataframe(
    frame,
    hide_index=True,
    width="stretch",
    column_config={
        page.t("initiatives.progress"): st.column_config.ProgressColumn(**bar),
        page.t("initiatives.elapsed"): st.column_config.ProgressColumn(**bar),
    },
)
for i in rows:
    why = (i.reason_zh if page.lang == "zh" else i.reason_en) or i.reason_zh or i.reason_en
    if why:
        st.caption(f"{status_chip(i.status, page.lang)} {plain(i.name)} ({plain(i.owner)}): {why}")
