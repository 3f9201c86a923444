"""kpis_periodic: weekly (ISO, Mon–Sun) and monthly indicators (周报 / 月报) on the fixture."""

from __future__ import annotations

import duckdb

from tests.views.helpers import series


def test_wau_and_mau_are_distinct_users_of_the_period(con: duckdb.DuckDBPyConnection) -> None:
    # 2026-W02 = 01-05..01-11: u1..u6; 2026-W03 (partial, to 01-13): u1, u7
    assert series(con, "wau", grain="week") == {"2026-W02": 6, "2026-W03": 2}
    assert series(con, "mau", grain="month") == {"2026-01": 7}


def test_weekly_money(con: duckdb.DuckDBPyConnection) -> None:
    assert series(con, "revenue", grain="week") == {"2026-W02": 180, "2026-W03": 20}
    assert series(con, "paying_users", grain="week") == {"2026-W02": 2, "2026-W03": 1}
    # W02: u1 (o1, o2) and u3 (o4, o5) both have two positive orders → 2/2; u1's refund does not undo it
    assert series(con, "repurchase_rate", grain="week") == {"2026-W02": 1.0, "2026-W03": 0.0}
    assert series(con, "arpu", grain="week") == {"2026-W02": 30.0, "2026-W03": 10.0}  # 180/6, 20/2
    assert series(con, "arppu", grain="week") == {"2026-W02": 90.0, "2026-W03": 20.0}


def test_monthly_indicators(con: duckdb.DuckDBPyConnection) -> None:
    assert series(con, "revenue", grain="month") == {"2026-01": 200}
    assert series(con, "paying_users", grain="month") == {"2026-01": 3}
    assert series(con, "repurchase_rate", grain="month") == {"2026-01": round(2 / 3, 6)}
    assert series(con, "paid_conversion", grain="month") == {"2026-01": round(3 / 7, 6)}
    assert series(con, "arpu", grain="month") == {"2026-01": round(200 / 7, 6)}


def test_stickiness_is_mean_dau_over_the_days_with_data_divided_by_mau(con: duckdb.DuckDBPyConnection) -> None:
    # DAU 2+5+1+2+1+0+0+2+0 = 13 over the 9 days 01-05..01-13 → 13/9; MAU 7 → 13/63
    assert series(con, "stickiness", grain="month") == {"2026-01": round(13 / 63, 6)}


def test_weekly_spend_rates_are_ratios_of_the_week_sums(con: duckdb.DuckDBPyConnection) -> None:
    # W02: spend 460, clicks 280, paid new users u1, u2, u3, u6 = 4
    assert series(con, "cac", grain="week") == {"2026-W02": 115.0, "2026-W03": None}
    assert series(con, "cpc", grain="week")["2026-W02"] == round(460 / 280, 6)
