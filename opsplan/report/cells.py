"""The weekly review's building blocks: a table cell with its tone, a section, and the cells every section
formats the same way (a metric value, a week-over-week change, a status, a scope).

Why its own module: the sections (``report.sections``, ``report.flags``), the review (``report.review``) and
both renderings (``report.render``) use these; numbers become text only through ``opsplan.fmt``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from opsplan import fmt
from opsplan.metrics.measure import MetricInfo, metric_info
from opsplan.metrics.registry import METRICS, Direction, Unit
from opsplan.plan.evaluate import Status
from opsplan.plan.labels import scope_label
from opsplan.plan.model import Plan
from opsplan.plan.stoploss import RuleState
from opsplan.words import t

#: week-over-week changes smaller than these are not coloured (relative change; rates in points)
NOISE_CHANGE, NOISE_POINTS = 0.01, 0.005

STATUS_TONE = {
    Status.OFF_TRACK: "bad",
    Status.MISSED: "bad",
    Status.AT_RISK: "warn",
    Status.ON_TRACK: "good",
    Status.ACHIEVED: "good",
    Status.NO_DATA: "",
}
STATUS_ORDER = [Status.MISSED, Status.OFF_TRACK, Status.AT_RISK, Status.NO_DATA, Status.ON_TRACK, Status.ACHIEVED]
STATE_TONE = {RuleState.FIRING: "bad", RuleState.PENDING: "warn", RuleState.RESOLVED: "good"}
OVERALL_TONE = {"critical": "bad", "warning": "warn", "ok": "good", "unknown": ""}


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, and a tone the HTML colours (good / warn / bad) and Markdown bolds (bad)."""

    text: str
    tone: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    lead: str = ""  # one line above the table
    note: str = ""  # one line below it
    empty: str = ""  # said instead of an empty table


def iso_week(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def value_text(name: str, value: object, plan: Plan | None = None) -> str:
    """A metric value by its unit ('—' when empty): registry metrics and plan-defined ones alike."""
    unit = METRICS[name].unit if name in METRICS else metric_info(name, plan).unit
    return fmt.value(unit, value)


def unit_text(unit: Unit, value: float | None) -> str:
    """A value that is no metric (burn, pace, progress) in the format of a metric of that unit."""
    return fmt.value(unit, value)


def short(day: dt.date) -> str:
    return day.strftime("%m-%d")


def change_cell(info: MetricInfo, now: object, before: object) -> Cell:
    """Week over week: relative for counts and amounts, in points for rates; toned by the metric's direction."""
    if fmt.is_empty(now) or fmt.is_empty(before):
        return Cell(fmt.EMPTY)
    a, b = float(now), float(before)  # type: ignore[arg-type]
    if info.unit is Unit.PERCENT:
        delta, text, noise = a - b, fmt.points(a - b), NOISE_POINTS
    elif b:
        delta, noise = (a - b) / abs(b), NOISE_CHANGE
        text = fmt.change(delta)
    else:
        return Cell(fmt.EMPTY)
    better = delta > 0 if info.direction is Direction.UP else delta < 0 if info.direction is Direction.DOWN else None
    tone = "" if better is None or abs(delta) < noise else "good" if better else "bad"
    return Cell(text, tone)


def status_cell(status: Status | None, lang: str) -> Cell:
    return Cell(status.label(lang), STATUS_TONE[status]) if status else Cell("")


def scope_text(scope: dict[str, str], lang: str, campaigns: Mapping[str, str] | None = None) -> str:
    """A target's scope as a reader knows it: a channel's label, a campaign's name, 全部 / all."""
    return scope_label(scope, lang, campaigns) or t("report.all", lang)
