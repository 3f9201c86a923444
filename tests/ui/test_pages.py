"""Every page under Streamlit's AppTest on the hand-computed fixture (tests/views/fixture_data.py), asserting
the numbers it shows. The fixture's data runs 2026-01-05 .. 01-13 (Asia/Shanghai); the default range is
the last 28 days clipped to the data, so 01-05 .. 01-13, and "yesterday" is 01-13. Daily series used
below (from the fixture's docstring, as tests/views/test_kpis_daily.py spells out):
new users 2, 3, 0, 1, 0, 0, 0, 1, 0 · DAU 2, 5, 1, 2, 1, 0, 0, 2, 0 · revenue 30, 30, 150, -30, 0, 0, 0, 0, 20
· spend 100, 180, 80, 50, 50, 0, 0, 40, 10 (douyin/c1 100, 100, -, 50, 50, -, -, 40, -; xiaohongshu/c2 on
01-06, 01-07 80 each and 01-13 10) · clicks 100, 90, 40, 25, 25, 0, 0, 20, 10.
The fixture plan (tests/ui/fixture_plan.yaml) runs 01-05 .. 01-31 (27 days; 9 gone on 01-13).
"""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from ui.widgets import plain

App = Callable[..., AppTest]


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _ok(at: AppTest) -> None:
    assert not at.exception
    assert [e.value for e in at.error] == []


def test_today_shows_yesterdays_kpis_with_changes_and_no_flags(app: App) -> None:
    at = app("pages/today.py")
    _ok(at)
    assert at.title[0].value == "今日 · 2026-01-13"
    cards = {m.label: (m.value, m.delta) for m in at.metric}
    assert cards["新增用户"] == ("0", "-100.0%")  # 01-12 had u7
    assert cards["日活(DAU)"] == ("0", "-100.0%")  # 2 on 01-12, nobody on 01-13
    assert cards["收入"] == ("¥20.00", "")  # u6 pays 20; 01-12 had 0, no change to compute
    assert cards["花费"] == ("¥10.00", "-75.0%")  # 40 → 10
    assert cards["点击率(CTR)"] == ("1.0%", "+100.0%")  # 20/4000 → 10/1000
    assert cards["获客成本(CAC)"] == ("—", "")  # no paid new user on 01-13
    # roi_7d shows its latest mature cohort, 01-07: no signups, 80 spent → 0.00
    assert cards["7日ROI(投入产出比)"][0] == "0.00"
    # on 01-13 no rule fires: douyin has no spend that day, c2's CAC has no new user
    assert [s.value for s in at.success][0] == "没有触发或观察中的止损规则。"
    targets = at.dataframe[0].value
    assert list(targets["编号"]) == ["new_users", "dau", "cac_douyin"]
    assert list(targets["状态"]) == ["🟢 正常", "🔴 落后", "🔴 落后"]


def test_today_follows_the_channel_filter_and_speaks_english(app: App) -> None:
    at = app("pages/today.py", lang="en", channel="douyin")
    _ok(at)
    cards = {m.label: m.value for m in at.metric}
    assert cards["Spend"] == "¥0.00"  # douyin spent nothing on 01-13
    assert cards["New users"] == "0"
    assert at.subheader[0].value == "Needs attention today"  # the one list comes first (the flags lead it)


def test_goals_show_progress_pace_forecast_and_status(app: App) -> None:
    at = app("pages/goals.py")
    _ok(at)
    table = at.dataframe[0].value.set_index("编号")
    # new users: 7 of 20; expected 20 x 9/27 = 6.7; forecast 7 + 7/9 a day x 18 days = 21 → on track
    assert table.loc["new_users", ["状态", "实际", "目标", "期末预测"]].tolist() == ["🟢 正常", "7", "20", "21"]
    # DAU over 01-07 .. 01-13: (1 + 2 + 1 + 0 + 0 + 2 + 0) / 7 = 0.857 against 2 → off track
    assert table.loc["dau", ["状态", "实际", "目标"]].tolist() == ["🔴 落后", "0.9", "2"]
    # douyin CAC over the same days: 140 spent / 1 paid new user (u6) against 100 x 0.9 = 90
    assert table.loc["cac_douyin", ["实际", "目标", "范围"]].tolist() == ["¥140.00", "¥90.00", "抖音"]
    assert table.loc["new_users", ["应达", "进度"]].tolist() == ["6.7", "35%"]
    # each target's card says the same under its heading: 7 of 20, forecast 21 (cards, not st.metric, since issue 12)
    captions = [c.value for c in at.caption]
    assert any(plain("累计 7 / 目标 20") in c and plain("期末预计 21") in c for c in captions)
    assert len(at.get("vega_lite_chart")) == 4  # the cumulative targets' progress, then one pace chart per target


def test_channels_table_and_drill_down_to_a_campaign(app: App) -> None:
    at = app("pages/channels.py")
    _ok(at)
    table = at.dataframe[0].value.set_index("渠道")
    assert table.loc["抖音", ["花费", "曝光量", "点击量", "新增用户", "获客成本(CAC)"]].tolist() == [
        "¥340.00",
        "34,000",
        "220",
        "3",
        "¥113.33",  # 340 / 3
    ]
    assert table.loc["抖音", "点击率(CTR)"] == "0.6%"  # 220 / 34,000
    assert table.loc["小红书", ["花费", "新增用户", "获客成本(CAC)", "7日收入"]].tolist() == [
        "¥170.00",
        "1",
        "¥170.00",
        "¥150.00",  # u3 pays 100 + 50 on 01-07
    ]
    assert list(table.index[:2]) == ["抖音", "小红书"]  # by spend
    at.session_state["channel"] = "douyin"  # what a click on the row sets (the click: tests/e2e/test_drill.py)
    at.run()
    _ok(at)
    assert at.subheader[0].value == "抖音 的各活动"
    campaigns = at.dataframe[0].value
    assert list(campaigns["活动"]) == ["c1"] and campaigns["花费"].iloc[0] == "¥340.00"
    at.session_state["campaign"] = "c1"
    at.run()
    _ok(at)
    assert at.subheader[0].value.startswith("活动 ")


def test_retention_cards_count_mature_cohorts_only(app: App) -> None:
    at = app("pages/retention.py")
    _ok(at)
    cards = _metrics(at)
    assert cards["同期群人数"] == "7"
    # D1: cohort 01-05 2/2, 01-06 1/3 (u3), 01-08 1/1, 01-12 0/1 → 4/7; D7: 01-05 1/2, 01-06 0/3 → 1/5
    assert cards["次日留存率"] == "57.1%"
    assert cards["7日留存率"] == "20.0%"
    assert cards["30日留存率"] == "—"  # no cohort is 30 days old: empty, not 0


def test_users_active_counts_and_stickiness(app: App) -> None:
    at = app("pages/users.py")
    _ok(at)
    cards = _metrics(at)
    # DAU of 01-13: 0; WAU of W02, the last complete week (W03 has 2 of 7 days): u1 .. u6; MAU of January
    # (the only month, partial): all seven
    assert (cards["日活(DAU)"], cards["周活(WAU)"], cards["月活(MAU)"]) == ("0", "6", "7")
    assert cards["粘性(DAU/MAU)"] == "20.6%"  # mean DAU 13/9 over the month's days with data / 7


def test_budget_planned_actual_pace_and_projection(app: App) -> None:
    at = app("pages/budget.py")
    _ok(at)
    cards = _metrics(at)
    # spendable 2000 x 0.9 = 1800; spent 340 + 170 = 510; projected 510 / 9 x 27 = 1530
    assert (cards["总预算"], cards["已花费"], cards["期末预计"], cards["预留金"]) == (
        "¥2,000.00",
        "¥510.00",
        "¥1,530.00",
        "¥200.00",
    )
    lines = at.dataframe[0].value.set_index("渠道")
    # douyin planned 1800 x 0.6 x 0.7 = 756; pace 340 / (756 / 3) = 135% → over pace
    assert lines.loc["抖音", ["计划", "实际", "进度比", "超速"]].tolist() == ["¥756.00", "¥340.00", "135%", "⚠️"]
    assert lines.loc["小红书", ["计划", "实际", "进度比"]].tolist() == ["¥324.00", "¥170.00", "157%"]


def test_initiatives_measured_over_their_own_dates(app: App) -> None:
    at = app("pages/initiatives.py")
    _ok(at)
    row = at.dataframe[0].value.iloc[0]
    # c1's new users 01-05 .. 01-11: u1, u2, u6 = 3 of 3, finished → achieved
    assert (row["举措"], row["负责人"], row["阶段"], row["实际"], row["目标"], row["状态"]) == (
        "抖音首发",
        "张三",
        "已结束",
        "3",
        "3",
        "✅ 已达成",
    )


def test_alerts_list_every_rule_and_item_with_its_state(app: App) -> None:
    at = app("pages/alerts.py")
    _ok(at)
    assert at.dataframe[0].value.empty  # nothing firing, pending or resolved on 01-13
    at.toggle[0].set_value(True).run()
    _ok(at)
    table = at.dataframe[0].value
    douyin_ctr = table[(table["规则"] == "点击率下限") & (table["范围"] == "抖音")].iloc[0]
    # douyin's CTR was 0.5% on 01-12 (firing), it spent nothing on 01-13: no data, since 01-13
    assert (douyin_ctr["状态"], douyin_ctr["起始"], douyin_ctr["应急动作"]) == ("⚪ 无数据", "2026-01-13", "更换素材")
    assert set(table["规则"]) == {"CAC 上限", "点击率下限"}  # by their names, never the ids
