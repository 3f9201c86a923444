"""The sections of the weekly review: each one a titled table of text cells, built from the engine.

Numbers come from ``rollup`` / ``exports`` / ``check``; labels and formats from the metric registry
(numbers as text by ``opsplan.fmt``, the one formatter); the report's own words from the catalogue
(``report.*``); channels, campaigns and budget categories by their labels (``plan.labels``).
``report.weekly.build_review`` puts the sections together; the flags' section is ``report.flags``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from opsplan import fmt
from opsplan.metrics.exports import report
from opsplan.metrics.measure import daily_parts, metric_info
from opsplan.metrics.registry import METRICS, Unit
from opsplan.metrics.rollup import query_metrics, window
from opsplan.plan.check import CheckResult
from opsplan.plan.evaluate import level_window, window_value
from opsplan.plan.model import Plan
from opsplan.plan.stoploss import RuleState
from opsplan.report.cells import (
    STATUS_ORDER,
    Cell,
    Section,
    change_cell,
    iso_week,
    scope_text,
    short,
    status_cell,
    unit_text,
    value_text,
)
from opsplan.report.flags import WeekFlag
from opsplan.words import channel_label, t

#: the KPI table when the plan names no weekly cadence; a plan's ``cadence.weekly`` follows these
CORE_KPIS = ("new_users", "wau", "revenue", "spend", "cac", "roi_7d")
DEFAULT_WEEKLY = ("retention_d1", "roi_7d", "paying_users", "arpu", "signup_cvr")
#: the channel table: the week's spend and acquisition, then the ROI of its newest mature cohorts
CHANNEL_WEEK = ("spend", "new_users", "cac", "ctr", "signup_cvr")
CHANNEL_COHORT = "roi_7d"
COHORT_COLUMNS = ("cohort_size", "retention_d1", "retention_d7", "ltv_7d", "roi_7d")
MATURE_BY = "retention_d7"  # a cohort is shown once its D7 retention is known
COHORT_ROWS = 7


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
            note = t("report.cohort_window", lang, start=short(c_start), end=short(c_end))
        else:
            now = _week_value(con, plan, name, start, min(end, as_of), weekly)
            # a week still running is not compared with a whole one
            before = _week_value(con, plan, name, prev_start, prev_end, weekly) if as_of >= end else None
        mine = targets.get(name, [])
        goal = " / ".join(value_text(name, x.target, plan) for x in mine)
        status = [status_cell(x.status, lang) for x in mine]
        cumulative = [x for x in mine if x.progress is not None]
        if cumulative:
            x = cumulative[0]
            note = t("report.cumulative", lang, actual=value_text(name, x.actual, plan), progress=fmt.share(x.progress))
        worst = min(status, key=lambda c: ["bad", "warn", "", "good"].index(c.tone)) if status else Cell("")
        rows.append(
            (
                Cell(info.label(lang)),
                Cell(value_text(name, now, plan)),
                Cell(value_text(name, before, plan)),
                change_cell(info, now, before),
                Cell(goal),
                Cell(" / ".join(c.text for c in status), worst.tone),
                Cell(note),
            )
        )
    columns = tuple(t(f"report.{c}", lang) for c in ("metric", "this", "last", "change", "target", "status", "note"))
    return Section("kpis", t("report.kpis", lang), columns, tuple(rows), note=t("report.cohort_note", lang))


def targets_section(check: CheckResult, plan: Plan, lang: str) -> Section:
    ordered = sorted(check.targets, key=lambda x: STATUS_ORDER.index(x.status))
    rows = tuple(
        (
            Cell(metric_info(x.metric, plan).label(lang)),
            Cell(scope_text(x.scope, lang, check.campaigns)),
            status_cell(x.status, lang),
            Cell(x.reason(lang)),
        )
        for x in ordered
    )
    counts = " · ".join(
        t("report.status_count", lang, status=s.label(lang), n=fmt.count(n))
        for s in STATUS_ORDER
        if (n := sum(1 for x in check.targets if x.status is s))
    )
    lead = t("report.summary_targets", lang, n=fmt.count(len(check.targets)), counts=counts)
    return Section(
        "targets",
        t("report.targets", lang),
        tuple(t(f"report.{c}", lang) for c in ("metric", "scope", "status", "reason")),
        rows,
        lead=lead if check.targets else "",
        empty=check.message or fmt.EMPTY,
    )


def channel_section(
    con: object, plan: Plan, flags: list[WeekFlag], start: dt.date, end: dt.date, as_of: dt.date, lang: str
) -> tuple[Section, pd.DataFrame]:
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
            t("reason.where_join", lang).join(
                t("report.channel_flag", lang, rule=f.label or f.rule_id, state=f.last.state.label(lang)) for f in mine
            ),
            "bad" if any(f.last.state is RuleState.FIRING for f in mine) else "warn" if mine else "",
        )
        roi_value = getattr(r, CHANNEL_COHORT)
        roi_tone = "" if fmt.is_empty(roi_value) else "bad" if roi_value < 1.0 else ""
        rows.append(
            (
                Cell(channel_label(r.channel, lang)),
                *(Cell(value_text(m, getattr(r, m))) for m in CHANNEL_WEEK),
                Cell(value_text(CHANNEL_COHORT, roi_value), roi_tone),
                flag,
            )
        )
    label = METRICS[CHANNEL_COHORT].label(lang)
    heads = (METRICS[m].label(lang) for m in CHANNEL_WEEK)
    columns = (t("report.channel", lang), *heads, label, t("report.flag_col", lang))
    note = t("report.channel_note", lang, roi=label, start=short(c_start), end=short(c_end))
    return Section("channels", t("report.channels", lang), columns, tuple(rows), note=note), roi


def initiatives_section(check: CheckResult, lang: str) -> Section:
    rows = tuple(
        (
            Cell(f"{i.module} · {i.name}"),
            Cell(i.owner),
            Cell(f"{short(i.start)} – {short(i.end)}" if i.start and i.end else ""),
            status_cell(i.status, lang) if i.status else Cell(t(f"state.initiative.{i.state}", lang)),
            Cell((i.reason_en if lang == "en" else i.reason_zh) or t(f"state.initiative.{i.state}", lang)),
        )
        for i in check.initiatives
    )
    columns = tuple(t(f"report.{c}", lang) for c in ("initiative", "owner", "period", "status", "reason"))
    return Section("initiatives", t("report.initiatives", lang), columns, rows, empty=fmt.EMPTY)


def cohort_section(con: object, as_of: dt.date, lang: str) -> Section:
    """The newest cohort days whose D7 retention is known on ``as_of`` (cohort day + 7 <= as_of)."""
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
    columns = (t("report.cohort", lang), *(METRICS[m].label(lang) for m in COHORT_COLUMNS))
    return Section("cohorts", t("report.cohorts", lang), columns, rows, empty=t("report.cohort_none", lang))


def budget_section(check: CheckResult, lang: str) -> Section:
    """Planned against actual spend by category (by its label) and channel, with the burn, pace and projection."""
    b = check.budget

    if b is None:
        return Section("budget", t("report.budget", lang), empty=t("report.no_budget", lang))
    money = METRICS["spend"].format
    rows = tuple(
        (
            Cell("" if line.channel else line.category_label(lang)),
            Cell(channel_label(line.channel, lang) if line.channel else ""),
            Cell(money(line.planned)),
            Cell(money(line.actual)),
            Cell(unit_text(Unit.PERCENT, line.burn)),
            Cell(unit_text(Unit.RATIO, line.pace), "bad" if line.over_pace else ""),
            Cell(money(line.projected)),
        )
        for line in b.lines
    )
    lead = t(
        "report.budget_line",
        lang,
        total=money(b.total),
        reserve_share=unit_text(Unit.PERCENT, b.reserve_share),
        reserve=money(b.reserve_amount),
        actual=money(b.actual),
        elapsed=unit_text(Unit.PERCENT, b.elapsed_share),
        projected=money(b.projected),
    )
    over = t("reason.where_join", lang).join(channel_label(c, lang) for c in b.over_pace_channels)
    note = t("report.over_pace_line", lang, channels=over) if over else ""
    heads = ("category", "channel", "planned", "actual", "burn", "pace", "projected")
    columns = tuple(t(f"report.{c}", lang) for c in heads)
    return Section("budget", t("report.budget", lang), columns, rows, lead=lead, note=note)
