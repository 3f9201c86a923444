"""kpis_daily: the daily indicators (日报), checked against the hand-computed fixture (Asia/Shanghai).

Every expected value is worked out from fixture_data's rows in the comments beside it.
"""

from __future__ import annotations

import duckdb

from tests.views.helpers import D, by_dim, series

DAYS = [D(f"2026-01-{d:02d}") for d in range(5, 14)]


def test_new_users_per_local_day(con: duckdb.DuckDBPyConnection) -> None:
    # u1,u2 on 01-05 (u2 at 23:59:59); u3 (00:00:01 local, given in UTC), u4, u5 on 01-06; u6 01-08; u7 01-12
    assert list(series(con, "new_users").values()) == [2, 3, 0, 1, 0, 0, 0, 1, 0]


def test_dau_counts_signup_day_and_events_and_keeps_empty_days(con: duckdb.DuckDBPyConnection) -> None:
    s = series(con, "dau")
    assert list(s) == DAYS  # 01-10 and 01-11 (no rows at all) and 01-13 (spend only) are still days
    # 01-06: u1, u2 (00:00:01 local event), u3 (signup), u4, u5 (signed up, never sent an event)
    assert list(s.values()) == [2, 5, 1, 2, 1, 0, 0, 2, 0]


def test_revenue_counts_refunds_negative(con: duckdb.DuckDBPyConnection) -> None:
    # 01-07: 100 at 23:59:59 local + 50; 01-08: the 30 refund of u1
    assert list(series(con, "revenue").values()) == [30, 30, 150, -30, 0, 0, 0, 0, 20]


def test_paying_users_ignore_refund_rows(con: duckdb.DuckDBPyConnection) -> None:
    assert list(series(con, "paying_users").values()) == [1, 1, 1, 0, 0, 0, 0, 0, 1]


def test_arpu_arppu_paid_conversion_are_ratios_of_the_day(con: duckdb.DuckDBPyConnection) -> None:
    # arpu = revenue / dau: 30/2, 30/5, 150/1, -30/2, 0/1, -, -, 0/2, 20/0 → empty
    assert list(series(con, "arpu").values()) == [15.0, 6.0, 150.0, -15.0, 0.0, None, None, 0.0, None]
    # arppu = revenue / paying users; 01-08 has a refund and no payer → empty, not 0
    assert series(con, "arppu")[D("2026-01-08")] is None
    assert series(con, "arppu")[D("2026-01-07")] == 150.0
    assert list(series(con, "paid_conversion").values()) == [0.5, 0.2, 1.0, 0.0, 0.0, None, None, 0.0, None]


def test_repurchase_rate_needs_two_positive_orders_in_the_period(con: duckdb.DuckDBPyConnection) -> None:
    # 01-07: u3 pays twice → 1/1; 01-05: u1 once → 0/1; 01-08 (refund only) → empty
    s = series(con, "repurchase_rate")
    assert (s[D("2026-01-05")], s[D("2026-01-07")], s[D("2026-01-08")]) == (0.0, 1.0, None)


def test_spend_impressions_clicks_and_ad_rates(con: duckdb.DuckDBPyConnection) -> None:
    assert list(series(con, "spend").values()) == [100, 180, 80, 50, 50, 0, 0, 40, 10]
    assert list(series(con, "clicks").values()) == [100, 90, 40, 25, 25, 0, 0, 20, 10]
    ctr = series(con, "ctr")
    assert (ctr[D("2026-01-05")], ctr[D("2026-01-06")], ctr[D("2026-01-10")]) == (0.01, 0.005, None)
    assert series(con, "cpc")[D("2026-01-06")] == 2.0  # 180 / 90
    assert series(con, "cpm")[D("2026-01-06")] == 10.0  # 1000 x 180 / 18000


def test_cac_and_signup_cvr_count_only_paid_channels_new_users(con: duckdb.DuckDBPyConnection) -> None:
    cac = series(con, "cac")
    # 01-05: 100 / 2 douyin users; 01-06: 180 / 1 (u3; u4, u5 are organic); 01-12: 40 / 0 (u7 is kol) → empty
    assert (cac[D("2026-01-05")], cac[D("2026-01-06")], cac[D("2026-01-12")]) == (50.0, 180.0, None)
    assert series(con, "blended_cac")[D("2026-01-06")] == 60.0  # 180 / 3, organic included
    cvr = series(con, "signup_cvr")
    assert (cvr[D("2026-01-05")], cvr[D("2026-01-06")]) == (0.02, round(1 / 90, 6))


def test_by_channel_over_the_range_is_the_ratio_of_sums(con: duckdb.DuckDBPyConnection) -> None:
    got = by_dim(con, ["spend", "clicks", "impressions", "new_users", "cac", "signup_cvr", "ctr"])
    assert got["douyin"] == {
        "spend": 340,
        "clicks": 220,
        "impressions": 34000,
        "new_users": 3,
        "cac": round(340 / 3, 6),
        "signup_cvr": round(3 / 220, 6),
        "ctr": round(220 / 34000, 6),
    }
    # a channel with users but no spend: spend 0, CAC empty (not 0, not infinite)
    assert got["kol"] == {
        "spend": 0,
        "clicks": 0,
        "impressions": 0,
        "new_users": 1,
        "cac": None,
        "signup_cvr": None,
        "ctr": None,
    }
    assert got["organic"]["new_users"] == 2 and got["organic"]["cac"] is None


def test_a_campaign_paused_for_a_day(con: duckdb.DuckDBPyConnection) -> None:
    # c1 has no ad_spend row on 01-07: the day is 0 spend, and the period CAC is still spend / new users
    s = series(con, "spend", by=None, campaigns=["c1"])
    assert s[D("2026-01-07")] == 0
    got = by_dim(con, ["spend", "new_users", "cac"], by="campaign")
    assert got["douyin/c1"] == {"spend": 340, "new_users": 3, "cac": round(340 / 3, 6)}


def test_referral_and_k_factor_by_inviter(con: duckdb.DuckDBPyConnection) -> None:
    assert list(series(con, "referred_new_users").values()) == [0, 1, 0, 0, 0, 0, 0, 1, 0]
    # u4 and u7 are both invited by u1 (douyin): 2 invited / 1 inviter over the month
    assert series(con, "k_factor", grain="month") == {"2026-01": 2.0}
    assert by_dim(con, ["referred_new_users"])["douyin"]["referred_new_users"] == 0  # counted by own channel


def test_nothing_after_data_through(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("SELECT data_through, first_day FROM data_through").fetchone() == (
        D("2026-01-13"),
        D("2026-01-05"),
    )
    assert con.execute("SELECT max(date) FROM kpis_daily").fetchone()[0] == D("2026-01-13")
