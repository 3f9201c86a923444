"""Small display pieces every page uses: status chips, KPI cards and tables formatted by the registry.

Labels and formats come from the metric registry (``opsplan.metrics.registry``) or, for the plan's own metrics,
from ``opsplan.metrics.measure.metric_info``; nothing here repeats a label or a format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from opsplan import fmt
from opsplan.metrics.measure import metric_info
from opsplan.metrics.registry import METRICS, Direction
from opsplan.plan.evaluate import Status
from opsplan.plan.model import Plan
from opsplan.plan.stoploss import RuleState
from opsplan.words import channel_label

STATUS_ICON = {
    Status.ACHIEVED: "✅",
    Status.ON_TRACK: "🟢",
    Status.AT_RISK: "🟡",
    Status.OFF_TRACK: "🔴",
    Status.MISSED: "❌",
    Status.NO_DATA: "⚪",
}
STATE_ICON = {
    RuleState.FIRING: "🔴",
    RuleState.PENDING: "🟡",
    RuleState.RESOLVED: "🔵",
    RuleState.OK: "🟢",
    RuleState.NOT_JUDGED: "🔘",
    RuleState.NO_DATA: "⚪",
}


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:])")


def plain(text: object) -> str:
    """Data text (a campaign name, an action, a reason) made inert inside Markdown: every character Markdown or
    Streamlit would act on is escaped, so '![x](http://…)' shows as written instead of fetching an image."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def status_chip(status: Status | None, lang: str) -> str:
    return fmt.EMPTY if status is None else f"{STATUS_ICON[status]} {status.label(lang)}"


def state_chip(state: RuleState, lang: str) -> str:
    return f"{STATE_ICON[state]} {state.label(lang)}"


def label(name: str, lang: str, plan: Plan | None = None) -> str:
    return metric_info(name, plan).label(lang)


def show(name: str, value: object, plan: Plan | None = None) -> str:
    """A value as the plan's judgement formats it ('¥1,234.50', '41.2%', '12,345'; a mean of a count keeps one
    decimal, 0.9 DAU is not 1); '—' when empty."""
    return fmt.value(metric_info(name, plan).unit, value)


def scope_text(scope: dict[str, str], lang: str) -> str:
    if not scope:
        return "全部" if lang == "zh" else "all"
    if "campaign" in scope:
        return scope["campaign"]
    return channel_label(scope.get("channel"), lang)


def _value(frame: pd.DataFrame, day: dt.date, name: str) -> object:
    row = frame[frame["date"] == day]
    return None if row.empty else row.iloc[0][name]


def _change(now: object, before: object) -> float | None:
    if fmt.is_empty(now) or fmt.is_empty(before) or float(before) == 0:  # type: ignore[arg-type]
        return None
    return (float(now) - float(before)) / abs(float(before))


def kpi_cards(daily: pd.DataFrame, names: Sequence[str], day: dt.date, lang: str, per_row: int = 5) -> None:
    """One card per metric for ``day`` with the change vs the day before (the delta) and vs the same weekday
    a week earlier (below it), and the last 14 days as a sparkline. A cohort metric shows its latest
    mature cohort day instead (roi_7d: ``day`` - 6) and says so."""
    names = list(names)
    for start in range(0, len(names), per_row):
        cols = st.columns(per_row)
        for col, name in zip(cols, names[start : start + per_row], strict=False):
            m = METRICS[name]
            shown = day - dt.timedelta(days=m.lag)
            now = _value(daily, shown, name)
            day_before = _change(now, _value(daily, shown - dt.timedelta(days=1), name))
            week_before = _change(now, _value(daily, shown - dt.timedelta(days=7), name))
            spark = daily[(daily["date"] <= shown) & (daily["date"] > shown - dt.timedelta(days=14))][name]
            col.metric(
                m.label(lang),
                m.format(now),
                fmt.change(day_before) if day_before is not None else None,
                delta_color={Direction.DOWN: "inverse", Direction.NEUTRAL: "off"}.get(m.direction, "normal"),
                delta_description="日环比" if lang == "zh" else "vs day before",
                help=m.definition,
                border=True,
                chart_data=[float(v) for v in spark if not pd.isna(v)] or None,
            )
            note = ""
            if week_before is not None:
                wow = fmt.change(week_before)
                note = f"周同比 {wow}" if lang == "zh" else f"{wow} vs same day last week"
            if m.lag:
                note = (f"同期群 {shown}" if lang == "zh" else f"cohort of {shown}") + (" · " + note if note else "")
            if note:
                col.caption(note)


def metric_table(frame: pd.DataFrame, names: Sequence[str], lang: str, keys: Sequence[str] = ()) -> pd.DataFrame:
    """The frame's key columns plus ``names`` formatted per the registry, columns labelled in ``lang``."""
    out = pd.DataFrame(index=frame.index)
    for key in keys:
        values = frame[key]
        if key == "channel":
            values = values.map(lambda c: channel_label(c, lang) if isinstance(c, str) else fmt.EMPTY)
        out[_key_label(key, lang)] = values.astype(str)
    for name in names:
        out[METRICS[name].label(lang)] = frame[name].map(METRICS[name].format)
    return out.reset_index(drop=True)


_KEY_LABELS = {
    "channel": ("渠道", "Channel"),
    "campaign_id": ("活动", "Campaign"),
    "date": ("日期", "Date"),
    "week": ("周", "Week"),
    "month": ("月", "Month"),
    "cohort": ("同期群", "Cohort"),
    "name": ("名称", "Name"),
}


def _key_label(key: str, lang: str) -> str:
    zh, en = _KEY_LABELS.get(key, (key, key))
    return zh if lang == "zh" else en


def purpose(title: str, caption: str) -> None:
    """Every page starts the same way: its name and one sentence saying what it is for."""
    st.title(title)
    st.caption(caption)
