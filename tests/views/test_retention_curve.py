"""retention_curve: the 0..30 day curve of each cohort, NULL past data_through."""

from __future__ import annotations

import duckdb

from tests.views.helpers import D


def test_curve_of_the_first_cohort(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        """SELECT day_offset, sum(retained), sum(mature_size) FROM retention_curve
           WHERE cohort_date = ? GROUP BY day_offset ORDER BY day_offset""",
        [D("2026-01-05")],
    ).fetchall()
    assert len(rows) == 31
    # day 0: both; 1: both; 2..6: nobody; 7 (01-12): u1; 8 (01-13): nobody; 9..30: immature (NULL)
    assert rows[:9] == [
        (0, 2, 2),
        (1, 2, 2),
        (2, 0, 2),
        (3, 0, 2),
        (4, 0, 2),
        (5, 0, 2),
        (6, 0, 2),
        (7, 1, 2),
        (8, 0, 2),
    ]
    assert all(r[1] is None and r[2] is None for r in rows[9:])


def test_day_zero_is_the_whole_cohort(con: duckdb.DuckDBPyConnection) -> None:
    (bad,) = con.execute(
        "SELECT count(*) FROM retention_curve WHERE day_offset = 0 AND retained <> cohort_size"
    ).fetchone()
    assert bad == 0
