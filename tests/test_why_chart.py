"""The "why did it move" waterfall (opsplan.charts.why): its bars' ends worked out by hand from small
decompositions (the ones of tests/views/test_why.py), its colours by the metric's direction, its words in both
languages, its numbers through opsplan.fmt."""

from __future__ import annotations

from fractions import Fraction as F

import pandas as pd
import pytest

from opsplan import fmt
from opsplan.charts import palette
from opsplan.charts.why import waterfall_chart, waterfall_frame
from opsplan.metrics.decompose import decompose
from opsplan.metrics.measure import metric_info

# D1 retention 0.35 → 0.32: 小红书 mix -0.025, rate -0.045; 抖音 mix +0.04, rate 0 (tests/views/test_why.py)
D1 = decompose(
    {"douyin": (F(40), F(100)), "xiaohongshu": (F(30), F(100))},
    {"douyin": (F(36), F(90)), "xiaohongshu": (F(12), F(60))},
    is_ratio=True,
)
# DAU 1,000 → 920: 小红书 -60, 抖音 -20
DAU = decompose(
    {"douyin": (600, None), "xiaohongshu": (400, None)}, {"douyin": (580, None), "xiaohongshu": (340, None)}, False
)


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return [
        (r.name, r.kind, pytest.approx(r.start), pytest.approx(r.end), r.tone, r.text, r.level, r.mix, r.rate)
        for r in frame.itertuples()
    ]


def test_a_rate_steps_through_each_parts_contribution_its_mix_and_rate_beside() -> None:
    # levels 0.35 → 0.28 (小红书 -0.07: share -0.025, own D1 -0.045) → 0.32 (抖音 +0.04, all share). Lowest 0.28,
    # highest 0.35, spread 0.07: the totals start at 0.28 - max(2 x 0.07, 0.028) = 0.14.
    frame = waterfall_frame(D1, metric_info("retention_d1"), "zh")
    assert _rows(frame) == [
        ("之前", "total", 0.14, 0.35, "total", "35.0%", "35.0%", "", ""),
        ("小红书", "part", 0.35, 0.28, "bad", "-7.0pp", "28.0%", "-2.5pp", "-4.5pp"),
        ("抖音", "part", 0.28, 0.32, "good", "+4.0pp", "32.0%", "+4.0pp", "+0.0pp"),
        ("之后", "total", 0.14, 0.32, "total", "32.0%", "32.0%", "", ""),
    ]
    en = waterfall_frame(D1, metric_info("retention_d1"), "en", periods=("7 days before", "Last 7 days"))
    assert list(en["name"]) == ["7 days before", "Xiaohongshu", "Douyin", "Last 7 days"]


def test_a_sum_takes_one_step_per_part() -> None:
    # 1,000 → 940 → 920; spread 80: the totals start at 920 - max(160, 92) = 760
    frame = waterfall_frame(DAU, metric_info("dau"), "en")
    assert _rows(frame) == [
        ("Before", "total", 760, 1000, "total", "1,000", "1,000", "", ""),
        ("Xiaohongshu", "part", 1000, 940, "bad", "-60", "940", "", ""),
        ("Douyin", "part", 940, 920, "bad", "-20", "920", "", ""),
        ("After", "total", 760, 920, "total", "920", "920", "", ""),
    ]


def test_the_smaller_parts_are_one_step_and_campaigns_go_by_their_names() -> None:
    # new users 17 → 21: a +5, b -2, c +1; top 1: a, then others -1. Levels 17, 22, 21: spread 5, floor 17 - 10.
    before = {"a": (10, None), "b": (5, None), "c": (2, None)}
    dec = decompose(before, {"a": (15, None), "b": (3, None), "c": (3, None)}, False)
    frame = waterfall_frame(dec, metric_info("new_users"), "zh", per="campaign", top=1, names={"a": "春日种草"})
    assert _rows(frame) == [
        ("之前", "total", 7, 17, "total", "17", "17", "", ""),
        ("春日种草", "part", 17, 22, "good", "+5", "22", "", ""),
        ("其他", "part", 22, 21, "bad", "-1", "21", "", ""),
        ("之后", "total", 7, 21, "total", "21", "21", "", ""),
    ]


def test_a_cost_going_up_is_bad_and_reads_in_money() -> None:
    # CAC ¥10 → ¥12 in one channel: its share did not move (1 → 1), its own CAC +¥2: red. Floor 10 - max(4, 1).
    dec = decompose({"douyin": (F(100), F(10))}, {"douyin": (F(120), F(10))}, True)
    frame = waterfall_frame(dec, metric_info("cac"), "en")
    assert _rows(frame) == [
        ("Before", "total", 6, 10, "total", "¥10.00", "¥10.00", "", ""),
        ("Douyin", "part", 10, 12, "bad", "+¥2.00", "¥12.00", "¥0.00", "+¥2.00"),
        ("After", "total", 6, 12, "total", "¥12.00", "¥12.00", "", ""),
    ]


def test_a_small_change_keeps_an_axis_its_labels_tell_apart() -> None:
    # CTR 2.00% → 2.01% (+0.01pp): twice the spread would leave an axis of 2.0%..2.01%, every tick "2.0%"; a
    # tenth of the level (0.2pp) is not enough either for ticks 0.1% apart: the axis spans 0.5pp, from 1.51%
    dec = decompose({"douyin": (F(200), F(10000))}, {"douyin": (F(201), F(10000))}, True)
    frame = waterfall_frame(dec, metric_info("ctr"), "zh")
    assert list(frame["start"]) == pytest.approx([0.0151, 0.02, 0.0151])
    assert list(frame["text"]) == ["2.0%", "+0.0pp", "2.0%"]


def test_a_large_change_keeps_the_axis_at_zero() -> None:
    # 2 → 3 new users: b new (+3) first, then a gone (-2). Levels 2, 5, 3: 2 - 2 x 3 < 0, so the totals start at 0
    dec = decompose({"a": (2, None)}, {"b": (3, None)}, False)
    frame = waterfall_frame(dec, metric_info("new_users"), "en")
    assert _rows(frame) == [
        ("Before", "total", 0, 2, "total", "2", "2", "", ""),
        ("b", "part", 2, 5, "good", "+3", "5", "", ""),
        ("a", "part", 5, 3, "bad", "-2", "3", "", ""),
        ("After", "total", 0, 3, "total", "3", "3", "", ""),
    ]


def test_no_value_in_a_period_draws_nothing() -> None:
    dec = decompose({}, {"douyin": (F(36), F(90))}, True)
    assert waterfall_frame(dec, metric_info("retention_d1"), "zh").empty
    assert waterfall_chart(dec, metric_info("retention_d1"), "zh") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_chart_bars_labels_and_colours(lang: str) -> None:
    spec = waterfall_chart(D1, metric_info("retention_d1"), lang).to_dict()
    bars, text = spec["layer"]
    assert (bars["mark"]["type"] if isinstance(bars["mark"], dict) else bars["mark"]) == "bar"
    enc = bars["encoding"]
    assert (enc["y"]["field"], enc["y2"]["field"]) == ("start", "end")
    assert enc["y"]["title"] == metric_info("retention_d1").label(lang)
    assert enc["y"]["axis"] == {"format": fmt.axis_format("percent"), "tickCount": 5}
    assert enc["y"]["scale"]["domain"] == pytest.approx([0.14, 0.35 + 0.21 * 0.15])  # room for the labels
    assert enc["x"]["axis"]["labelExpr"] == "length(datum.label) > 10 ? split(datum.label, ' ') : datum.label"
    assert enc["x"]["sort"] == list(waterfall_frame(D1, metric_info("retention_d1"), lang)["name"])
    colours = dict(zip(enc["color"]["scale"]["domain"], enc["color"]["scale"]["range"], strict=True))
    assert colours == palette.WATERFALL_COLORS
    titles = [tip["title"] for tip in enc["tooltip"]]
    assert titles == (
        ["项目", "变化", "累计到", "其中占比变化", "其中自身次日留存率变化"]
        if lang == "zh"
        else ["Step", "Change", "Running level", "of which its share", "of which its own D1 retention"]
    )
    assert text["encoding"]["text"]["field"] == "text" and text["mark"]["color"] == palette.INK
