"""The daily check (每日检查): every target's status and every stop-loss rule's state for one day.

Reads the warehouse through ``measure``, judges with the pure functions of ``evaluate``, ``stoploss``
and ``budget``, and keeps every rule evaluation in the warehouse (``_rule_history``), so the dashboard
and tomorrow's check can say since when a flag fires and what was done about it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

import duckdb
import pandas as pd

from opsplan.metrics.measure import daily_parts, metric_info, scope_items
from opsplan.metrics.rollup import window
from opsplan.plan.acks import attach, latest_acks
from opsplan.plan.budget import budget_status
from opsplan.plan.evaluate import LEVEL_DAYS, Status, TargetResult, judge_target
from opsplan.plan.history import add_note, rule_history, save_history
from opsplan.plan.initiatives import FiringFlag, judge_initiative, with_flags
from opsplan.plan.labels import rule_label
from opsplan.plan.model import Plan, Rule, Scope
from opsplan.plan.result import EXIT_CODES, CheckResult, Flag, to_json
from opsplan.plan.stoploss import RuleEval, RuleState, describe, replay
from opsplan.store.warehouse import Warehouse, read_connection

#: what the check's callers import from here; the shapes live in ``plan.result``, the memory in ``plan.history``
__all__ = [
    "EXIT_CODES",
    "CheckResult",
    "Flag",
    "add_note",
    "evaluate_plan",
    "overall_status",
    "rule_history",
    "run_check",
    "save_history",
    "to_json",
]

logger = logging.getLogger(__name__)

HISTORY_DAYS = 70  # data read before the plan's start, for baselines, trends and cohort lags

#: which funnel layer of the playbook a metric belongs to (曝光层 / 互动层 / 转化层 / 留存层)
LAYERS = {
    "exposure": ("impressions", "clicks", "ctr", "cpc", "cpm"),
    "interaction": ("share", "ugc_post"),
    "conversion": (
        "signup_cvr",
        "cac",
        "blended_cac",
        "roi",
        "roi_1d",
        "roi_7d",
        "roi_30d",
        "roas_7d",
        "net_roi_7d",
        "activation_rate",
        "paid_rate_7d",
        "paid_conversion",
        "new_users",
    ),
    "retention": (
        "retention_d1",
        "retention_d7",
        "retention_d30",
        "repurchase_rate",
        "dau",
        "wau",
        "mau",
        "stickiness",
        "dormant_users",
        "silent_users",
    ),
}


def playbook_for(plan: Plan, metric: str) -> str:
    """The plan's diagnosis and action for the funnel layer of ``metric`` ('' when it has none)."""
    for layer, metrics in LAYERS.items():
        entry = plan.playbook.get(layer)
        if entry and (metric in metrics or metric in entry.get("metrics", "")):
            parts = [entry.get("diagnosis", ""), entry.get("action", "")]
            return " — ".join(p for p in parts if p)
    return ""


def _scope_of(per: str, item: str) -> dict[str, str]:
    return {} if per == "all" else {"channel" if per == "channel" else "campaign": item}


def _rule_flags(
    con: duckdb.DuckDBPyConnection, plan: Plan, rule: Rule, as_of: dt.date, campaigns: Mapping[str, str]
) -> tuple[list[Flag], list[RuleEval]]:
    assert plan.start
    info = metric_info(rule.metric, plan)
    items = scope_items(con, rule.per)
    if rule.only:
        items = [i for i in items if i in rule.only]
    # the cohort lag, and the days a small channel's first judged day may pool with
    lag = dt.timedelta(days=info.lag + max(rule.pool_days, 1) - 1)
    parts = daily_parts(
        con, rule.metric, plan, plan.start - lag, as_of, Scope(), rule.per if rule.per != "all" else None
    )
    histories = replay(rule, info, parts, items, plan.start, as_of)
    flags, evals = [], []
    for item, history in histories.items():
        evals.extend(history)
        last = history[-1]
        flags.append(
            Flag(
                rule.id,
                rule.metric,
                _scope_of(rule.per, item),
                last.state,
                last.value,
                last.since,
                rule.severity,
                rule.action,
                playbook_for(plan, rule.metric),
                last.judged_day,
                describe(rule, info, last, "zh", campaigns),
                describe(rule, info, last, "en", campaigns),
                last.window_start,
                last.spend,
                last.min_spend,
                rule_label(rule, "zh"),
                rule_label(rule, "en"),
            )
        )
    return flags, evals


def _spend_by_channel(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> pd.DataFrame:
    frame = con.execute(
        "SELECT date, channel, sum(spend) AS spend FROM kpis_daily WHERE date BETWEEN ? AND ? GROUP BY ALL",
        [start, end],
    ).df()
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return frame


def _campaign_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """campaign id → the name the data gives it (``campaigns.name``), for reasons a person reads."""
    rows = con.execute("SELECT campaign_id, name FROM campaigns WHERE name IS NOT NULL AND trim(name) <> ''")
    return {str(cid): str(name) for cid, name in rows.fetchall()}


def _firing_on(flags: list[Flag], scope: Scope, metric: str | None) -> list[FiringFlag]:
    """Firing flags on exactly this scope: a channel's per-channel rules, a campaign's per-campaign rules, and for
    the whole product the product-wide rules on the same metric."""
    wanted = scope.as_dict()
    return [
        FiringFlag(f.id, f.severity, str(f.since), f.action, (f.label("zh"), f.label("en")))
        for f in flags
        if f.state is RuleState.FIRING and f.scope == wanted and (wanted or f.metric == metric)
    ]


def overall_status(targets: tuple[TargetResult, ...], flags: tuple[Flag, ...]) -> str:
    """critical: a critical rule firing or a target off track; warning: a rule pending, a warning rule
    firing or a target at risk; ok otherwise."""
    if any(f.state is RuleState.FIRING and f.severity == "critical" for f in flags) or any(
        t.status in (Status.OFF_TRACK, Status.MISSED) for t in targets
    ):
        return "critical"
    if any(
        f.state is RuleState.PENDING or (f.state is RuleState.FIRING and f.severity != "critical") for f in flags
    ) or any(t.status is Status.AT_RISK for t in targets):
        return "warning"
    return "ok"


def evaluate_plan(con: duckdb.DuckDBPyConnection, plan: Plan, as_of: dt.date | None = None) -> CheckResult:
    """Judge the whole plan on one day (default: data_through) on an open read connection."""
    first, through = window(con)
    day = as_of or through
    if day is None or through is None or plan.start is None or plan.end is None:
        return CheckResult(day, through, "unknown", message="the warehouse holds no data")
    if day > through:
        return CheckResult(day, through, "unknown", message=f"no data for {day}: data runs to {through}")
    if day < plan.start:
        return CheckResult(day, through, "unknown", message=f"{day} is before the plan starts ({plan.start})")
    since = plan.start - dt.timedelta(days=HISTORY_DAYS)
    campaigns = _campaign_names(con)
    targets = []
    for t in plan.targets:
        start = min(since, t.baseline_start or since)
        parts = daily_parts(con, t.metric, plan, start, day, t.scope)
        targets.append(judge_target(t, metric_info(t.metric, plan), parts, plan, day, campaigns))
    flags: list[Flag] = []
    history: list[RuleEval] = []
    for rule in plan.rules:
        if rule.op is None:
            continue
        f, h = _rule_flags(con, plan, rule, day, campaigns)
        flags.extend(f)
        history.extend(h)
    initiatives = []
    for i in plan.initiatives:
        info = metric_info(i.metric, plan) if i.metric else None
        start = i.start - dt.timedelta(days=(info.lag if info else 0) + 2 * LEVEL_DAYS) if i.start else None
        parts = daily_parts(con, i.metric, plan, start, day, i.scope) if i.metric and start else None
        judged = judge_initiative(i, info, parts, day, plan, campaigns)
        initiatives.append(with_flags(judged, _firing_on(flags, i.scope, i.metric)))
    budget = budget_status(plan, _spend_by_channel(con, plan.start, day), day)
    acks = latest_acks(con)
    t, fl = tuple(targets), tuple(attach(f, acks) for f in flags)
    return CheckResult(
        day,
        through,
        overall_status(t, tuple(f for f in fl if not f.snoozed_on(day))),  # a snoozed flag shows, but is silent
        t,
        fl,
        tuple(initiatives),
        budget,
        history=tuple(history),
        campaigns=campaigns,
    )


def run_check(wh: Warehouse, plan: Plan, as_of: dt.date | None = None, keep_history: bool = True) -> CheckResult:
    """The check on a short read connection, then its evaluations kept in the warehouse."""
    if not wh.exists():
        return CheckResult(as_of, None, "unknown", message=f"no warehouse at {wh.path}")
    with read_connection(wh) as con:
        result = evaluate_plan(con, plan, as_of)
    if keep_history and result.status != "unknown":
        save_history(wh, plan, result.history)
    return result
