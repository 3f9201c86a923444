"""Budget: planned vs actual by category and channel, burn, pace and projection — worked out by hand.

Plan of 10 days (2026-01-01 .. 01-10), total 1000, reserve 10% → 900 to spend; acquisition 50% = 450,
split douyin 60% = 270 and xiaohongshu 40% = 180; retention 30% = 270 (no channels, no tracked spend);
brand a fixed amount of 100. Judged on 01-05: half the period gone.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from opsplan.plan.budget import budget_status
from tests.plan.helpers import day, plan_from

PLAN = plan_from(
    """\
plan: {name: 预算测试, start: 2026-01-01, end: 2026-01-10}
budget:
  total: 1000
  reserve: 0.10
  allocations:
    - {category: 拉新, share: 0.5, channels: {douyin: 0.6, xiaohongshu: 0.4}}
    - {category: 留存, share: 0.3}
    - {category: 品牌, amount: 100}
"""
)


def _spend(per_day: dict[str, float], days: int = 10) -> pd.DataFrame:
    rows = [
        (dt.date(2025, 12, 31) + dt.timedelta(days=i), channel, amount)
        for i in range(days)
        for channel, amount in per_day.items()
    ]
    return pd.DataFrame(rows, columns=["date", "channel", "spend"])


def test_pace_projection_and_over_pace_channels() -> None:
    # 30 a day on douyin, 15 on xiaohongshu, from 12-31 (before the plan: not counted) to 01-09
    result = budget_status(PLAN, _spend({"douyin": 30, "xiaohongshu": 15}), day("2026-01-05"))
    assert result is not None
    assert (result.total, result.reserve_amount, result.spendable, result.elapsed_share) == (1000, 100, 900, 0.5)
    lines = {(line.category, line.channel): line for line in result.lines}
    douyin = lines[("拉新", "douyin")]
    assert (douyin.planned, douyin.actual, douyin.projected) == pytest.approx((270, 150, 300))
    assert douyin.burn == pytest.approx(150 / 270)
    assert douyin.pace == pytest.approx(150 / 135) and douyin.over_pace  # 11% ahead of the straight line
    xhs = lines[("拉新", "xiaohongshu")]
    assert (xhs.planned, xhs.actual, xhs.pace, xhs.over_pace) == pytest.approx((180, 75, 75 / 90, False))
    acquisition = lines[("拉新", None)]
    assert (acquisition.planned, acquisition.actual, acquisition.projected) == pytest.approx((450, 225, 450))
    assert not acquisition.over_pace  # 225 / 225 = on pace
    retention = lines[("留存", None)]
    assert (retention.planned, retention.actual) == pytest.approx((270, None))
    assert lines[("品牌", None)].planned == 100
    assert result.actual == 225 and result.projected == pytest.approx(450)
    assert result.reserve_kept == pytest.approx(550)  # 1000 - 450 would be left at this pace
    assert result.over_pace_channels == ["douyin"]


def test_spend_on_a_channel_outside_the_plan_counts_in_the_total() -> None:
    result = budget_status(PLAN, _spend({"douyin": 27, "kol": 10}), day("2026-01-05"))
    assert result is not None
    assert result.actual == pytest.approx(5 * 37)
    assert result.over_pace_channels == []  # douyin 135 / 135 exactly on pace


def test_after_the_plan_ends_the_projection_is_the_actual() -> None:
    result = budget_status(PLAN, _spend({"douyin": 30}, days=15), day("2026-01-20"))
    assert result is not None
    assert result.elapsed_share == 1.0 and result.actual == 300 and result.projected == 300


def test_no_budget_means_no_budget_result() -> None:
    plan = plan_from("plan: {name: p, start: 2026-01-01, end: 2026-01-10}\n")
    assert budget_status(plan, _spend({"douyin": 1}), day("2026-01-05")) is None
