"""user_last_active: silent users (沉默用户), not active for the last K days."""

from __future__ import annotations

import duckdb

from opsplan.metrics.exports import silent_users


def test_last_active_and_days_inactive(con: duckdb.DuckDBPyConnection) -> None:
    rows = dict(con.execute("SELECT user_id, days_inactive FROM user_last_active").fetchall())
    assert rows == {"u1": 1, "u2": 7, "u3": 6, "u4": 5, "u5": 7, "u6": 4, "u7": 1}


def test_silent_users_for_k_days(con: duckdb.DuckDBPyConnection) -> None:
    # K = 3: not active on 01-11, 01-12 or 01-13 → u2, u3, u4, u5, u6
    frame = silent_users(con, k=3)
    assert dict(zip(frame["channel"], frame["silent_users"], strict=True)) == {
        "douyin": 2,
        "organic": 2,
        "xiaohongshu": 1,
    }
    assert int(silent_users(con, k=14)["silent_users"].sum()) == 0
