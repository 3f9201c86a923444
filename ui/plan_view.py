"""Display pieces of the plan pages (Today, Goals, Budget, Initiatives, Alerts): their shared words, the
severity chip, the "needs attention" lines and the budget burn charts. Logic lives in opsplan.screens.plan."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from opsplan import fmt
from opsplan.charts.builders import channel_scale
from opsplan.handle import PlanState
from opsplan.metrics.measure import metric_info
from opsplan.metrics.registry import get_metric
from opsplan.plan.budget import BudgetLine
from opsplan.plan.check import Flag
from opsplan.plan.evaluate import TargetResult
from opsplan.plan.model import Plan
from opsplan.screens.plan import TOTAL, Attention
from opsplan.words import channel_label, has, t
from ui.widgets import label, plain, scope_text, state_chip, status_chip

_SEVERITY_ICON = {"critical": "🚨", "warning": "⚠️"}


def severity_chip(severity: str, lang: str) -> str:
    """'critical' → '🚨 严重' / '🚨 critical'; an unknown level is shown as written."""
    key = f"plan_severity_{severity}"
    return f"{_SEVERITY_ICON.get(severity, '•')} {t(key, lang) if has(key) else severity}"


def attention_line(a: Attention, lang: str, plan: Plan | None) -> str:
    """One line of "needs attention today" as markdown; data text (rule ids, actions, names) stays plain."""
    if a.kind == "flag":
        flag: Flag = a.item  # type: ignore[assignment]
        return (
            f"{state_chip(flag.state, lang)} · {severity_chip(flag.severity, lang)} · `{flag.id}` · "
            f"{plain(scope_text(flag.scope, lang))} ({t('plan_since', lang)} {flag.since}) → {plain(flag.action)}"
        )
    if a.kind == "target":
        target: TargetResult = a.item  # type: ignore[assignment]
        return (
            f"{status_chip(target.status, lang)} · {label(target.metric, lang, plan)} · "
            f"{plain(scope_text(target.scope, lang))}: {target.reason(lang)}"
        )
    line: BudgetLine = a.item  # type: ignore[assignment]
    money = get_metric("spend").format
    return (
        f"💸 {channel_label(line.channel, lang)}: {t('plan_over_pace', lang)} "
        f"({money(line.actual)} / {money(line.planned)}, {fmt.share(line.pace)})"
    )


def burn_chart(lines: pd.DataFrame, lang: str, per_channel: bool) -> alt.Chart:
    """Cumulative spend (solid) against the straight-line pace (dashed): one panel for the whole budget, or one
    small panel per channel in its own colour."""
    frame = lines[(lines["channel"] == TOTAL) != per_channel].copy()
    frame["date"] = pd.to_datetime(frame["date"])
    frame["series"] = frame["series"].map({"actual": t("plan_actual", lang), "pace": t("plan_pace", lang)})
    frame["name"] = frame["channel"].map(lambda c: t("plan_total", lang) if c == TOTAL else channel_label(c, lang))
    spend = get_metric("spend").label(lang)
    dash = alt.StrokeDash(
        "series:N",
        title=None,
        scale=alt.Scale(domain=[t("plan_actual", lang), t("plan_pace", lang)], range=[[1, 0], [6, 4]]),
    )
    tooltip = [
        alt.Tooltip("name:N", title=None),
        alt.Tooltip("date:T"),
        alt.Tooltip("series:N", title=None),
        alt.Tooltip("spend:Q", title=spend, format=",.2f"),
    ]
    base = alt.Chart(frame).mark_line()
    if not per_channel:
        return base.encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("spend:Q", title=spend, axis=alt.Axis(format=fmt.axis_format(fmt.CURRENCY))),
            color=alt.Color("series:N", title=None, scale=alt.Scale(range=["#2563eb", "#9ca3af"])),
            strokeDash=dash,
            tooltip=tooltip,
        ).properties(height=300)
    codes = list(dict.fromkeys(frame["channel"]))
    scale = channel_scale(codes)
    names = [channel_label(c, lang) for c in codes]
    return (
        base.encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%m-%d")),
            y=alt.Y("spend:Q", title=spend, axis=alt.Axis(format=fmt.axis_format(fmt.CURRENCY))),
            color=alt.Color("name:N", title=None, scale=alt.Scale(domain=names, range=scale["range"]), legend=None),
            strokeDash=dash,
            tooltip=tooltip,
        )
        .properties(height=170, width=220)
        .facet(facet=alt.Facet("name:N", title=None, sort=names), columns=3)
        .resolve_scale(y="independent")
        .configure_legend(orient="top")
    )


def value_text(metric: str, value: object, plan: Plan | None, lang: str) -> str:
    """'点击率(CTR) 0.5%' — the metric's label and its value by its unit (``opsplan.fmt``)."""
    return f"{label(metric, lang, plan)} {fmt.value(metric_info(metric, plan).unit, value)}"


def plan_error_box(state: PlanState, lang: str) -> None:
    """The one way a page says its plan could not be judged: red, with every problem at file:line."""
    problems = "\n".join(f"- `{issue}`" for issue in state.issues)
    st.error(f"**{t('plan_not_judged', lang)}**  \n{t('plan_not_judged_hint', lang)}\n\n{problems}", icon="⛔")


def judged_plan(state: PlanState, lang: str) -> Plan:
    """The plan a page judges; a plan with errors shows them in red and stops the page (no verdict below)."""
    if state.plan is None:
        plan_error_box(state, lang)
        st.stop()
    return state.plan


def broken_plan(state: PlanState, lang: str) -> bool:
    """Show the error box when the plan cannot be judged; True then (the page stops or shows data only)."""
    if state.ok:
        return False
    plan_error_box(state, lang)
    return True
