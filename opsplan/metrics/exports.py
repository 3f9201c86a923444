"""The reports of ``opsplan metrics …``: which metrics each one shows, column names = metric names."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from opsplan.metrics.registry import COHORT, DAY, MONTH, WEEK, get_metric
from opsplan.metrics.rollup import DIMENSIONS, period_start, query_metrics, window
from opsplan.store.warehouse import Warehouse, read_connection

DAILY = (
    "new_users",
    "dau",
    "revenue",
    "paying_users",
    "arpu",
    "arppu",
    "paid_conversion",
    "repurchase_rate",
    "spend",
    "impressions",
    "clicks",
    "ctr",
    "cpc",
    "cpm",
    "signup_cvr",
    "cac",
    "blended_cac",
    "referred_new_users",
    "k_factor",
)
WEEKLY = ("wau",) + tuple(m for m in DAILY if m != "dau")
MONTHLY = ("mau", "stickiness") + tuple(m for m in DAILY if m != "dau")
RETENTION = ("cohort_size", "retention_d1", "retention_d7", "retention_d30", "ltv_7d", "roi_7d", "payer_conversion_7d")
CHANNELS_SPEND = ("spend", "impressions", "clicks", "ctr", "cpc", "new_users", "signup_cvr", "cac")
CHANNELS_COHORT = ("revenue_7d", "roi_7d", "revenue_30d", "roi_30d")
FUNNEL = (
    "impressions",
    "clicks",
    "new_users",
    "activated",
    "paid_7d",
    "ctr",
    "signup_cvr",
    "activation_rate",
    "paid_rate_7d",
)

REPORTS = ("daily", "weekly", "monthly", "retention", "channels", "funnel")


def periodic_retention(
    con: duckdb.DuckDBPyConnection,
    grain: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str | None = None,
) -> pd.DataFrame:
    """Week or month cohorts: cohort, cohort_size, retention_w1 … w12 (or m1 … m12), mature only."""
    first, last = window(con)
    letter = "w" if grain == WEEK else "m"
    dims = DIMENSIONS[by]
    names = [f"retention_{letter}{n}" for n in range(1, 13)]
    if first is None:
        return pd.DataFrame(columns=["cohort", *dims, "cohort_size", *names])
    start, end = period_start(max(start or first, first), grain), min(end or last, last)
    metric = get_metric(names[0])
    cols = [
        f"CAST(sum(v.{metric.column}) FILTER (WHERE v.period_offset = {n}) AS DOUBLE) / "
        f"nullif(sum(v.{metric.denominator}) FILTER (WHERE v.period_offset = {n}), 0) AS {name}"
        for n, name in enumerate(names, start=1)
    ]
    select = [
        "v.cohort",
        *[f"v.{d}" for d in dims],
        "sum(v.cohort_size) FILTER (WHERE v.period_offset = 0) AS cohort_size",
        *cols,
    ]
    sql = (
        f"SELECT {', '.join(select)} FROM retention_periodic AS v "
        "WHERE v.grain = ? AND v.cohort_start BETWEEN ? AND ? GROUP BY ALL ORDER BY ALL"
    )
    return con.execute(sql, [grain, start, end]).df()


def report(
    con: duckdb.DuckDBPyConnection,
    name: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str | None = None,
    grain: str = DAY,
) -> pd.DataFrame:
    """One of REPORTS as a frame whose columns are the keys of the row and metric names."""
    if name == "daily":
        return query_metrics(con, DAILY, grain=DAY, start=start, end=end, by=by)
    if name == "weekly":
        return query_metrics(con, WEEKLY, grain=WEEK, start=start, end=end, by=by)
    if name == "monthly":
        return query_metrics(con, MONTHLY, grain=MONTH, start=start, end=end, by=by)
    if name == "retention":
        if grain in (WEEK, MONTH):
            return periodic_retention(con, grain, start, end, by)
        return query_metrics(con, RETENTION, grain=COHORT, start=start, end=end, by=by)
    if name == "channels":
        dims = DIMENSIONS[by or "channel"]
        spend = query_metrics(con, CHANNELS_SPEND, grain="total", start=start, end=end, by=by or "channel")
        cohort = query_metrics(con, CHANNELS_COHORT, grain="total", start=start, end=end, by=by or "channel")
        frame = spend.merge(cohort, on=dims, how="outer") if dims else spend
        return frame.sort_values(dims).reset_index(drop=True)
    if name == "funnel":
        return query_metrics(con, FUNNEL, grain="total", start=start, end=end, by=by)
    raise ValueError(f"unknown report {name!r}: choose one of {', '.join(REPORTS)}")


def export_metrics(
    wh: Warehouse,
    name: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str | None = None,
    grain: str = DAY,
) -> pd.DataFrame:
    """``report`` on a short-lived read connection, with campaign_id '' (no campaign) shown as empty."""
    with read_connection(wh) as con:
        frame = report(con, name, start=start, end=end, by=by, grain=grain)
    if "campaign_id" in frame.columns:
        frame["campaign_id"] = frame["campaign_id"].replace("", None)
    return frame


def silent_users(con: duckdb.DuckDBPyConnection, k: int = 14, by: str | None = "channel") -> pd.DataFrame:
    """Users not active for the last ``k`` days up to data_through (沉默用户), per channel."""
    dims = DIMENSIONS[by]
    select = ", ".join([*dims, "count(*) AS silent_users"])
    group = f"GROUP BY {', '.join(dims)} ORDER BY {', '.join(dims)}" if dims else ""
    return con.execute(f"SELECT {select} FROM user_last_active WHERE days_inactive >= ? {group}", [k]).df()


def campaign_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Campaigns with channel, phase (preheat / burst / longtail), dates, budget, owner and spend so far."""
    return con.execute("SELECT * FROM campaign_periods ORDER BY channel, start_date, campaign_id").df()


def event_counts(
    con: duckdb.DuckDBPyConnection, event_name: str, start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """Per day up to data_through: how often ``event_name`` happened and how many distinct users did it."""
    first, last = window(con)
    frame = con.execute(
        """SELECT c.date, coalesce(sum(e.events), 0) AS events, coalesce(sum(e.users), 0) AS users
           FROM calendar AS c LEFT JOIN event_daily AS e ON e.date = c.date AND e.event_name = ?
           WHERE c.date BETWEEN ? AND ? GROUP BY c.date ORDER BY c.date""",
        [event_name, start or first, end or last],
    ).df()
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return frame
