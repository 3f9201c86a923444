"""Stop-loss rules: every state transition, per channel and per campaign, and history across restarts.

The pure part (``stoploss.replay``) is fed daily parts written by hand; the rest runs the real check on
a small warehouse whose every number is worked out in the comments.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from opsplan.metrics.measure import metric_info
from opsplan.plan.check import add_note, evaluate_plan, rule_history, run_check
from opsplan.plan.model import Plan
from opsplan.plan.parse import parse_plan_text, read_plan
from opsplan.plan.stoploss import RuleEval, RuleState, describe, replay, yuan
from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse, read_connection
from tests.conftest import DEMO_PLAN
from tests.plan.helpers import day, parts, plan_from

OK, PENDING, FIRING, RESOLVED, NO_DATA, NOT_JUDGED = (
    RuleState.OK,
    RuleState.PENDING,
    RuleState.FIRING,
    RuleState.RESOLVED,
    RuleState.NO_DATA,
    RuleState.NOT_JUDGED,
)
HEAD = "plan: {name: 止损测试, start: 2026-01-01, end: 2026-01-31, timezone: Asia/Shanghai}\n"


def _rule_plan(rule: str) -> Plan:
    return plan_from(HEAD + "stop_loss:\n  - " + rule + "\n")


def _states(plan: Plan, data: pd.DataFrame, items: list[str], as_of: str) -> dict[str, list[RuleState]]:
    rule = plan.rules[0]
    out = replay(rule, metric_info(rule.metric), data, items, day("2026-01-01"), day(as_of))
    return {item: [e.state for e in evals] for item, evals in out.items()}


def test_ok_pending_firing_resolved_ok() -> None:
    """CAC > 10 for 2 days: CAC per day 5, 20, 20, 20, 5, 5 (spend 100, new users 20 or 5)."""
    plan = _rule_plan("{id: cac, metric: cac, per: all, when: '> 10', for_days: 2, action: 检查落地页}")
    data = parts("2026-01-01", [100] * 6, [20, 5, 5, 5, 20, 20])
    rule = plan.rules[0]
    evals = replay(rule, metric_info("cac"), data, ["all"], day("2026-01-01"), day("2026-01-06"))["all"]
    assert [e.state for e in evals] == [OK, PENDING, FIRING, FIRING, RESOLVED, OK]
    assert [e.value for e in evals] == [5, 20, 20, 20, 5, 5]
    assert [e.streak for e in evals] == [0, 1, 2, 3, 0, 0]
    # since: the first day of the condition's run while pending / firing, else the day the state began
    assert [str(e.since) for e in evals] == [
        "2026-01-01",
        "2026-01-02",
        "2026-01-02",
        "2026-01-02",
        "2026-01-05",
        "2026-01-06",
    ]


def test_a_threshold_met_exactly_does_not_trigger() -> None:
    plan = _rule_plan("{id: cac, metric: cac, when: '> 10', for_days: 1, action: a}")
    assert _states(plan, parts("2026-01-01", [100, 110], [10, 10]), ["all"], "2026-01-02") == {"all": [OK, FIRING]}


def test_spend_under_min_spend_without_pooling_is_not_judged_and_breaks_the_run() -> None:
    """CAC 20 every day; spend 100, 100, 30, 100, 100, 100 with min_spend 50 and no pooling (pool_days 1)."""
    plan = _rule_plan("{id: cac, metric: cac, when: '> 10', for_days: 2, min_spend: 50, pool_days: 1, action: a}")
    spend = [100, 100, 30, 100, 100, 100]
    data = parts("2026-01-01", spend, [s / 20 for s in spend], spend=spend)
    assert _states(plan, data, ["all"], "2026-01-06")["all"] == [
        PENDING,
        FIRING,
        NOT_JUDGED,
        PENDING,
        FIRING,
        FIRING,
    ]


def test_a_missing_day_is_no_data_never_firing() -> None:
    plan = _rule_plan("{id: cac, metric: cac, when: '> 10', for_days: 1, action: a}")
    data = parts("2026-01-01", [100, 100], [0, 5])  # day 1: no new users → no CAC; day 3: no row
    assert _states(plan, data, ["all"], "2026-01-03")["all"] == [NO_DATA, FIRING, NO_DATA]


def test_a_cohort_metric_is_judged_on_its_latest_mature_cohort_day() -> None:
    """roi_7d on day d judges the cohort of d-6; the first 6 days have no mature cohort: no_data."""
    plan = _rule_plan(
        "{id: roi, metric: roi_7d, per: channel, when: '< 1.0', for_days: 2, min_spend: 100, action: 暂停投放}"
    )
    # cohort days 01-01 .. 01-04: revenue_7d 150, 80, 90, 200 on spend 100 each (ROI 1.5, 0.8, 0.9, 2.0)
    data = parts("2026-01-01", [150, 80, 90, 200], [100] * 4, item="douyin", spend=[100] * 4)
    rule = plan.rules[0]
    evals = replay(rule, metric_info("roi_7d"), data, ["douyin"], day("2026-01-01"), day("2026-01-10"))["douyin"]
    assert [e.state for e in evals] == [NO_DATA] * 6 + [OK, PENDING, FIRING, RESOLVED]
    assert [str(e.judged_day) for e in evals[6:]] == ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"]
    assert evals[8].since == day("2026-01-08")  # the day the ROI of cohort 01-02 was first seen below 1


def test_each_channel_has_its_own_state() -> None:
    plan = _rule_plan("{id: ctr, metric: ctr, per: channel, when: '< 0.01', for_days: 2, action: 更换素材}")
    data = pd.concat(
        [
            parts("2026-01-01", [5, 5, 5], [1000, 1000, 1000], item="douyin"),  # CTR 0.5%
            parts("2026-01-01", [20, 20, 20], [1000, 1000, 1000], item="xiaohongshu"),  # 2%
        ]
    )
    states = _states(plan, data, ["douyin", "xiaohongshu", "zhihu"], "2026-01-03")
    assert states == {
        "douyin": [PENDING, FIRING, FIRING],
        "xiaohongshu": [OK, OK, OK],
        "zhihu": [NO_DATA, NO_DATA, NO_DATA],
    }


# --- the real check on a warehouse: per campaign and per channel, history kept across processes

CAMPAIGN_PLAN = (
    HEAD
    + """\
stop_loss:
  - {id: cac_campaign, metric: cac, per: campaign, when: "> 10", for_days: 2, min_spend: 50, pool_days: 1,
     severity: warning, action: 检查落地页与定向}
  - {id: cac_channel, metric: cac, per: channel, when: "> 10", for_days: 2, severity: critical, action: 暂停投放}
"""
)
#: per campaign and day 01-01 .. 01-08: (spend, new users)
DAILY = {
    # CAC 5, 5, 20, 20, 20, 5, 5, 5 → ok ok pending firing firing resolved ok ok
    "c1": ("douyin", [(100, 20), (100, 20), (100, 5), (100, 5), (100, 5), (100, 20), (100, 20), (100, 20)]),
    # CAC 20, 20, 15, 30, 20, 20, 20, 20, but spend 30 on 01-03 and 01-04 (under min_spend 50, and pool_days 1
    # turns pooling off) → not judged there, and the run starts again on 01-05
    "c2": ("douyin", [(100, 5), (100, 5), (30, 2), (30, 1), (100, 5), (100, 5), (100, 5), (100, 5)]),
    # CAC exactly 10 every day: never triggers
    "c3": ("xiaohongshu", [(100, 10)] * 8),
}
EXPECTED_CAMPAIGN = {
    "c1": ["ok", "ok", "pending", "firing", "firing", "resolved", "ok", "ok"],
    "c2": ["pending", "firing", "not_judged", "not_judged", "pending", "firing", "firing", "firing"],
    "c3": ["ok"] * 8,
}
# douyin = c1 + c2: spend 200, 200, 130, 130, 200, 200, 200, 200; users 25, 25, 7, 6, 10, 25, 25, 25
# → CAC 8, 8, 18.57, 21.67, 20, 8, 8, 8 (the channel rule has no min_spend)
EXPECTED_CHANNEL = {
    "douyin": ["ok", "ok", "pending", "firing", "firing", "resolved", "ok", "ok"],
    "xiaohongshu": ["ok"] * 8,
}


def _build(directory: Path) -> Warehouse:
    wh = Warehouse(directory / "stoploss.duckdb")
    campaigns = pd.DataFrame(
        {"campaign_id": list(DAILY), "channel": [ch for ch, _ in DAILY.values()], "name": ["抖音A", "抖音B", "小红书C"]}
    )
    load(wh, "campaigns", frame=campaigns, tz="Asia/Shanghai")
    spend_rows, user_rows = [], []
    for campaign, (channel, days) in DAILY.items():
        for i, (spend, users) in enumerate(days):
            date = dt.date(2026, 1, 1) + dt.timedelta(days=i)
            spend_rows.append((date, channel, campaign, spend, 10_000, 500))
            user_rows += [(f"{campaign}-{i}-{k}", f"{date} 12:00:00", channel, campaign) for k in range(users)]
    load(
        wh,
        "ad_spend",
        frame=pd.DataFrame(spend_rows, columns=["date", "channel", "campaign_id", "spend", "impressions", "clicks"]),
        tz="Asia/Shanghai",
    )
    load(
        wh,
        "users",
        frame=pd.DataFrame(user_rows, columns=["user_id", "signup_at", "channel", "campaign_id"]),
        tz="Asia/Shanghai",
    )
    return wh


@pytest.fixture(scope="module")
def campaign_wh(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    return _build(tmp_path_factory.mktemp("stoploss"))


def test_per_campaign_and_per_channel_states_on_a_real_warehouse(campaign_wh: Warehouse) -> None:
    plan = plan_from(CAMPAIGN_PLAN)
    result = run_check(campaign_wh, plan, day("2026-01-08"), keep_history=False)
    states: dict[tuple[str, str], list[str]] = {}
    for e in sorted(result.history, key=lambda e: e.date):
        states.setdefault((e.rule_id, e.item), []).append(e.state.value)
    # c2 on 01-03 / 01-04: 2 and 1 new users on spend 30 → CAC 15 and 30, but spend < 50: not judged
    assert {item: s for (rule, item), s in states.items() if rule == "cac_campaign"} == EXPECTED_CAMPAIGN
    # douyin on 01-03: 130 / (5 + 2) = 18.6; 01-04: 130 / 6 = 21.7 — both above 10
    assert {item: s for (rule, item), s in states.items() if rule == "cac_channel"} == EXPECTED_CHANNEL
    flags = {(f.id, json.dumps(f.scope)): f for f in result.flags}
    c2 = flags[("cac_campaign", '{"campaign": "c2"}')]
    assert (c2.state, c2.since, c2.value, c2.action) == (RuleState.FIRING, day("2026-01-05"), 20.0, "检查落地页与定向")
    assert flags[("cac_channel", '{"channel": "douyin"}')].state is RuleState.OK
    assert result.status == "warning"  # a warning rule firing (the critical one is ok on 01-08)


def test_history_and_notes_survive_a_restart(tmp_path: Path) -> None:
    wh = _build(tmp_path)
    plan = plan_from(CAMPAIGN_PLAN)
    run_check(wh, plan, day("2026-01-04"))
    add_note(wh, "cac_channel", "douyin", day("2026-01-04"), "已暂停抖音投放，更换素材", "李四")
    run_check(wh, plan, day("2026-01-08"))
    run_check(wh, plan, day("2026-01-04"))  # replaying an earlier day keeps the later evaluations
    # a new process reads what the earlier ones wrote
    code = (
        "import json, sys; from pathlib import Path; from opsplan.plan.check import rule_history;"
        "from opsplan.store.warehouse import Warehouse;"
        "h = rule_history(Warehouse(Path(sys.argv[1])), 'cac_channel');"
        "h = h[h.item == 'douyin'].sort_values('date');"
        "print(json.dumps({'states': list(h.state), 'since': [str(s) for s in h.since],"
        " 'note': list(h.note.fillna(''))}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(wh.path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    seen = json.loads(out)
    assert seen["states"] == EXPECTED_CHANNEL["douyin"]
    assert seen["since"][2:5] == ["2026-01-03"] * 3  # pending, firing, firing: since the 3rd
    assert seen["note"][3] == "已暂停抖音投放，更换素材" and seen["note"][:3] == ["", "", ""]
    assert len(rule_history(wh)) == 2 * 8 + 3 * 8  # one row per rule, item and day, never duplicated


# --- small channels: an under-spend value is not judged (never no data), or judged on pooled cohort days

ROI_RULE = "{id: roi, metric: roi_7d, per: channel, when: '< 1.0', for_days: 3, min_spend: 100, action: 暂停投放"
#: zhihu's cohorts 01-01 .. 01-06: spend 40, 40, 40, 40, 40, 60 and 7-day revenue 20, 20, 20, 20, 20, 90
#: (ROI of each day alone 0.5 ×5, then 1.5); roi_7d on 01-07 .. 01-12 judges the cohorts 01-01 .. 01-06
SMALL = parts("2026-01-01", [20, 20, 20, 20, 20, 90], [40, 40, 40, 40, 40, 60], item="zhihu", spend=[40] * 5 + [60])


def _roi_evals(rule: str, data: pd.DataFrame = SMALL) -> list[RuleEval]:
    plan = _rule_plan(rule)
    r = plan.rules[0]
    return replay(r, metric_info("roi_7d"), data, ["zhihu"], day("2026-01-07"), day("2026-01-12"))["zhihu"]


def test_an_under_spend_day_is_not_judged_with_its_value_and_spend_never_no_data() -> None:
    """One day of data: CAC 30 / 2 = 15 on spend 30 < min_spend 50, nothing before it to pool with."""
    plan = _rule_plan("{id: cac, metric: cac, when: '> 10', for_days: 1, min_spend: 50, action: a}")
    data = parts("2026-01-01", [30], [2], spend=[30])
    (ev,) = replay(plan.rules[0], metric_info("cac"), data, ["all"], day("2026-01-01"), day("2026-01-01"))["all"]
    assert (ev.state, ev.value, ev.spend, ev.min_spend) == (NOT_JUDGED, 15.0, 30.0, 50.0)
    assert ev.window_start == ev.judged_day == day("2026-01-01") and ev.streak == 0


def test_pooling_judges_a_small_channel_on_the_ratio_of_the_pooled_sums() -> None:
    """min_spend 100, pool_days 7 (the default), for_days 3:
    01-07 cohort 01-01: 40 < 100 even pooled → not judged, ROI 20/40 = 0.5
    01-08 cohorts 01-01..02: spend 80 < 100 → not judged, ROI 40/80 = 0.5
    01-09 cohorts 01-01..03: spend 120 ≥ 100 → ROI 60/120 = 0.5 < 1: pending (1)
    01-10 cohorts 01-02..04: 120 → 0.5: pending (2);  01-11 cohorts 01-03..05: 120 → 0.5: firing (3)
    01-12 cohorts 01-05..06: 40 + 60 = 100 → ROI (20 + 90) / 100 = 1.1 (the mean of the daily ROIs would be
    (0.5 + 1.5) / 2 = 1.0): resolved."""
    evals = _roi_evals(ROI_RULE + "}")
    assert [e.state for e in evals] == [NOT_JUDGED, NOT_JUDGED, PENDING, PENDING, FIRING, RESOLVED]
    assert [round(e.value, 9) for e in evals] == [0.5, 0.5, 0.5, 0.5, 0.5, 1.1]
    assert [e.spend for e in evals] == [40, 80, 120, 120, 120, 100]
    assert [f"{e.window_start:%m-%d}–{e.judged_day:%m-%d}" for e in evals] == [
        "01-01–01-01",
        "01-01–01-02",
        "01-01–01-03",
        "01-02–01-04",
        "01-03–01-05",
        "01-05–01-06",
    ]
    assert evals[4].since == day("2026-01-09") and evals[4].streak == 3
    assert all(e.min_spend == 100 for e in evals)


def test_pool_days_1_or_0_turns_pooling_off() -> None:
    """Every day alone: spend 40 ×5 and 60, all under 100 → not judged, each with its own ROI (0.5 ×5, 90/60)."""
    for pool in (1, 0):
        evals = _roi_evals(ROI_RULE + f", pool_days: {pool}}}")
        assert [e.state for e in evals] == [NOT_JUDGED] * 6
        assert [e.value for e in evals] == [0.5] * 5 + [1.5]
        assert [e.spend for e in evals] == [40] * 5 + [60]
        assert all(e.window_start == e.judged_day for e in evals)


def test_a_day_that_reaches_min_spend_is_judged_alone_even_after_small_days() -> None:
    """Cohorts 01-01..03: spend 40, 40, 150, revenue 100, 100, 75. Cohort 01-03 alone: 75 / 150 = 0.5 < 1;
    pooled it would have been 275 / 230 = 1.2 (ok), so pooling must not touch a day that is big enough."""
    data = parts("2026-01-01", [100, 100, 75], [40, 40, 150], item="zhihu", spend=[40, 40, 150])
    evals = _roi_evals(ROI_RULE.replace("for_days: 3", "for_days: 1") + "}", data)[:3]
    assert [e.state for e in evals] == [NOT_JUDGED, NOT_JUDGED, FIRING]
    assert [e.value for e in evals] == [2.5, 2.5, 0.5]  # 100/40; 200/80; 75/150
    assert (evals[2].spend, evals[2].window_start, evals[2].judged_day) == (150, day("2026-01-03"), day("2026-01-03"))


def test_pool_days_is_read_from_the_plan_and_honoured() -> None:
    """pool_days: 2 on SMALL: at most 2 cohorts, 80 < 100 until the last (40 + 60 = 100, ROI 110 / 100 = 1.1)."""
    assert _rule_plan(ROI_RULE + "}").rules[0].pool_days == 7  # the default
    assert _rule_plan(ROI_RULE + ", pool_days: 0}").rules[0].pool_days == 0
    plan = _rule_plan(ROI_RULE + ", pool_days: 2}")
    assert plan.rules[0].pool_days == 2
    evals = _roi_evals(ROI_RULE + ", pool_days: 2}")
    assert [e.state for e in evals] == [NOT_JUDGED] * 5 + [OK]
    assert [e.spend for e in evals] == [40, 80, 80, 80, 80, 100]
    assert str(evals[-1].window_start) == "2026-01-05" and round(evals[-1].value, 9) == 1.1
    _, issues = parse_plan_text(HEAD + "stop_loss:\n  - " + ROI_RULE + ", pool_days: -1}\n", "test.yaml")
    assert [(i.path, i.severity.value) for i in issues] == [("stop_loss[0].pool_days", "error")]


def test_describe_names_the_window_and_why_a_value_was_not_judged() -> None:
    plan = _rule_plan(ROI_RULE + "}")
    rule, info = plan.rules[0], metric_info("roi_7d")
    label_zh, label_en = info.label("zh"), info.label("en")  # 7日ROI(投入产出比), 7-day ROI

    def ev(item: str, state: RuleState, value: float, spend: float, streak: int, days: str) -> RuleEval:
        """``days``: evaluated, judged, since, window start (days of February 2026)."""
        on, judged, since, start = (dt.date(2026, 2, int(d)) for d in days.split())
        return RuleEval("roi", item, on, judged, state, value, spend, streak, since, start, 100.0)

    not_judged = ev("zhihu", NOT_JUDGED, 0.84, 55.0, 0, "22 16 22 10")
    assert describe(rule, info, not_judged, "zh") == (
        f"{label_zh}（知乎，同期群 02-10–02-16） = 0.84，花费 ¥55.00 < 最低 ¥100.00，未判定"
    )
    assert describe(rule, info, not_judged, "en") == (
        f"{label_en} (Zhihu, cohorts 02-10–02-16) = 0.84, spend ¥55.00 < minimum ¥100.00: not judged"
    )
    pooled = ev("zhihu", FIRING, 0.84, 120.0, 3, "22 16 20 10")
    assert describe(rule, info, pooled, "zh") == (
        f"{label_zh}（知乎，同期群 02-10–02-16（合并 7 天花费 ¥120.00）） = 0.84，规则 < 1.00，"
        "触发（自 2026-02-20，连续 3 天）"
    )
    assert describe(rule, info, pooled, "en") == (
        f"{label_en} (Zhihu, cohorts 02-10–02-16 (7 days pooled, spend ¥120.00)) = 0.84, rule < 1.00: "
        "firing since 2026-02-20 (3 day(s) in a row)"
    )
    alone = ev("xiaohongshu", OK, 1.2, 426.26, 0, "23 17 20 17")
    assert describe(rule, info, alone, "zh").startswith(f"{label_zh}（小红书，同期群 02-17） = 1.20，")
    assert describe(rule, info, alone, "en").startswith(f"{label_en} (Xiaohongshu, cohort 02-17) = 1.20, ")
    # from a replay: SMALL's first day is not judged alone, its fifth fires on three pooled cohorts
    evals = _roi_evals(ROI_RULE + "}")
    assert (
        describe(rule, info, evals[0], "zh")
        == f"{label_zh}（知乎，同期群 01-01） = 0.50，花费 ¥40.00 < 最低 ¥100.00，未判定"
    )
    assert describe(rule, info, evals[4], "en") == (
        f"{label_en} (Zhihu, cohorts 01-03–01-05 (3 days pooled, spend ¥120.00)) = 0.50, rule < 1.00: "
        "firing since 2026-01-09 (3 day(s) in a row)"
    )
    assert (yuan(1234), yuan(1234.5), yuan(None)) == ("¥1,234.00", "¥1,234.50", "—")


def test_daily_rules_without_a_window_read_as_before() -> None:
    """A metric judged on the day itself, not pooled: no window in the sentence (notify and check texts)."""
    plan = _rule_plan("{id: cac, metric: cac, when: '> 10', for_days: 1, action: a}")
    data = parts("2026-01-01", [100], [5])
    (ev,) = replay(plan.rules[0], metric_info("cac"), data, ["all"], day("2026-01-01"), day("2026-01-01"))["all"]
    assert describe(plan.rules[0], metric_info("cac"), ev, "en") == (
        "CAC = ¥20.00, rule > ¥10.00: firing since 2026-01-01 (1 day(s) in a row)"
    )


def test_pooling_on_a_real_warehouse_judges_the_small_campaign_days(campaign_wh: Warehouse) -> None:
    """cac_campaign with the default pool_days (7): c2 spends 30 on 01-03 and 01-04.
    01-03: 30 < 50 → pooled with 01-02: CAC (100 + 30) / (5 + 2) = 18.57 on spend 130 → still above 10;
    01-04: 30 < 50 → pooled with 01-03: CAC (30 + 30) / (2 + 1) = 20 on spend 60. So c2 fires from 01-02 on."""
    plan = plan_from(CAMPAIGN_PLAN.replace(" pool_days: 1,", ""))
    assert plan.rules[0].pool_days == 7
    result = run_check(campaign_wh, plan, day("2026-01-08"), keep_history=False)
    c2 = sorted((e for e in result.history if (e.rule_id, e.item) == ("cac_campaign", "c2")), key=lambda e: e.date)
    assert [e.state.value for e in c2] == ["pending"] + ["firing"] * 7
    assert (round(c2[2].value, 2), c2[2].spend, str(c2[2].window_start)) == (18.57, 130, "2026-01-02")
    assert (c2[3].value, c2[3].spend, str(c2[3].window_start)) == (20, 60, "2026-01-03")
    assert c2[-1].since == day("2026-01-01")


def test_demo_small_channels_are_judged_on_pooled_cohorts_on_feb_23(demo_db: Path) -> None:
    """On 2026-02-23 roi_floor judges the cohort of 02-17 (min_spend 300, pool_days 7). Checked by hand from
    measure.daily_parts('roi_7d', per='channel'), num = 7-day revenue, den = spend = the cohort day's spend:
    zhihu 02-17 back to 02-12: spend 58.36 + 56.47 + 50.22 + 45.54 + 65.65 + 65.38 = 341.62 (>= 300 on the
    sixth day), revenue 49 + 159 + 30 + 99 + 30 + 99 = 466 → 466 / 341.62 = 1.364 ≥ 1: ok, cohorts 02-12–02-17.
    kol 02-17 back to 02-13: 79.90 + 83.15 + 59.47 + 62.63 + 59.20 = 344.35, revenue 30 + 159 + 129 + 69 + 79 = 466
    → 1.353: ok, cohorts 02-13–02-17.
    bilibili spends ~¥10 a day: 02-11..02-17 revenue 0, 0, 30, 0, 0, 0, 49 on 11.72 + 15.17 + 11.24 + 11.79
    + 10.07 + 10.70 + 9.95 = 80.64 < 300 even pooled → not judged, with ROI 79 / 80.64 = 0.980."""
    plan, _ = read_plan(DEMO_PLAN)
    assert plan is not None
    with read_connection(Warehouse(demo_db)) as con:
        result = evaluate_plan(con, plan, day("2026-02-23"))
    last = {e.item: e for e in result.history if e.rule_id == "roi_floor" and e.date == day("2026-02-23")}
    expected = {
        "zhihu": (OK, 466 / 341.62, 341.62, "2026-02-12"),
        "kol": (OK, 466 / 344.35, 344.35, "2026-02-13"),
        "bilibili": (NOT_JUDGED, 79 / 80.64, 80.64, "2026-02-11"),
    }
    for item, (state, value, spend, start) in expected.items():
        ev = last[item]
        assert (ev.state, str(ev.window_start), str(ev.judged_day)) == (state, start, "2026-02-17"), item
        assert ev.value == pytest.approx(value, abs=1e-9) and ev.spend == pytest.approx(spend, abs=1e-9), item
