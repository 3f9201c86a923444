"""The sections of the weekly review: each one a titled table of text cells, built from the engine.

Numbers come from ``rollup`` / ``exports`` / ``check``; labels and formats from the metric registry
(numbers as text by ``opsplan.fmt``, the one formatter); the report's own words from
``report_text``. ``report.build_review`` puts the sections together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from opsplan import fmt
from opsplan.metrics.exports import report
from opsplan.metrics.measure import MetricInfo, daily_parts, metric_info
from opsplan.metrics.registry import METRICS, Direction, Unit
from opsplan.metrics.rollup import query_metrics, window
from opsplan.plan.check import CheckResult
from opsplan.plan.evaluate import Status, level_window, window_value
from opsplan.plan.model import Plan
from opsplan.plan.stoploss import RuleEval, RuleState, describe
from opsplan.report.text import T

#: the KPI table when the plan names no weekly cadence; a plan's ``cadence.weekly`` follows these
CORE_KPIS = ("new_users", "wau", "revenue", "spend", "cac", "roi_7d")
DEFAULT_WEEKLY = ("retention_d1", "roi_7d", "paying_users", "arpu", "signup_cvr")
#: the channel table: the week's spend and acquisition, then the ROI of its newest mature cohorts
CHANNEL_WEEK = ("spend", "new_users", "cac", "ctr", "signup_cvr")
CHANNEL_COHORT = "roi_7d"
COHORT_COLUMNS = ("cohort_size", "retention_d1", "retention_d7", "ltv_7d", "roi_7d")
MATURE_BY = "retention_d7"  # a cohort is shown once its D7 retention is known
COHORT_ROWS = 7
#: week-over-week changes smaller than these are not coloured (relative change; rates in points)
NOISE_CHANGE, NOISE_POINTS = 0.01, 0.005

_STATUS_TONE = {
    Status.OFF_TRACK: "bad",
    Status.MISSED: "bad",
    Status.AT_RISK: "warn",
    Status.ON_TRACK: "good",
    Status.ACHIEVED: "good",
    Status.NO_DATA: "",
}
_STATUS_ORDER = [Status.MISSED, Status.OFF_TRACK, Status.AT_RISK, Status.NO_DATA, Status.ON_TRACK, Status.ACHIEVED]
_STATE_TONE = {RuleState.FIRING: "bad", RuleState.PENDING: "warn", RuleState.RESOLVED: "good"}
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


_is_empty = fmt.is_empty


def value_text(name: str, value: object, plan: Plan | None = None) -> str:
    """A metric value by its unit ('—' when empty): registry metrics and plan-defined ones alike."""
    unit = METRICS[name].unit if name in METRICS else metric_info(name, plan).unit
    return fmt.value(unit, value)


def _unit_text(unit: Unit, value: float | None) -> str:
    """A value that is no metric (burn, pace, progress) in the format of a metric of that unit."""
    return fmt.value(unit, value)


def _short(day: dt.date) -> str:
    return day.strftime("%m-%d")


def _change(info: MetricInfo, now: object, before: object) -> Cell:
    """Week over week: relative for counts and amounts, in points for rates; toned by the metric's direction."""
    if _is_empty(now) or _is_empty(before):
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


def _status(status: Status | None, lang: str) -> Cell:
    return Cell(status.label(lang), _STATUS_TONE[status]) if status else Cell("")


def _scope_text(scope: dict[str, str], lang: str) -> str:
    return ", ".join(scope.values()) or T[lang]["all"]


# -- sections -------------------------------------------------------------------------------------


def _week_value(con: object, plan: Plan, name: str, start: dt.date, end: dt.date, weekly: pd.DataFrame) -> object:
    """The metric over one ISO week (start .. end): the engine's week row for a registry metric at week
    grain; for a plan-defined metric the sum (counts) or ratio of sums over the week's daily parts."""
    week = iso_week(start)
    if name in weekly.columns:
        row = weekly[weekly["week"] == week]
        return row[name].iloc[0] if not row.empty else None
    info = metric_info(name, plan)
    parts = daily_parts(con, name, plan, start, end)  # type: ignore[arg-type]
    if parts.empty:
        return None
    if info.is_ratio:
        return window_value(info, parts, start, end)
    return float(parts["num"].sum()) if info.additive else None


def _cohort_value(con: object, plan: Plan, name: str, as_of: dt.date) -> tuple[object, dt.date, dt.date]:
    """A cohort metric over its 7 newest cohort days mature on ``as_of`` (the targets' level window)."""
    info = metric_info(name, plan)
    start, end = level_window(info, as_of)
    frame = query_metrics(con, [name], grain="total", start=start, end=end)  # type: ignore[arg-type]
    first, _ = window(con)  # type: ignore[arg-type]
    if frame.empty or first is None or end < first:
        return None, start, end
    return frame[name].iloc[0], start, end


def _is_cohort(name: str) -> bool:
    return name in METRICS and METRICS[name].grains == ("cohort",)


def kpi_names(plan: Plan) -> list[str]:
    """The KPI rows: the core of every review, then the plan's weekly cadence (or a default set)."""
    weekly = plan.cadence.get("weekly") or DEFAULT_WEEKLY
    return list(dict.fromkeys((*CORE_KPIS, *weekly)))


def kpi_section(
    con: object, plan: Plan, check: CheckResult, start: dt.date, end: dt.date, as_of: dt.date, lang: str
) -> Section:
    t = T[lang]
    names = kpi_names(plan)
    prev_start, prev_end = start - dt.timedelta(days=7), end - dt.timedelta(days=7)
    prev_as_of = as_of - dt.timedelta(days=7)
    at_week = [n for n in names if n in METRICS and "week" in METRICS[n].grains]
    weekly = (
        query_metrics(con, at_week, grain="week", start=prev_start, end=as_of)  # type: ignore[arg-type]
        if at_week
        else pd.DataFrame(columns=["week"])
    )
    targets: dict[str, list] = {}
    for x in check.targets:
        if not x.scope:
            targets.setdefault(x.metric, []).append(x)
    rows = []
    for name in names:
        info = metric_info(name, plan)
        note = ""
        if _is_cohort(name):
            now, c_start, c_end = _cohort_value(con, plan, name, as_of)
            before, _, _ = _cohort_value(con, plan, name, prev_as_of)
            note = t["cohort_window"].format(start=_short(c_start), end=_short(c_end))
        else:
            now = _week_value(con, plan, name, start, min(end, as_of), weekly)
            # a week still running is not compared with a whole one
            before = _week_value(con, plan, name, prev_start, prev_end, weekly) if as_of >= end else None
        mine = targets.get(name, [])
        goal = " / ".join(value_text(name, x.target, plan) for x in mine)
        status = [_status(x.status, lang) for x in mine]
        cumulative = [x for x in mine if x.progress is not None]
        if cumulative:
            x = cumulative[0]
            note = t["cumulative"].format(actual=value_text(name, x.actual, plan), progress=fmt.share(x.progress))
        worst = min(status, key=lambda c: ["bad", "warn", "", "good"].index(c.tone)) if status else Cell("")
        rows.append(
            (
                Cell(info.label(lang)),
                Cell(value_text(name, now, plan)),
                Cell(value_text(name, before, plan)),
                _change(info, now, before),
                Cell(goal),
                Cell(" / ".join(c.text for c in status), worst.tone),
                Cell(note),
            )
        )
    columns = (t["metric"], t["this"], t["last"], t["change"], t["target"], t["status"], t["note"])
    return Section("kpis", t["kpis"], columns, tuple(rows), note=t["cohort_note"])


def targets_section(check: CheckResult, plan: Plan, lang: str) -> Section:
    t = T[lang]
    ordered = sorted(check.targets, key=lambda x: _STATUS_ORDER.index(x.status))
    rows = tuple(
        (
            Cell(x.id),
            Cell(metric_info(x.metric, plan).label(lang)),
            Cell(_scope_text(x.scope, lang)),
            _status(x.status, lang),
            Cell(x.reason(lang)),
        )
        for x in ordered
    )
    counts = " · ".join(
        f"{s.label(lang)} {n}" for s in _STATUS_ORDER if (n := sum(1 for x in check.targets if x.status is s))
    )
    return Section(
        "targets",
        t["targets"],
        (t["target_id"], t["metric"], t["scope"], t["status"], t["reason"]),
        rows,
        lead=t["summary_targets"].format(n=len(check.targets), counts=counts) if check.targets else "",
        empty=check.message or fmt.EMPTY,
    )


@dataclass(frozen=True)
class WeekFlag:
    """One rule and scope item over the week: what happened, its state on the judged day, the action."""

    rule_id: str
    item: str
    events: tuple[str, ...]
    last: RuleEval
    severity: str
    action: str
    reason: str


def week_flags(check: CheckResult, plan: Plan, start: dt.date, end: dt.date, lang: str) -> list[WeekFlag]:
    """Flags that fired, resolved or kept firing in the week, and those pending at its end; firing first."""
    rules = {r.id: r for r in plan.rules}
    t = T[lang]
    by_key: dict[tuple[str, str], list[RuleEval]] = {}
    for e in check.history:
        by_key.setdefault((e.rule_id, e.item), []).append(e)
    out = []
    for (rule_id, item), evals in by_key.items():
        evals.sort(key=lambda e: e.date)
        inside = [e for e in evals if start <= e.date <= end]
        if not inside:
            continue
        before = [e for e in evals if e.date < start]
        events: list[str] = []
        previous = before[-1].state if before else RuleState.OK
        for e in inside:
            if e.state is RuleState.FIRING and previous is not RuleState.FIRING:
                events.append(t["fired_on"].format(day=_short(e.date)))
            elif e.state is RuleState.RESOLVED:
                events.append(t["resolved_on"].format(day=_short(e.date)))
            previous = e.state
        last = inside[-1]
        carried = inside[0].state is RuleState.FIRING and before and before[-1].state is RuleState.FIRING
        if carried:
            events.insert(0, t["still_firing"])
        if last.state is RuleState.PENDING:
            events.append(t["pending_since"].format(day=_short(last.since)))
        if not events:
            continue
        rule = rules[rule_id]
        reason = describe(rule, metric_info(rule.metric, plan), last, lang)
        out.append(WeekFlag(rule_id, item, tuple(events), last, rule.severity, rule.action, reason))
    order = {RuleState.FIRING: 0, RuleState.PENDING: 1, RuleState.RESOLVED: 2}
    return sorted(out, key=lambda f: (order.get(f.last.state, 3), f.severity != "critical", f.rule_id, f.item))


def flags_section(flags: list[WeekFlag], lang: str) -> Section:
    t = T[lang]
    rows = tuple(
        (
            Cell(f.rule_id),
            Cell(f.item if f.item != "all" else t["all"]),
            Cell("；".join(f.events) if lang == "zh" else "; ".join(f.events), _STATE_TONE.get(f.last.state, "")),
            Cell(f.last.state.label(lang), _STATE_TONE.get(f.last.state, "")),
            Cell(t.get(f"{f.severity}_sev", f.severity)),
            Cell(f.reason),
            Cell(f.action),
        )
        for f in flags
    )
    count = {s: sum(1 for f in flags if f.last.state is s) for s in _STATE_TONE}
    return Section(
        "flags",
        t["flags"],
        (t["rule"], t["scope"], t["week_event"], t["status"], t["severity"], t["reason"], t["action"]),
        rows,
        lead=t["summary_flags"].format(
            firing=count[RuleState.FIRING], resolved=count[RuleState.RESOLVED], pending=count[RuleState.PENDING]
        ),
        empty=t["none"],
    )


def channel_section(
    con: object, plan: Plan, flags: list[WeekFlag], start: dt.date, end: dt.date, as_of: dt.date, lang: str
) -> tuple[Section, pd.DataFrame]:
    t = T[lang]
    week = report(con, "channels", start=start, end=min(end, as_of))  # type: ignore[arg-type]
    c_start, c_end = level_window(metric_info(CHANNEL_COHORT, plan), as_of)
    roi = query_metrics(con, [CHANNEL_COHORT], grain="total", start=c_start, end=c_end, by="channel")  # type: ignore[arg-type]
    table = week[["channel", *CHANNEL_WEEK]].merge(roi, on="channel", how="outer")
    table = table.sort_values(["spend", "new_users"], ascending=False, na_position="last", kind="stable")
    per_channel: dict[str, list[WeekFlag]] = {}
    for f in flags:
        if f.last.state in (RuleState.FIRING, RuleState.PENDING) and f.item in set(table["channel"]):
            per_channel.setdefault(f.item, []).append(f)
    rows = []
    for r in table.itertuples(index=False):
        mine = per_channel.get(r.channel, [])
        flag = Cell(
            ", ".join(f"{f.rule_id} {f.last.state.label(lang)}" for f in mine),
            "bad" if any(f.last.state is RuleState.FIRING for f in mine) else "warn" if mine else "",
        )
        roi_value = getattr(r, CHANNEL_COHORT)
        roi_tone = "" if _is_empty(roi_value) else "bad" if roi_value < 1.0 else ""
        rows.append(
            (
                Cell(r.channel),
                *(Cell(value_text(m, getattr(r, m))) for m in CHANNEL_WEEK),
                Cell(value_text(CHANNEL_COHORT, roi_value), roi_tone),
                flag,
            )
        )
    label = METRICS[CHANNEL_COHORT].label(lang)
    columns = (t["channel"], *(METRICS[m].label(lang) for m in CHANNEL_WEEK), label, t["flag_col"])
    note = t["channel_note"].format(roi=label, start=_short(c_start), end=_short(c_end))
    return Section("channels", t["channels"], columns, tuple(rows), note=note), roi


def initiatives_section(check: CheckResult, lang: str) -> Section:
    t = T[lang]
    rows = tuple(
        (
            Cell(f"{i.module} · {i.name}"),
            Cell(i.owner),
            Cell(f"{_short(i.start)} – {_short(i.end)}" if i.start and i.end else ""),
            _status(i.status, lang) if i.status else Cell(t.get(i.state, i.state)),
            Cell((i.reason_zh if lang == "zh" else i.reason_en) or t.get(i.state, i.state)),
        )
        for i in check.initiatives
    )
    columns = (t["initiative"], t["owner"], t["period"], t["status"], t["reason"])
    return Section("initiatives", t["initiatives"], columns, rows, empty=fmt.EMPTY)


def cohort_section(con: object, as_of: dt.date, lang: str) -> Section:
    """The newest cohort days whose D7 retention is known on ``as_of`` (cohort day + 7 <= as_of)."""
    t = T[lang]
    newest = as_of - dt.timedelta(days=METRICS[MATURE_BY].lag)
    frame = query_metrics(
        con,  # type: ignore[arg-type]
        list(COHORT_COLUMNS),
        grain="cohort",
        start=newest - dt.timedelta(days=COHORT_ROWS - 1),
        end=newest,
    )
    frame = frame[frame["cohort"] <= newest].dropna(subset=[MATURE_BY]).sort_values("cohort", ascending=False)
    rows = tuple(
        (Cell(str(r["cohort"])), *(Cell(value_text(m, r[m])) for m in COHORT_COLUMNS)) for _, r in frame.iterrows()
    )
    columns = (t["cohort"], *(METRICS[m].label(lang) for m in COHORT_COLUMNS))
    return Section("cohorts", t["cohorts"], columns, rows, empty=t["cohort_none"])


def budget_section(check: CheckResult, lang: str) -> Section:
    t = T[lang]
    b = check.budget
    if b is None:
        return Section("budget", t["budget"], empty=t["no_budget"])
    money = METRICS["spend"].format
    rows = tuple(
        (
            Cell("" if line.channel else line.category),
            Cell(line.channel or ""),
            Cell(money(line.planned)),
            Cell(money(line.actual)),
            Cell(_unit_text(Unit.PERCENT, line.burn)),
            Cell(_unit_text(Unit.RATIO, line.pace), "bad" if line.over_pace else ""),
            Cell(money(line.projected)),
        )
        for line in b.lines
    )
    lead = t["budget_line"].format(
        total=money(b.total),
        reserve_share=_unit_text(Unit.PERCENT, b.reserve_share),
        reserve=money(b.reserve_amount),
        actual=money(b.actual),
        elapsed=_unit_text(Unit.PERCENT, b.elapsed_share),
        projected=money(b.projected),
    )
    note = t["over_pace_line"].format(channels=", ".join(b.over_pace_channels)) if b.over_pace_channels else ""
    columns = (t["category"], t["channel"], t["planned"], t["actual"], t["burn"], t["pace"], t["projected"])
    return Section("budget", t["budget"], columns, rows, lead=lead, note=note)
