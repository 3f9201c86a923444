"""funnel_daily: 曝光 → 点击 → 注册 → 激活 → 付费 with each step's conversion from the one before."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from opsplan.metrics.rollup import query_metrics
from opsplan.store.loading import set_event_roles
from opsplan.store.warehouse import Warehouse, read_connection
from tests.views.helpers import by_dim

STEPS = [
    "impressions",
    "clicks",
    "new_users",
    "activated",
    "paid_7d",
    "ctr",
    "signup_cvr",
    "activation_rate",
    "paid_rate_7d",
]


def test_funnel_total(con: duckdb.DuckDBPyConnection) -> None:
    row = query_metrics(con, STEPS, grain="total").iloc[0]
    # activated (any event but signup on c..c+1): all but u5 → 6 of 7 (every cohort is mature for it)
    # paid within 7 days, mature cohorts 01-05 and 01-06 only: u1, u3 → 2 of their 4 activated users
    assert [int(row[s]) for s in STEPS[:5]] == [51000, 310, 7, 6, 2]
    assert round(row["activation_rate"], 6) == round(6 / 7, 6)
    assert row["paid_rate_7d"] == 0.5


def test_funnel_by_channel(con: duckdb.DuckDBPyConnection) -> None:
    got = by_dim(con, STEPS, by="channel")
    assert got["douyin"]["activated"] == 3 and got["douyin"]["paid_rate_7d"] == 0.5  # u1 paid, u2 not
    assert got["organic"]["activation_rate"] == 0.5  # u4 yes, u5 never sent an event
    assert got["kol"]["paid_7d"] is None  # u7's 7-day window is still open


def test_activation_event_from_the_plan(fixture_wh: Warehouse, tmp_path: Path) -> None:
    """With activation_event = core_feature_a only u3 is activated."""
    wh = Warehouse(tmp_path / "copy.duckdb")
    shutil.copyfile(fixture_wh.path, wh.path)
    set_event_roles(wh, activation_event="core_feature_a")
    with read_connection(wh) as c:
        assert int(query_metrics(c, ["activated"], grain="total").iloc[0]["activated"]) == 1
