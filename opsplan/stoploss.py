"""Stop-loss rules (数据止损点): the state of each rule and scope item, day by day.

Replayed from the plan's start to the judged day, so the answer depends only on the data and the plan:
a condition true for fewer than ``for_days`` consecutive days is pending, for ``for_days`` or more
firing; a firing rule whose condition turns false is resolved (for that day); otherwise ok. A missing
or immature value, or spend under ``min_spend``, is no_data and breaks the run. A cohort metric is
judged on its latest mature cohort day (roi_7d on day d: the cohort of d-6).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import pandas as pd

from opsplan.measure import MetricInfo
from opsplan.plan import Rule

OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


class RuleState(Enum):
    OK = "ok"
    PENDING = "pending"
    FIRING = "firing"
    RESOLVED = "resolved"
    NO_DATA = "no_data"

    def label(self, lang: str = "zh") -> str:
        zh = {"ok": "正常", "pending": "观察中", "firing": "触发", "resolved": "已恢复", "no_data": "无数据"}
        return zh[self.value] if lang == "zh" else self.value.replace("_", " ")


@dataclass(frozen=True)
class RuleEval:
    """One rule, one scope item, one day."""

    rule_id: str
    item: str  # 'all', a channel or a campaign
    date: dt.date  # the day of the evaluation
    judged_day: dt.date  # the day whose value was judged (the cohort day for cohort metrics)
    state: RuleState
    value: float | None
    spend: float | None
    streak: int  # consecutive days the condition has held
    since: dt.date  # first day of the current run of this state (of the condition for pending / firing)


def _value(num: float | None, den: float | None, info: MetricInfo) -> float | None:
    if num is None or pd.isna(num):
        return None
    if info.is_ratio:
        return num / den if den and not pd.isna(den) else None
    return float(num)


def replay(
    rule: Rule, info: MetricInfo, parts: pd.DataFrame, items: list[str], start: dt.date, as_of: dt.date
) -> dict[str, list[RuleEval]]:
    """Every day's evaluation from ``start`` to ``as_of`` for each scope item (parts of measure.daily_parts)."""
    assert rule.op is not None and rule.threshold is not None
    test = OPS[rule.op]
    index = {(r.item, r.date): (r.num, r.den, r.spend) for r in parts.itertuples(index=False)}
    out: dict[str, list[RuleEval]] = {}
    lag = dt.timedelta(days=info.lag)
    for item in items:
        history: list[RuleEval] = []
        streak, state, since = 0, RuleState.OK, start
        for day in pd.date_range(start, as_of).date:
            judged = day - lag
            num, den, spend = index.get((item, judged), (None, None, None))
            value = _value(num, den, info)
            spent = None if spend is None or pd.isna(spend) else float(spend)
            if value is None or (rule.min_spend and (spent or 0.0) < rule.min_spend):
                new, streak = RuleState.NO_DATA, 0
            elif test(value, rule.threshold):
                streak += 1
                new = RuleState.FIRING if streak >= rule.for_days else RuleState.PENDING
            else:
                new = RuleState.RESOLVED if state is RuleState.FIRING else RuleState.OK
                streak = 0
            if new in (RuleState.PENDING, RuleState.FIRING):
                since = day - dt.timedelta(days=streak - 1)
            elif new is not state:
                since = day
            state = new
            history.append(RuleEval(rule.id, item, day, judged, state, value, spent, streak, since))
        out[item] = history
    return out


def describe(rule: Rule, info: MetricInfo, ev: RuleEval, lang: str = "zh") -> str:
    """One line for the meeting: what the rule saw and since when."""
    value = "—" if ev.value is None else (f"{ev.value:.1%}" if info.unit.value == "percent" else f"{ev.value:,.2f}")
    where = "" if ev.item == "all" else (f"（{ev.item}）" if lang == "zh" else f" ({ev.item})")
    if lang == "zh":
        return (
            f"{info.label('zh')}{where} = {value}，规则 {rule.op} {rule.threshold:g}，"
            f"{ev.state.label('zh')}（自 {ev.since}，连续 {ev.streak} 天）"
        )
    return (
        f"{info.label('en')}{where} = {value}, rule {rule.op} {rule.threshold:g}: "
        f"{ev.state.label('en')} since {ev.since} ({ev.streak} day(s) in a row)"
    )
