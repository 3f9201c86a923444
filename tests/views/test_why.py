"""Why did it move (issue 12): a KPI's change split by channel into mix (share) and rate (own value), worked
out by hand. With exact inputs (Fractions) the parts add up to the total change exactly."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

import duckdb

from opsplan.metrics.decompose import between, decompose
from opsplan.metrics.measure import metric_info
from opsplan.report.why import sentence

# D1 retention by channel. Before: 抖音 40 of 100 retained (0.4), 小红书 30 of 100 (0.3): 70 / 200 = 0.35.
# After: 抖音 36 of 90 (0.4, the same), 小红书 12 of 60 (0.2): 48 / 150 = 0.32. Change -0.03.
# Shares (of the cohort): 抖音 0.5 → 0.6, 小红书 0.5 → 0.4.
#   抖音   mix  = (0.6 - 0.5) * (0.4 + 0.4) / 2 = +0.04     rate = 0
#   小红书 mix  = (0.4 - 0.5) * (0.3 + 0.2) / 2 = -0.025    rate = (0.2 - 0.3) * (0.5 + 0.4) / 2 = -0.045
#   sum: 0.04 - 0.025 - 0.045 = -0.03
BEFORE = {"douyin": (F(40), F(100)), "xiaohongshu": (F(30), F(100))}
AFTER = {"douyin": (F(36), F(90)), "xiaohongshu": (F(12), F(60))}


def test_mix_and_rate_add_up_to_the_change_exactly() -> None:
    dec = decompose(BEFORE, AFTER, is_ratio=True)
    assert (dec.before, dec.after, dec.change) == (F(35, 100), F(32, 100), F(-3, 100))
    by = {p.key: p for p in dec.parts}
    assert (by["douyin"].mix, by["douyin"].rate) == (F(4, 100), 0)
    assert (by["xiaohongshu"].mix, by["xiaohongshu"].rate) == (F(-25, 1000), F(-45, 1000))
    assert sum(p.mix + p.rate for p in dec.parts) == dec.change  # exactly: Fractions, no tolerance
    assert [p.key for p in dec.parts] == ["xiaohongshu", "douyin"]  # largest contribution first


def test_the_sentence_in_both_languages() -> None:
    dec = decompose(BEFORE, AFTER, is_ratio=True)
    info = metric_info("retention_d1")
    assert (
        sentence(dec, info, "zh") == "次日留存率 -3.0pp：小红书 -7.0pp（自身次日留存率下降），抖音 +4.0pp（占比上升）"
    )
    assert sentence(dec, info, "en") == (
        "D1 retention -3.0pp: Xiaohongshu -7.0pp (lower D1 retention), Douyin +4.0pp (larger share)"
    )


def test_a_sum_splits_into_each_parts_own_change() -> None:
    # DAU 1,000 → 920 (-8%): 小红书 400 → 340 (-60: -6 points of the -8%), 抖音 600 → 580 (-20: -2 points)
    dec = decompose(
        {"douyin": (600, None), "xiaohongshu": (400, None)}, {"douyin": (580, None), "xiaohongshu": (340, None)}, False
    )
    assert (dec.before, dec.after) == (1000, 920)
    assert [(p.key, p.mix, p.rate) for p in dec.parts] == [("xiaohongshu", 0, -60), ("douyin", 0, -20)]
    info = metric_info("dau")
    assert sentence(dec, info, "zh") == "日活(DAU) -8.0%：小红书 -6.0pp（少了 60），抖音 -2.0pp（少了 20）"
    assert sentence(dec, info, "en") == "DAU -8.0%: Xiaohongshu -6.0pp (60 fewer), Douyin -2.0pp (20 fewer)"


def test_a_channel_new_in_the_second_period_is_all_mix() -> None:
    # before: a alone, 10 of 100 (0.1). After: a the same, b new with 30 of 100 (0.3): 40 / 200 = 0.2.
    # b: share 0 → 0.5 at its own 0.3: mix +0.15. a: share 1 → 0.5 at 0.1: mix -0.05. Sum +0.1.
    dec = decompose({"a": (F(10), F(100))}, {"a": (F(10), F(100)), "b": (F(30), F(100))}, True)
    by = {p.key: p for p in dec.parts}
    assert (by["b"].mix, by["b"].rate, by["b"].before) == (F(15, 100), 0, None)
    assert (by["a"].mix, by["a"].rate) == (F(-5, 100), 0)
    assert sum(p.total for p in dec.parts) == dec.change == F(1, 10)


def test_no_data_in_a_period_is_said_not_hidden() -> None:
    dec = decompose({}, AFTER, True)
    assert sentence(dec, metric_info("retention_d1"), "zh") == "次日留存率 的变化无法拆解：前一期没有数据"
    assert sentence(dec, metric_info("retention_d1"), "en") == (
        "D1 retention's change cannot be split: the earlier period has no data"
    )


def test_new_users_between_two_fixture_days(con: duckdb.DuckDBPyConnection) -> None:
    """The fixture (Asia/Shanghai): 01-05 brings u1 and u2 (抖音); 01-06 u3 (小红书, 00:00:01 local), u4 (organic)
    and u5 (no channel, which counts as organic: docs/glossary.md). 2 → 3 new users (+50%): 抖音 -2 (-100
    points), organic +2 (+100 points), 小红书 +1 (+50 points)."""
    dec = between(con, "new_users", (dt.date(2026, 1, 5),) * 2, (dt.date(2026, 1, 6),) * 2)
    assert (dec.before, dec.after) == (2, 3)
    assert [(p.key, p.total) for p in dec.parts] == [("douyin", -2), ("organic", 2), ("xiaohongshu", 1)]
    assert sentence(dec, metric_info("new_users"), "zh") == (
        "新增用户 +50.0%：抖音 -100.0pp（少了 2），自然流量 +100.0pp（多了 2）"
    )
