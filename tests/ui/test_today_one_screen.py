"""Today in one screen (issue 12) on the hand-computed fixture (tests/views/fixture_data.py, data 2026-01-05 ..
01-13, Asia/Shanghai) and the fixture plan (tests/ui/fixture_plan.yaml: 01-05 .. 01-31, 9 of 27 days gone on
01-13): each item of the one "needs attention" list links to the page and filter that explains it, the KPI cards
carry their target, pace and stop-loss line, the targets table is folded, why each KPI off its target moved
(sentence and waterfall, the periods said), and the scope of each part — in both languages.

Numbers used below, by hand from the fixture: new users 7 by 01-13 against 20 (pace 20 x 9 / 27 = 6.7, on
track); DAU over 01-07 .. 01-13 (1 + 2 + 1 + 0 + 0 + 2 + 0) / 7 = 0.9 against 2 (off track); douyin's CAC over the
same days 140 spent / 1 paid new user (u6) against 100 x 0.9 = 90 (off track)."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from opsplan.plan.acks import acknowledge
from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse
from tests.builders import write_csv
from tests.ui.test_plan_pages import attention_lines
from ui.widgets import plain

App = Callable[..., AppTest]
DATES = "from=2026-01-05&to=2026-01-13"

#: a campaign's rule (c2 spent 10 on 01-13, nothing the day before) and a plan-wide one (spend 40 on 01-12, 10
#: on 01-13, both > 5; nothing on 01-10 and 01-11), and a second target on DAU: 1.0 raised by half = 1.5
RULES = """
  - {id: campaign_spend, metric: spend, per: campaign, when: "> 5", for_days: 1, severity: critical, action: 暂停活动}
  - {id: total_spend, metric: spend, per: all, when: "> 5", for_days: 1, severity: warning, action: 检查总花费}
"""
TARGET = "\n  - {id: dau_up, metric: dau, change: 0.5, baseline: 1.0}\n"


@pytest.fixture
def wide_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    text = Path(__file__).with_name("fixture_plan.yaml").read_text(encoding="utf-8")
    text = text.replace("stop_loss:\n", "stop_loss:" + RULES)
    text = text.replace("baseline: 100.0}\n", "baseline: 100.0}" + TARGET)
    path = tmp_path / "plan_wide.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("OPSPLAN_PLAN", str(path))
    return path


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def card_notes(at: AppTest) -> dict[str, str]:
    """Per card (its label), the line with its target, pace and stop-loss ('🎯 …'), escapes undone."""
    notes = {}
    for col in at.columns:
        if len(col.metric) == 1:
            lines = [unescape(c.value) for c in col.caption if c.value.startswith("🎯")]
            notes[col.metric[0].label] = lines[0] if lines else ""
    return notes


def chart_rows(at: AppTest) -> list[list[tuple]]:
    """Each waterfall's bars: (name, kind, start, end, tone), from the chart's own data."""
    out = []
    for chart in at.get("vega_lite_chart"):
        (data,) = chart.proto.datasets
        frame = pa.ipc.open_stream(data.data.data).read_all().to_pandas()
        out.append([(r.name, r.kind, r.start, r.end, r.tone) for r in frame.itertuples()])
    return out


def test_a_campaigns_flag_opens_channels_on_it_a_plan_wide_one_alerts(app: App, wide_plan: Path) -> None:
    at = app("pages/today.py", lang="en")
    assert not at.exception
    lines = attention_lines(at)
    # the campaign by its name, the link to its channel and to it; the plan-wide flag to the Alerts page
    assert lines[0] == (
        "🔴 firing · 🚨 critical · campaign_spend · 春日探索·小红书",
        f"channels?{DATES}&channel=xiaohongshu&campaign=c2&lang=en",
        "(since 2026-01-13) → 暂停活动",
    )
    assert lines[1] == (
        "🔴 firing · ⚠️ warning · total_spend · All",
        f"alerts?{DATES}&lang=en",
        "(since 2026-01-12) → 检查总花费",
    )
    # two targets on DAU read apart by their kind and value: 2 (level) and 1.0 x 1.5 = 1.5 (relative)
    heads = [head for head, _, _ in lines]
    assert "🔴 off track · DAU (level target 2) · All" in heads
    assert "🔴 off track · DAU (relative target 1.5) · All" in heads
    assert [url for head, url, _ in lines if head.startswith("🔴 off track")] == [f"goals?{DATES}&lang=en"] * 3
    # the DAU card says both targets; the spend card both rules (one per campaign, one for the whole plan)
    notes = card_notes(at)
    assert notes["DAU"] == "🎯 target 2 · last 7 days 0.9 🔴 · target 1.5 · last 7 days 0.9 🔴"
    assert notes["Spend"] == "🎯 stop-loss > ¥5.00 per campaign · stop-loss > ¥5.00"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cards_carry_target_pace_and_stop_loss(app: App, lang: str) -> None:
    at = app("pages/today.py", lang=lang)
    assert not at.exception
    zh = lang == "zh"
    expected = {
        "新增用户" if zh else "New users": "🎯 目标 20 · 应达 6.7 · 已完成 7 🟢"
        if zh
        else "🎯 target 20 · pace 6.7 · so far 7 🟢",
        "日活(DAU)" if zh else "DAU": "🎯 目标 2 · 近7日 0.9 🔴" if zh else "🎯 target 2 · last 7 days 0.9 🔴",
        # the plan's rules: cac_ceiling > 60 per campaign, ctr_floor < 0.006 per channel
        "获客成本(CAC)" if zh else "CAC": "🎯 止损 > ¥60.00（按活动）" if zh else "🎯 stop-loss > ¥60.00 per campaign",
        "点击率(CTR)" if zh else "CTR": "🎯 止损 < 0.6%（按渠道）" if zh else "🎯 stop-loss < 0.6% per channel",
    }
    notes = card_notes(at)
    assert {k: v for k, v in notes.items() if v} == expected
    assert len(notes) == 10  # every other card has no line
    scope = next(c.value for c in at.caption if c.value.startswith("范围" if zh else "Scope"))
    assert scope == (
        "范围：指标卡片为全部渠道（可在侧栏按渠道或活动筛选）；需要关注、为什么变化和全部目标针对整个计划。"
        if zh
        else "Scope: the KPI cards show every channel (the sidebar narrows them to a channel or campaign); needs "
        "attention, why it moved and the targets are the whole plan's."
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_channel_filter_narrows_the_cards_and_says_the_rest_is_the_whole_plan(app: App, lang: str) -> None:
    at = app("pages/today.py", lang=lang, channel="douyin")
    assert not at.exception
    zh = lang == "zh"
    notes = card_notes(at)
    # douyin's own CAC target (its 140 over the last 7 days against 90); no douyin target on new users or DAU
    assert notes["获客成本(CAC)" if zh else "CAC"] == (
        "🎯 目标 ¥90.00 · 近7日 ¥140.00 🔴 · 止损 > ¥60.00（按活动）"
        if zh
        else "🎯 target ¥90.00 · last 7 days ¥140.00 🔴 · stop-loss > ¥60.00 per campaign"
    )
    assert notes["新增用户" if zh else "New users"] == "" and notes["日活(DAU)" if zh else "DAU"] == ""
    scope = next(c.value for c in at.caption if c.value.startswith("范围" if zh else "Scope"))
    assert scope == (
        "范围：指标卡片按侧栏筛选，只看抖音；需要关注、为什么变化和全部目标仍针对整个计划，不随筛选变化。"
        if zh
        else "Scope: the KPI cards follow the sidebar filter (Douyin only); needs attention, why it moved and the "
        "targets stay the whole plan's, whatever the filter."
    )
    # the list is the whole plan's still: the plan-wide DAU target is in it
    heads = [head for head, _, _ in attention_lines(at)]
    assert heads[0] == (
        "🔴 落后 · 日活(DAU)（水平目标 2） · 全部" if zh else "🔴 off track · DAU (level target 2) · All"
    )
    assert at.success[0].value == ("没有触发或观察中的止损规则。" if zh else "No stop-loss rule is firing or pending.")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_target_is_behind_a_toggle(app: App, lang: str) -> None:
    at = app("pages/today.py", lang=lang)
    assert not at.exception
    folded = at.expander[0]
    assert folded.label == ("全部目标（3 个）" if lang == "zh" else "All targets (3)")
    assert not folded.proto.expanded
    table = folded.dataframe[0].value
    assert list(table["编号" if lang == "zh" else "ID"]) == ["new_users", "dau", "cac_douyin"]  # the plan's order
    why = table["说明" if lang == "zh" else "Why"]
    assert why.iloc[1].startswith("日活(DAU)近7天 0.9" if lang == "zh" else "DAU 0.9 over the last 7 days vs target 2")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_why_each_kpi_off_its_target_moved(app: App, lang: str) -> None:
    """DAU (distinct users: no sum over days, so the last day against the day before): 01-12 u1 (douyin) and u7
    (kol) open the app, 01-13 nobody does (u6 pays without opening it): 2 → 0, douyin -1, kol -1. Douyin's CAC
    by its one campaign c1, the last 7 days against the 7 before: 12-31 .. 01-06 spend 200 / 2 paid new users (u1,
    u2) = 100; 01-07 .. 01-13 spend 50 + 50 + 40 = 140 / 1 (u6) = 140: +40, all of it c1's own CAC."""
    at = app("pages/today.py", lang=lang)
    assert not at.exception
    zh = lang == "zh"
    said = [unescape(m.value) for m in at.markdown if m.value.startswith("**")]
    assert said == (
        [
            "**日活(DAU) -100.0%：抖音 -50.0pp（少了 1），KOL -50.0pp（少了 1）**",
            "**获客成本(CAC) +¥40.00：春日探索·抖音 +¥40.00（自身获客成本(CAC)上升）**",
        ]
        if zh
        else [
            "**DAU -100.0%: Douyin -50.0pp (1 fewer), KOL -50.0pp (1 fewer)**",
            "**CAC +¥40.00: 春日探索·抖音 +¥40.00 (higher CAC)**",
        ]
    )
    periods = [c.value for c in at.caption if "2026-01-13" in c.value and "→" in c.value]
    assert periods == (
        [
            "最近一天对比前一天：2026-01-12 → 2026-01-13",
            "近 7 天对比前 7 天：2025-12-31 – 2026-01-06 → 2026-01-07 – 2026-01-13",
        ]
        if zh
        else [
            "The last day against the day before: 2026-01-12 → 2026-01-13",
            "The last 7 days against the 7 before: 2025-12-31 – 2026-01-06 → 2026-01-07 – 2026-01-13",
        ]
    )
    dau, cac = chart_rows(at)
    # DAU's levels reach 0: the totals start at 0. CAC's 100 and 140: at 100 - max(2 x 40, 10) = 20.
    assert dau == (
        [
            ("前一天", "total", 0, 2, "total"),
            ("抖音", "part", 2, 1, "bad"),
            ("KOL", "part", 1, 0, "bad"),
            ("最近一天", "total", 0, 0, "total"),
        ]
        if zh
        else [
            ("Day before", "total", 0, 2, "total"),
            ("Douyin", "part", 2, 1, "bad"),
            ("KOL", "part", 1, 0, "bad"),
            ("Last day", "total", 0, 0, "total"),
        ]
    )
    assert cac == [
        ("前 7 天" if zh else "Prior 7d", "total", 20, 100, "total"),
        ("春日探索·抖音", "part", 100, 140, "bad"),  # a cost going up: red
        ("近 7 天" if zh else "Last 7d", "total", 20, 140, "total"),
    ]


def test_a_campaign_named_like_markdown_stays_text(app: App, tmp_path: Path) -> None:
    """Douyin's CAC splits by its campaign c1, here named like a remote image: the sentence shows the name as
    written (escaped), and no Markdown of the page links or fetches anything."""
    evil = "![x](http://evil.example/x.png) **big**"
    app("pages/today.py")  # the fixture warehouse and plan in the environment
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    header = ("campaign_id", "channel", "name", "phase", "start_date", "end_date")
    load(
        wh,
        "campaigns",
        [write_csv(tmp_path / "c.csv", header, [("c1", "douyin", evil, "burst", "2026-01-05", "2026-01-12")])],
    )
    at = app("pages/today.py", lang="en")
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert f"**CAC \\+¥40\\.00\\: {plain(evil)} \\+¥40\\.00 \\(higher CAC\\)**" in texts
    assert not any("](http://evil" in x for x in texts)


def test_a_snoozed_flag_still_shows_marked_and_no_longer_raises_the_alarm(app: App, wide_plan: Path) -> None:
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    until = dt.date(2026, 1, 20)
    acknowledge(wh, "campaign_spend", "c2", "已暂停活动", until=until, author="王芳", day=dt.date(2026, 1, 13))
    at = app("pages/today.py", lang="en")
    assert not at.exception
    head, url, detail = attention_lines(at)[0]
    assert head == "🔴 firing · 🚨 critical · campaign_spend · 春日探索·小红书"
    assert detail == "(since 2026-01-13) → 暂停活动 · 🔕 snoozed until 2026-01-20 · 王芳: 已暂停活动"
    # the critical flag is snoozed, the plan-wide one a warning: counted all the same, in yellow, not red
    assert not at.error
    assert [(w.proto.icon, w.value) for w in at.warning] == [("🔴", "Stop-loss: 2 firing (1 critical), 0 pending")]
