"""周报 · Weekly review: the Monday meeting's report for an ISO week, ready to project or to paste."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from opsplan.report import weekly_report
from opsplan.warehouse import data_version
from ui import data, leave_legacy_pages_mode
from ui.i18n import t
from ui.state import filters
from ui.widgets import purpose

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

TEXT = {
    "purpose": (
        "周会用的周报：本周核心指标对比上周与目标、目标状态、本周触发或恢复的止损、渠道表、关键举措、最新成熟同期群和预算；"
        "可下载 Markdown 或离线可看的 HTML。",
        "The Monday review for an ISO week: KPIs against last week and the targets, target statuses, flags fired "
        "or resolved, the channel table, initiatives, the newest mature cohorts and the budget; download it as "
        "Markdown or as an HTML file that opens offline.",
    ),
    "week": ("周", "Week"),
    "no_plan": ("没有可用的计划文件。", "No usable plan."),
    "md": ("下载 Markdown", "Download Markdown"),
    "html": ("下载 HTML", "Download HTML"),
}


def tr(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


@st.cache_data(ttl=3600, show_spinner=False)
def _report(path: str, version: str, plan_file: str, mtime: float, week: str, fmt: str, lang: str) -> str:
    plan, _ = data.plan()
    assert plan is not None
    return weekly_report(data.current_warehouse(), plan, week, fmt=fmt, lang=lang)


f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_review", lang), tr("purpose", lang))
plan, _ = data.plan()
first, through = data.data_window(wh)
if plan is None or first is None or through is None:
    st.warning(tr("no_plan", lang))
    st.stop()

last_complete = through - dt.timedelta(days=through.isoweekday() % 7)  # the last Sunday on or before the data
weeks, day = [], max(first, plan.start or first)
while day <= through:
    iso = day.isocalendar()
    label = f"{iso.year}-W{iso.week:02d}"
    if label not in weeks:
        weeks.append(label)
    day += dt.timedelta(days=1)
done = [w for w in weeks if dt.date.fromisocalendar(int(w[:4]), int(w[6:]), 7) <= last_complete] or weeks
week = st.selectbox(tr("week", lang), list(reversed(weeks)), index=list(reversed(weeks)).index(done[-1]), key="week")
path, mtime = data.plan_path(), data.plan_path().stat().st_mtime
version = data_version(wh)
markdown = _report(str(wh.path), version, str(path), mtime, week, "md", lang)
html = _report(str(wh.path), version, str(path), mtime, week, "html", lang)
left, right = st.columns(2)
left.download_button(tr("md", lang), markdown, file_name=f"weekly-{week}.md", mime="text/markdown")
right.download_button(tr("html", lang), html, file_name=f"weekly-{week}.html", mime="text/html")
st.divider()
st.markdown(markdown)
