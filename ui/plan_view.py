"""Display pieces of the plan pages (Today, Goals, Budget, Initiatives, Alerts): their shared words, the
severity chip, the "needs attention" lines, the Alerts page's tables and strip. Logic lives in
opsplan.screens.plan; the charts (budget burn, the alerts strip) are drawn by opsplan.charts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from opsplan import fmt
from opsplan.charts.alerts import clipped_runs, state_strip, strip_frame, strip_start
from opsplan.charts.axes import Chart
from opsplan.charts.budget import burn_chart
from opsplan.handle import PlanState
from opsplan.metrics.measure import metric_info
from opsplan.metrics.registry import get_metric
from opsplan.plan.acks import cell as ack_cell
from opsplan.plan.budget import BudgetLine
from opsplan.plan.check import CheckResult, Flag
from opsplan.plan.evaluate import TargetResult
from opsplan.plan.labels import rule_label
from opsplan.plan.model import Plan
from opsplan.plan.stoploss import STATE_ORDER, RuleState
from opsplan.screens.plan import Attention
from opsplan.words import channel_label, has, t
from ui.widgets import label, plain, scope_text, state_chip, status_chip

__all__ = ["burn_chart"]  # the Budget page's chart, from opsplan.charts

_SEVERITY_ICON = {"critical": "🚨", "warning": "⚠️"}


def severity_chip(severity: str, lang: str) -> str:
    """'critical' → '🚨 严重' / '🚨 critical'; an unknown level is shown as written."""
    key = f"rule.severity.{severity}"
    return f"{_SEVERITY_ICON.get(severity, '•')} {t(key, lang) if has(key) else severity}"


def attention_line(a: Attention, lang: str, plan: Plan | None) -> str:
    """One line of "needs attention today" as markdown; data text (rule ids, actions, names) stays plain."""
    if a.kind == "flag":
        flag: Flag = a.item  # type: ignore[assignment]
        return (
            f"{state_chip(flag.state, lang)} · {severity_chip(flag.severity, lang)} · {plain(flag.label(lang))} · "
            f"{plain(scope_text(flag.scope, lang))} ({t('plan.since', lang)} {flag.since}) → {plain(flag.action)}"
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
        f"💸 {channel_label(line.channel, lang)}: {t('plan.over_pace', lang)} "
        f"({money(line.actual)} / {money(line.planned)}, {fmt.share(line.pace)})"
    )


def value_text(metric: str, value: object, plan: Plan | None, lang: str) -> str:
    """'点击率(CTR) 0.5%' — the metric's label and its value by its unit (``opsplan.fmt``)."""
    return f"{label(metric, lang, plan)} {fmt.value(metric_info(metric, plan).unit, value)}"


def plan_error_box(state: PlanState, lang: str) -> None:
    """The one way a page says its plan could not be judged: red, with every problem at file:line."""
    zh = lang != "en"  # the located line as the CLI prints it, then the problem in Chinese
    problems = "\n".join(f"- `{issue}`" + (f"  \n  {issue.message_zh}" if zh else "") for issue in state.issues)
    st.error(f"**{t('plan.not_judged', lang)}**  \n{t('plan.not_judged_hint', lang)}\n\n{problems}", icon="⛔")


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


# ── the Alerts page ─────────────────────────────────────────────────────────────────────────────────────


def unjudged_rules(state: PlanState, lang: str) -> pd.DataFrame:
    """The rules of a plan that could not be judged, each marked so (empty when none could be parsed)."""
    rules = state.parsed.rules if state.parsed else ()
    return pd.DataFrame(
        {
            t("alerts.rule", lang): [rule_label(r, lang) for r in rules],
            t("alerts.state", lang): [t("plan.rule_error", lang)] * len(rules),
            t("alerts.action", lang): [r.action for r in rules],
        }
    )


def shown_flags(flags: Sequence[Flag], channel: str | None, show_all: bool, lang: str) -> list[Flag]:
    """The flags the page lists, worst first: those of the filtered channel (campaign rules stay), and unless
    ``show_all`` only the ones not ok and with data."""
    shown = sorted(flags, key=lambda x: (STATE_ORDER[x.state], x.id, scope_text(x.scope, lang)))
    if channel:
        shown = [x for x in shown if x.scope.get("channel") in (None, channel) or "campaign" in x.scope]
    if not show_all:
        shown = [x for x in shown if x.state not in (RuleState.OK, RuleState.NO_DATA)]
    return shown


def flags_table(flags: Sequence[Flag], plan: Plan, lang: str, day: dt.date | None = None) -> pd.DataFrame:
    """One row per flag: rule, scope, state, since, value, why, severity, action, diagnosis, and who handled it
    (acknowledged / snoozed on ``day``, the check's day)."""
    columns = {
        "alerts.rule": [x.label(lang) for x in flags],
        "alerts.scope": [scope_text(x.scope, lang) for x in flags],
        "alerts.state": [state_chip(x.state, lang) for x in flags],
        "ack.column": [ack_cell(x, day, lang) for x in flags],
        "alerts.since": [str(x.since) for x in flags],
        "alerts.value": [value_text(x.metric, x.value, plan, lang) for x in flags],
        "alerts.why": [x.reason(lang) for x in flags],
        "alerts.severity": [severity_chip(x.severity, lang) for x in flags],
        "alerts.action": [x.action for x in flags],
        "alerts.diagnosis": [x.diagnosis for x in flags],
    }
    return pd.DataFrame({t(key, lang): values for key, values in columns.items()})


def diagnoses(flags: Sequence[Flag], lang: str, day: dt.date | None = None) -> list[str]:
    """A markdown note per firing or pending flag with a diagnosis or an acknowledgement: where, the diagnosis,
    the action, and who acknowledged or snoozed it (on ``day``, the check's day)."""
    notes = []
    for x in flags:
        if x.state not in (RuleState.FIRING, RuleState.PENDING) or not (x.diagnosis or x.ack):
            continue
        head = f"**{plain(f'{x.label(lang)} · {scope_text(x.scope, lang)}')}**"
        lines = [f"{head} · {t('alerts.diagnosis', lang)}: {plain(x.diagnosis)}" if x.diagnosis else head]
        lines.append(f"→ {plain(x.action)}")
        if x.ack:
            lines.append(plain(ack_cell(x, day, lang)))
        notes.append("  \n".join(lines))
    return notes


def history_strip(
    check: CheckResult, flags: Sequence[Flag], show_all: bool, start: dt.date, end: dt.date, lang: str
) -> Chart | None:
    """The day-by-day strip of the listed flags' rules and items (every one with ``show_all``) from ``start`` to
    ``end`` — from earlier when a listed flag's run began before ``start``, so its first day is seen (the
    sidebar's start then a dashed line, ``strip_note`` says why); None when there is nothing to draw."""
    shown = None if show_all else {(x.id, x.scope.get("channel") or x.scope.get("campaign") or "all") for x in flags}
    names = {x.id: x.label(lang) for x in check.flags}
    frame = strip_frame(check.history, lang, strip_start(flags, start), end, shown, names)
    return None if frame.empty else state_strip(frame, lang, start)


def strip_note(flags: Sequence[Flag], start: dt.date, lang: str) -> str:
    """Why the strip begins before the sidebar's start: the runs it shows whole, with their first days; ''
    when none began before ``start``."""
    runs = clipped_runs(flags, start)
    if not runs:
        return ""
    said = t("plan.list_sep", lang).join(
        t(
            "alerts.strip_run",
            lang,
            rule=x.label(lang),
            scope=scope_text(x.scope, lang),
            state=x.state.label(lang),
            since=str(x.since),
        )
        for x in runs
    )
    return t("alerts.strip_since", lang, first=str(runs[0].since), start=str(start), runs=plain(said))


def kept_table(kept: pd.DataFrame, plan: Plan, lang: str) -> pd.DataFrame:
    """The kept evaluations as a manager reads them: day, rule (its name), scope (the channel's name), state
    (a chip, not a code), the value in its metric's unit, the streak, since, and the notes ('' when none)."""
    rules = {r.id: r for r in plan.rules}

    def scope(rule_id: str, item: str) -> str:
        rule = rules.get(rule_id)
        per = getattr(rule, "per", "all") if rule else ("all" if item == "all" else "channel")
        return scope_text({} if per == "all" else {"channel" if per == "channel" else "campaign": item}, lang)

    def value(rule_id: str, v: object) -> str:
        rule = rules.get(rule_id)
        return value_text(rule.metric, v, plan, lang) if rule and rule.metric else fmt.value(fmt.COUNT, v)

    columns = {
        "alerts.day": [str(d) for d in kept["date"]],
        "alerts.rule": [rule_label(rules[r], lang) if r in rules else r for r in kept["rule_id"]],
        "alerts.scope": [scope(r, i) for r, i in zip(kept["rule_id"], kept["item"], strict=True)],
        "alerts.state": [state_chip(RuleState(s), lang) for s in kept["state"]],
        "alerts.value": [value(r, v) for r, v in zip(kept["rule_id"], kept["value"], strict=True)],
        "alerts.streak": [fmt.count(float(s)) if s == s and s is not None else fmt.EMPTY for s in kept["streak"]],
        "alerts.since": [fmt.EMPTY if pd.isna(d) else str(d) for d in kept["since"]],
        "alerts.note": ["" if n is None or n != n else str(n) for n in kept["note"]],
    }
    return pd.DataFrame({t(key, lang): values for key, values in columns.items()})
