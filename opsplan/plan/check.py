"""The daily check (每日检查): every target's status and every stop-loss rule's state for one day.

Reads the warehouse through ``measure``, judges with the pure functions of ``evaluate``, ``stoploss``
and ``budget``, and keeps every rule evaluation in the warehouse (``_rule_history``), so the dashboard
and tomorrow's check can say since when a flag fires and what was done about it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from opsplan.metrics.measure import daily_parts, metric_info, scope_items
from opsplan.metrics.rollup import window
from opsplan.plan.budget import BudgetResult, budget_status
from opsplan.plan.evaluate import (
    LEVEL_DAYS,
    InitiativeResult,
    Status,
    TargetResult,
    judge_initiative,
    judge_target,
    with_flags,
)
from opsplan.plan.model import Issue, Plan, Rule, Scope
from opsplan.plan.stoploss import RuleEval, RuleState, describe, replay
from opsplan.store.warehouse import Warehouse, bump_data_version, read_connection
from opsplan.store.writing import write_session

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

EXIT_CODES = {"ok": 0, "warning": 1, "critical": 2, "unknown": 3}


@dataclass(frozen=True)
class Flag:
    """The current state of one rule for one scope item, with what the plan says to do."""

    id: str
    metric: str
    scope: dict[str, str]
    state: RuleState
    value: float | None
    since: dt.date
    severity: str
    action: str
    diagnosis: str
    judged_day: dt.date
    reason_zh: str
    reason_en: str
    #: the judged window: first cohort day pooled (== judged_day when one day was enough), its spend, the bar
    window_start: dt.date | None = None
    spend: float | None = None
    min_spend: float = 0.0

    def reason(self, lang: str = "zh") -> str:
        return self.reason_zh if lang == "zh" else self.reason_en


@dataclass(frozen=True)
class CheckResult:
    date: dt.date | None
    data_through: dt.date | None
    status: str  # ok / warning / critical / unknown
    targets: tuple[TargetResult, ...] = ()
    flags: tuple[Flag, ...] = ()
    initiatives: tuple[InitiativeResult, ...] = ()
    budget: BudgetResult | None = None
    message: str = ""
    history: tuple[RuleEval, ...] = field(default=(), repr=False)
    #: the plan's errors when it could not be judged (file:line each); empty for a judged plan
    plan_issues: tuple[Issue, ...] = ()
    #: why today's check rests on old data or a failed load, zh / en ('' when the data is current)
    stale_zh: str = ""
    stale_en: str = ""

    def stale(self, lang: str = "zh") -> str:
        return self.stale_zh if lang == "zh" else self.stale_en

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]


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
    con: duckdb.DuckDBPyConnection, plan: Plan, rule: Rule, as_of: dt.date
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
                describe(rule, info, last, "zh"),
                describe(rule, info, last, "en"),
                last.window_start,
                last.spend,
                last.min_spend,
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


def _firing_on(flags: list[Flag], scope: Scope, metric: str | None) -> list[tuple[str, str, str, str]]:
    """Firing flags on exactly this scope: a channel's per-channel rules, a campaign's per-campaign rules, and for
    the whole product the product-wide rules on the same metric. (rule id, severity, since, action) each."""
    wanted = scope.as_dict()
    return [
        (f.id, f.severity, str(f.since), f.action)
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
    targets = []
    for t in plan.targets:
        start = min(since, t.baseline_start or since)
        parts = daily_parts(con, t.metric, plan, start, day, t.scope)
        targets.append(judge_target(t, metric_info(t.metric, plan), parts, plan, day))
    flags: list[Flag] = []
    history: list[RuleEval] = []
    for rule in plan.rules:
        if rule.op is None:
            continue
        f, h = _rule_flags(con, plan, rule, day)
        flags.extend(f)
        history.extend(h)
    initiatives = []
    for i in plan.initiatives:
        info = metric_info(i.metric, plan) if i.metric else None
        start = i.start - dt.timedelta(days=(info.lag if info else 0) + 2 * LEVEL_DAYS) if i.start else None
        parts = daily_parts(con, i.metric, plan, start, day, i.scope) if i.metric and start else None
        judged = judge_initiative(i, info, parts, day, plan)
        initiatives.append(with_flags(judged, _firing_on(flags, i.scope, i.metric)))
    budget = budget_status(plan, _spend_by_channel(con, plan.start, day), day)
    t, fl = tuple(targets), tuple(flags)
    return CheckResult(day, through, overall_status(t, fl), t, fl, tuple(initiatives), budget, history=tuple(history))


HISTORY_DDL = """CREATE TABLE IF NOT EXISTS _rule_history (
    rule_id VARCHAR, item VARCHAR, date DATE, judged_day DATE, state VARCHAR, value DOUBLE, spend DOUBLE,
    streak INTEGER, since DATE, severity VARCHAR, action VARCHAR, plan VARCHAR, evaluated_at TIMESTAMPTZ,
    PRIMARY KEY (rule_id, item, date))"""
NOTES_DDL = """CREATE TABLE IF NOT EXISTS _rule_notes (
    rule_id VARCHAR, item VARCHAR, date DATE, note VARCHAR, author VARCHAR, noted_at TIMESTAMPTZ)"""


def save_history(wh: Warehouse, plan: Plan, result: CheckResult) -> None:
    """Keep every evaluation of this check (one row per rule, item and day, the latest wins)."""
    if not result.history:
        return
    rules = {r.id: r for r in plan.rules}
    frame = pd.DataFrame(
        [
            {
                "rule_id": e.rule_id,
                "item": e.item,
                "date": e.date,
                "judged_day": e.judged_day,
                "state": e.state.value,
                "value": e.value,
                "spend": e.spend,
                "streak": e.streak,
                "since": e.since,
                "severity": rules[e.rule_id].severity,
                "action": rules[e.rule_id].action,
                "plan": plan.name,
            }
            for e in result.history
        ]
    )
    with write_session(wh) as con:
        con.execute(HISTORY_DDL)
        con.execute(NOTES_DDL)
        con.register("evals", frame)
        con.execute("BEGIN TRANSACTION")
        con.execute(
            "DELETE FROM _rule_history h USING evals e WHERE h.rule_id = e.rule_id AND h.item = e.item "
            "AND h.date = CAST(e.date AS DATE)"
        )
        con.execute(
            "INSERT INTO _rule_history SELECT rule_id, item, CAST(date AS DATE), CAST(judged_day AS DATE), "
            "state, value, spend, streak, CAST(since AS DATE), severity, action, plan, now() FROM evals"
        )
        bump_data_version(con)
        con.execute("COMMIT")
        con.unregister("evals")


def add_note(wh: Warehouse, rule_id: str, item: str, day: dt.date, note: str, author: str = "") -> None:
    """Record what was done about a flag (e.g. "已暂停投放"), shown beside it from then on."""
    with write_session(wh) as con:
        con.execute(NOTES_DDL)
        con.execute("INSERT INTO _rule_notes VALUES (?, ?, ?, ?, ?, now())", [rule_id, item, day, note, author])


def rule_history(wh: Warehouse, rule_id: str | None = None) -> pd.DataFrame:
    """The kept evaluations with the notes made about them, newest first."""
    with read_connection(wh) as con:
        has = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = '_rule_history'"
        ).fetchone()[0]
        if not has:
            return pd.DataFrame(columns=["rule_id", "item", "date", "state", "value", "since", "note"])
        notes = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = '_rule_notes'"
        ).fetchone()[0]
        join = (
            (
                "LEFT JOIN (SELECT rule_id, item, date, string_agg(note, '; ') AS note FROM _rule_notes GROUP BY ALL)"
                " n USING (rule_id, item, date)"
            )
            if notes
            else ""
        )
        note_col = "n.note" if notes else "NULL AS note"
        where = "WHERE h.rule_id = ?" if rule_id else ""
        frame = con.execute(
            f"SELECT h.rule_id, h.item, h.date, h.judged_day, h.state, h.value, h.spend, h.streak, h.since, "
            f"h.severity, h.action, {note_col} FROM _rule_history h {join} {where} ORDER BY h.date DESC, h.rule_id, "
            f"h.item",
            [rule_id] if rule_id else [],
        ).df()
    for col in ("date", "judged_day", "since"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame


def run_check(wh: Warehouse, plan: Plan, as_of: dt.date | None = None, keep_history: bool = True) -> CheckResult:
    """The check on a short read connection, then its evaluations kept in the warehouse."""
    if not wh.exists():
        return CheckResult(as_of, None, "unknown", message=f"no warehouse at {wh.path}")
    with read_connection(wh) as con:
        result = evaluate_plan(con, plan, as_of)
    if keep_history and result.status != "unknown":
        save_history(wh, plan, result)
    return result


def _num(value: float | None) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 6)


def to_json(result: CheckResult, lang: str = "zh") -> dict[str, object]:
    """The shape of CLI.md: date, status, targets[], rules[] (plus budget, initiatives, message)."""
    return {
        "date": result.date.isoformat() if result.date else None,
        "data_through": result.data_through.isoformat() if result.data_through else None,
        "status": result.status,
        "message": result.message,
        "plan_issues": [str(i) for i in result.plan_issues],
        "stale": result.stale(lang) or None,
        "targets": [
            {
                "id": t.id,
                "metric": t.metric,
                "scope": t.scope,
                "status": t.status.value,
                "actual": _num(t.actual),
                "target": _num(t.target),
                "expected": _num(t.expected),
                "forecast": _num(t.forecast),
                "reason": t.reason(lang),
            }
            for t in result.targets
        ],
        "rules": [
            {
                "id": f.id,
                "metric": f.metric,
                "scope": f.scope,
                "state": f.state.value,
                "value": _num(f.value),
                "since": f.since.isoformat(),
                "severity": f.severity,
                "action": f.action,
                "diagnosis": f.diagnosis,
                "reason": f.reason(lang),
                "judged_day": f.judged_day.isoformat(),
                "window_start": f.window_start.isoformat() if f.window_start else None,
                "spend": _num(f.spend),
                "min_spend": f.min_spend or None,
            }
            for f in result.flags
        ],
        "initiatives": [
            {
                "name": i.name,
                "owner": i.owner,
                "metric": i.metric,
                "state": i.state,
                "status": i.status.value if i.status else None,
                "actual": _num(i.actual),
                "target": _num(i.target),
                "reason": i.reason_zh if lang == "zh" else i.reason_en,
            }
            for i in result.initiatives
        ],
        "budget": None
        if result.budget is None
        else {
            "total": result.budget.total,
            "actual": _num(result.budget.actual),
            "projected": _num(result.budget.projected),
            "reserve_kept": _num(result.budget.reserve_kept),
            "over_pace_channels": result.budget.over_pace_channels,
        },
    }
