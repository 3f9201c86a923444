"""Judge the plan's targets and initiatives against daily metric parts, as of an explicit day.

Pure functions: data in (the frames of ``measure.daily_parts``), frozen results out; no I/O, no clock.
A value over a window is the ratio of the window's sums for a rate, the mean per day for a count
judged as a level, and the sum for a cumulative target. Immature days carry no parts and are skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum

import pandas as pd

from opsplan import fmt as fmtlib
from opsplan.metrics.measure import MetricInfo
from opsplan.metrics.registry import Direction
from opsplan.plan.labels import scope_label
from opsplan.plan.model import Plan, Target, TargetKind
from opsplan.plan.wording import Pair, pair
from opsplan.words import both, t

LEVEL_DAYS = 7
FORECAST_DAYS = 14
AT_RISK_BAND = 0.10  # within 10% of the target (or forecast >= 90% of it) is at risk, beyond is off track


class Status(Enum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    MISSED = "missed"  # final: the period is over and the target was not met
    NO_DATA = "no_data"

    def label(self, lang: str = "zh") -> str:
        return t(f"status.{self.value}", lang)

    def words(self) -> Pair:
        return both(f"status.{self.value}")


@dataclass(frozen=True)
class TargetResult:
    id: str
    metric: str
    kind: TargetKind
    scope: dict[str, str]
    status: Status
    actual: float | None
    target: float | None
    expected: float | None = None  # cumulative: where the pace says we should be today
    forecast: float | None = None  # cumulative: projected end-of-period value
    progress: float | None = None  # cumulative: actual / target
    trend: float | None = None  # level: change against the 7 days before
    reason_zh: str = ""
    reason_en: str = ""
    #: date, actual, expected (pace) and target per day, for the charts
    series: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)
    #: the plan author's name for the target (``name:``), shown as written; '' when the plan gives none
    name: str = ""

    def reason(self, lang: str = "zh") -> str:
        return self.reason_zh if lang == "zh" else self.reason_en


def _sums(parts: pd.DataFrame, start: dt.date, end: dt.date) -> tuple[float, float, bool]:
    """(Σnum, Σden, any row) over days start..end."""
    rows = parts[(parts["date"] >= start) & (parts["date"] <= end)]
    rows = rows[rows["num"].notna()]
    return float(rows["num"].sum()), float(rows["den"].fillna(0).sum()), not rows.empty


def window_value(info: MetricInfo, parts: pd.DataFrame, start: dt.date, end: dt.date) -> float | None:
    """The metric over a window: ratio of sums for a rate, mean per day for a count, None without data."""
    num, den, seen = _sums(parts, start, end)
    if info.is_ratio:
        return num / den if den else None
    if info.lag and not seen:
        return None
    return num / ((end - start).days + 1)


def level_window(
    info: MetricInfo, as_of: dt.date, first: dt.date | None = None, last: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The trailing 7 days; for a cohort metric the 7 latest cohort days that are mature on as_of.

    Inside a period (``first`` .. ``last``, a plan's or an initiative's) the window stays within it: after the
    end it is the period's last 7 (mature) days, and a 3-day initiative is judged on its own 3 days."""
    end = as_of - dt.timedelta(days=info.lag)
    if last is not None:
        end = min(end, last)
    start = end - dt.timedelta(days=LEVEL_DAYS - 1)
    if first is not None and first <= end:
        start = max(start, first)
    return start, end


def _better(info: MetricInfo, value: float, target: float) -> bool:
    return value <= target if info.direction is Direction.DOWN else value >= target


def _near(info: MetricInfo, value: float, target: float) -> bool:
    if info.direction is Direction.DOWN:
        return value <= target * (1 + AT_RISK_BAND) if target >= 0 else value <= target * (1 - AT_RISK_BAND)
    return value >= target * (1 - AT_RISK_BAND) if target >= 0 else value >= target * (1 + AT_RISK_BAND)


def fmt(info: MetricInfo, value: float | None, currency: str = "¥") -> str:
    """A value of ``info``'s metric by its unit (``opsplan.fmt``): the one format for registry and plan metrics."""
    return fmtlib.value(info.unit, value, currency)


def _span(start: dt.date, end: dt.date) -> str:
    """'01-07–01-13' (the year when the two days' years differ): how a reason names its window."""
    if start.year != end.year:
        return f"{start}–{end}"
    return f"{start:%m-%d}–{end:%m-%d}"


def window_words(start: dt.date, end: dt.date, info: MetricInfo) -> Pair:
    """A level window named in both languages: its days, or its cohort days."""
    return both("reason.span_cohorts" if info.lag else "reason.span_days", span=_span(start, end))


def subject(target: Target, info: MetricInfo, campaigns: Mapping[str, str] | None = None) -> Pair:
    """What a reason is about: the metric's label and, for a scoped target, its channel or campaign."""

    def one(lang: str) -> str:
        where = scope_label(target.scope.as_dict(), lang, campaigns)
        return info.label(lang) + (t("reason.scope", lang, scope=where) if where else "")

    return one("zh"), one("en")


def judge_cumulative(
    t: Target,
    info: MetricInfo,
    parts: pd.DataFrame,
    plan: Plan,
    as_of: dt.date,
    campaigns: Mapping[str, str] | None = None,
) -> TargetResult:
    assert plan.start and plan.end and t.target is not None
    end = min(as_of, plan.end)
    actual, _, _ = _sums(parts, plan.start, end)
    elapsed = max(0, (end - plan.start).days + 1)
    remaining = max(0, (plan.end - end).days)
    # the mean of the trailing 14 days, over the days the data covers (a product 5 days old has 5 of them)
    first = min(parts["date"].min(), end) if not parts.empty else end
    span = max(1, min(FORECAST_DAYS, (end - first).days + 1))
    recent, _, _ = _sums(parts, end - dt.timedelta(days=span - 1), end)
    forecast = actual + recent / span * remaining
    expected = t.target * elapsed / plan.days
    final = as_of >= plan.end  # the period is over: achieved or missed, nothing in between
    if _better(info, actual, t.target) and (info.direction is Direction.UP or final):
        status = Status.ACHIEVED
    elif final:
        status = Status.MISSED
    elif _better(info, forecast, t.target):
        status = Status.ON_TRACK
    elif _near(info, forecast, t.target):
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    share, gone = actual / t.target if t.target else None, elapsed / plan.days
    said = dict(
        label=subject(t, info, campaigns),
        actual=fmt(info, actual),
        target=fmt(info, t.target),
        done=fmtlib.share(share),
        status=status.words(),
    )
    if final:
        zh, en = pair("reason.cumulative_over", span=_span(plan.start, plan.end), **said)
    else:
        zh, en = pair(
            "reason.cumulative",
            gone=fmtlib.share(gone),
            days=fmtlib.count(span),
            forecast=fmt(info, forecast),
            then=fmtlib.share(forecast / t.target),
            **said,
        )
    days = pd.date_range(plan.start, plan.end).date
    daily = parts.groupby("date")["num"].sum()
    cumulative = pd.Series([daily.get(d, 0.0) for d in days], index=days).cumsum()
    series = pd.DataFrame(
        {
            "date": days,
            "actual": [cumulative[d] if d <= end else None for d in days],
            "expected": [t.target * ((d - plan.start).days + 1) / plan.days for d in days],
            "target": t.target,
        }
    )
    return TargetResult(
        t.id,
        t.metric,
        t.kind,
        t.scope.as_dict(),
        status,
        actual,
        t.target,
        expected,
        forecast,
        share,
        None,
        zh,
        en,
        series,
    )


def _level_series(info: MetricInfo, parts: pd.DataFrame, plan: Plan, as_of: dt.date, target: float) -> pd.DataFrame:
    """``window_value`` of every day of the plan up to ``as_of``, with rolling sums instead of a filter per day."""
    assert plan.start and plan.end
    days = list(pd.date_range(plan.start, min(as_of, plan.end)).date)
    if not days:
        return pd.DataFrame({"date": [], "actual": [], "expected": [], "target": []})
    rows = parts.loc[parts["num"].notna(), ["date", "num", "den"]].fillna({"den": 0.0})
    daily = rows.groupby("date").agg(num=("num", "sum"), den=("den", "sum"), n=("num", "size"))
    first = days[0] - dt.timedelta(days=info.lag + LEVEL_DAYS - 1)
    index = pd.date_range(first, days[-1]).date
    daily = daily.reindex(index, fill_value=0)
    rolled = daily.rolling(LEVEL_DAYS, min_periods=1).sum()
    values: list[float | None] = []
    for d in days:
        num, den, n = rolled.loc[d - dt.timedelta(days=info.lag)]
        if info.is_ratio:
            values.append(float(num) / float(den) if den else None)
        elif info.lag and not n:
            values.append(None)
        else:
            values.append(float(num) / LEVEL_DAYS)
    return pd.DataFrame({"date": days, "actual": values, "expected": target, "target": target})


def judge_level(
    t: Target,
    info: MetricInfo,
    parts: pd.DataFrame,
    plan: Plan,
    as_of: dt.date,
    target: float | None = None,
    why: Pair = ("", ""),
    campaigns: Mapping[str, str] | None = None,
) -> TargetResult:
    goal = t.target if target is None else target
    assert goal is not None
    start, end = level_window(info, as_of, plan.start, plan.end)
    value = window_value(info, parts, start, end)
    prior = window_value(info, parts, start - dt.timedelta(days=LEVEL_DAYS), end - dt.timedelta(days=LEVEL_DAYS))
    trend = (value - prior) / abs(prior) if value is not None and prior else None
    label = subject(t, info, campaigns)
    if value is None:
        status = Status.NO_DATA
        zh, en = pair("reason.level_no_data", label=label, status=status.words())
    else:
        status = (
            Status.ON_TRACK
            if _better(info, value, goal)
            else Status.AT_RISK
            if _near(info, value, goal)
            else Status.OFF_TRACK
        )
        if plan.end and as_of >= plan.end:  # the period is over: the verdict is final
            status = Status.ACHIEVED if status is Status.ON_TRACK else Status.MISSED
        gap = (value - goal) / abs(goal) if goal else 0.0
        days = fmtlib.count((end - start).days + 1)
        zh, en = pair(
            "reason.level",
            label=label,
            recent=both("reason.recent_cohorts" if info.lag else "reason.recent_days", days=days),
            value=fmt(info, value),
            target=fmt(info, goal),
            why=why,
            gap=fmtlib.change(gap),
            wow=both("reason.week_over_week", change=fmtlib.change(trend)) if trend is not None else ("", ""),
            window=window_words(start, end, info),
            status=status.words(),
        )
    return TargetResult(
        t.id,
        t.metric,
        t.kind,
        t.scope.as_dict(),
        status,
        value,
        goal,
        trend=trend,
        reason_zh=zh,
        reason_en=en,
        series=_level_series(info, parts, plan, as_of, goal),
    )


def judge_relative(
    t: Target,
    info: MetricInfo,
    parts: pd.DataFrame,
    plan: Plan,
    as_of: dt.date,
    campaigns: Mapping[str, str] | None = None,
) -> TargetResult:
    """target = baseline x (1 + change); the baseline is given, or the value over baseline_period."""
    baseline = t.baseline
    if baseline is None and t.baseline_start and t.baseline_end:
        baseline = window_value(info, parts, t.baseline_start, t.baseline_end)
    if baseline is None or t.change is None:
        zh, en = pair("reason.no_baseline", status=Status.NO_DATA.words())
        return TargetResult(
            t.id,
            t.metric,
            t.kind,
            t.scope.as_dict(),
            Status.NO_DATA,
            None,
            None,
            reason_zh=zh,
            reason_en=en,
        )
    goal = baseline * (1 + t.change)
    change = (fmtlib.change(abs(t.change), signed=False), fmtlib.change(t.change))
    key = "reason.baseline_up" if t.change >= 0 else "reason.baseline_down"
    why = pair(key, baseline=fmt(info, baseline), change=change)
    return judge_level(t, info, parts, plan, as_of, goal, why, campaigns)


def judge_target(
    t: Target,
    info: MetricInfo,
    parts: pd.DataFrame,
    plan: Plan,
    as_of: dt.date,
    campaigns: Mapping[str, str] | None = None,
) -> TargetResult:
    """The verdict on one target as of ``as_of``; ``campaigns`` names a campaign scope in its reason."""
    if t.kind is TargetKind.CUMULATIVE:
        result = judge_cumulative(t, info, parts, plan, as_of, campaigns)
    elif t.kind is TargetKind.RELATIVE:
        result = judge_relative(t, info, parts, plan, as_of, campaigns)
    else:
        result = judge_level(t, info, parts, plan, as_of, campaigns=campaigns)
    return replace(result, name=t.name or "") if t.name else result
