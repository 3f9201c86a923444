"""The weekly review (周报) for one ISO week, as Markdown or as one self-contained HTML file.

What a team lead pastes into Monday's meeting notes: the week's KPIs against the week before and the
targets, target statuses with their reasons, stop-loss flags fired or resolved in the week with their
actions, the channel table, initiatives, the newest mature cohorts and the budget burn.

Everything is judged as of the week's Sunday (or the last day with data, for a week still running), so
the review of a past week reads as it did that Monday: a cohort metric of the week is its 7 newest
cohort days that are mature on that day, the same window the targets and the stop-loss rules judge.
Numbers come from the engine (``rollup``, ``exports``, ``check``); labels and formats from the registry.
Sections are built in ``report.sections`` / ``report.flags``, held by ``report.review.Review`` and rendered
in ``report.render``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from opsplan.metrics.rollup import query_metrics, window
from opsplan.plan.check import evaluate_plan
from opsplan.plan.model import Plan
from opsplan.report.cells import Cell, Section
from opsplan.report.conclusions import conclusions_section
from opsplan.report.flags import flags_section, week_flags
from opsplan.report.render import to_html, to_markdown
from opsplan.report.review import Review
from opsplan.report.sections import (
    budget_section,
    channel_section,
    cohort_section,
    initiatives_section,
    kpi_names,
    kpi_section,
    targets_section,
)
from opsplan.report.why import actions_section, week_moves, why_section
from opsplan.store.freshness import clock
from opsplan.store.warehouse import Warehouse, WarehouseError, read_connection, warehouse_timezone

__all__ = ["Cell", "Review", "Section", "build_review", "last_week", "resolve_week", "week_bounds", "weekly_report"]


def week_bounds(week: str) -> tuple[dt.date, dt.date]:
    """'2026-W05' → (Monday 2026-01-26, Sunday 2026-02-01); ValueError naming the week otherwise."""
    try:
        year, number = (int(p) for p in week.split("-W"))
    except ValueError:
        raise ValueError(f"not an ISO week like 2026-W05: {week!r}") from None
    weeks = dt.date(year, 12, 28).isocalendar().week if dt.MINYEAR <= year <= dt.MAXYEAR else 0
    if not 1 <= number <= weeks:
        raise ValueError(f"{week} is not an ISO week: {year} has weeks 01 – {weeks}")
    monday = dt.date.fromisocalendar(year, number, 1)
    return monday, monday + dt.timedelta(days=6)


#: ``--week last``: the ISO week before the current one in the warehouse's zone (a Monday cron's review)
LAST_WEEK = "last"


def last_week(tz: str, now: dt.datetime | None = None) -> str:
    """The ISO week that ended before today in zone ``tz`` (today from ``freshness.clock``, so tests can pin it):
    on Monday 2026-03-02 in Shanghai, '2026-W09'. Monday 04:00 in Shanghai is still Sunday in UTC: there, W08."""
    today = (now or clock()).astimezone(ZoneInfo(tz)).date()
    year, week, _ = (today - dt.timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


def resolve_week(wh: Warehouse, week: str) -> str:
    """``week`` itself, or for ``last`` the week before the current one in the warehouse's zone."""
    return last_week(warehouse_timezone(wh)) if week.strip().lower() == LAST_WEEK else week


def build_review(wh: Warehouse, plan: Plan, week: str, lang: str = "zh") -> Review:
    """Everything the weekly review shows for ``week``; ValueError (one line) for a week without data."""
    start, end = week_bounds(week)
    with read_connection(wh) as con:
        first, through = window(con)
        if first is None or through is None:
            raise WarehouseError(f"the warehouse {wh.path} holds no data")
        if start > through or end < first:
            raise ValueError(f"no data for {week} ({start} – {end}): the warehouse holds {first} – {through}")
        as_of = min(end, through)
        check = evaluate_plan(con, plan, as_of)
        if check.status == "unknown" and check.message:
            raise ValueError(f"cannot judge {week}: {check.message}")
        flags = week_flags(check, plan, start, end, lang)
        kpis = kpi_section(con, plan, check, start, end, as_of, lang)
        channels, channel_roi = channel_section(con, plan, flags, start, end, as_of, lang)
        cohorts = cohort_section(con, as_of, lang)
        moves = week_moves(con, plan, kpi_names(plan), start, as_of)
        why = why_section(moves, plan, start, as_of, lang)
        daily = query_metrics(
            con, ["dau", "new_users", "revenue"], grain="day", start=start - dt.timedelta(days=7), end=as_of
        )
    actions, targets, flagged = (
        actions_section(check, plan, lang),
        targets_section(check, plan, lang),
        flags_section(flags, lang),
    )
    sections = (
        conclusions_section(targets, flagged, why, actions, lang),  # read off the sections below it
        kpis,
        why,
        actions,
        targets,
        flagged,
        channels,
        initiatives_section(check, lang),
        cohorts,
        budget_section(check, lang),
    )
    return Review(
        plan.name,
        week,
        start,
        end,
        as_of,
        first,
        through,
        check.status,
        lang,
        sections,
        check,
        plan,
        daily,
        channel_roi,
        moves,
    )


def weekly_report(wh: Warehouse, plan: Plan, week: str, fmt: str = "md", lang: str = "zh") -> str:
    """The weekly review of ``week`` as Markdown (``fmt="md"``) or one self-contained HTML page."""
    review = build_review(wh, plan, week, lang)
    return to_html(review) if fmt == "html" else to_markdown(review)
