"""The same rows in an Asia/Shanghai and a UTC warehouse: every day-boundary answer, both ways.

u2 signs up at 23:59:59 (naive) and comes back at 2026-01-05T16:00:01Z; u3 signs up at
2026-01-05T16:00:01Z. In Shanghai that is 01-06 00:00:01 for both; in UTC it is still 01-05.
"""

from __future__ import annotations

from opsplan.metrics.rollup import query_metrics
from opsplan.store.warehouse import Warehouse, read_connection, warehouse_timezone
from tests.views.helpers import D, plain

EXPECTED = {
    "Asia/Shanghai": {
        "new_users": [2, 3, 0, 1, 0, 0, 0, 1, 0],
        "dau": [2, 5, 1, 2, 1, 0, 0, 2, 0],
        "retention_d1": 4 / 7,  # (2 + 1 + 1 + 0) / (2 + 3 + 1 + 1)
        "revenue_0107": 150,  # 100 paid at 2026-01-07T15:59:59Z = 23:59:59 local
    },
    "UTC": {
        "new_users": [3, 2, 0, 1, 0, 0, 0, 1, 0],  # u3 is a 01-05 user in UTC
        "dau": [3, 3, 1, 2, 1, 0, 0, 2, 0],  # u2's return falls on 01-05; 01-06: u1, u4, u5
        "retention_d1": 2 / 7,  # 01-05: u1 of u1,u2,u3; 01-06: 0 of 2; 01-08: 1 of 1; 01-12: 0 of 1
        "revenue_0107": 150,
    },
}


def test_day_boundaries_in_both_zones(zoned_wh: Warehouse) -> None:
    tz = warehouse_timezone(zoned_wh)
    want = EXPECTED[tz]
    with read_connection(zoned_wh) as con:
        daily = query_metrics(con, ["new_users", "dau", "revenue"], grain="day")
        assert [int(v) for v in daily["new_users"]] == want["new_users"]
        assert [int(v) for v in daily["dau"]] == want["dau"]
        assert plain(daily.set_index("date").loc[D("2026-01-07"), "revenue"]) == want["revenue_0107"]
        (ret,) = con.execute("SELECT sum(retained_d1) / sum(size_d1) FROM cohort_daily").fetchone()
        assert ret == want["retention_d1"]
