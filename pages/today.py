"""今日 Today: the latest day's indicators and how fresh each table is (the full pages come later)."""

from __future__ import annotations

import streamlit as st

from opsplan.metrics import get_metric
from opsplan.warehouse import WarehouseError
from ui.data import current_warehouse, report, table_freshness

st.title("今日 · Today")
st.caption("昨日核心指标与数据新鲜度 — the last complete day's KPIs and data freshness.")

wh = current_warehouse()
try:
    daily = report(wh, "daily")
except WarehouseError:
    st.info("还没有数据：运行 `opsplan demo` 或 `opsplan load`。 No data yet: run `opsplan demo` or `opsplan load`.")
    st.stop()

if daily.empty:
    st.info("仓库为空 · The warehouse is empty.")
    st.stop()

last, before = daily.iloc[-1], daily.iloc[-2] if len(daily) > 1 else None
st.subheader(f"{last['date']}")
cols = st.columns(5)
for col, name in zip(cols, ["new_users", "dau", "revenue", "spend", "cac"], strict=True):
    metric = get_metric(name)
    delta = None
    if before is not None and last[name] is not None and before[name] is not None:
        try:
            delta = metric.format(float(last[name]) - float(before[name]))
        except (TypeError, ValueError):
            delta = None
    color = "inverse" if metric.direction.value == "down" else "normal"
    col.metric(f"{metric.label_zh} · {metric.label_en}", metric.format(last[name]), delta, delta_color=color)

st.subheader("数据新鲜度 · Data freshness")
st.dataframe(table_freshness(wh), hide_index=True)
