"""Display-independent pieces of the plan pages (Today, Goals, Budget, Initiatives, Alerts): the burn lines of
the budget per channel, and the short list of what needs attention today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from opsplan.plan.budget import BudgetResult
from opsplan.plan.check import CheckResult
from opsplan.plan.evaluate import Status
from opsplan.plan.stoploss import RuleState

TOTAL = "__total__"


def burn_lines(
    daily: pd.DataFrame, budget: BudgetResult, start: dt.date, end: dt.date, through: dt.date
) -> pd.DataFrame:
    """Cumulative spend against the straight-line pace over the plan period, for the whole spendable budget
    (channel ``TOTAL``) and for every channel the plan gives an amount.

    ``daily``: columns date, channel, spend (any days). Returns columns channel, date, series ('actual' |
    'pace'), spend. The actual line runs from ``start`` to ``through`` (days without spend count 0, so the
    line is flat there), the pace line over the whole period: on day i of n, planned x i / n."""
    days = list(pd.date_range(start, end).date)
    n = len(days)
    gone = [d for d in days if d <= through]
    rows = daily[(daily["date"] >= start) & (daily["date"] <= through)] if not daily.empty else daily
    per_day = (
        rows.groupby(["channel", "date"])["spend"].sum().astype(float)
        if not rows.empty
        else pd.Series(dtype=float, index=pd.MultiIndex.from_tuples([], names=["channel", "date"]))
    )
    planned = {TOTAL: budget.spendable}
    planned.update({line.channel: line.planned for line in budget.lines if line.channel})
    out: list[dict[str, object]] = []
    for channel, amount in planned.items():
        if channel == TOTAL:
            spent = per_day.groupby(level="date").sum() if not per_day.empty else pd.Series(dtype=float)
        else:
            spent = per_day.xs(channel, level="channel") if channel in per_day.index.get_level_values(0) else None
        running = 0.0
        for d in gone:
            running += float(spent.get(d, 0.0)) if spent is not None else 0.0
            out.append({"channel": channel, "date": d, "series": "actual", "spend": running})
        for i, d in enumerate(days, start=1):
            out.append({"channel": channel, "date": d, "series": "pace", "spend": amount * i / n})
    return pd.DataFrame(out, columns=["channel", "date", "series", "spend"])


@dataclass(frozen=True)
class Attention:
    """One thing to look at today: what kind ('flag' | 'target' | 'budget'), how bad (0 = worst), the object."""

    kind: str
    rank: int
    item: object


def attention(check: CheckResult) -> list[Attention]:
    """What needs attention today, worst first: firing then pending stop-loss flags (critical before warning),
    off-track then at-risk targets, then channels spending over the budget's pace."""
    items: list[Attention] = []
    for flag in check.flags:
        if flag.state in (RuleState.FIRING, RuleState.PENDING):
            rank = (0 if flag.state is RuleState.FIRING else 2) + (0 if flag.severity == "critical" else 1)
            items.append(Attention("flag", rank, flag))
    for target in check.targets:
        if target.status in (Status.MISSED, Status.OFF_TRACK, Status.AT_RISK):
            items.append(Attention("target", 5 if target.status is Status.AT_RISK else 4, target))
    if check.budget:
        items += [Attention("budget", 6, line) for line in check.budget.lines if line.channel and line.over_pace]
    return sorted(items, key=lambda a: a.rank)
