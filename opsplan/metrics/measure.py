"""Daily parts of any metric a plan can name — built-in, event metric or external metric — for the
evaluation: per day (cohort day for cohort metrics) the summed numerator, the summed denominator and
the spend of that day, overall or per channel / campaign. Evaluation then only adds these up.

The plan's own types (``plan.model.Plan``, ``Scope``, ``EventMetric``) are read through the protocols below,
so metrics/ measures what a plan names without importing plan/ (the layer above it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import duckdb
import pandas as pd

from opsplan.metrics.registry import METRICS, Direction, Metric, Unit
from opsplan.metrics.rollup import VIEW_SHAPES

DIM_COLUMN = {"channel": "channel", "campaign": "campaign_id"}


class Scope(Protocol):
    """Where to measure: a channel, a campaign, or neither (everything); ``plan.model.Scope``."""

    @property
    def channel(self) -> str | None: ...

    @property
    def campaign(self) -> str | None: ...


class EventMetric(Protocol):
    """A metric the plan defines from events; ``plan.model.EventMetric``."""

    @property
    def name(self) -> str: ...

    @property
    def label_zh(self) -> str: ...

    @property
    def label_en(self) -> str: ...

    @property
    def count(self) -> str | None: ...

    @property
    def users(self) -> str | None: ...

    @property
    def numerator(self) -> str | None: ...

    @property
    def denominator(self) -> str | None: ...

    @property
    def direction(self) -> str: ...


class Plan(Protocol):
    """What measuring reads of a plan: its event metrics; ``plan.model.Plan``."""

    @property
    def event_metrics(self) -> Sequence[EventMetric]: ...


@dataclass(frozen=True)
class _Everywhere:
    """The scope of no channel and no campaign (what ``plan.model.Scope()`` is)."""

    channel: str | None = None
    campaign: str | None = None


@dataclass(frozen=True)
class MetricInfo:
    """What evaluation needs to know about a metric, whatever defined it."""

    name: str
    label_zh: str
    label_en: str
    unit: Unit
    direction: Direction
    is_ratio: bool
    additive: bool
    lag: int = 0

    def label(self, lang: str = "zh") -> str:
        return self.label_zh if lang == "zh" else self.label_en


def metric_info(name: str, plan: Plan | None = None) -> MetricInfo:
    if name in METRICS:
        m = METRICS[name]
        return MetricInfo(m.name, m.label_zh, m.label_en, m.unit, m.direction, m.is_ratio, m.additive_over_days, m.lag)
    for e in plan.event_metrics if plan else ():
        if e.name == name:
            unit = Unit.PERCENT if e.numerator else Unit.COUNT
            return MetricInfo(
                e.name, e.label_zh, e.label_en, unit, Direction(e.direction), bool(e.numerator), e.count is not None
            )
    zh, en = getattr(plan, "external_labels", {}).get(name, (name, name))  # the plan's label_zh / label_en
    return MetricInfo(name, zh, en, Unit.RATIO, Direction.UP, True, False)  # external: a level, averaged


def _scope_filter(scope: Scope, alias: str = "v") -> tuple[str, list[object]]:
    conds, params = [], []
    if scope.channel:
        conds.append(f"{alias}.channel = ?")
        params.append(scope.channel)
    if scope.campaign:
        conds.append(f"{alias}.campaign_id = ?")
        params.append(scope.campaign)
    return ("".join(f" AND {c}" for c in conds), params)


def _builtin(
    con: duckdb.DuckDBPyConnection, m: Metric, start: dt.date, end: dt.date, scope: Scope, per: str | None
) -> pd.DataFrame:
    view = next(v for v in m.views if v in VIEW_SHAPES and not VIEW_SHAPES[v].periodic)
    time = VIEW_SHAPES[view].time_column
    where, params = _scope_filter(scope)
    dim = f", v.{DIM_COLUMN[per]} AS item" if per in DIM_COLUMN else ", 'all' AS item"
    den = f'sum(v."{m.denominator}")' if m.denominator else "NULL"
    spend = "sum(v.spend)" if view in ("kpis_daily", "cohort_daily") else "NULL"
    sql = (
        f'SELECT v.{time} AS date{dim}, sum(v."{m.column}") AS num, {den} AS den, {spend} AS spend '
        f"FROM {view} AS v WHERE v.{time} BETWEEN ? AND ?{where} GROUP BY ALL"
    )
    frame = con.execute(sql, [start, end, *params]).df()
    if m.scale != 1.0:
        frame["num"] = frame["num"] * m.scale
    if m.shift:  # net ROI: (revenue - spend) / spend, kept a ratio of sums
        frame["num"] = frame["num"] - frame["den"] * m.shift
    return frame


def _event(
    con: duckdb.DuckDBPyConnection,
    e: EventMetric,
    plan: Plan,
    start: dt.date,
    end: dt.date,
    scope: Scope,
    per: str | None,
) -> pd.DataFrame:
    if e.numerator and e.denominator:
        a = daily_parts(con, e.numerator, plan, start, end, scope, per)
        b = daily_parts(con, e.denominator, plan, start, end, scope, per)
        merged = a.merge(b, on=["date", "item"], how="outer", suffixes=("_a", "_b"))
        return pd.DataFrame(
            {
                "date": merged["date"],
                "item": merged["item"],
                "num": merged["num_a"],
                "den": merged["num_b"],
                "spend": merged["spend_a"],
            }
        )
    where, params = _scope_filter(scope)
    dim = f", v.{DIM_COLUMN[per]} AS item" if per in DIM_COLUMN else ", 'all' AS item"
    column = "events" if e.count else "users"
    return con.execute(
        f"SELECT v.date{dim}, sum(v.{column}) AS num, NULL AS den, NULL AS spend FROM event_daily AS v "
        f"WHERE v.event_name = ? AND v.date BETWEEN ? AND ?{where} GROUP BY ALL",
        [e.count or e.users, start, end, *params],
    ).df()


def _external(
    con: duckdb.DuckDBPyConnection, name: str, start: dt.date, end: dt.date, scope: Scope, per: str | None
) -> pd.DataFrame:
    """external_metrics rows: a level per day (the mean when several rows share a day)."""
    cond, params = ("", [])
    if scope.channel:
        cond, params = " AND channel = ?", [scope.channel]
    item = "coalesce(channel, 'all')" if per == "channel" else "'all'"
    return con.execute(
        f"SELECT date, {item} AS item, sum(value) AS num, count(*) AS den, NULL AS spend FROM external_metrics "
        f"WHERE metric = ? AND date BETWEEN ? AND ?{cond} GROUP BY ALL",
        [name, start, end, *params],
    ).df()


def daily_parts(
    con: duckdb.DuckDBPyConnection,
    name: str,
    plan: Plan | None,
    start: dt.date,
    end: dt.date,
    scope: Scope | None = None,
    per: str | None = None,
) -> pd.DataFrame:
    """Columns date, item ('all' or the channel / campaign), num, den, spend — one row per day with data."""
    scope = scope or _Everywhere()
    if name in METRICS:
        frame = _builtin(con, METRICS[name], start, end, scope, per)
    else:
        event = next((e for e in (plan.event_metrics if plan else ()) if e.name == name), None)
        frame = (
            _event(con, event, plan, start, end, scope, per)
            if event and plan
            else _external(con, name, start, end, scope, per)
        )
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    for col in ("num", "den", "spend"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame.sort_values(["item", "date"]).reset_index(drop=True)


def scope_items(con: duckdb.DuckDBPyConnection, per: str) -> list[str]:
    """Every channel or campaign the data knows (for rules evaluated per channel / campaign)."""
    if per == "channel":
        sql = "SELECT DISTINCT channel FROM kpis_daily ORDER BY 1"
    elif per == "campaign":
        sql = "SELECT DISTINCT campaign_id FROM kpis_daily WHERE campaign_id <> '' ORDER BY 1"
    else:
        return ["all"]
    return [r[0] for r in con.execute(sql).fetchall()]
