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

from opsplan.check import add_note, rule_history, run_check
from opsplan.loading import load
from opsplan.measure import metric_info
from opsplan.plan import Plan
from opsplan.stoploss import RuleState, replay
from opsplan.warehouse import Warehouse
from tests.plan.helpers import day, parts, plan_from

OK, PENDING, FIRING, RESOLVED, NO_DATA = (
    RuleState.OK,
    RuleState.PENDING,
    RuleState.FIRING,
    RuleState.RESOLVED,
    RuleState.NO_DATA,
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


def test_spend_under_min_spend_is_no_data_and_breaks_the_run() -> None:
    """CAC 20 every day; spend 100, 100, 30, 100, 100, 100 with min_spend 50."""
    plan = _rule_plan("{id: cac, metric: cac, when: '> 10', for_days: 2, min_spend: 50, action: a}")
    spend = [100, 100, 30, 100, 100, 100]
    data = parts("2026-01-01", spend, [s / 20 for s in spend], spend=spend)
    assert _states(plan, data, ["all"], "2026-01-06")["all"] == [PENDING, FIRING, NO_DATA, PENDING, FIRING, FIRING]


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
  - {id: cac_campaign, metric: cac, per: campaign, when: "> 10", for_days: 2, min_spend: 50, severity: warning,
     action: 检查落地页与定向}
  - {id: cac_channel, metric: cac, per: channel, when: "> 10", for_days: 2, severity: critical, action: 暂停投放}
"""
)
#: per campaign and day 01-01 .. 01-08: (spend, new users)
DAILY = {
    # CAC 5, 5, 20, 20, 20, 5, 5, 5 → ok ok pending firing firing resolved ok ok
    "c1": ("douyin", [(100, 20), (100, 20), (100, 5), (100, 5), (100, 5), (100, 20), (100, 20), (100, 20)]),
    # CAC 20, 20, 15, 30, 20, 20, 20, 20, but spend 30 on 01-03 and 01-04 (under min_spend 50) → no data there,
    # and the run starts again on 01-05
    "c2": ("douyin", [(100, 5), (100, 5), (30, 2), (30, 1), (100, 5), (100, 5), (100, 5), (100, 5)]),
    # CAC exactly 10 every day: never triggers
    "c3": ("xiaohongshu", [(100, 10)] * 8),
}
EXPECTED_CAMPAIGN = {
    "c1": ["ok", "ok", "pending", "firing", "firing", "resolved", "ok", "ok"],
    "c2": ["pending", "firing", "no_data", "no_data", "pending", "firing", "firing", "firing"],
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
    # c2 on 01-03 / 01-04: 2 and 1 new users on spend 30 → CAC 15 and 30, but spend < 50: no data
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
        "import json, sys; from pathlib import Path; from opsplan.check import rule_history;"
        "from opsplan.warehouse import Warehouse;"
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
