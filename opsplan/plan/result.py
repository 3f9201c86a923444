"""The daily check's result: each flag, the verdict, and its JSON (the shape of CLI.md).

Why its own module: the check (``plan.check``), its history (``plan.history``), the text (``plan.check_text``),
the webhook and the report all read these shapes; none of them needs the warehouse queries of the check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from opsplan.plan.budget import BudgetResult
from opsplan.plan.evaluate import TargetResult
from opsplan.plan.initiatives import InitiativeResult
from opsplan.plan.model import Issue
from opsplan.plan.stoploss import RuleEval, RuleState

EXIT_CODES = {"ok": 0, "warning": 1, "critical": 2, "unknown": 3}


@dataclass(frozen=True)
class Ack:
    """Someone saw a firing flag (``plan.acks``): their note, and the last day it is silenced, if snoozed."""

    note: str
    author: str
    #: the last day the flag is silenced (None: acknowledged, not snoozed)
    until: dt.date | None
    acked_at: dt.datetime
    #: the flag's latest evaluation when it was made: it holds for a run of the flag that began by then
    acked_day: dt.date


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
    #: the rule's name (the plan's label, the catalogue's, else its id), zh / en
    label_zh: str = ""
    label_en: str = ""
    #: its acknowledgement in this run (``plan.acks``), if any
    ack: Ack | None = None

    def snoozed_on(self, day: dt.date | None) -> bool:
        """Silenced on ``day`` (the check's day) by a snooze made during this run of the flag."""
        return self.ack is not None and self.ack.until is not None and day is not None and day <= self.ack.until

    def reason(self, lang: str = "zh") -> str:
        return self.reason_zh if lang == "zh" else self.reason_en

    def label(self, lang: str = "zh") -> str:
        return (self.label_zh if lang == "zh" else self.label_en) or self.id


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
    #: campaign id → its name in the data (``campaigns.name``), for the reasons that name a campaign
    campaigns: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def stale(self, lang: str = "zh") -> str:
        return self.stale_zh if lang == "zh" else self.stale_en

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]


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
                "name": t.name or None,
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
                "label": f.label(lang),
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
                "acknowledged": None
                if f.ack is None
                else {"at": f.ack.acked_at.isoformat(timespec="seconds"), "by": f.ack.author, "note": f.ack.note},
                "snoozed_until": f.ack.until.isoformat() if f.ack and f.snoozed_on(result.date) else None,
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
