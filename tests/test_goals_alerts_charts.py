"""The Goals and Alerts pages' chart data (issue 12), hand-checked: a progress bar in its status's colour (green
achieved / on track, amber at risk, red off track), the pace chart's legend naming every drawn line in 中文 and
English (the forecast drawn from the last actual day, a level target's pace not drawn twice over its target),
and the alerts strip starting where a listed flag's run began when that is before the sidebar's start."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from opsplan.charts import palette
from opsplan.charts.alerts import clipped_runs, state_strip, strip_frame, strip_start
from opsplan.charts.goals import pace_chart, pace_lines, progress_chart
from opsplan.plan.evaluate import Status, TargetResult
from opsplan.plan.model import TargetKind
from opsplan.plan.result import Flag
from opsplan.plan.stoploss import RuleEval, RuleState
from opsplan.screens.plan import progress_frame

D = dt.date
GREEN, AMBER, RED = "#16a34a", "#f59e0b", "#dc2626"  # the page's promise, written out: not read back from the palette


def _cumulative(tid: str, metric: str, status: Status, actual: float, target: float, expected: float) -> TargetResult:
    return TargetResult(tid, metric, TargetKind.CUMULATIVE, {}, status, actual, target, expected, None, actual / target)


#: four cumulative targets of a 30-day plan on day 12 (12 / 30 = 40% of the time gone, so expected = 40%)
TARGETS = [
    _cumulative("revenue", "revenue", Status.ACHIEVED, 1200.0, 1000.0, 400.0),  # 120%: the bar full
    _cumulative("new_users", "new_users", Status.ON_TRACK, 45.0, 100.0, 40.0),  # 45%
    _cumulative("paid_users", "paid_users", Status.AT_RISK, 34.0, 100.0, 40.0),  # 34%
    _cumulative("orders", "orders", Status.OFF_TRACK, 10.0, 100.0, 40.0),  # 10%
]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_progress_bar_is_coloured_by_its_status(lang: str) -> None:
    frame = progress_frame(TARGETS, lang, None)
    assert frame["status"].tolist() == ["achieved", "on_track", "at_risk", "off_track"]
    assert frame["progress"].tolist() == pytest.approx([1.2, 0.45, 0.34, 0.10])
    assert frame["expected"].tolist() == pytest.approx([0.4, 0.4, 0.4, 0.4])
    assert frame["text"].tolist() == ["120%", "45%", "34%", "10%"]
    spec = progress_chart(frame, lang).to_dict()
    bars = [layer for layer in spec["layer"] if "color" in layer.get("encoding", {})]
    assert len(bars) == 1
    scale = bars[0]["encoding"]["color"]["scale"]
    colour = dict(zip(scale["domain"], scale["range"], strict=True))
    names = {s: s.label(lang) for s in Status}
    assert colour == {
        names[Status.ACHIEVED]: GREEN,
        names[Status.ON_TRACK]: GREEN,
        names[Status.AT_RISK]: AMBER,
        names[Status.OFF_TRACK]: RED,
    }
    assert bars[0]["encoding"]["x"]["field"] == "shown"  # the bar stops at 100%: 120% is a full bar
    data = next(iter(spec["datasets"].values()))
    assert [row["shown"] for row in data] == pytest.approx([1.0, 0.45, 0.34, 0.10])
    assert palette.STATUS_COLORS["missed"] == RED and palette.STATUS_COLORS["no_data"] not in (GREEN, AMBER, RED)


def test_the_progress_board_lists_only_targets_with_a_progress() -> None:
    level = TargetResult("dau", "dau", TargetKind.LEVEL, {}, Status.OFF_TRACK, 0.9, 2.0)  # no progress: no bar
    frame = progress_frame([level, TARGETS[1]], "zh", None)
    assert frame["row"].tolist() == ["🟢 正常 · 新增用户 · 全部"]


#: a cumulative target of 5 days seen on day 3: 2, 4, 6 against a pace of 2 a day towards 10, forecast 9
CUMULATIVE = pd.DataFrame(
    {
        "date": [D(2026, 1, d) for d in range(1, 6)],
        "actual": [2.0, 4.0, 6.0, None, None],
        "expected": [2.0, 4.0, 6.0, 8.0, 10.0],
        "target": [10.0] * 5,
    }
)
#: a level target: its "expected" is its target every day
LEVEL = pd.DataFrame(
    {"date": [D(2026, 1, d) for d in range(1, 4)], "actual": [0.3, 0.4, 0.5], "expected": 0.4, "target": 0.4}
)


@pytest.mark.parametrize(
    ("lang", "names"),
    [("zh", ["实际", "进度线", "目标", "期末预测"]), ("en", ["actual", "pace", "target", "forecast"])],
)
def test_the_pace_chart_names_every_line_on_its_legend(lang: str, names: list[str]) -> None:
    spec = pace_chart(CUMULATIVE, "new_users", lang, forecast=9.0).to_dict()
    enc = spec["encoding"]
    assert enc["color"]["scale"]["domain"] == names
    assert enc["color"]["scale"]["range"] == [palette.ACCENT, palette.MUTED, palette.ALERT, palette.ACCENT]
    assert enc["strokeDash"]["scale"]["domain"] == names  # one legend: colour and dash of the same line
    assert enc["color"]["legend"] is not None and enc["strokeDash"]["legend"] is not None
    assert enc["color"]["legend"]["orient"] == "bottom"
    level = pace_chart(LEVEL, "retention_d1", lang).to_dict()["encoding"]
    assert level["color"]["scale"]["domain"] == [names[0], names[2]]  # no pace line on top of the target


def test_the_forecast_runs_from_the_last_actual_day_to_the_period_end() -> None:
    long = pace_lines(CUMULATIVE, forecast=9.0)
    forecast = long[long["line"] == "forecast"]
    assert forecast["date"].dt.date.tolist() == [D(2026, 1, 3), D(2026, 1, 5)]
    assert forecast["value"].tolist() == [6.0, 9.0]
    assert len(long[long["line"] == "actual"]) == 3 and len(long[long["line"] == "expected"]) == 5
    over = CUMULATIVE.assign(actual=[2.0, 4.0, 6.0, 8.0, 9.0])  # the period is over: nothing left to forecast
    assert "forecast" not in set(pace_lines(over, forecast=9.0)["line"])
    assert set(pace_lines(LEVEL)["line"]) == {"actual", "target"}


def _flag(rule: str, channel: str, state: RuleState, since: dt.date) -> Flag:
    return Flag(rule, "roi_7d", {"channel": channel}, state, 0.4, since, "critical", "暂停", "", D(2026, 3, 31), "", "")


def _eval(rule: str, item: str, day: dt.date, state: RuleState, since: dt.date) -> RuleEval:
    return RuleEval(rule, item, day, day, state, 0.4, 100.0, 1, since)


def test_the_strip_starts_where_a_listed_run_began_before_the_range() -> None:
    """ROI floor on xiaohongshu fires since 02-21; the sidebar starts 03-04: the strip starts 02-21. An 'ok' run
    since 01-01 (bilibili) does not pull it back: only runs worth seeing whole."""
    start, end = D(2026, 3, 4), D(2026, 3, 6)
    firing = _flag("roi_floor", "xiaohongshu", RuleState.FIRING, D(2026, 2, 21))
    ok = _flag("roi_floor", "bilibili", RuleState.OK, D(2026, 1, 1))
    recent = _flag("cac_cap", "douyin", RuleState.PENDING, D(2026, 3, 5))  # began inside the range
    assert clipped_runs([ok, recent, firing], start) == [firing]
    assert strip_start([ok, recent, firing], start) == D(2026, 2, 21)
    assert strip_start([ok, recent], start) == start
    days = pd.date_range(D(2026, 2, 19), end).date
    events = [
        _eval("roi_floor", "xiaohongshu", d, RuleState.FIRING if d >= D(2026, 2, 21) else RuleState.OK, d) for d in days
    ]
    frame = strip_frame(events, "zh", strip_start([firing], start), end)
    assert frame["date"].min() == D(2026, 2, 21) and frame["date"].max() == end
    assert set(frame["state"]) == {"触发"}  # the run from its first day, the ok days before it left out
    assert len(frame) == 14  # 02-21 .. 03-06: 8 days of February and 6 of March
    for lang, said in (("zh", "侧栏起始"), ("en", "Sidebar start")):
        spec = state_strip(strip_frame(events, lang, D(2026, 2, 21), end), lang, start).to_dict()
        marks = [layer for layer in spec["layer"] if layer["mark"]["type"] in ("rule", "text")]
        assert len(marks) == 2  # the sidebar's start: a dashed line and its name
        data = spec["datasets"][marks[0]["data"]["name"]]
        assert data[0]["date"].startswith("2026-03-04") and data[0]["text"] == said
    unmarked = state_strip(strip_frame(events, "zh", start, end), "zh", start).to_dict()
    assert "layer" not in unmarked  # the strip starts on the sidebar's day: nothing to mark
