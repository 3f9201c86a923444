"""Roll registered metrics up from the views to any grain, channel, campaign and date range.

Every metric is a sum or a ratio of sums (``Metric.sql``), so one generic GROUP BY serves the CLI,
the plan evaluation and the pages. Dates and filters are bound parameters, never formatted in.
Empty days and periods come back as rows: counts 0, rates and immature values empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from opsplan.metrics.periods import coverage
from opsplan.metrics.registry import COHORT, DAY, MONTH, WEEK, Metric, Unit, get_metric


class RollupError(ValueError):
    """A metric asked for at a grain or range it is not defined for."""


@dataclass(frozen=True)
class ViewShape:
    """How to slice a view: its time column and, for views holding both weeks and months, the grain."""

    time_column: str
    periodic: bool = False


VIEW_SHAPES: dict[str, ViewShape] = {
    "kpis_daily": ViewShape("date"),
    "cohort_daily": ViewShape("cohort_date"),
    "funnel_daily": ViewShape("cohort_date"),
    "lifecycle_daily": ViewShape("date"),
    "kpis_periodic": ViewShape("period_start", periodic=True),
    "lifecycle_periodic": ViewShape("period_start", periodic=True),
}

#: name of the time column in results, per grain
TIME_KEYS = {DAY: "date", WEEK: "week", MONTH: "month", "total": None}
DIMENSIONS = {None: [], "channel": ["channel"], "campaign": ["channel", "campaign_id"]}


def _pick_view(metric: Metric, grain: str) -> str:
    """The view that serves ``metric`` at ``grain``: a periodic one for weeks and months when it has one."""
    daily = [v for v in metric.views if v in VIEW_SHAPES and not VIEW_SHAPES[v].periodic]
    periodic = [v for v in metric.views if v in VIEW_SHAPES and VIEW_SHAPES[v].periodic]
    if grain in (WEEK, MONTH) and periodic and grain in metric.grains:
        return periodic[0]
    if daily and (grain == DAY or metric.additive_over_days):
        return daily[0]
    raise RollupError(f"{metric.name} is not defined at grain {grain!r} (it has: {', '.join(metric.grains)})")


def _filters(
    by: str | None, channels: Sequence[str] | None, campaigns: Sequence[str] | None, alias: str = "v"
) -> tuple[list[str], list[object]]:
    conds: list[str] = []
    params: list[object] = []
    if channels:
        conds.append(f"{alias}.channel IN ({', '.join('?' for _ in channels)})")
        params.extend(channels)
    if campaigns:
        conds.append(f"{alias}.campaign_id IN ({', '.join('?' for _ in campaigns)})")
        params.extend(campaigns)
    return conds, params


def _one_view(
    con: duckdb.DuckDBPyConnection,
    view: str,
    metrics: list[Metric],
    grain: str,
    start: dt.date,
    end: dt.date,
    by: str | None,
    channels: Sequence[str] | None,
    campaigns: Sequence[str] | None,
) -> pd.DataFrame:
    shape = VIEW_SHAPES[view]
    dims = DIMENSIONS[by]
    conds, fparams = _filters(by, channels, campaigns)
    params: list[object] = []
    if shape.periodic:
        # the ISO week / month label from the period's first day (not every periodic view stores it)
        label = "'%G-W%V'" if grain == WEEK else "'%Y-%m'"
        time_sel = [f"strftime(v.period_start, {label}) AS time_key"]
        conds = ["v.grain = ?", "v.period_start BETWEEN ? AND ?"] + conds
        params = [grain, period_start(start, grain), end] + fparams
        source = f"{view} AS v"
    elif grain in (WEEK, MONTH):
        time_sel = ["p.period AS time_key"]
        conds = ["p.grain = ?", f"v.{shape.time_column} BETWEEN ? AND ?"] + conds
        params = [grain, start, end] + fparams
        source = f"{view} AS v JOIN period_days AS p ON p.date = v.{shape.time_column}"
    else:
        time_sel = [f"v.{shape.time_column} AS time_key"] if grain in (DAY, COHORT) else []
        conds = [f"v.{shape.time_column} BETWEEN ? AND ?"] + conds
        params = [start, end] + fparams
        source = f"{view} AS v"
    select = time_sel + [f"v.{d} AS {d}" for d in dims] + [f"{m.sql()} AS {m.name}" for m in metrics]
    sql = f"SELECT {', '.join(select)} FROM {source} WHERE {' AND '.join(conds)} GROUP BY ALL"
    return con.execute(sql, params).df()


def period_start(day: dt.date, grain: str) -> dt.date:
    """First day of the week / month holding ``day``: 2026-01-15 → 2026-01-12 (week), 2026-01-01 (month)."""
    if grain == WEEK:
        return day - dt.timedelta(days=day.weekday())
    if grain == MONTH:
        return day.replace(day=1)
    return day


def _spine(con: duckdb.DuckDBPyConnection, grain: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    if grain in (DAY, COHORT):
        return con.execute(
            "SELECT date AS time_key FROM calendar WHERE date BETWEEN ? AND ? ORDER BY 1", [start, end]
        ).df()
    return con.execute(
        "SELECT DISTINCT period AS time_key FROM period_days WHERE grain = ? AND date BETWEEN ? AND ? ORDER BY 1",
        [grain, start, end],
    ).df()


def window(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """(first_day, data_through) of the warehouse; (None, None) when it holds no data."""
    first, last = con.execute("SELECT first_day, data_through FROM data_through").fetchone()
    return first, last


def query_metrics(
    con: duckdb.DuckDBPyConnection,
    names: Sequence[str],
    *,
    grain: str = DAY,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str | None = None,
    channels: Sequence[str] | None = None,
    campaigns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per period (``grain`` day / week / month / cohort, or "total" for the whole range) and
    per channel or campaign (``by``), one column per metric name, empty periods included.

    Weeks and months end with a boolean ``partial`` column: True when the data does not cover all the
    period's days (``opsplan.metrics.periods.coverage``), so no reader takes a two-day week for a full one."""
    metrics = [get_metric(n) for n in names]
    first, last = window(con)
    dims = DIMENSIONS[by]
    time_key = TIME_KEYS.get(grain, "cohort")
    keys = (["time_key"] if grain != "total" else []) + dims
    flagged = ["partial"] if grain in (WEEK, MONTH) else []
    if first is None:
        return pd.DataFrame(columns=[k for k in ([time_key] if time_key else []) + dims] + list(names) + flagged)
    start = max(start or first, first)
    end = min(end or last, last)
    lookup = DAY if grain in ("total", COHORT) else grain
    by_view: dict[str, list[Metric]] = {}
    for m in metrics:
        by_view.setdefault(_pick_view(m, lookup), []).append(m)
    result: pd.DataFrame | None = None
    for view, ms in by_view.items():
        part = _one_view(con, view, ms, grain, start, end, by, channels, campaigns)
        if result is None:
            result = part
        elif keys:
            result = result.merge(part, on=keys, how="outer")
        else:
            result = pd.concat([result, part], axis=1)
    assert result is not None
    if grain != "total":
        spine = _spine(con, grain, start, end)
        if dims:
            combos = result[dims].drop_duplicates()
            spine = spine.merge(combos, how="cross") if not combos.empty else spine.iloc[0:0]
        result = spine.merge(result, on=keys, how="left")
    for m in metrics:
        if not m.is_ratio and not m.gated:
            result[m.name] = result[m.name].fillna(0)
        if m.unit is Unit.COUNT and not m.is_ratio:
            result[m.name] = result[m.name].round().astype("Int64")
    result = result.sort_values(keys, kind="stable").reset_index(drop=True) if keys else result
    if time_key:
        if pd.api.types.is_datetime64_any_dtype(result["time_key"]):
            result["time_key"] = result["time_key"].dt.date
        result = result.rename(columns={"time_key": time_key})
    if flagged:
        partial = {k: coverage(k, grain, first, last).partial for k in result[time_key].unique()}
        result["partial"] = result[time_key].map(partial).astype(bool)
    return result[([time_key] if time_key else []) + dims + list(dict.fromkeys(names)) + flagged]
