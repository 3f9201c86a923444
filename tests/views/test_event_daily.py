"""event_daily: how often an event happens and how many users do it, per day (the plan's event metrics)."""

from __future__ import annotations

import duckdb

from opsplan.metrics.exports import event_counts
from tests.views.helpers import D


def test_app_open_per_day_with_empty_days(con: duckdb.DuckDBPyConnection) -> None:
    frame = event_counts(con, "app_open")
    got = {r.date: (int(r.events), int(r.users)) for r in frame.itertuples()}
    assert len(got) == 9  # every day 01-05..01-13
    # 01-05: u1 10:00; u2's 2026-01-05T16:00:01Z is 01-06 00:00:01 local → 01-06: u1, u2, u4
    assert got[D("2026-01-05")] == (1, 1)
    assert got[D("2026-01-06")] == (3, 3)
    assert got[D("2026-01-08")] == (2, 2)
    assert got[D("2026-01-10")] == (0, 0)


def test_distinct_users_by_channel(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "SELECT channel, sum(events), sum(users) FROM event_daily WHERE event_name = 'app_open' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert rows == [("douyin", 5, 5), ("kol", 1, 1), ("organic", 2, 2)]
