"""The plan pages (Today, Goals, Budget, Initiatives, Alerts) on the hand-computed fixture
(tests/views/fixture_data.py, data 2026-01-05 .. 01-13, Asia/Shanghai) and the fixture plan
(tests/ui/fixture_plan.yaml: 01-05 .. 01-31, 27 days, 9 gone on 01-13). tests/ui/test_pages.py checks the
first numbers of each page; this file checks what needs the plan's flags firing, the attention list, the
budget's over-pace channels and burn lines, and the columns beside the numbers.

Spend per channel (from the fixture's docstring): douyin 100, 100, -, 50, 50, -, -, 40, - (01-05 .. 01-13,
340 in all); xiaohongshu 80 on 01-06 and 01-07, 10 on 01-13 (170 in all)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from opsplan.plan.budget import BudgetLine, BudgetResult
from opsplan.screens.plan import TOTAL, burn_lines, label_of

App = Callable[..., AppTest]

#: the fixture plan with rules that fire on 01-13: xiaohongshu spent 10 (> 5) that day and nothing on 01-12,
#: so the one-day rule fires and the two-day one is pending; douyin spent 40 on 01-12 and nothing on 01-13.
FLAG_RULES = """
  - {id: spend_cap, metric: spend, per: channel, when: "> 5", for_days: 1, severity: critical, action: 暂停投放}
  - {id: spend_watch, metric: spend, per: channel, when: "> 5", for_days: 2, severity: warning, action: 降低出价}
"""


@pytest.fixture
def flag_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    text = Path(__file__).with_name("fixture_plan.yaml").read_text(encoding="utf-8")
    path = tmp_path / "plan_flags.yaml"
    path.write_text(text.replace("stop_loss:\n", "stop_loss:" + FLAG_RULES), encoding="utf-8")
    monkeypatch.setenv("OPSPLAN_PLAN", str(path))
    return path


def _ok(at: AppTest) -> None:
    assert not at.exception
    # a critical firing flag is an st.error (its 🔴 in the text, or as the box's icon)
    assert [e.value for e in at.error if "🔴" not in e.proto.icon + e.value] == []


def attention_lines(at: AppTest) -> list[tuple[str, str, str]]:
    """Today's one "needs attention" list as (head, link, rest of the line), the Markdown escapes undone."""
    text = next(m.value for m in at.markdown if m.value.startswith("- ["))
    return [(unescape(h), url, unescape(rest)) for h, url, rest in LINE.findall(text)]


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


LINE = re.compile(r"^- \[(.*?)\]\(([^ )]*)\) (.*)$", re.M)
DATES = "from=2026-01-05&to=2026-01-13"  # the default range (the last 28 days clipped to the data): pinned


def test_today_lists_firing_flags_first_each_a_link_to_what_explains_it(app: App, flag_plan: Path) -> None:
    at = app("pages/today.py", lang="en")
    _ok(at)
    # one list, first on the page; the flags' count on top of it in red (a critical one fires), no all-clear
    assert at.subheader[0].value == "Needs attention today"
    assert [(e.proto.icon, e.value) for e in at.error] == [("🔴", "Stop-loss: 1 firing (1 critical), 1 pending")]
    assert not at.success
    cap = label_of("rule.kind", "spend_cap", "en")  # the rule by its label (the id without one)
    lines = attention_lines(at)
    assert lines[0] == (
        f"🔴 firing · 🚨 critical · {cap} · Xiaohongshu",
        f"channels?{DATES}&channel=xiaohongshu&lang=en",  # the channel's flag → Channels, that channel chosen
        "(since 2026-01-13) → 暂停投放",
    )
    assert lines[1] == (
        "🟡 pending · ⚠️ warning · spend_watch · Xiaohongshu",
        f"channels?{DATES}&channel=xiaohongshu&lang=en",
        "(since 2026-01-13) → 降低出价",
    )
    # DAU 0.9 against 2 and douyin's CAC 140 against 90 are off track (→ Goals); new users (7 of 20) is not
    assert lines[2][:2] == ("🔴 off track · DAU (level target 2) · All", f"goals?{DATES}&lang=en")
    assert lines[2][2].startswith("DAU 0.9 over the last 7 days vs target 2 (-57.1%)")
    assert lines[3][:2] == ("🔴 off track · CAC (relative target ¥90.00) · Douyin", f"goals?{DATES}&lang=en")
    # douyin: 340 of 756 planned with 9/27 of the time gone = 135%; xiaohongshu 170 of 324 → 157% (→ Budget)
    assert lines[4] == (
        "💸 Douyin: spending ahead of the budget's pace",
        f"budget?{DATES}&channel=douyin&lang=en",
        "(¥340.00 / ¥756.00, 135%)",
    )
    assert lines[5] == (
        "💸 Xiaohongshu: spending ahead of the budget's pace",
        f"budget?{DATES}&channel=xiaohongshu&lang=en",
        "(¥170.00 / ¥324.00, 157%)",
    )
    assert len(lines) == 6
    # the spend card: both rules say "> 5 per channel", said once
    spend = next(col for col in at.columns if len(col.metric) == 1 and col.metric[0].label == "Spend")
    assert [c.value for c in spend.caption if c.value.startswith("🎯")] == [r"🎯 stop\-loss \> ¥5\.00 per channel"]


def test_today_attention_in_chinese(app: App, flag_plan: Path) -> None:
    at = app("pages/today.py")
    _ok(at)
    assert [(e.proto.icon, e.value) for e in at.error] == [("🔴", "止损：1 条触发（其中 1 条严重），1 条观察中")]
    lines = attention_lines(at)
    cap = label_of("rule.kind", "spend_cap", "zh")
    assert lines[0] == (
        f"🔴 触发 · 🚨 严重 · {cap} · 小红书",
        f"channels?{DATES}&channel=xiaohongshu",
        "（自 2026-01-13） → 暂停投放",
    )
    assert lines[2][:2] == ("🔴 落后 · 日活(DAU)（水平目标 2） · 全部", f"goals?{DATES}")
    assert ("💸 抖音: 花费快于预算进度", f"budget?{DATES}&channel=douyin", "(¥340.00 / ¥756.00, 135%)") in lines


def test_alerts_show_severity_value_and_since_per_item(app: App, flag_plan: Path) -> None:
    at = app("pages/alerts.py", lang="en")
    _ok(at)
    table = at.dataframe[0].value
    assert table.iloc[0][["Rule", "Scope", "State", "Since", "Value", "Severity", "Action"]].tolist() == [
        "spend_cap",
        "Xiaohongshu",
        "🔴 firing",
        "2026-01-13",
        "Spend ¥10.00",  # xiaohongshu's spend on 01-13
        "🚨 critical",
        "暂停投放",
    ]
    assert table.iloc[1][["Rule", "State", "Severity"]].tolist() == ["spend_watch", "🟡 pending", "⚠️ warning"]
    # douyin spent 40 on 01-12 (firing) and nothing on 01-13: resolved that day
    assert table.iloc[2][["Rule", "Scope", "State", "Value"]].tolist() == [
        "spend_cap",
        "Douyin",
        "🔵 resolved",
        "Spend ¥0.00",
    ]
    assert len(at.get("vega_lite_chart")) == 1  # the day-by-day strip
    zh = app("pages/alerts.py")
    _ok(zh)
    assert zh.dataframe[0].value.iloc[0][["当前值", "级别"]].tolist() == ["花费 ¥10.00", "🚨 严重"]


def test_the_channels_table_marks_a_channel_in_stop_loss(app: App, flag_plan: Path) -> None:
    """xiaohongshu spent ¥10 on 01-13 and spend_cap fires there (and spend_watch is pending): the row says the
    worse, firing; douyin's spend_cap resolved on 01-13: nothing open, an empty cell."""
    at = app("pages/channels.py")
    _ok(at)
    table = at.dataframe[0].value.set_index("渠道")
    assert table.loc["小红书", "止损"] == "🔴 触发 · spend_cap"
    assert table.loc["抖音", "止损"] == ""


def test_the_kept_history_reads_in_words_not_codes(app: App, flag_plan: Path) -> None:
    """What the morning checks kept, with a note: names, chips and formatted values (not 'no_data', 'None' or
    5.4571), in the page's language."""
    import os

    from opsplan.plan.acks import acknowledge
    from opsplan.plan.check import run_check
    from opsplan.plan.parse import read_plan
    from opsplan.store.warehouse import Warehouse

    plan, _ = read_plan(flag_plan)
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    run_check(wh, plan, dt.date(2026, 1, 13))  # keeps the evaluations of 01-13
    acknowledge(wh, "spend_cap", "xiaohongshu", "已暂停投放", author="王芳")
    zh = app("pages/alerts.py")
    _ok(zh)
    kept = zh.dataframe[-1].value
    assert list(kept.columns) == ["日期", "规则", "范围", "状态", "当前值", "连续天数", "起始", "处理备注"]
    row = kept[(kept["规则"] == "spend_cap") & (kept["范围"] == "小红书")].iloc[0]
    assert row[["日期", "状态", "当前值", "处理备注"]].tolist() == [
        "2026-01-13",
        "🔴 触发",
        "花费 ¥10.00",
        "已确认：已暂停投放",
    ]
    text = kept.to_string()
    assert "no_data" not in text and "None" not in text and "firing" not in text
    en = app("pages/alerts.py", lang="en").dataframe[-1].value
    assert list(en.columns) == ["Day", "Rule", "Scope", "State", "Value", "Days in a row", "Since", "Notes"]


def test_budget_names_over_pace_channels_and_draws_burn_per_channel(app: App) -> None:
    at = app("pages/budget.py", lang="en")
    _ok(at)
    # douyin 340 / (756 x 9/27) = 135%, xiaohongshu 170 / (324 x 9/27) = 157%
    assert at.warning[0].value == (
        "**Over-pace channels**: Douyin 135%; Xiaohongshu 157% (spending ahead of the budget's pace)"
    )
    assert len(at.get("vega_lite_chart")) == 2  # the whole budget, then one panel per channel
    assert "Cumulative spend vs planned pace per channel" in [s.value for s in at.subheader]
    zh = app("pages/budget.py")
    _ok(zh)
    assert zh.warning[0].value.startswith("**超速渠道**：抖音 135%、小红书 157%")
    # categories: as the plan writes them (拉新), or by the plan's own label for a coded one (brand), never the code
    assert list(dict.fromkeys(zh.dataframe[0].value["类别"])) == ["拉新", "留存", "品牌曝光"]
    assert list(dict.fromkeys(at.dataframe[0].value["Category"])) == ["拉新", "留存", "Brand reach"]


def test_burn_lines_cumulate_spend_against_the_straight_line_pace() -> None:
    start, end, through = dt.date(2026, 1, 5), dt.date(2026, 1, 31), dt.date(2026, 1, 13)
    daily = pd.DataFrame(
        [
            (dt.date(2026, 1, 5), "douyin", 100.0),
            (dt.date(2026, 1, 6), "douyin", 100.0),
            (dt.date(2026, 1, 6), "xiaohongshu", 80.0),
            (dt.date(2026, 1, 12), "douyin", 40.0),
            (dt.date(2026, 1, 20), "douyin", 999.0),  # after `through`: not counted
        ],
        columns=["date", "channel", "spend"],
    )
    line = BudgetLine("拉新", "douyin", 756.0, 240.0, None, None, None, False)
    budget = BudgetResult(2000.0, 0.1, 200.0, 1800.0, 320.0, 0.0, 9 / 27, 0.0, (line,))
    out = burn_lines(daily, budget, start, end, through).set_index(["channel", "series", "date"])["spend"]
    assert out[(TOTAL, "actual", through)] == 320.0  # 100 + 100 + 80 + 40
    assert out[(TOTAL, "actual", dt.date(2026, 1, 8))] == 280.0  # flat over the days without spend
    assert out[("douyin", "actual", through)] == 240.0
    assert out[("douyin", "pace", through)] == pytest.approx(756 * 9 / 27)  # 252
    assert out[(TOTAL, "pace", end)] == pytest.approx(1800.0)
    assert len(out.loc["douyin", "pace"]) == 27 and len(out.loc["douyin", "actual"]) == 9
    assert "xiaohongshu" not in out.index.get_level_values(0)  # the plan gives it no amount here


def test_initiatives_show_progress_beside_time_gone(app: App) -> None:
    at = app("pages/initiatives.py", lang="en")
    _ok(at)
    row = at.dataframe[0].value.iloc[0]
    # 01-05 .. 01-11 is over on 01-13: all of its time gone; c1 brought u1, u2, u6 = 3 of 3
    assert (row["Stage"], row["Progress"], row["Time gone"], row["Status"]) == ("finished", 1.0, 1.0, "✅ achieved")
    # judged like a cumulative target over its own dates, final after its end
    assert any(
        c.value.startswith("✅ achieved 抖音首发 (张三): New users (春日探索·抖音) 3 of 3 (100%); 01-05–01-11 is over")
        for c in at.caption
    )


def test_goals_table_has_expected_progress_and_why(app: App) -> None:
    at = app("pages/goals.py", lang="en")
    _ok(at)
    table = at.dataframe[0].value.set_index("ID")
    # new users: 7 of 20 = 35%; expected 20 x 9/27 = 6.7
    assert table.loc["new_users", ["Expected", "Progress"]].tolist() == ["6.7", "35%"]  # the bar: the board below
    assert table.loc["new_users", "Why"].endswith("→ on track")
    assert table.loc["dau", "Expected"] == "—"  # a level target has no pace
    assert table.loc["dau", "Why"].startswith("DAU 0.9 over the last 7 days vs target 2")
