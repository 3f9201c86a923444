"""lifecycle_daily / lifecycle_periodic: new, returning, resurrected (召回), dormant users."""

from __future__ import annotations

import duckdb

from tests.views.helpers import D

COLS = "new_users, returning_users, resurrected_users, dormant_users"


def _daily(con: duckdb.DuckDBPyConnection) -> dict[object, tuple[int, ...]]:
    rows = con.execute(
        "SELECT date, sum(new_users), sum(returning_users), sum(resurrected_users), sum(dormant_users) "
        "FROM lifecycle_daily WHERE date <= ? GROUP BY date ORDER BY date",
        [D("2026-01-13")],
    ).fetchall()
    return {r[0]: tuple(int(v) for v in r[1:]) for r in rows}


def test_daily_states(con: duckdb.DuckDBPyConnection) -> None:
    got = _daily(con)
    assert got[D("2026-01-05")] == (2, 0, 0, 0)
    assert got[D("2026-01-06")] == (3, 2, 0, 0)  # u1, u2 came back the next day
    assert got[D("2026-01-07")] == (0, 1, 0, 4)  # u3 stays; u1, u2, u4, u5 drop off
    assert got[D("2026-01-08")] == (1, 0, 1, 1)  # u6 new, u4 resurrected, u3 dormant
    assert got[D("2026-01-09")] == (0, 1, 0, 1)
    assert got[D("2026-01-10")] == (0, 0, 0, 1)  # an empty day: only u6 going dormant
    assert D("2026-01-11") not in got  # nothing happened: no row (0 everywhere)
    assert got[D("2026-01-12")] == (1, 0, 1, 0)  # u7 new, u1 resurrected
    assert got[D("2026-01-13")] == (0, 0, 0, 2)


def test_weekly_states(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "SELECT period_start, sum(new_users), sum(returning_users), sum(resurrected_users), sum(dormant_users) "
        "FROM lifecycle_periodic WHERE grain = 'week' AND period_start <= ? GROUP BY ALL ORDER BY 1",
        [D("2026-01-13")],
    ).fetchall()
    # W02: all six active users signed up that week; W03: u7 new, u1 returning, u2..u6 dormant
    assert [tuple(int(v) for v in r[1:]) for r in rows] == [(6, 0, 0, 0), (1, 1, 0, 5)]


def test_lifecycle_metrics_roll_up_by_week_and_month_through_query_metrics(con) -> None:  # noqa: ANN001
    """The periodic lifecycle view through the same entry point the pages use (it has no `period` column)."""
    import datetime as dt

    from opsplan.metrics.rollup import query_metrics

    names = ["new_users", "returning_users", "resurrected_users", "dormant_users"]
    weekly = query_metrics(con, names, grain="week", start=dt.date(2026, 1, 5), end=dt.date(2026, 1, 13))
    assert list(weekly["week"]) == ["2026-W02", "2026-W03"]
    monthly = query_metrics(con, names, grain="month", start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    assert list(monthly["month"]) == ["2026-01"]
    assert int(monthly["new_users"].iloc[0]) == 7  # all seven fixture users signed up in January
