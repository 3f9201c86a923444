"""The explore pages (渠道 channels, 留存 retention, 用户 users) under AppTest on the hand-computed fixture
(tests/views/fixture_data.py, 01-05 .. 01-13 Asia/Shanghai; the default range is all of it).

Per channel: douyin/c1 spends 100, 100, 50, 50, 40 = 340 on 01-05, 06, 08, 09, 12 (impressions 34,000,
clicks 100, 50, 25, 25, 20 = 220), new users u1, u2 (01-05), u6 (01-08); xiaohongshu/c2 spends 80, 80, 10 =
170 on 01-06, 07, 13 (impressions 17,000, clicks 40, 40, 10 = 90), new user u3 (01-06); organic u4, u5
(01-06); kol u7 (01-12). The previous period of the default range (12-27 .. 01-04) has nothing.
Last active day: u1 01-12, u2 01-06, u3 01-07, u4 01-08, u5 01-06 (signup, no event), u6 01-09, u7 01-12.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from opsplan.screens.explore import channel_table

App = Callable[..., AppTest]
D = dt.date


def _ok(at: AppTest) -> None:
    assert not at.exception
    assert [e.value for e in at.error] == []


def _charts(at: AppTest) -> list:
    return list(at.get("vega_lite_chart"))


def _spec(chart) -> dict:  # noqa: ANN001 - AppTest's element
    return json.loads(chart.proto.spec)


def _data(chart) -> list[pd.DataFrame]:  # noqa: ANN001
    """The frames of a chart, in the order of its layers' datasets."""
    return [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]


def _chart_with(at: AppTest, column: str):  # noqa: ANN202 - AppTest's element
    """The first chart one of whose datasets has ``column`` (the page's charts by what they draw, not position)."""
    return next(c for c in _charts(at) if any(column in f.columns for f in _data(c)))


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# ── channels ────────────────────────────────────────────────────────────────────────────────────────────


def test_channels_table_has_every_column_formatted_per_the_registry(app: App) -> None:
    at = app("pages/channels.py")
    _ok(at)
    table = at.dataframe[0].value.set_index("渠道")
    assert list(table.index) == ["抖音", "小红书", "自然流量", "KOL"]  # by spend, then new users
    douyin = table.loc["抖音"]
    assert douyin[["花费", "曝光量", "点击率(CTR)", "点击量", "注册转化率", "新增用户", "获客成本(CAC)"]].tolist() == [
        "¥340.00",
        "34,000",
        "0.6%",  # 220 / 34,000
        "220",
        "1.4%",  # 3 / 220
        "3",
        "¥113.33",  # 340 / 3
    ]
    # 7-day: only cohorts 01-05 .. 01-07 are mature on 01-13; douyin's 01-05 cohort: u1 pays 30 + 30 - 30 = 30,
    # against the spend of 01-05 .. 01-07 (200) → 0.15. No cohort is 30 days old: empty, not 0.
    assert douyin[["7日收入", "7日ROI(投入产出比)", "30日收入", "30日ROI(投入产出比)"]].tolist() == [
        "¥30.00",
        "0.15",
        "—",
        "—",
    ]
    assert table.loc["小红书", ["花费", "新增用户", "7日收入"]].tolist() == ["¥170.00", "1", "¥150.00"]  # u3: 100 + 50
    assert table.loc["抖音", "Δ 花费"] == "—"  # nothing in the previous period
    # money first: spend, 7-day ROI (the stop-loss metric), CAC, then the rest; each Δ right after its metric
    assert list(table.columns[:7]) == [
        "止损",
        "花费",
        "Δ 花费",
        "7日ROI(投入产出比)",
        "Δ 7日ROI(投入产出比)",
        "获客成本(CAC)",
        "Δ 获客成本(CAC)",
    ]
    assert [c for c in table.columns if c.startswith("Δ")] == [
        "Δ 花费",
        "Δ 7日ROI(投入产出比)",
        "Δ 获客成本(CAC)",
        "Δ 新增用户",
        "Δ 注册转化率",
        "Δ 点击率(CTR)",
    ]


def test_channels_compare_with_the_previous_period_of_the_same_length(app: App) -> None:
    at = app("pages/channels.py", lang="en", range=(D(2026, 1, 10), D(2026, 1, 13)))
    _ok(at)
    table = at.dataframe[0].value.set_index("Channel")
    assert "2026-01-06 – 2026-01-09" in " ".join(c.value for c in at.caption)
    # douyin now 40 (01-12) vs 100 + 50 + 50 = 200 (01-06 .. 01-09): -80.0%; CTR 20/4,000 vs 100/20,000: both 0.5%
    assert table.loc["Douyin", ["Spend", "Δ Spend", "CTR", "Δ CTR"]].tolist() == ["¥40.00", "-80.0%", "0.5%", "+0.0pp"]
    # xiaohongshu now 10 vs 160: -93.75%; CTR 10/1,000 = 1.0% vs 80/16,000 = 0.5%: +0.5 points
    assert table.loc["Xiaohongshu", ["Δ Spend", "CTR", "Δ CTR"]].tolist() == ["-93.8%", "1.0%", "+0.5pp"]


def test_channels_changes_are_toned_by_the_metrics_direction() -> None:
    """Green when better, red when worse, by the registry's direction: CTR up is good, CAC up is bad, spend is
    neither; no change or no previous value has no tone."""
    rows = pd.DataFrame(
        {
            "channel": ["douyin", "xiaohongshu"],
            "ctr": [0.01, 0.004],
            "ctr_prev": [0.005, 0.004],
            "cac": [12.0, 8.0],
            "cac_prev": [10.0, None],
            "spend": [100.0, 50.0],
            "spend_prev": [50.0, 80.0],
        }
    )
    table, tones = channel_table(rows, ["spend", "cac", "ctr"], ["spend", "cac", "ctr"], "channel", "en")
    assert tones == {
        "Δ Spend": ["", ""],
        "Δ CAC": ["bad", ""],
        "Δ CTR": ["good", ""],
    }
    assert table["Δ CAC"].tolist() == ["+20.0%", "—"] and table["Δ CTR"].tolist() == ["+0.5pp", "+0.0pp"]


def test_channels_drill_down_channel_campaign_day_cohort_with_phases(app: App) -> None:
    """Each level a click on a row opens (the click itself is in tests/e2e/test_drill.py): a row's pick sets the
    filters' session state exactly as set here; Back buttons step up."""
    at = app("pages/channels.py", lang="en")
    _ok(at)
    at.session_state["channel"] = "douyin"
    at.run()
    _ok(at)
    assert at.subheader[0].value == "Campaigns of Douyin"
    campaigns = at.dataframe[0].value
    assert campaigns[["Campaign", "Name", "Spend", "New users"]].values.tolist() == [
        ["c1", "春日探索·抖音", "¥340.00", "3"]
    ]
    spend_chart = _chart_with(at, "phase")  # the daily spend over the campaign's phase bands
    bands, line = _data(spend_chart)
    # c1 is in its burst phase 01-05 .. 01-31, clipped to the range: 01-05 00:00 .. the midnight after 01-13
    assert bands[["name", "phase", "phase_label"]].values.tolist() == [["春日探索·抖音", "burst", "Burst"]]
    assert (bands["start"].iloc[0], bands["stop"].iloc[0]) == (pd.Timestamp(2026, 1, 5), pd.Timestamp(2026, 1, 14))
    assert _spec(spend_chart)["layer"][0]["mark"]["type"] == "rect"  # behind the line

    at.session_state["campaign"] = "c1"
    at.run()
    _ok(at)
    assert at.subheader[0].value == "Campaign 春日探索·抖音"
    days = at.dataframe[0].value  # the latest day first: a click on a row opens that day's cohort
    assert days["Spend"].tolist() == [
        "¥0.00", "¥40.00", "¥0.00", "¥0.00", "¥50.00", "¥50.00", "¥0.00", "¥100.00", "¥100.00",
    ]  # fmt: skip
    assert days["New users"].tolist() == ["0", "0", "0", "0", "0", "1", "0", "0", "2"]

    at.session_state["drill_day"] = D(2026, 1, 5)
    at.run()
    _ok(at)
    assert at.subheader[0].value == "Cohort of 2026-01-05 · Douyin · 春日探索·抖音"
    # u1 pays 30 on day 0 and 30 on day 1, 30 is refunded on day 3; u2 never pays; the day's spend is 100
    assert _metrics(at) == {
        "New users": "2",
        "Spend that day": "¥100.00",
        "CAC": "¥50.00",
        "Payers": "1",
        "Orders": "2",
        "Refunds": "1",
        "Revenue to date": "¥30.00",
        "ROI to date": "0.30",
    }
    by_day = at.dataframe[0].value
    assert by_day["Day N"].tolist() == [str(n) for n in range(9)]  # data through 01-13: days 0 .. 8 reached
    assert by_day["Revenue to date"].tolist()[:4] == ["¥30.00", "¥60.00", "¥60.00", "¥30.00"]
    assert by_day["ROI to date"].tolist()[:4] == ["0.30", "0.60", "0.60", "0.30"]
    assert by_day["Retention"].tolist()[:2] == ["100.0%", "100.0%"] and by_day["Retention"].iloc[7] == "50.0%"
    users = at.dataframe[1].value
    assert users["User ID"].tolist() == ["u1", "u2"]  # u1 last active 01-12, u2 01-06
    assert users["Last active"].tolist() == ["2026-01-12", "2026-01-06"]
    curve = _data(_charts(at)[0])[0]
    assert curve["roi"].round(6).tolist()[:9] == [0.3, 0.6, 0.6, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]

    at.button(key="drill-up").click().run()  # back to the campaign's days
    _ok(at)
    assert at.subheader[0].value == "Campaign 春日探索·抖音" and "drill_day" not in at.session_state
    at.button(key="drill-up").click().run()  # back to the channel
    _ok(at)
    assert at.session_state["campaign"] == "all" and at.subheader[0].value == "Campaigns of Douyin"


def test_channels_roi_by_cohort_day_is_clickable_with_the_break_even_line(app: App) -> None:
    at = app("pages/channels.py", lang="en")
    _ok(at)
    chart = _charts(at)[0]
    frames = _data(chart)
    points = next(f for f in frames if "roi_7d" in f.columns)
    got = {(r.item, r.day): round(r.roi_7d, 6) for r in points.itertuples()}
    # mature 7-day cohorts (01-05 .. 01-07; data through 01-13): douyin 01-05 (60 - 30 refunded) / 100, 01-06 no
    # users / 100; xiaohongshu 01-06 u3's 150 / 80, 01-07 nothing / 80
    assert got == {
        ("douyin", "2026-01-05"): 0.3,
        ("douyin", "2026-01-06"): 0.0,
        ("xiaohongshu", "2026-01-06"): 1.875,
        ("xiaohongshu", "2026-01-07"): 0.0,
    }
    spec = _spec(chart)
    params = spec.get("params", []) + [p for layer in spec["layer"] for p in layer.get("params", [])]
    pick = next(p for p in params if p["name"] == "cohort_pick")
    assert pick["select"]["fields"] == ["day", "item"] and pick["select"]["on"] == "click"
    assert any(f.get("label", pd.Series()).tolist() == ["1.0 break-even"] for f in frames)
    assert any("The plan has no stop-loss rule on 7-day ROI." in c.value for c in at.caption)


def test_channels_funnel_by_channel_beside_the_funnel(app: App) -> None:
    at = app("pages/channels.py", lang="en")
    _ok(at)
    rates = _data(_charts(at)[-1])[0]
    got = {(r.name, r.rate): r.text for r in rates.itertuples()}
    # douyin 220 clicks / 34,000 impressions, 3 new users / 220 clicks; xiaohongshu 90 / 17,000, 1 / 90
    assert got[("Douyin", "ctr")] == "0.6%" and got[("Xiaohongshu", "ctr")] == "0.5%"
    assert got[("Douyin", "signup_cvr")] == "1.4%" and got[("Xiaohongshu", "signup_cvr")] == "1.1%"


def test_channels_funnel_uses_the_registry_rates(app: App) -> None:
    at = app("pages/channels.py")
    _ok(at)
    funnel = _data(_charts(at)[-2])[0]  # the funnel of all; beside it, its rates by channel
    # 51,000 impressions → 310 clicks (0.6%) → 7 new users (signup CVR: the 4 of paid channels / 310 = 1.3%)
    # → 6 activated of 7 mature (u5 never acts: 85.7%) → 2 paid in 7 days (u1, u3) of the 4 activated in
    # mature cohorts 01-05 .. 01-07 (u1, u2, u3, u4): 50.0%
    assert funnel["text"].tolist() == [
        "51,000",
        "310  ·  点击率(CTR) 0.6%",
        "7  ·  注册转化率 1.3%",
        "6  ·  激活率 85.7%",
        "2  ·  激活→付费转化率 50.0%",
    ]
    # linear: each bar is its step's share of the 51,000 impressions (310 clicks: 0.6% of the width, not most of it)
    assert funnel["share"].tolist() == pytest.approx([1.0, 310 / 51_000, 7 / 51_000, 6 / 51_000, 2 / 51_000])
    scale = _spec(_charts(at)[-2])["layer"][0]["encoding"]["x"]["scale"]
    assert scale["type"] == "linear" and scale["domain"][0] == 0 and 1 < scale["domain"][1] < 1.5  # room for a label


def test_channels_colours_are_the_channels_own(app: App) -> None:
    from opsplan.charts.palette import CHANNEL_COLORS

    at = app("pages/channels.py", lang="en")
    _ok(at)
    scale = _spec(_chart_with(at, "spend"))["layer"][0]["encoding"]["color"]["scale"]  # the daily spend by channel
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours["Douyin"] == CHANNEL_COLORS["douyin"] and colours["Xiaohongshu"] == CHANNEL_COLORS["xiaohongshu"]


# ── retention ───────────────────────────────────────────────────────────────────────────────────────────


def _table(at: AppTest) -> pd.DataFrame:
    """The retention table as the page shows it, indexed by its cohort label."""
    frame = at.dataframe[0].value
    return frame.set_index(frame.columns[0])


def test_retention_table_by_day_has_a_percentage_in_every_reached_cell(app: App) -> None:
    at = app("pages/retention.py", lang="en")
    _ok(at)
    cards = _metrics(at)
    # D1: 01-05 2/2, 01-06 1/3 (u3), 01-08 1/1, 01-12 0/1 → 4/7; D7: 01-05 1/2 (u1 on 01-12), 01-06 0/3 → 1/5
    assert (cards["Cohort size"], cards["D1 retention"], cards["D7 retention"], cards["D30 retention"]) == (
        "7",
        "57.1%",
        "20.0%",
        "—",
    )
    table = _table(at)
    assert list(table.columns) == ["Cohort users", *(f"Day {n}" for n in range(31))]
    assert list(table.index) == ["2026-01-05", "2026-01-06", "2026-01-08", "2026-01-12"]  # every label
    assert list(table["Cohort users"]) == ["2", "3", "1", "1"]
    assert table.loc["2026-01-05", "Day 0"] == "100.0%"
    assert table.loc["2026-01-05", "Day 1"] == "100.0%"
    assert table.loc["2026-01-06", "Day 1"] == "33.3%"
    assert table.loc["2026-01-05", "Day 7"] == "50.0%"  # u1 on 01-12
    assert table.loc["2026-01-12", "Day 1"] == "0.0%"  # 01-13 has happened: a real 0
    assert table.loc["2026-01-12", "Day 2"] == ""  # 01-14 has not: empty, not 0%
    assert table.loc["2026-01-05", "Day 9"] == ""  # 01-14 again


def test_retention_table_by_week_and_month_has_period_n_columns(app: App) -> None:
    at = app("pages/retention.py", lang="zh", retention_grain="week")
    _ok(at)
    table = _table(at)
    # week columns 0..12, not day 0..30
    assert list(table.columns) == ["同期群人数", *(f"第{n}周" for n in range(13))]
    # W02 (01-05 .. 01-11): u1, u2, u3, u4, u5, u6 sign up, all active in their signup week; W03 (01-12): u7,
    # a week the data covers in part (01-12, 01-13 of 7 days): marked "*"
    assert list(table.index) == ["2026-W02", "2026-W03*"] and list(table["同期群人数"]) == ["6", "1"]
    assert table.loc["2026-W02", "第0周"] == "100.0%"
    # week 1 of W02 ends 01-18, after the data (01-13): not over, so empty; W03's own week 0 is not over either
    assert table.loc["2026-W02", "第1周"] == "" and table.loc["2026-W03*", "第0周"] == ""
    assert "2026-W03 2/7 天" in " ".join(c.value for c in at.caption)
    curves = _data(_charts(at)[0])[0].set_index(["channel", "day_offset"])
    # douyin D1: u1, u2 (01-05) and u6 (01-08) all come back the next day: 3/3
    assert curves.loc[("douyin", 1), "rate"] == 1.0 and curves.loc[("douyin", 1), "channel_label"] == "抖音"
    assert curves.loc[("xiaohongshu", 1), "rate"] == 1.0  # u3 on 01-07
    trend = _data(_charts(at)[1])[0]
    d1 = trend[trend["metric"] == "次日留存率"].set_index("cohort")["rate"]
    assert d1[pd.Timestamp(2026, 1, 6)] == pytest.approx(1 / 3)
    monthly = _table(app("pages/retention.py", lang="en", retention_grain="month"))
    assert list(monthly.columns) == ["Cohort users", *(f"Month {n}" for n in range(13))]
    assert list(monthly.index) == ["2026-01*"] and monthly.loc["2026-01*", "Cohort users"] == "7"
    assert monthly.loc["2026-01*", "Month 0"] == ""  # January is not over on 01-13


# ── users ───────────────────────────────────────────────────────────────────────────────────────────────


def test_users_cards_lifecycle_and_profile(app: App) -> None:
    at = app("pages/users.py", lang="en")
    _ok(at)
    cards = _metrics(at)
    # DAU of 01-13: nobody; WAU of W02, the last complete week (W03 has 2 of 7 days): u1 .. u6 (signing up counts
    # as active); MAU of January (partial, no complete month in the range): all seven; mean DAU 13/9 / 7
    assert (cards["DAU"], cards["WAU"], cards["MAU"], cards["Stickiness (DAU/MAU)"]) == ("0", "6", "7", "20.6%")
    assert any("DAU of 2026-01-13, WAU of 2026-W02, MAU and stickiness of 2026-01" in c.value for c in at.caption)
    life = _data(_charts(at)[1])[0].set_index(["week", "state"])["users"]
    # W02: 6 sign up (signing up counts as active); W03: u7 new, u1 back from W02; dormant: the 6 of W02
    # less u1 → 5, drawn below the axis
    assert life[("2026-W02", "New users")] == 6
    assert (life[("2026-W03", "New users")], life[("2026-W03", "Returning users")]) == (1, 1)
    assert life[("2026-W03", "Dormant users")] == -5
    # profile: the fixture has region and gender only; January's regions of the 7 new users
    assert at.button_group(key="profile_attribute").options == ["Region", "Gender"]
    profile = at.dataframe[0].value.set_index("Region")["2026-01 (partial: 9 of 31 days)"]  # data from 01-05 to 01-13
    assert profile.to_dict() == {"上海": "28.6%", "北京": "28.6%", "四川": "14.3%", "广东": "14.3%", "浙江": "14.3%"}


def test_users_profile_by_gender_for_one_channel_in_chinese(app: App) -> None:
    at = app("pages/users.py", lang="zh", channel="douyin", profile_attribute="gender")
    _ok(at)
    # douyin's new users: u1 女, u2 男, u6 女
    profile = at.dataframe[0].value.set_index("性别")["2026-01（部分：9/31 天）"]
    assert profile.to_dict() == {"女": "66.7%", "男": "33.3%"}


def test_users_silent_days_from_the_plan(app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "plan.yaml"
    fixture = Path(__file__).with_name("fixture_plan.yaml").read_text(encoding="utf-8")
    plan.write_text(fixture + "settings: {silent_days: 5}\n", encoding="utf-8")
    monkeypatch.setenv("OPSPLAN_PLAN", str(plan))
    at = app("pages/users.py", lang="en")
    _ok(at)
    # inactive 5+ days on 01-13: u2 (since 01-06, douyin), u3 (01-07, xiaohongshu), u4 (01-08), u5 (01-06, organic)
    assert "Silent users (inactive 5+ days)" in [s.value for s in at.subheader]
    assert _metrics(at)["Silent users in all"] == "4"
    silent = _data(_charts(at)[2])[0].set_index("channel")["silent_users"].to_dict()
    assert silent == {"douyin": 1, "organic": 2, "xiaohongshu": 1}


# ── users: partial weeks and months (data 01-05 Mon .. 01-13 Tue: W02 whole, W03 2 of 7 days, January 9 of 31) ──


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_users_cards_show_the_last_complete_week_and_mark_the_partial_one(app: App) -> None:
    at = app("pages/users.py", lang="zh")
    _ok(at)
    cards = _metrics(at)
    # data_through 01-13 is a Tuesday: the WAU card shows W02 (01-05 .. 01-11), whose active users are u1 .. u6
    # (all six sign up that week), not W03's two (u1, u7)
    assert cards["周活(WAU)"] == "6"
    captions = _captions(at)
    assert any("周活为 2026-W02" in c for c in captions)
    assert not any("2026-W03 仅" in c for c in captions)  # the week shown is whole: nothing to say
    # January starts before the first day of data (01-05): the range holds no whole month, so MAU shows it and says so
    assert captions.count("部分：9/31 天") == 2  # under the MAU and the stickiness cards
    assert any("2026-01 仅 9/31 天" in c for c in captions)
    # the lifecycle chart: W03 pale, "*" on its axis label, its days in the tooltip and the caption
    chart = _charts(at)[1]
    life = _data(chart)[0].drop_duplicates("week").set_index("week")
    assert life["partial"].to_dict() == {"2026-W02": False, "2026-W03": True}
    assert life["week_axis"].to_dict() == {"2026-W02": "2026-W02", "2026-W03": "2026-W03*"}
    assert life.loc["2026-W03", "week_label"] == "2026-W03（部分：2/7 天）"
    spec = _spec(chart)
    assert spec["encoding"]["x"]["field"] == "week_axis"
    assert spec["encoding"]["opacity"]["condition"] == {"test": "datum.partial", "value": 0.4}
    assert any("* 部分周：2026-W03 2/7 天" in c for c in captions)


def test_users_range_with_only_a_partial_week_says_how_many_days(app: App) -> None:
    at = app("pages/users.py", lang="zh", range=(D(2026, 1, 12), D(2026, 1, 13)))
    _ok(at)
    # W03 alone: u1 (01-12) and u7 (01-12)
    assert _metrics(at)["周活(WAU)"] == "2"
    captions = _captions(at)
    assert captions.count("部分：2/7 天") == 1  # under the WAU card
    assert any("周活为 2026-W03" in c and "2026-W03 仅 2/7 天" in c for c in captions)


def test_users_partial_periods_in_english(app: App) -> None:
    at = app("pages/users.py", lang="en", range=(D(2026, 1, 12), D(2026, 1, 13)))
    _ok(at)
    captions = _captions(at)
    assert "partial: 2 of 7 days" in captions
    assert any("2026-W03 covers only 2 of 7 days" in c for c in captions)
    assert any("* Partial weeks: 2026-W03: 2 of 7 days" in c for c in captions)
    assert any("* Partial months: 2026-01: 9 of 31 days" in c for c in captions)


def test_the_plans_activation_event_reaches_the_funnel_on_the_page(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """File → warehouse → page: the fixture plan with `settings.activation_event: core_feature_a`. Only u3 did
    core_feature_a on its signup day or the next (tests/views/test_funnel_daily.py), so 1 of 7 is activated:
    14.3%, not the 6 of 7 of the plan without settings (test_channels_funnel_uses_the_registry_rates)."""
    plan = tmp_path / "plan_activation.yaml"
    text = (Path(__file__).with_name("fixture_plan.yaml")).read_text(encoding="utf-8")
    plan.write_text(text + "settings: {activation_event: core_feature_a}\n", encoding="utf-8")
    monkeypatch.setenv("OPSPLAN_PLAN", str(plan))
    at = app("pages/channels.py")
    _ok(at)
    funnel = _data(_charts(at)[-2])[0]  # the funnel of all; beside it, its rates by channel
    assert funnel["text"].tolist()[3] == "1  ·  激活率 14.3%"


def test_channels_say_why_the_money_moved_week_over_week(app: App) -> None:
    at = app("pages/channels.py", lang="en")
    _ok(at)
    # spend 01-07 .. 01-13: douyin 50 + 50 + 40, xiaohongshu 80 + 10 = 230; the 7 days before: 100 + 100, 80 = 280
    # -50 / 280 = -17.9%: douyin -60 / 280 = -21.4pp, xiaohongshu +10 / 280 = +3.6pp
    said = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("**Spend")]  # Markdown-escaped
    assert said == ["**Spend -17.9%: Douyin -21.4pp (¥60.00 fewer), Xiaohongshu +3.6pp (¥10.00 more)**"]
    at.session_state["channel"] = "douyin"
    at.run()
    _ok(at)
    said = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("**Spend")]  # Markdown-escaped
    assert said == ["**Spend -30.0%: 春日探索·抖音 -30.0pp (¥60.00 fewer)**"]  # by the channel's campaigns
