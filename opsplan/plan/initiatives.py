"""Judge the plan's initiatives (关键举措) as targets over their own dates and scope, and with their flags.

Why apart from ``evaluate``: an initiative adds its state (not started / running / finished) and the
stop-loss flags firing on its channel or campaign to the target judgement it reuses; pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import NamedTuple

import pandas as pd

from opsplan.metrics.measure import MetricInfo
from opsplan.plan.evaluate import Status, judge_target
from opsplan.plan.model import Initiative, Plan, Target, TargetKind
from opsplan.plan.wording import Pair, pair
from opsplan.words import LANGS, both, t


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
    i: Initiative,
    info: MetricInfo | None,
    parts: pd.DataFrame | None,
    as_of: dt.date,
    plan: Plan | None = None,
    campaigns: Mapping[str, str] | None = None,
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
        zh, en = both("reason.not_started") if state == "not_started" else ("", "")
        return InitiativeResult(
            **base,
            actual=None,
            progress=None,
            elapsed=elapsed,
            status=None,
            state=state,
            reason_zh=zh,
            reason_en=en,
        )
    window = replace(plan, start=i.start, end=i.end) if plan else Plan("", i.start, i.end, "UTC", "CNY", None)
    target = initiative_target(i, info)
    if target.kind is TargetKind.CUMULATIVE:  # its pace and forecast come from its own days only
        parts = parts[parts["date"] >= i.start]
    result = judge_target(target, info, parts, window, as_of, campaigns)
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


class FiringFlag(NamedTuple):
    """A stop-loss flag firing on an initiative's scope, as its reason names it."""

    rule_id: str
    severity: str
    since: str
    action: str
    label: Pair  # the rule's name, zh and en (``labels.rule_label``)


def with_flags(result: InitiativeResult, flags: list[FiringFlag]) -> InitiativeResult:
    """An initiative whose channel or campaign has a firing stop-loss says so, and its status is no better
    than the flag: a critical flag makes it off track, a warning one at risk (one verdict per fact)."""
    if not flags or result.status in (None, Status.NO_DATA):
        return replace(result, flags=tuple(f"{f[0]} ({f[1]})" for f in flags)) if flags else result
    worst = Status.OFF_TRACK if any(f[1] == "critical" for f in flags) else Status.AT_RISK
    order = [Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.MISSED]
    status = result.status if order.index(result.status) >= order.index(worst) else worst
    said = [pair("reason.flag_on_initiative", rule=f.label, since=f.since, action=f.action) for f in flags]
    joined = tuple(t("reason.join", lang).join(s[i] for s in said) for i, lang in enumerate(LANGS))
    before = (result.reason_zh.rsplit(" → ", 1)[0], result.reason_en.rsplit(" → ", 1)[0])
    reason_zh, reason_en = pair("reason.verdict", reason=before, flags=joined, status=status.words())
    return replace(
        result,
        status=status,
        reason_zh=reason_zh,
        reason_en=reason_en,
        flags=tuple(f"{f[0]} ({f[1]})" for f in flags),
    )
