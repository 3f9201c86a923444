"""retention_periodic: ISO-week and month cohorts (retention_wN / retention_mN) on their own fixture.

UTC warehouse, data_through 2026-03-05 (the spend row). a1, a2 sign up in 2026-W02, a3 in W03,
a4 in W06 (February). A period counts only once it has ended on or before data_through.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from opsplan.metrics.exports import periodic_retention
from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse, read_connection
from tests.views.helpers import plain

USERS = """user_id,signup_at
a1,2026-01-05 09:00:00
a2,2026-01-07 09:00:00
a3,2026-01-14 09:00:00
a4,2026-02-02 09:00:00
"""
EVENTS = """user_id,event_at,event_name
a1,2026-01-13 10:00:00,app_open
a1,2026-01-27 10:00:00,app_open
a1,2026-02-10 10:00:00,app_open
a2,2026-01-20 10:00:00,app_open
a3,2026-01-19 10:00:00,app_open
a4,2026-03-02 10:00:00,app_open
"""
SPEND = "date,channel,spend\n2026-03-05,douyin,10\n"


@pytest.fixture(scope="module")
def wh(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    d: Path = tmp_path_factory.mktemp("periodic")
    wh = Warehouse(d / "w.duckdb")
    for table, text in (("users", USERS), ("events", EVENTS), ("ad_spend", SPEND)):
        (d / f"{table}.csv").write_text(text, encoding="utf-8")
        load(wh, table, [d / f"{table}.csv"], tz="UTC")
    return wh


def _rows(wh: Warehouse, grain: str) -> dict[str, list[object]]:
    with read_connection(wh) as con:
        frame = periodic_retention(con, grain)
    return {r["cohort"]: [plain(v) for v in r.drop("cohort").tolist()] for _, r in frame.iterrows()}


def test_week_cohorts(wh: Warehouse) -> None:
    got = _rows(wh, "week")
    # size, then w1..w12; W02 is mature through w7 (W09 ends 03-01), W03 through w6, W06 through w3
    assert got["2026-W02"] == [2, 0.5, 0.5, 0.5, 0.0, 0.5, 0.0, 0.0] + [None] * 5
    assert got["2026-W03"] == [1, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0] + [None] * 6
    assert got["2026-W06"] == [1, 0.0, 0.0, 0.0] + [None] * 9  # a4's March visit is in w4: not over yet


def test_month_cohorts(wh: Warehouse) -> None:
    got = _rows(wh, "month")
    assert got["2026-01"] == [3, round(1 / 3, 6)] + [None] * 11  # a1 in February; March is not over
    assert got["2026-02"] == [1] + [None] * 12


def test_weekly_retention_over_several_cohorts(wh: Warehouse) -> None:
    with read_connection(wh) as con:
        (w1,) = con.execute(
            "SELECT sum(retained) / sum(mature_size) FROM retention_periodic WHERE grain = 'week' AND period_offset = 1"
        ).fetchone()
    assert w1 == 0.5  # (1 + 1 + 0) / (2 + 1 + 1)
