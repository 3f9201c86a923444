"""Budget (预算): planned vs actual spend by category and channel, burn, pace and projection.

Planned amounts: an allocation's ``amount``, or its ``share`` of the spendable budget (total minus the
reserve); a channel gets its share of its allocation. Actual spend comes from ad_spend by channel, so a
category without channels (e.g. retention, brand) has a plan but no tracked actual.
burn = actual / planned; pace = actual / (planned x elapsed share); projected = actual / elapsed days x days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from opsplan.plan.labels import category_label
from opsplan.plan.model import Allocation, Plan

OVER_PACE = 1.10  # spending more than 10% ahead of the straight line


@dataclass(frozen=True)
class BudgetLine:
    category: str
    channel: str | None  # None for the category line
    planned: float
    actual: float | None
    burn: float | None
    pace: float | None
    projected: float | None
    over_pace: bool
    #: the category's own label in the plan (label_zh / label_en); '' when it gives none
    label_zh: str = ""
    label_en: str = ""

    def category_label(self, lang: str = "zh") -> str:
        """The category as a reader knows it: the plan's label, the catalogue's for a known code, else the code."""
        return category_label(self, lang)


@dataclass(frozen=True)
class BudgetResult:
    total: float
    reserve_share: float
    reserve_amount: float
    spendable: float
    actual: float
    projected: float
    elapsed_share: float
    reserve_kept: float  # what would be left of the total at the projected spend
    lines: tuple[BudgetLine, ...]

    @property
    def over_pace_channels(self) -> list[str]:
        return [line.channel for line in self.lines if line.channel and line.over_pace]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([line.__dict__ for line in self.lines])


def _line(
    a: Allocation, channel: str | None, planned: float, actual: float | None, elapsed: float, days_gone: int, days: int
) -> BudgetLine:
    label = {"label_zh": a.label_zh, "label_en": a.label_en}
    if actual is None:
        return BudgetLine(a.category, channel, planned, None, None, None, None, False, **label)
    burn = actual / planned if planned else None
    pace = actual / (planned * elapsed) if planned and elapsed else None
    projected = actual / days_gone * days if days_gone else None
    over = bool(pace and pace > OVER_PACE)
    return BudgetLine(a.category, channel, planned, actual, burn, pace, projected, over, **label)


def budget_status(plan: Plan, spend_by_channel: pd.DataFrame, as_of: dt.date) -> BudgetResult | None:
    """``spend_by_channel``: columns date, channel, spend (any days; only the plan period counts)."""
    b = plan.budget
    if b is None or not b.total or not (plan.start and plan.end):
        return None
    end = min(as_of, plan.end)
    days, days_gone = plan.days, max(0, (end - plan.start).days + 1)
    elapsed = days_gone / days
    rows = spend_by_channel[(spend_by_channel["date"] >= plan.start) & (spend_by_channel["date"] <= end)]
    by_channel = rows.groupby("channel")["spend"].sum().astype(float).to_dict()
    spendable = b.total * (1 - b.reserve)
    lines: list[BudgetLine] = []
    for a in b.allocations:
        planned = a.amount if a.amount is not None else spendable * (a.share or 0.0)
        actual = sum(by_channel.get(c, 0.0) for c in a.channels) if a.channels else None
        lines.append(_line(a, None, planned, actual, elapsed, days_gone, days))
        for channel, share in a.channels.items():
            lines.append(_line(a, channel, planned * share, by_channel.get(channel, 0.0), elapsed, days_gone, days))
    actual = float(sum(by_channel.values()))
    projected = actual / days_gone * days if days_gone else 0.0
    return BudgetResult(
        b.total,
        b.reserve,
        b.total * b.reserve,
        spendable,
        actual,
        projected,
        elapsed,
        b.total - projected,
        tuple(lines),
    )
