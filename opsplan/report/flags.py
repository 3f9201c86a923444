"""The stop-loss flags of the weekly review: what each rule did in the week (fired, resolved, kept firing,
pending at its end), replayed from the check's kept evaluations, and their table.

Why its own module: the channel table reads the same week flags (``report.sections``); a flag names its rule
and scope item by their labels (``plan.labels``), never by code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from opsplan import fmt
from opsplan.metrics.measure import metric_info
from opsplan.plan.check import CheckResult
from opsplan.plan.check_text import severity_label
from opsplan.plan.labels import item_label, rule_label
from opsplan.plan.model import Plan
from opsplan.plan.stoploss import RuleEval, RuleState, describe
from opsplan.report.cells import STATE_TONE, Cell, Section, short
from opsplan.words import t


@dataclass(frozen=True)
class WeekFlag:
    """One rule and scope item over the week: what happened, its state on the judged day, the action."""

    rule_id: str
    item: str
    events: tuple[str, ...]
    last: RuleEval
    severity: str
    action: str
    reason: str
    label: str = ""  # the rule's name in the review's language (``labels.rule_label``)
    where: str = ""  # the scope item's: a channel's label, a campaign's name, 全部 / all


def week_flags(check: CheckResult, plan: Plan, start: dt.date, end: dt.date, lang: str) -> list[WeekFlag]:
    """Flags that fired, resolved or kept firing in the week, and those pending at its end; firing first."""
    rules = {r.id: r for r in plan.rules}
    by_key: dict[tuple[str, str], list[RuleEval]] = {}
    for e in check.history:
        by_key.setdefault((e.rule_id, e.item), []).append(e)
    out = []
    for (rule_id, item), evals in by_key.items():
        evals.sort(key=lambda e: e.date)
        inside = [e for e in evals if start <= e.date <= end]
        if not inside:
            continue
        before = [e for e in evals if e.date < start]
        events: list[str] = []
        previous = before[-1].state if before else RuleState.OK
        for e in inside:
            if e.state is RuleState.FIRING and previous is not RuleState.FIRING:
                events.append(t("report.fired_on", lang, day=short(e.date)))
            elif e.state is RuleState.RESOLVED:
                events.append(t("report.resolved_on", lang, day=short(e.date)))
            previous = e.state
        last = inside[-1]
        carried = inside[0].state is RuleState.FIRING and before and before[-1].state is RuleState.FIRING
        if carried:
            events.insert(0, t("report.still_firing", lang))
        if last.state is RuleState.PENDING:
            events.append(t("report.pending_since", lang, day=short(last.since)))
        if not events:
            continue
        rule = rules[rule_id]
        reason = describe(rule, metric_info(rule.metric, plan), last, lang, check.campaigns)
        where = item_label(rule.per, item, lang, check.campaigns)
        label = rule_label(rule, lang)
        out.append(WeekFlag(rule_id, item, tuple(events), last, rule.severity, rule.action, reason, label, where))
    order = {RuleState.FIRING: 0, RuleState.PENDING: 1, RuleState.RESOLVED: 2}
    return sorted(out, key=lambda f: (order.get(f.last.state, 3), f.severity != "critical", f.rule_id, f.item))


def flags_section(flags: list[WeekFlag], lang: str) -> Section:
    rows = tuple(
        (
            Cell(f.label or f.rule_id),
            Cell(f.where or f.item),
            Cell(t("reason.join", lang).join(f.events), STATE_TONE.get(f.last.state, "")),
            Cell(f.last.state.label(lang), STATE_TONE.get(f.last.state, "")),
            Cell(severity_label(f.severity, lang)),
            Cell(f.reason),
            Cell(f.action),
        )
        for f in flags
    )
    count = {s: sum(1 for f in flags if f.last.state is s) for s in STATE_TONE}
    return Section(
        "flags",
        t("report.flags", lang),
        tuple(
            t(f"report.{c}", lang) for c in ("rule", "scope", "week_event", "status", "severity", "reason", "action")
        ),
        rows,
        lead=t(
            "report.summary_flags",
            lang,
            firing=fmt.count(count[RuleState.FIRING]),
            resolved=fmt.count(count[RuleState.RESOLVED]),
            pending=fmt.count(count[RuleState.PENDING]),
        ),
        empty=t("report.none", lang),
    )
