"""Judge the plan's targets and initiatives against daily metric parts, as of an explicit day.

Pure functions: data in (the frames of ``measure.daily_parts``), frozen results out; no I/O, no clock.
A value over a window is the ratio of the window's sums for a rate, the mean per day for a count
judged as a level, and the sum for a cumulative target. Immature days carry no parts and are skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import Enum

import pandas as pd

from opsplan import fmt as fmtlib
from opsplan.metrics.measure import MetricInfo
from opsplan.metrics.registry import Direction
from opsplan.plan.model import Initiative, Plan, Target, TargetKind

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
        return _STATUS_LABELS[self][0 if lang == "zh" else 1]


_STATUS_LABELS = {
    Status.ACHIEVED: ("已达成", "achieved"),
    Status.ON_TRACK: ("正常", "on track"),
    Status.AT_RISK: ("有风险", "at risk"),
    Status.OFF_TRACK: ("落后", "off track"),
    Status.MISSED: ("未达成", "missed"),
    Status.NO_DATA: ("无数据", "no data"),
}


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


def window_words(start: dt.date, end: dt.date, info: MetricInfo) -> tuple[str, str]:
    """A level window named in both languages: its days, or its cohort days."""
    if info.lag:
        return f"同期群 {_span(start, end)}", f"cohorts {_span(start, end)}"
    return f"统计日 {_span(start, end)}", f"days {_span(start, end)}"


def _scope_text(target: Target | Initiative, lang: str) -> str:
    s = target.scope
    if not (s.channel or s.campaign):
        return ""
    return f"（{s.label()}）" if lang == "zh" else f" ({s.label()})"


def judge_cumulative(t: Target, info: MetricInfo, parts: pd.DataFrame, plan: Plan, as_of: dt.date) -> TargetResult:
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
    label_zh, label_en = info.label("zh") + _scope_text(t, "zh"), info.label("en") + _scope_text(t, "en")
    done, now, then = fmtlib.share(share), fmtlib.share(gone), fmtlib.share(forecast / t.target)
    if final:
        span_text = _span(plan.start, plan.end)
        zh = (
            f"{label_zh}累计 {fmt(info, actual)} / 目标 {fmt(info, t.target)}（{done}），"
            f"{span_text} 已结束 → {status.label('zh')}"
        )
        en = (
            f"{label_en} {fmt(info, actual)} of {fmt(info, t.target)} ({done}); {span_text} is over "
            f"→ {status.label('en')}"
        )
    else:
        zh = (
            f"{label_zh}累计 {fmt(info, actual)} / 目标 {fmt(info, t.target)}（{done}），时间已过 {now}；"
            f"按近{span}天日均，期末预计 {fmt(info, forecast)}（{then}）→ {status.label('zh')}"
        )
        en = (
            f"{label_en} {fmt(info, actual)} of {fmt(info, t.target)} ({done}) with {now} of the period "
            f"gone; at the last {span} days' pace {fmt(info, forecast)} ({then}) by the end "
            f"→ {status.label('en')}"
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
    why_zh: str = "",
    why_en: str = "",
) -> TargetResult:
    goal = t.target if target is None else target
    assert goal is not None
    start, end = level_window(info, as_of, plan.start, plan.end)
    value = window_value(info, parts, start, end)
    prior = window_value(info, parts, start - dt.timedelta(days=LEVEL_DAYS), end - dt.timedelta(days=LEVEL_DAYS))
    trend = (value - prior) / abs(prior) if value is not None and prior else None
    label_zh, label_en = info.label("zh") + _scope_text(t, "zh"), info.label("en") + _scope_text(t, "en")
    if value is None:
        status = Status.NO_DATA
        zh, en = f"{label_zh}近7天没有成熟数据 → 无数据", f"{label_en}: no mature data in the last 7 days → no data"
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
        gap_text, wow = fmtlib.change(gap), fmtlib.change(trend)
        wow_zh = f"，环比{wow}" if trend is not None else ""
        wow_en = f", {wow} week over week" if trend is not None else ""
        win_zh, win_en = window_words(start, end, info)
        n = (end - start).days + 1
        recent_zh = f"近{n}个成熟同期群" if info.lag else f"近{n}天"
        recent_en = f"over the {n} latest mature cohorts" if info.lag else f"over the last {n} days"
        zh = (
            f"{label_zh}{recent_zh} {fmt(info, value)}，目标 {fmt(info, goal)}{why_zh}，差 {gap_text}{wow_zh}，{win_zh}"
            f" → {status.label('zh')}"
        )
        en = (
            f"{label_en} {fmt(info, value)} {recent_en} vs target {fmt(info, goal)}{why_en} "
            f"({gap_text}){wow_en}, {win_en} → {status.label('en')}"
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


def judge_relative(t: Target, info: MetricInfo, parts: pd.DataFrame, plan: Plan, as_of: dt.date) -> TargetResult:
    """target = baseline x (1 + change); the baseline is given, or the value over baseline_period."""
    baseline = t.baseline
    if baseline is None and t.baseline_start and t.baseline_end:
        baseline = window_value(info, parts, t.baseline_start, t.baseline_end)
    if baseline is None or t.change is None:
        return TargetResult(
            t.id,
            t.metric,
            t.kind,
            t.scope.as_dict(),
            Status.NO_DATA,
            None,
            None,
            reason_zh="基线没有数据 → 无数据",
            reason_en="no data for the baseline → no data",
        )
    goal = baseline * (1 + t.change)
    word = "提升" if t.change >= 0 else "降低"
    why_zh = f"（基线 {fmt(info, baseline)} {word}{fmtlib.change(abs(t.change), signed=False)}）"
    why_en = f" (baseline {fmt(info, baseline)} {fmtlib.change(t.change)})"
    return judge_level(t, info, parts, plan, as_of, goal, why_zh, why_en)


def judge_target(t: Target, info: MetricInfo, parts: pd.DataFrame, plan: Plan, as_of: dt.date) -> TargetResult:
    if t.kind is TargetKind.CUMULATIVE:
        return judge_cumulative(t, info, parts, plan, as_of)
    if t.kind is TargetKind.RELATIVE:
        return judge_relative(t, info, parts, plan, as_of)
    return judge_level(t, info, parts, plan, as_of)


@dataclass(frozen=True)
class InitiativeResult:
    module: str
    name: str
    owner: str
    start: dt.date | None
    end: dt.date | None
    metric: str | None
    scope: dict[str, str]
    target: float | None
    actual: float | None
    progress: float | None
    elapsed: float | None
    status: Status | None
    state: str  # not_started / running / finished
    reason_zh: str = ""
    reason_en: str = ""
    #: firing stop-loss flags on the initiative's own channel or campaign: "roi_floor (critical)"
    flags: tuple[str, ...] = ()


def initiative_target(i: Initiative, info: MetricInfo) -> Target:
    """The initiative's metric as a target over its own dates: cumulative for a count that adds up over days,
    a level otherwise, so a target and an initiative on the same metric, scope and window agree."""
    kind = TargetKind.CUMULATIVE if info.additive and not info.is_ratio else TargetKind.LEVEL
    return Target(id=i.name, metric=i.metric or "", kind=kind, target=i.target, scope=i.scope, path=i.path)


def judge_initiative(
    i: Initiative, info: MetricInfo | None, parts: pd.DataFrame | None, as_of: dt.date, plan: Plan | None = None
) -> InitiativeResult:
    """The measuring metric judged exactly as a target is, over the initiative's own dates and scope: the sum
    with pace and forecast for a count, the trailing 7 (mature cohort) days for a rate; final after its end."""
    base = dict(
        module=i.module,
        name=i.name,
        owner=i.owner,
        start=i.start,
        end=i.end,
        metric=i.metric,
        scope=i.scope.as_dict(),
        target=i.target,
    )
    if not (i.start and i.end):
        return InitiativeResult(**base, actual=None, progress=None, elapsed=None, status=None, state="unknown")
    state = "not_started" if as_of < i.start else "finished" if as_of >= i.end else "running"
    elapsed = min(1.0, max(0.0, ((as_of - i.start).days + 1) / ((i.end - i.start).days + 1)))
    if info is None or parts is None or i.target is None or state == "not_started":
        return InitiativeResult(
            **base,
            actual=None,
            progress=None,
            elapsed=elapsed,
            status=None,
            state=state,
            reason_zh="尚未开始" if state == "not_started" else "",
            reason_en="not started" if state == "not_started" else "",
        )
    window = replace(plan, start=i.start, end=i.end) if plan else Plan("", i.start, i.end, "UTC", "CNY", None)
    target = initiative_target(i, info)
    if target.kind is TargetKind.CUMULATIVE:  # its pace and forecast come from its own days only
        parts = parts[parts["date"] >= i.start]
    result = judge_target(target, info, parts, window, as_of)
    progress = result.actual / i.target if result.actual is not None and i.target else None
    return InitiativeResult(
        **base,
        actual=result.actual,
        progress=progress,
        elapsed=elapsed,
        status=result.status,
        state=state,
        reason_zh=result.reason_zh,
        reason_en=result.reason_en,
    )


def with_flags(result: InitiativeResult, flags: list[tuple[str, str, str, str]]) -> InitiativeResult:
    """An initiative whose channel or campaign has a firing stop-loss says so, and its status is no better
    than the flag: a critical flag makes it off track, a warning one at risk (one verdict per fact).

    ``flags``: (rule id, severity, since, action) of each firing flag on the initiative's scope."""
    if not flags or result.status in (None, Status.NO_DATA):
        return replace(result, flags=tuple(f"{f[0]} ({f[1]})" for f in flags)) if flags else result
    worst = Status.OFF_TRACK if any(f[1] == "critical" for f in flags) else Status.AT_RISK
    order = [Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.MISSED]
    status = result.status if order.index(result.status) >= order.index(worst) else worst
    zh = "；".join(f"止损规则 {rid} 触发中（自 {since}）：{action}" for rid, _, since, action in flags)
    en = "; ".join(f"stop-loss {rid} firing since {since}: {action}" for rid, _, since, action in flags)
    reason_zh = result.reason_zh.rsplit(" → ", 1)[0] + f"；{zh} → {status.label('zh')}"
    reason_en = result.reason_en.rsplit(" → ", 1)[0] + f"; {en} → {status.label('en')}"
    return replace(
        result,
        status=status,
        reason_zh=reason_zh,
        reason_en=reason_en,
        flags=tuple(f"{f[0]} ({f[1]})" for f in flags),
    )
