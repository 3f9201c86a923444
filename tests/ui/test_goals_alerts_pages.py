"""The Goals and Alerts pages after issue 12, in AppTest on the hand-computed fixture (tests/views/fixture_data.py,
data 2026-01-05 .. 01-13) and the fixture plan (tests/ui/fixture_plan.yaml: 01-05 .. 01-31, 9 of 27 days gone on
01-13): the Goals page says it is the whole plan whatever the sidebar filters, every target is in the table,
the cumulative target's bar is in its status's colour, a card per target; the Alerts strip shows a run from
its first day when that is before the sidebar's start, and says so."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from ui.widgets import plain

App = Callable[..., AppTest]
GREEN = "#16a34a"  # on track, written out: not read back from the palette
D = dt.date


def _ok(at: AppTest) -> None:
    assert not at.exception
    assert [e.value for e in at.error] == []


def _spec(chart) -> dict:  # noqa: ANN001 - AppTest's element
    return json.loads(chart.proto.spec)


def _data(chart) -> list[pd.DataFrame]:  # noqa: ANN001
    return [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]


NOTE = {
    "zh": "ℹ️ 本页是整份计划：每个目标按计划写定的范围（渠道、活动）和计划周期 2026-01-05 至 2026-01-31 评判，"
    "不随侧栏的渠道、活动和日期筛选变化。",
    "en": "ℹ️ This page is the whole plan: each target is judged on the scope the plan gives it (a channel, a "
    "campaign) over the plan's period, 2026-01-05 to 2026-01-31, whatever the sidebar's channel, campaign and "
    "dates.",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_goals_say_the_sidebar_filters_do_not_narrow_them(app: App, lang: str) -> None:
    """A channel (xiaohongshu) and a short range chosen in the sidebar: the note says the page is the whole plan,
    and the table still holds all three targets, douyin's CAC among them, judged as without filters."""
    at = app("pages/goals.py", lang=lang, channel="xiaohongshu", range=(D(2026, 1, 12), D(2026, 1, 13)))
    _ok(at)
    assert [i.value for i in at.info] == [NOTE[lang].removeprefix("ℹ️ ")]  # a channel chosen: said in a box
    table = at.dataframe[0].value
    ids = table["编号" if lang == "zh" else "ID"].tolist()
    assert sorted(ids) == ["cac_douyin", "dau", "new_users"]
    actual = table.set_index("编号" if lang == "zh" else "ID")["实际" if lang == "zh" else "Actual"]
    assert actual["new_users"] == "7" and actual["cac_douyin"] == "¥140.00"  # the plan's 01-05 .. 01-13, douyin's


def test_goals_progress_bar_cards_and_one_screen(app: App) -> None:
    """new users, the one cumulative target: 7 of 20 = 35% with 9 / 27 = 33% of the time gone, forecast 21 →
    on track: its bar green; then a card per target, three to a row."""
    at = app("pages/goals.py")
    _ok(at)
    assert NOTE["zh"] in [c.value for c in at.caption] and not at.info  # no filter: said in small print
    table = at.dataframe[0].value.set_index("编号")
    assert table.loc["new_users", ["状态", "进度", "应达"]].tolist() == ["🟢 正常", "35%", "6.7"]
    assert table.loc["dau", "进度"] == "—"  # a level target has no progress
    board, *paces = at.get("vega_lite_chart")
    bar = next(layer for layer in _spec(board)["layer"] if "color" in layer.get("encoding", {}))
    assert bar["encoding"]["color"]["scale"] == {"domain": ["正常"], "range": [GREEN]}
    rows = next(frame for frame in _data(board) if "progress" in frame.columns)
    assert rows["row"].tolist() == ["🟢 正常 · 新增用户 · 全部"]
    assert rows["progress"].tolist() == pytest.approx([7 / 20])
    assert rows["expected"].tolist() == pytest.approx([9 / 27])
    assert len(paces) == 3  # a pace chart per target
    legend = _spec(paces[-1])["encoding"]["color"]["scale"]["domain"]  # new users, on track: the last card
    assert legend == ["实际", "进度线", "目标", "期末预测"]
    captions = [c.value for c in at.caption]
    assert any(plain("新增用户累计 7 / 目标 20（35%）") in c and plain("期末预计 21") in c for c in captions)
    assert len(at.columns) == 3  # three cards side by side: one row, not a column of full-width cards


FLAG_RULES = """
  - {id: dau_watch, label_zh: 日活预警, label_en: DAU watch, metric: dau, per: all, when: "< 5", for_days: 2,
     severity: warning, action: 拉活}
"""


@pytest.fixture
def run_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture plan with a rule on DAU below 5 two days in a row. DAU: 2 on 01-12, 0 on 01-13 (the fixture
    has no activity on 01-10 and 01-11: no data there), so it is pending on 01-12 and firing on 01-13, the run
    beginning 01-12."""
    text = Path(__file__).with_name("fixture_plan.yaml").read_text(encoding="utf-8")
    path = tmp_path / "plan_run.yaml"
    path.write_text(text.replace("stop_loss:\n", "stop_loss:" + FLAG_RULES), encoding="utf-8")
    monkeypatch.setenv("OPSPLAN_PLAN", str(path))
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_alerts_strip_starts_where_the_run_began(app: App, run_plan: Path, lang: str) -> None:
    """The sidebar shows 01-13 only; DAU watch fires since 01-12: the strip starts 01-12 (pending), then 01-13
    (firing), the sidebar's start marked, and a caption says why."""
    at = app("pages/alerts.py", lang=lang, range=(D(2026, 1, 13), D(2026, 1, 13)))
    _ok(at)
    flags = at.dataframe[0].value
    assert flags.iloc[0].tolist()[:3] == (
        ["日活预警", "全部", "🔴 触发"] if lang == "zh" else ["DAU watch", "All", "🔴 firing"]
    )
    (strip,) = at.get("vega_lite_chart")
    cells = next(frame for frame in _data(strip) if "state" in frame.columns)
    days = pd.to_datetime(cells["date"]).dt.date.tolist()
    states = dict(zip(days, cells["state"], strict=True))
    assert states == (
        {D(2026, 1, 12): "观察中", D(2026, 1, 13): "触发"}
        if lang == "zh"
        else {D(2026, 1, 12): "pending", D(2026, 1, 13): "firing"}
    )
    mark = next(frame for frame in _data(strip) if "text" in frame.columns)
    assert pd.to_datetime(mark["date"]).dt.date.tolist() == [D(2026, 1, 13)]
    if lang == "zh":
        said = "条带从 2026-01-12 画起，早于侧栏的起始日 2026-01-13：" + plain("日活预警 · 全部（触发，自 2026-01-12）")
    else:
        said = "The strip starts on 2026-01-12, before the sidebar's start (2026-01-13): " + plain(
            "DAU watch · All (firing since 2026-01-12)"
        )
    assert any(c.value.startswith(said) for c in at.caption)


def test_the_alerts_strip_has_no_note_when_every_run_began_in_range(app: App, run_plan: Path) -> None:
    at = app("pages/alerts.py", range=(D(2026, 1, 12), D(2026, 1, 13)))
    _ok(at)
    assert not any(c.value.startswith("条带从") for c in at.caption)
    (strip,) = at.get("vega_lite_chart")
    assert "layer" not in _spec(strip)  # the strip starts on the sidebar's day: no mark
