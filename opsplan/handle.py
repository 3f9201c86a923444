"""One handle for every front door — the CLI, the dashboard and a notebook — as sqlmesh's ``Context`` is.

``OpsPlan(db, plan)`` opens the warehouse, reads the plan and validates it against the data, applies the
plan's settings to the warehouse (which events make a user active or activated), and answers with the
same engine everywhere: the check, the metrics, the exports, the weekly report. A plan with errors is a
state, not an absence: ``check()`` then returns an ``unknown`` result that carries every located problem,
so no front door can show "all clear" for a plan it could not judge.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from opsplan.plan.check import CheckResult, evaluate_plan, run_check
from opsplan.plan.facts import data_facts
from opsplan.plan.model import Issue, Plan, Severity
from opsplan.plan.parse import read_plan
from opsplan.plan.rules import has_errors, validate
from opsplan.store.freshness import freshness_state
from opsplan.store.warehouse import Warehouse, read_connection, resolve_db

logger = logging.getLogger(__name__)

#: the message of a check that did not run because the plan has errors (check_text says it in Chinese)
NOT_JUDGED = "the plan has errors, not judged"


@dataclass(frozen=True)
class PlanState:
    """A plan file as read and validated: the parsed plan (None only when unreadable) and its problems."""

    file: str
    parsed: Plan | None
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def ok(self) -> bool:
        """True when the plan can be judged: it parsed and has no errors (warnings are fine)."""
        return self.parsed is not None and not has_errors(self.issues)

    @property
    def plan(self) -> Plan | None:
        """The plan to judge, or None when it has errors (a half-read plan is never judged)."""
        return self.parsed if self.ok else None


def load_plan(path: str | os.PathLike[str], wh: Warehouse | None = None) -> PlanState:
    """Read and validate a plan, against the warehouse's channels, campaigns and metrics when it exists."""
    parsed, issues = read_plan(path)
    if parsed is not None:
        issues = validate(parsed, issues, data_facts(wh) if wh is not None and wh.exists() else None)
    return PlanState(str(path), parsed, tuple(issues))


def not_judged(state: PlanState, as_of: dt.date | None = None) -> CheckResult:
    """The check's answer for a plan with errors: unknown, with every problem at file:line."""
    return CheckResult(as_of, None, "unknown", message=NOT_JUDGED, plan_issues=state.errors)


def event_roles(wh: Warehouse) -> list[tuple[str, str]]:
    """The event roles the warehouse's views use now, sorted: ('active' | 'activation', event_name)."""
    with read_connection(wh) as con:
        return [tuple(r) for r in con.execute("SELECT role, event_name FROM _event_roles ORDER BY ALL").fetchall()]


def roles_of(plan: Plan) -> list[tuple[str, str]]:
    """The event roles a plan asks for, in the order ``event_roles`` returns them."""
    wanted = [("active", e) for e in plan.active_events]
    if plan.activation_event:
        wanted.append(("activation", plan.activation_event))
    return sorted(set(wanted))


def apply_settings(wh: Warehouse, plan: Plan) -> bool:
    """Make the warehouse's views follow the plan's settings; writes (and rebuilds) only when they differ.

    Returns True when it changed something. Read first: a write copies the warehouse file."""
    from opsplan.store.loading import set_event_roles

    if not wh.exists() or event_roles(wh) == roles_of(plan):
        return False
    logger.info("applying the plan's event roles to %s", wh.path)
    set_event_roles(wh, plan.active_events, plan.activation_event)
    return True


def with_freshness(wh: Warehouse, result: CheckResult) -> CheckResult:
    """This morning's check on data behind the expected day, or after a failed load, says so; and it is never
    "ok" then (unknown: it could not judge today), though flags and targets on the old day still count."""
    if not wh.exists() or result.data_through is None:
        return result
    fresh = freshness_state(wh)
    if not fresh.needs_notice:
        return result
    status = "unknown" if result.status == "ok" else result.status
    return replace(result, status=status, stale_zh=fresh.message("zh"), stale_en=fresh.message("en"))


class OpsPlan:
    """The warehouse and the plan together. Cheap to create; connections are opened per call.

    >>> ops = OpsPlan("data/opsplan.duckdb", "data/demo_plan.yaml")   # doctest: +SKIP
    >>> ops.check(dt.date(2026, 2, 23)).status                       # doctest: +SKIP
    'critical'
    """

    def __init__(self, db: str | os.PathLike[str] | None = None, plan: str | os.PathLike[str] | None = None) -> None:
        self.warehouse = resolve_db(db)
        self.plan_file = Path(plan) if plan is not None else None
        self._state: PlanState | None = None
        self._applied = False

    # ---- the plan
    @property
    def plan_state(self) -> PlanState:
        """The plan as read and validated (read once; ``reload()`` reads it again)."""
        if self._state is None:
            if self.plan_file is None:
                raise ValueError("no plan file given: OpsPlan(db, plan='plan.yaml')")
            self._state = load_plan(self.plan_file, self.warehouse)
        return self._state

    @property
    def plan(self) -> Plan | None:
        """The plan to judge, or None when it has errors (see ``issues``)."""
        return self.plan_state.plan

    @property
    def issues(self) -> tuple[Issue, ...]:
        return self.plan_state.issues

    def reload(self) -> OpsPlan:
        """Read the plan file again (after an edit); its settings are applied again on the next call."""
        self._state, self._applied = None, False
        return self

    def apply_settings(self) -> bool:
        """Apply the plan's event roles to the warehouse (once per handle and plan read). A plan with errors
        changes nothing. True when the warehouse changed."""
        if self._applied or self.plan_file is None:
            return False
        plan = self.plan
        self._applied = True
        return apply_settings(self.warehouse, plan) if plan is not None else False

    # ---- the engine's answers
    def window(self) -> tuple[dt.date | None, dt.date | None]:
        """(first day, data_through) of the warehouse."""
        from opsplan.metrics.rollup import window

        with read_connection(self.warehouse) as con:
            return window(con)

    def check(self, as_of: dt.date | None = None, keep_history: bool = False) -> CheckResult:
        """The daily check on ``as_of`` (default: data_through). A plan with errors gives an unknown result
        carrying its problems; ``keep_history`` stores the rule evaluations (the cron check does)."""
        state = self.plan_state
        if state.plan is None:
            return not_judged(state, as_of)
        self.apply_settings()
        if keep_history:
            result = run_check(self.warehouse, state.plan, as_of)
        elif not self.warehouse.exists():
            return CheckResult(as_of, None, "unknown", message=f"no warehouse at {self.warehouse.path}")
        else:
            with read_connection(self.warehouse) as con:
                result = evaluate_plan(con, state.plan, as_of)
        return result if as_of is not None else with_freshness(self.warehouse, result)

    def metrics(
        self,
        names: Sequence[str],
        grain: str = "day",
        start: dt.date | None = None,
        end: dt.date | None = None,
        by: str | None = None,
        channels: Sequence[str] | None = None,
        campaigns: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Registered metrics at a grain (day / week / month / cohort / total), by channel or campaign."""
        from opsplan.metrics.rollup import query_metrics

        self.apply_settings()
        with read_connection(self.warehouse) as con:
            return query_metrics(
                con, names, grain=grain, start=start, end=end, by=by, channels=channels, campaigns=campaigns
            )

    def export(
        self,
        report: str,
        start: dt.date | None = None,
        end: dt.date | None = None,
        by: str | None = None,
        grain: str = "day",
    ) -> pd.DataFrame:
        """One of the CLI's reports (daily, weekly, monthly, retention, channels, funnel) as a frame."""
        from opsplan.metrics.exports import export_metrics

        self.apply_settings()
        return export_metrics(self.warehouse, report, start=start, end=end, by=by, grain=grain)

    def report(self, week: str, fmt: str = "md", lang: str = "zh") -> str:
        """The weekly review of an ISO week (``2026-W09``, or ``last``: the week before the current one in the
        warehouse's zone) as Markdown or HTML; refuses a plan with errors."""
        from opsplan.plan.model import PlanError
        from opsplan.report.weekly import resolve_week, weekly_report

        plan = self.plan
        if plan is None:
            raise PlanError(list(self.plan_state.errors))
        self.apply_settings()
        return weekly_report(self.warehouse, plan, resolve_week(self.warehouse, week), fmt=fmt, lang=lang)

    def __repr__(self) -> str:
        return f"OpsPlan(db={str(self.warehouse.path)!r}, plan={str(self.plan_file) if self.plan_file else None!r})"
