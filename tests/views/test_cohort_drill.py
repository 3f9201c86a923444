"""The last step of the Channels drill: one signup day's cohort — cohort_revenue_daily and
``opsplan.screens.cohort`` on the hand-computed fixture (refunds, days not reached yet, a cohort without spend,
the ROI window's band), in both warehouse zones where the day boundary moves a row."""

from __future__ import annotations

import datetime as dt
import math

import duckdb
import pandas as pd
import pytest

from opsplan.plan.model import Rule
from opsplan.plan.result import Flag
from opsplan.plan.stoploss import RuleState
from opsplan.screens import cohort as ch
from opsplan.store.warehouse import Warehouse, get_meta, read_connection
from tests.views.helpers import D


def _cohort(con: duckdb.DuckDBPyConnection, day: str, channel: str | None, campaign: str | None) -> ch.Cohort:
    where, params = ch.cohort_where(D(day), channel, campaign)
    head = con.execute(ch.spend_sql(where), params * 2).fetchdf()
    curve = con.execute(ch.curve_sql(where), params * 2).fetchdf()
    through = con.execute("SELECT data_through FROM data_through").fetchone()[0]
    return ch.cohort(D(day), through, curve, float(head["spend"].iloc[0]), int(head["payers"].iloc[0]))


def _values(series: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else round(float(v), 6) for v in series]


def test_revenue_by_day_since_signup_keeps_the_refund_on_its_own_day(con: duckdb.DuckDBPyConnection) -> None:
    # u1 (douyin/c1, 01-05) pays 30 on day 0 and 30 on day 1, and 30 is refunded on day 3 (01-08)
    rows = con.execute(
        "SELECT day_offset, orders, refunds, revenue FROM cohort_revenue_daily "
        "WHERE cohort_date = ? AND channel = 'douyin' ORDER BY day_offset",
        [D("2026-01-05")],
    ).fetchall()
    assert [(n, o, r, float(v)) for n, o, r, v in rows] == [(0, 1, 0, 30.0), (1, 1, 0, 30.0), (3, 0, 1, -30.0)]


def test_a_cohort_summed_over_its_days_is_its_30_day_revenue(con: duckdb.DuckDBPyConnection) -> None:
    daily, window = con.execute(
        "SELECT (SELECT sum(revenue) FROM cohort_revenue_daily), (SELECT sum(revenue_30d) FROM cohort_revenue)"
    ).fetchone()
    assert daily == window == 200  # 30 + 30 - 30 (u1) + 100 + 50 (u3) + 20 (u6)


def test_the_douyin_cohort_of_01_05(con: duckdb.DuckDBPyConnection) -> None:
    c = _cohort(con, "2026-01-05", "douyin", "c1")
    assert (c.users, c.spend, c.payers, c.orders, c.refunds, c.revenue) == (2, 100.0, 1, 2, 1, 30.0)
    assert c.reached == 8  # data through 01-13: days 0 .. 8 since signup
    assert c.roi == pytest.approx(0.30)
    # cumulative revenue 30, 60, 60, 30 (the refund), then flat; nothing past day 8 (not a 0: not reached)
    assert _values(c.curve["cum_revenue"])[:10] == [30.0, 60.0, 60.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0, None]
    assert _values(c.curve["roi"])[:10] == [0.3, 0.6, 0.6, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, None]
    assert c.curve["revenue"].iloc[9:].isna().all() and c.curve["orders"].iloc[9:].isna().all()
    # retention: both on day 1, u1 alone on day 7 (01-12); immature past day 8
    assert _values(c.curve["retention"])[:10] == [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, None]


def test_every_channel_of_a_day_counts_only_paid_channels_revenue_in_roi(con: duckdb.DuckDBPyConnection) -> None:
    # 01-06 (Shanghai): u3 (xiaohongshu, pays 150 on day 1), u4 organic, u5 no channel; spend 100 + 80
    c = _cohort(con, "2026-01-06", None, None)
    assert (c.users, c.spend, c.orders, c.revenue, c.payers) == (3, 180.0, 2, 150.0, 1)
    assert c.roi == pytest.approx(150 / 180)
    assert _values(c.curve["roi"])[:3] == [0.0, round(150 / 180, 6), round(150 / 180, 6)]


def test_a_cohort_without_spend_has_no_roi(con: duckdb.DuckDBPyConnection) -> None:
    c = _cohort(con, "2026-01-12", "kol", None)  # u7: kol has users but no spend
    assert (c.users, c.spend, c.roi) == (1, 0.0, None)
    assert c.curve["roi"].isna().all()


def test_the_day_boundary_moves_orders_and_users_between_cohorts(zoned_wh: Warehouse) -> None:
    with read_connection(zoned_wh) as con:
        tz = get_meta(con, "timezone")
        xhs_0105, xhs_0106 = (
            _cohort(con, "2026-01-05", "xiaohongshu", None),
            _cohort(con, "2026-01-06", "xiaohongshu", None),
        )
        douyin = _cohort(con, "2026-01-05", "douyin", "c1")
    if tz == "Asia/Shanghai":  # u3 signs up at 00:00:01 local on 01-06 and pays 150 the next day
        assert (xhs_0105.users, xhs_0106.users) == (0, 1)
        assert _values(xhs_0106.curve["revenue"])[:3] == [0.0, 150.0, 0.0]
        assert xhs_0106.roi == pytest.approx(150 / 80)
        assert _values(douyin.curve["retention"])[:2] == [1.0, 1.0]  # u2's 00:00:01 event is day 1
    else:  # UTC: u3 is a 01-05 cohort without spend that day; the orders fall on day 2
        assert (xhs_0105.users, xhs_0106.users) == (1, 0)
        assert _values(xhs_0105.curve["revenue"])[:3] == [0.0, 0.0, 150.0]
        assert xhs_0105.roi is None
        assert _values(douyin.curve["retention"])[:2] == [1.0, 0.5]  # u2's event is on 01-05 itself


def _flag(judged: str, start: str | None) -> Flag:
    day = D(judged)
    return Flag(
        "roi_floor",
        "roi_7d",
        {"channel": "douyin"},
        RuleState.FIRING,
        0.5,
        day,
        "critical",
        "",
        "",
        day,
        "",
        "",
        window_start=D(start) if start else None,
    )


def test_the_rule_window_is_the_cohort_days_of_its_last_checks() -> None:
    rule = Rule("roi_floor", "roi_7d", "channel", "<", 1.0, for_days=3)
    assert ch.judged_window([_flag("2026-03-25", "2026-03-25")], rule) == (D("2026-03-23"), D("2026-03-25"))
    # a pooled small channel widens the band to its first pooled day
    flags = [_flag("2026-03-25", "2026-03-25"), _flag("2026-03-25", "2026-03-19")]
    assert ch.judged_window(flags, rule) == (D("2026-03-19"), D("2026-03-25"))
    assert ch.judged_window([], rule) is None
    other = Rule("cac_ceiling", "cac", "campaign", ">", 10.0)
    assert ch.roi_rule([other, rule], "roi_7d", "channel") is rule
    assert ch.roi_rule([other], "roi_7d", "channel") is None


def test_an_unreached_cohort_shows_nothing_not_zeros() -> None:
    curve = pd.DataFrame(
        {
            "day_offset": range(30),
            "users": [4] * 30,
            "retained": [None] * 30,
            "mature": [None] * 30,
            "orders": [0] * 30,
            "refunds": [0] * 30,
            "revenue": [0.0] * 30,
            "paid_revenue": [0.0] * 30,
        }
    )
    c = ch.cohort(dt.date(2026, 3, 31), dt.date(2026, 3, 30), curve, 50.0, 0)  # the data stops the day before
    assert c.reached == -1 and c.roi is None and c.curve["roi"].isna().all()
    assert math.isnan(c.curve["retention"].iloc[0])
