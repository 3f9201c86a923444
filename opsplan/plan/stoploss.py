"""Stop-loss rules (数据止损点): the state of each rule and scope item, day by day.

Replayed from the plan's start to the judged day, so the answer depends only on the data and the plan:
a condition true for fewer than ``for_days`` consecutive days is pending, for ``for_days`` or more
firing; a firing rule whose condition turns false is resolved (for that day); otherwise ok. A missing
or immature value is no_data and breaks the run. A cohort metric is judged on its latest mature cohort
day (roi_7d on day d: the cohort of d-6).

A value whose spend is under ``min_spend`` is pooled with the days before it (at most ``pool_days`` in
all) until the summed spend reaches ``min_spend``, so a small channel is judged on a few days together
instead of never; when even the full pool stays under, the state is not_judged — the value is kept and
shown, but it breaks the run and never fires, like no_data.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

import pandas as pd

from opsplan import fmt
from opsplan.metrics.measure import MetricInfo
from opsplan.plan.labels import item_label
from opsplan.plan.model import Rule
from opsplan.words import t

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
    NO_DATA = "no_data"  # the value does not exist (immature or missing)
    NOT_JUDGED = "not_judged"  # the value exists, but its (pooled) spend is under min_spend

    def label(self, lang: str = "zh") -> str:
        return t(f"state.{self.value}", lang)


#: worst first, for every list of flags (the terminal table, the Alerts page)
STATE_ORDER = {
    RuleState.FIRING: 0,
    RuleState.PENDING: 1,
    RuleState.RESOLVED: 2,
    RuleState.NOT_JUDGED: 3,
    RuleState.NO_DATA: 4,
    RuleState.OK: 5,
}


@dataclass(frozen=True)
class RuleEval:
    """One rule, one scope item, one day."""

    rule_id: str
    item: str  # 'all', a channel or a campaign
    date: dt.date  # the day of the evaluation
    judged_day: dt.date  # the day whose value was judged (the cohort day for cohort metrics)
    state: RuleState
    value: float | None  # the (pooled) value, also when not judged
    spend: float | None  # the (pooled) spend compared with min_spend
    streak: int  # consecutive days the condition has held
    since: dt.date  # first day of the current run of this state (of the condition for pending / firing)
    window_start: dt.date | None = None  # first (cohort) day of the judged window; judged_day when not pooled
    min_spend: float = 0.0  # the rule's, so a reader can say "¥55 < ¥100"


Parts = dict[tuple[str, dt.date], tuple[float, float, float]]


def _value(num: float | None, den: float | None, info: MetricInfo) -> float | None:
    if num is None or pd.isna(num):
        return None
    if info.is_ratio:
        return num / den if den and not pd.isna(den) else None
    return float(num)


def _money(spend: float | None) -> float | None:
    return None if spend is None or pd.isna(spend) else float(spend)


def _pool(
    rule: Rule, info: MetricInfo, index: Parts, item: str, judged: dt.date
) -> tuple[float | None, float | None, dt.date]:
    """(value, spend, first day) of the judged day summed with the days before it that have a value, until
    the spend reaches min_spend or ``pool_days`` days are counted: the ratio of the sums, never a mean."""
    nums = dens = spent = 0.0
    has_spend, start = False, judged
    for back in range(max(rule.pool_days, 1)):
        day = judged - dt.timedelta(days=back)
        num, den, spend = index.get((item, day), (None, None, None))
        if _value(num, den, info) is None:
            continue  # missing or without a value: skipped, but counted in pool_days
        nums += float(num)
        dens += 0.0 if den is None or pd.isna(den) else float(den)
        if _money(spend) is not None:
            spent, has_spend = spent + float(spend), True
        start = day
        if spent >= rule.min_spend:
            break
    value = (nums / dens if dens else None) if info.is_ratio else nums
    return value, spent if has_spend else None, start


def replay(
    rule: Rule, info: MetricInfo, parts: pd.DataFrame, items: list[str], start: dt.date, as_of: dt.date
) -> dict[str, list[RuleEval]]:
    """Every day's evaluation from ``start`` to ``as_of`` for each scope item (parts of measure.daily_parts).

    Pooling reads the days before the judged one from ``parts`` too: pass them from ``pool_days - 1``
    days earlier, or the first days of the plan pool fewer days."""
    assert rule.op is not None and rule.threshold is not None
    test = OPS[rule.op]
    index: Parts = {(r.item, r.date): (r.num, r.den, r.spend) for r in parts.itertuples(index=False)}
    out: dict[str, list[RuleEval]] = {}
    lag = dt.timedelta(days=info.lag)
    for item in items:
        history: list[RuleEval] = []
        streak, state, since = 0, RuleState.OK, start
        for day in pd.date_range(start, as_of).date:
            judged = day - lag
            num, den, spend = index.get((item, judged), (None, None, None))
            value, spent, first = _value(num, den, info), _money(spend), judged
            if value is not None and rule.min_spend and (spent or 0.0) < rule.min_spend:
                value, spent, first = _pool(rule, info, index, item, judged)
            if value is None:
                new, streak = RuleState.NO_DATA, 0
            elif rule.min_spend and (spent or 0.0) < rule.min_spend:
                new, streak = RuleState.NOT_JUDGED, 0
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
            history.append(
                RuleEval(rule.id, item, day, judged, state, value, spent, streak, since, first, rule.min_spend)
            )
        out[item] = history
    return out


def yuan(amount: float | None) -> str:
    """An amount of spend as every amount reads ('¥1,234.00', '¥80.64'); — when unknown."""
    return fmt.value(fmt.CURRENCY, amount)


def _window(info: MetricInfo, ev: RuleEval, lang: str) -> str:
    """The judged (cohort) day or pooled window; '' when it is just the day of the evaluation."""
    first = ev.window_start or ev.judged_day
    if first == ev.judged_day == ev.date:
        return ""
    pooled = first != ev.judged_day
    span = f"{first:%m-%d}–{ev.judged_day:%m-%d}" if pooled else f"{ev.judged_day:%m-%d}"
    days = (ev.judged_day - first).days + 1
    judged = ev.state is not RuleState.NOT_JUDGED
    noun = ("cohorts" if pooled else "cohort") if info.lag else ("days" if pooled else "day")
    text = t(f"reason.window_{noun}", lang, span=span)
    if pooled and judged:
        text += t("reason.pooled", lang, days=fmt.count(days), spend=yuan(ev.spend))
    return text


def describe(
    rule: Rule, info: MetricInfo, ev: RuleEval, lang: str = "zh", campaigns: Mapping[str, str] | None = None
) -> str:
    """One line for the meeting: what the rule saw, where (a channel by its label, a campaign by its name),
    on which (cohort) days, and since when. Every number as the metric reads anywhere (``opsplan.fmt``)."""
    value = fmt.value(info.unit, ev.value)  # CAC in ¥, a rate in %, ROI as a ratio: as the metric reads anywhere
    item = "" if ev.item == "all" else item_label(rule.per, ev.item, lang, campaigns)
    parts = [p for p in (item, _window(info, ev, lang)) if p]
    where = t("reason.where", lang, where=t("reason.where_join", lang).join(parts)) if parts else ""
    if ev.state is RuleState.NOT_JUDGED:
        return t(
            "reason.rule_not_judged",
            lang,
            label=info.label(lang),
            where=where,
            value=value,
            spend=yuan(ev.spend),
            minimum=yuan(ev.min_spend),
            state=ev.state.label(lang),
        )
    return t(
        "reason.rule",
        lang,
        label=info.label(lang),
        where=where,
        value=value,
        op=rule.op,
        threshold=fmt.value(info.unit, rule.threshold),
        state=ev.state.label(lang),
        since=ev.since,
        days=fmt.count(ev.streak),
    )
