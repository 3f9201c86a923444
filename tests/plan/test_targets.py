"""Targets judged as PLAN.md says, on daily parts written by hand (every expected number worked out here).

The plan runs 10 days, 2026-01-01 .. 2026-01-10, and is judged on 2026-01-05 (5 days gone, 5 to go)
unless a test says otherwise.
"""

from __future__ import annotations

import pytest

from opsplan.metrics.measure import metric_info
from opsplan.plan.evaluate import Status, judge_target
from opsplan.plan.initiatives import judge_initiative
from opsplan.plan.model import Plan
from tests.plan.helpers import day, parts, plan_from

HEAD = "plan: {name: 测试计划, start: 2026-01-01, end: 2026-01-10, timezone: Asia/Shanghai}\n"


def _plan(targets: str) -> Plan:
    return plan_from(HEAD + "targets:\n" + targets)


def _month_plan(targets: str) -> Plan:
    """Level targets: a plan that runs all January, so a day in it is not the end (where on track = achieved)."""
    return plan_from(HEAD.replace("2026-01-10", "2026-01-31") + "targets:\n" + targets)


# --- cumulative: progress = actual / target, expected = elapsed share, forecast = actual + mean x remaining


@pytest.mark.parametrize(
    ("daily", "status", "actual", "forecast"),
    [
        ([20, 20, 20, 20, 20], Status.ACHIEVED, 100, 200),  # actual >= target
        ([10, 10, 10, 10, 10], Status.ON_TRACK, 50, 100),  # forecast 50 + 10 x 5 = 100 >= 100
        ([9, 9, 9, 9, 9], Status.AT_RISK, 45, 90),  # forecast 90 = 90% of the target: at risk
        ([9, 9, 9, 9, 8], Status.OFF_TRACK, 44, 88),  # 44 + 8.8 x 5 = 88 < 90
    ],
)
def test_cumulative_status_boundaries(daily: list[float], status: Status, actual: float, forecast: float) -> None:
    plan = _plan("  - {id: nu, metric: new_users, target: 100, kind: cumulative}\n")
    r = judge_target(plan.targets[0], metric_info("new_users"), parts("2026-01-01", daily), plan, day("2026-01-05"))
    assert r.status is status
    assert r.actual == actual and r.forecast == pytest.approx(forecast)
    assert r.expected == 50  # 100 x 5 / 10
    assert r.progress == pytest.approx(actual / 100)
    assert "新增用户累计" in r.reason("zh") and status.label("zh") in r.reason("zh")
    assert status.label("en") in r.reason("en")


def test_cumulative_forecast_uses_the_trailing_14_days_and_ignores_days_before_the_plan() -> None:
    # 20 days of data: 10 a day before the plan, then 5 a day; the plan runs 01-01 .. 01-31, judged 01-10
    plan = _month_plan("  - {id: nu, metric: new_users, target: 200, kind: cumulative}\n")
    data = parts("2025-12-22", [10] * 10 + [5] * 10)
    r = judge_target(plan.targets[0], metric_info("new_users"), data, plan, day("2026-01-10"))
    assert r.actual == 50  # only the plan's own days count
    # trailing 14 days 12-28 .. 01-10: 4 days of 10 and 10 days of 5 = 90, mean 90/14; 21 days remain
    assert r.forecast == pytest.approx(50 + 90 / 14 * 21)
    assert r.forecast == pytest.approx(185.0) and r.status is Status.AT_RISK  # 185 >= 90% of 200


def test_cumulative_series_has_the_actual_and_the_pace_line_per_day() -> None:
    plan = _plan("  - {id: nu, metric: new_users, target: 100, kind: cumulative}\n")
    r = judge_target(
        plan.targets[0], metric_info("new_users"), parts("2026-01-01", [10, 0, 30, 10, 5]), plan, day("2026-01-05")
    )
    s = r.series
    assert list(s["actual"][:5]) == [10, 10, 40, 50, 55] and s["actual"][5:].isna().all()
    assert list(s["expected"]) == pytest.approx([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    assert set(s["target"]) == {100}


# --- level: the trailing 7 days in the metric's direction; within 10% at risk, beyond off track


@pytest.mark.parametrize(
    ("value", "status"),
    [(100, Status.ON_TRACK), (90, Status.AT_RISK), (89, Status.OFF_TRACK)],
)
def test_level_count_is_the_mean_per_day_of_the_last_7_days(value: int, status: Status) -> None:
    plan = _month_plan("  - {id: dau, metric: dau, target: 100, kind: level}\n")
    # 7 days before the window at 50 a day, then the window 01-08 .. 01-14 averaging ``value``
    daily = [50] * 7 + [value - 3, value + 3, value, value, value, value, value]
    r = judge_target(plan.targets[0], metric_info("dau"), parts("2026-01-01", daily), plan, day("2026-01-14"))
    assert r.actual == pytest.approx(value) and r.status is status
    assert r.trend == pytest.approx((value - 50) / 50)  # week over week


@pytest.mark.parametrize(
    ("spend", "status"),
    [(500, Status.ON_TRACK), (550, Status.AT_RISK), (551, Status.OFF_TRACK)],
)
def test_level_lower_is_better_for_cac(spend: float, status: Status) -> None:
    """CAC over the window = Σspend / Σnew users (not the mean of daily CACs); target 50."""
    plan = _month_plan("  - {id: cac, metric: cac, target: 50, kind: level}\n")
    # 7 days, spend split unevenly over them, 10 new users in all
    nums = [spend * 0.4, spend * 0.1, spend * 0.1, spend * 0.1, spend * 0.1, spend * 0.1, spend * 0.1]
    dens = [1, 2, 1, 2, 1, 2, 1]  # 10 new users
    r = judge_target(plan.targets[0], metric_info("cac"), parts("2026-01-01", nums, dens), plan, day("2026-01-07"))
    assert r.actual == pytest.approx(spend / 10) and r.status is status


def test_level_cohort_metric_uses_the_7_latest_mature_cohorts() -> None:
    """D1 retention judged on 01-10: cohorts 01-03 .. 01-09 (the 01-10 cohort is immature, NULL)."""
    plan = _month_plan("  - {id: d1, metric: retention_d1, target: 0.40, kind: level}\n")
    nums = [0, 0, 4, 4, 4, 4, 4, 4, 6, None]
    dens = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10]
    r = judge_target(
        plan.targets[0], metric_info("retention_d1"), parts("2026-01-01", nums, dens), plan, day("2026-01-10")
    )
    assert r.actual == pytest.approx(30 / 70)  # 4 x 6 + 6 over 70
    assert r.status is Status.ON_TRACK


def test_level_without_mature_data_is_no_data() -> None:
    plan = _month_plan("  - {id: d1, metric: retention_d1, target: 0.40, kind: level}\n")
    r = judge_target(
        plan.targets[0], metric_info("retention_d1"), parts("2026-01-01", [None], [10]), plan, day("2026-01-01")
    )
    assert r.status is Status.NO_DATA and r.actual is None


# --- relative: target = baseline x (1 + change)


def test_relative_target_against_a_given_baseline() -> None:
    """CAC 降低15% from 62: the target is 52.70; a window CAC of 53 is within 10% → at risk."""
    plan = _month_plan("  - {id: cac, metric: cac, scope: {channel: douyin}, change: -0.15, baseline: 62.0}\n")
    t = plan.targets[0]
    assert t.kind.value == "relative"
    r = judge_target(t, metric_info("cac"), parts("2026-01-01", [530] * 7, [10] * 7), plan, day("2026-01-07"))
    assert r.target == pytest.approx(52.7) and r.actual == pytest.approx(53.0)
    assert r.status is Status.AT_RISK and r.scope == {"channel": "douyin"}
    assert "基线 ¥62.00 降低15.0%" in r.reason("zh")


def test_relative_target_against_a_baseline_period() -> None:
    """次日留存提升5%: baseline = D1 over 01-01 .. 01-03 = 12/40 = 0.30 → target 0.315."""
    plan = _month_plan(
        "  - {id: d1, metric: retention_d1, change: 0.05,\n"
        "     baseline_period: {start: 2026-01-01, end: 2026-01-03}}\n"
    )
    nums = [3, 5, 4, 3, 3, 3, 3, 3, 3, 4, None]
    dens = [10, 20, 10, 10, 10, 10, 10, 10, 10, 10, 10]
    r = judge_target(
        plan.targets[0], metric_info("retention_d1"), parts("2026-01-01", nums, dens), plan, day("2026-01-11")
    )
    assert r.target == pytest.approx(0.315)
    assert r.actual == pytest.approx(22 / 70)  # cohorts 01-04 .. 01-10
    assert r.status is Status.AT_RISK  # 0.3143 < 0.315 but within 10%


# --- initiatives: the measuring metric over the initiative's own dates and scope


def _initiative(line: str):  # noqa: ANN202
    plan = plan_from(HEAD + "initiatives:\n" + line)
    return plan.initiatives[0]


def test_initiative_counts_only_its_own_dates() -> None:
    i = _initiative(
        "  - {module: 增长, name: 春节活动, owner: 张三, start: 2026-01-03, end: 2026-01-06,\n"
        "     metric: new_users, target: 30}\n"
    )
    data = parts("2026-01-01", [100, 100, 10, 10, 10, 10, 100, 100, 100, 100])
    done = judge_initiative(i, metric_info("new_users"), data, day("2026-01-08"))
    assert (done.state, done.actual, done.status) == ("finished", 40, Status.ACHIEVED)
    assert done.progress == pytest.approx(40 / 30) and done.elapsed == 1.0
    running = judge_initiative(i, metric_info("new_users"), data, day("2026-01-04"))
    # 2 of 4 days gone, 20 so far: at that pace 40 >= 30
    assert (running.state, running.actual, running.elapsed, running.status) == ("running", 20, 0.5, Status.ON_TRACK)
    slow = judge_initiative(i, metric_info("new_users"), parts("2026-01-01", [100, 100, 5, 8]), day("2026-01-04"))
    # 13 in half the time: pace 26 < 27 (90% of 30) → off track
    assert slow.status is Status.OFF_TRACK
    early = judge_initiative(i, metric_info("new_users"), data, day("2026-01-02"))
    assert early.state == "not_started" and early.actual is None and early.reason_zh == "尚未开始"


def test_initiative_rate_is_the_window_value_over_its_dates() -> None:
    i = _initiative(
        "  - {module: 留存, name: 新人引导, owner: 王五, start: 2026-01-02, end: 2026-01-04, metric: retention_d1,"
        " target: 0.5}\n"
    )
    data = parts("2026-01-01", [1, 5, 6, 4, 9], [10, 10, 10, 10, 10])
    r = judge_initiative(i, metric_info("retention_d1"), data, day("2026-01-09"))
    assert r.actual == pytest.approx(0.5) and r.status is Status.ACHIEVED


def test_a_level_target_met_on_the_last_day_is_achieved() -> None:
    plan = _plan("  - {id: dau, metric: dau, target: 100, kind: level}\n")
    r = judge_target(plan.targets[0], metric_info("dau"), parts("2026-01-01", [100] * 10), plan, day("2026-01-10"))
    assert r.status is Status.ACHIEVED
