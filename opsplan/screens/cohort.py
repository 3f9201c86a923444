"""One signup day's cohort, the last step of the Channels drill (channel → campaign → day → cohort): its users,
its orders and its ROI by day since signup. Read from views only (``retention_curve``, ``cohort_revenue_daily``,
``cohort_revenue``, ``spend_daily``, ``user_last_active``), so a ClickHouse warehouse's served file answers too.
Plain functions over frames; no Streamlit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from opsplan.plan.model import Rule
from opsplan.plan.result import Flag
from opsplan.screens.explore import scope_where

DAYS = 30  # day 0 .. 29: the 30-day revenue window of cohort_revenue / revenue_30d
USERS_SHOWN = 200


def cohort_where(day: dt.date, channel: str | None, campaign: str | None) -> tuple[str, list[object]]:
    """The WHERE clause (without the keyword) and parameters of one cohort in a view keyed by cohort_date."""
    return scope_where("cohort_date", day, day, channel, campaign)


def curve_sql(where: str) -> str:
    """Day since signup 0 .. 29: users (the cohort's size), retained / mature (retention, NULL while immature),
    orders, refunds, revenue and paid revenue (channels with ad spend: what ROI counts) paid that day. Its
    parameters are the cohort's, twice."""
    return f"""
WITH r AS (
    SELECT day_offset, sum(cohort_size) AS users, sum(retained) AS retained, sum(mature_size) AS mature
    FROM retention_curve WHERE {where} GROUP BY day_offset
), o AS (
    SELECT day_offset, sum(orders) AS orders, sum(refunds) AS refunds, sum(revenue) AS revenue,
        sum(CASE WHEN channel IN (SELECT channel FROM paid_channels) THEN revenue END) AS paid_revenue
    FROM cohort_revenue_daily WHERE {where} GROUP BY day_offset
)
SELECT i.n AS day_offset, r.users, r.retained, r.mature,
    coalesce(o.orders, 0) AS orders, coalesce(o.refunds, 0) AS refunds,
    coalesce(o.revenue, 0) AS revenue, coalesce(o.paid_revenue, 0) AS paid_revenue
FROM (SELECT n FROM integers WHERE n < {DAYS}) AS i
LEFT JOIN r ON r.day_offset = i.n
LEFT JOIN o ON o.day_offset = i.n
ORDER BY day_offset"""


def spend_sql(where: str) -> str:
    """The cohort's spend (the ad spend of its signup day, in its scope) and its payers so far."""
    return f"""
SELECT
    (SELECT coalesce(sum(spend), 0) FROM spend_daily WHERE {where.replace("cohort_date", "date")}) AS spend,
    (SELECT coalesce(sum(payers_30d), 0) FROM cohort_revenue WHERE {where}) AS payers"""


def users_sql(where: str) -> str:
    """The cohort's users, the most recently active first (at most ``USERS_SHOWN``), and how many there are."""
    scoped = where.replace("cohort_date", "signup_day")
    return f"""
SELECT user_id, channel, campaign_id, last_active, days_inactive, count(*) OVER () AS total
FROM user_last_active WHERE {scoped}
ORDER BY last_active DESC, user_id LIMIT {USERS_SHOWN}"""


@dataclass(frozen=True)
class Cohort:
    day: dt.date
    users: int  # new users that day
    spend: float
    payers: int  # users with a positive order in their first 30 days, so far
    orders: int  # positive orders in days 0 .. 29, so far
    refunds: int
    revenue: float  # refunds negative, every channel's
    roi: float | None  # paid revenue so far / spend; None without spend
    reached: int  # the last day since signup the data covers (day N is complete when day + N <= data through)
    curve: pd.DataFrame  # day_offset, users, retention, orders, refunds, revenue, cum_revenue, roi (NaN unreached)


def cohort(day: dt.date, through: dt.date, curve: pd.DataFrame, spend: float, payers: int) -> Cohort:
    """The cohort of ``day`` from ``curve_sql``'s rows. A day since signup the data has not reached yet has no
    revenue, ROI or retention (NaN), never a 0: an immature day is not a bad one."""
    out = curve.copy()
    reached = min(DAYS - 1, (through - day).days)
    unreached = out["day_offset"] > reached
    mature = pd.to_numeric(out["mature"], errors="coerce")
    out["retention"] = pd.to_numeric(out["retained"], errors="coerce") / mature.where(mature > 0)
    for col in ("orders", "refunds", "revenue", "paid_revenue"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float).mask(unreached)
    out["cum_revenue"] = out["revenue"].cumsum().mask(unreached)
    paid = out["paid_revenue"].cumsum().mask(unreached)
    out["roi"] = paid / spend if spend > 0 else float("nan")
    size = pd.to_numeric(out["users"], errors="coerce").dropna()
    seen = out[~unreached]
    return Cohort(
        day=day,
        users=int(size.iloc[0]) if not size.empty else 0,
        spend=float(spend),
        payers=int(payers),
        orders=int(seen["orders"].sum()),
        refunds=int(seen["refunds"].sum()),
        revenue=float(seen["revenue"].sum()),
        roi=float(seen["paid_revenue"].sum()) / spend if spend > 0 and reached >= 0 else None,
        reached=reached,
        curve=out[["day_offset", "users", "retention", "orders", "refunds", "revenue", "cum_revenue", "roi"]],
    )


def roi_rule_window(judged: dt.date, for_days: int, window_start: dt.date | None) -> tuple[dt.date, dt.date]:
    """The cohort days a stop-loss rule on a cohort metric judged in its last ``for_days`` evaluations (one
    cohort day each), widened to the first pooled day: the band the ROI-by-cohort-day chart shades."""
    first = judged - dt.timedelta(days=max(for_days, 1) - 1)
    return (min(first, window_start) if window_start else first), judged


def roi_rule(rules: Sequence[Rule], metric: str, key: str) -> Rule | None:
    """The stop-loss rule the ROI-by-cohort-day chart draws: one on ``metric`` judged per the level shown
    (``key`` channel / campaign_id), else one on it at any level."""
    per = "channel" if key == "channel" else "campaign"
    on_metric = [r for r in rules if r.metric == metric and r.threshold is not None]
    return next((r for r in on_metric if r.per == per), on_metric[0] if on_metric else None)


def judged_window(flags: Sequence[Flag], rule: Rule) -> tuple[dt.date, dt.date] | None:
    """The cohort days ``rule`` judged in its last ``for_days`` evaluations (``roi_rule_window``), from the
    check's flags of that rule (every flag of one rule judges the same cohort day); None when none was judged."""
    own = [f for f in flags if f.id == rule.id]
    if not own:
        return None
    judged = max(f.judged_day for f in own)
    starts = [f.window_start for f in own if f.window_start is not None and f.judged_day == judged]
    return roi_rule_window(judged, rule.for_days, min(starts) if starts else None)
