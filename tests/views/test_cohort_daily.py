"""cohort_daily: retention, revenue, LTV, ROI and payer conversion by signup-day cohort.

data_through is 2026-01-13: a day-N value of cohort c is mature only when c+N (retention) or
c+N-1 (revenue windows) is on or before it, and is empty — never 0 — until then.
"""

from __future__ import annotations

import duckdb

from tests.views.helpers import D, by_dim, series


def test_retention_d1_d7_d30_per_cohort(con: duckdb.DuckDBPyConnection) -> None:
    d1 = series(con, "retention_d1", grain="cohort")
    # 01-05: u1 and u2 (00:00:01 event) back on 01-06 → 1.0; 01-06: only u3 of u3,u4,u5 on 01-07
    assert d1[D("2026-01-05")] == 1.0
    assert d1[D("2026-01-06")] == round(1 / 3, 6)
    assert d1[D("2026-01-08")] == 1.0
    assert d1[D("2026-01-12")] == 0.0  # mature (01-13 <= data_through), nobody came back
    assert d1[D("2026-01-07")] is None  # no cohort that day
    assert d1[D("2026-01-13")] is None  # cohort day = data_through: D1 is immature
    d7 = series(con, "retention_d7", grain="cohort")
    assert (d7[D("2026-01-05")], d7[D("2026-01-06")]) == (0.5, 0.0)  # u1 on 01-12; 01-13 mature, empty
    assert d7[D("2026-01-08")] is None  # immature cohort: NULL, not 0
    assert set(series(con, "retention_d30", grain="cohort").values()) == {None}


def test_retention_over_several_cohorts_sums_mature_cohorts_only(con: duckdb.DuckDBPyConnection) -> None:
    total = by_dim(con, ["retention_d1", "retention_d7"], by="channel")
    # douyin: cohorts 01-05 (u1,u2 both back) and 01-08 (u6 back) → 3/3; D7: only 01-05 mature → 1/2
    assert total["douyin"] == {"retention_d1": 1.0, "retention_d7": 0.5}
    # organic: u4, u5 (01-06), nobody on 01-07 → 0/2 for both
    assert total["organic"] == {"retention_d1": 0.0, "retention_d7": 0.0}
    all_ = con.execute("SELECT sum(retained_d1) / sum(size_d1), sum(retained_d7) / sum(size_d7) FROM cohort_daily")
    assert all_.fetchone() == (4 / 7, 1 / 5)


def test_revenue_windows_include_refunds_and_wait_for_maturity(con: duckdb.DuckDBPyConnection) -> None:
    rev7 = series(con, "revenue_7d", grain="cohort")
    # cohort 01-05 (u1): 30 + 30 - 30 (refund on 01-08, inside 01-05..01-11)
    assert rev7[D("2026-01-05")] == 30
    assert rev7[D("2026-01-06")] == 150  # u3 on 01-07
    assert rev7[D("2026-01-07")] == 0  # window 01-07..01-13 ends exactly on data_through: mature
    assert rev7[D("2026-01-08")] is None  # window 01-08..01-14 not over: u6's 20 is not shown yet
    rev1 = series(con, "revenue_1d", grain="cohort")
    assert (rev1[D("2026-01-05")], rev1[D("2026-01-06")], rev1[D("2026-01-08")]) == (30, 0, 0)
    assert series(con, "ltv_7d", grain="cohort")[D("2026-01-05")] == 15.0  # 30 / 2 users


def test_roi_is_cohort_revenue_over_spend_on_the_cohort_days(con: duckdb.DuckDBPyConnection) -> None:
    got = by_dim(con, ["roi_7d", "roas_7d", "net_roi_7d", "roi"], by="channel")
    # douyin: mature cohort days 01-05 (rev 30, spend 100) and 01-06 (no users, spend 100) → 30/200
    assert got["douyin"] == {"roi_7d": 0.15, "roas_7d": 0.15, "net_roi_7d": -0.85, "roi": 0.15}
    # xiaohongshu: 01-06 (150, 80) and 01-07 (0, 80) → 150/160
    assert got["xiaohongshu"]["roi_7d"] == 0.9375
    # organic has no spend: no ROI (its revenue never flatters the total either)
    assert got["organic"]["roi_7d"] is None
    (value,) = con.execute("SELECT sum(paid_revenue_7d) / sum(spend_7d) FROM cohort_daily").fetchone()
    assert value == 0.5  # (30 + 150) / (200 + 160)


def test_roi_by_campaign_and_per_cohort_day(con: duckdb.DuckDBPyConnection) -> None:
    roi7 = series(con, "roi_7d", grain="cohort", channels=["xiaohongshu"])
    assert (roi7[D("2026-01-07")], roi7[D("2026-01-08")]) == (0.0, None)  # mature on data_through; after: not
    roi1 = series(con, "roi_1d", grain="cohort", channels=["douyin"])
    assert roi1[D("2026-01-05")] == 0.3  # 30 paid on the signup day / 100
    assert roi1[D("2026-01-07")] is None  # paused: no spend, no users → no ROI
    got = by_dim(con, ["roi_7d"], by="campaign")
    assert got["douyin/c1"]["roi_7d"] == 0.15


def test_payer_conversion(con: duckdb.DuckDBPyConnection) -> None:
    pc = series(con, "payer_conversion_7d", grain="cohort")
    assert (pc[D("2026-01-05")], pc[D("2026-01-06")], pc[D("2026-01-08")]) == (0.5, round(1 / 3, 6), None)
    assert series(con, "payer_conversion_1d", grain="cohort")[D("2026-01-06")] == 0.0


def test_cohort_sizes_and_a_user_who_never_sent_an_event(con: duckdb.DuckDBPyConnection) -> None:
    sizes = series(con, "cohort_size", grain="cohort")
    assert sizes[D("2026-01-06")] == 3  # u5 never sent an event and still counts
    assert sizes[D("2026-01-07")] == 0
