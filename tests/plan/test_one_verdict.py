"""One value and one verdict per fact, on the demo quarter and the demo plan.

A metric × scope × window has one value whether it is read as a target, an initiative, a stop-loss rule, the
CLI's JSON or the Channels page's query; where two judgements use different windows (a target's 7 latest mature
cohorts, a rule's latest cohort day) each names its window. An initiative whose channel has a firing stop-loss
says so. After the end of its period a status is final. A value under its minimum spend is shown, "not judged".
The reference numbers come straight from the raw tables (users, orders, ad_spend), not from the views.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from opsplan.handle import OpsPlan
from opsplan.metrics.rollup import query_metrics
from opsplan.plan.evaluate import Status
from opsplan.plan.stoploss import RuleState
from opsplan.store.warehouse import Warehouse, read_connection
from tests.conftest import DEMO_PLAN, Cli

FEB_23, MAR_31 = dt.date(2026, 2, 23), dt.date(2026, 3, 31)
#: the demo plan plus a target on exactly what the initiative 小红书种草常投 measures (roi_7d of xiaohongshu)
XHS_TARGET = "  - {id: roi_xhs, metric: roi_7d, scope: {channel: xiaohongshu}, target: 1.2, kind: level}\n"


def raw_roi(db: Path, channel: str, first: str, last: str) -> float:
    """Σ 7-day revenue of the cohorts first..last / Σ their days' spend, from the raw tables."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'Asia/Shanghai'")
        (value,) = con.execute(
            """
            WITH u AS (SELECT user_id, CAST(signup_at AS DATE) AS cohort FROM users WHERE channel = $1),
            rev AS (SELECT sum(o.amount) AS r FROM u JOIN orders o USING (user_id)
                    WHERE CAST(o.paid_at AS DATE) BETWEEN u.cohort AND u.cohort + 6
                      AND u.cohort BETWEEN CAST($2 AS DATE) AND CAST($3 AS DATE)),
            sp AS (SELECT sum(spend) AS s FROM ad_spend
                   WHERE channel = $1 AND date BETWEEN CAST($2 AS DATE) AND CAST($3 AS DATE))
            SELECT r / s FROM rev, sp
            """,
            [channel, first, last],
        ).fetchone()
    finally:
        con.close()
    return float(value)


@pytest.fixture
def ops(demo_db: Path, tmp_path: Path) -> OpsPlan:
    db = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, db)
    plan = tmp_path / "plan.yaml"
    plan.write_text(DEMO_PLAN.read_text(encoding="utf-8").replace("targets:\n", "targets:\n" + XHS_TARGET, 1))
    return OpsPlan(db, plan)


def test_a_target_and_an_initiative_on_the_same_window_have_one_value_and_one_window(ops: OpsPlan) -> None:
    result = ops.check(FEB_23)
    target = next(t for t in result.targets if t.id == "roi_xhs")
    initiative = next(i for i in result.initiatives if i.name == "小红书种草常投")
    # both judge the 7 latest mature cohorts on 02-23: 02-11 .. 02-17, and say so
    reference = raw_roi(ops.warehouse.path, "xiaohongshu", "2026-02-11", "2026-02-17")
    assert target.actual == pytest.approx(reference, rel=1e-9)
    assert initiative.actual == pytest.approx(reference, rel=1e-9)
    assert "同期群 02-11–02-17" in target.reason_zh and "同期群 02-11–02-17" in initiative.reason_zh
    assert "cohorts 02-11–02-17" in target.reason_en and "cohorts 02-11–02-17" in initiative.reason_en
    # the Channels page reads the same number for that range
    with read_connection(ops.warehouse) as con:
        page = query_metrics(
            con, ["roi_7d"], grain="total", start=dt.date(2026, 2, 11), end=dt.date(2026, 2, 17), by="channel"
        )
    assert page.set_index("channel").loc["xiaohongshu", "roi_7d"] == pytest.approx(reference, rel=1e-9)
    # the cumulative target and initiative on referred new users, over the same quarter: one value, one verdict
    referral = next(t for t in result.targets if t.id == "referral_users")
    invite = next(i for i in result.initiatives if i.name == "邀请有礼")
    assert (referral.actual, invite.actual) == (872, 872)
    assert referral.status is invite.status is Status.ON_TRACK


def test_the_rule_names_its_own_window_the_cohort_day(ops: OpsPlan) -> None:
    flag = next(f for f in ops.check(FEB_23).flags if f.id == "roi_floor" and f.scope == {"channel": "xiaohongshu"})
    assert flag.state is RuleState.FIRING and flag.judged_day == dt.date(2026, 2, 17)
    assert flag.value == pytest.approx(raw_roi(ops.warehouse.path, "xiaohongshu", "2026-02-17", "2026-02-17"))
    assert "同期群 02-17" in flag.reason_zh and "cohort 02-17" in flag.reason_en


def test_an_initiative_whose_channel_has_a_firing_stop_loss_says_so(ops: OpsPlan) -> None:
    initiative = next(i for i in ops.check(FEB_23).initiatives if i.name == "小红书种草常投")
    # 1.10 against 1.20 alone would be at risk (within 10%); the critical roi_floor flag makes it off track
    assert initiative.actual == pytest.approx(1.0984, abs=1e-4)
    assert initiative.status is Status.OFF_TRACK and initiative.flags == ("roi_floor (critical)",)
    assert "止损规则「ROI 止损线」触发中（自 2026-02-21）：暂停投放，优化素材后再测试 → 落后" in initiative.reason_zh
    assert "stop-loss ROI floor firing since 2026-02-21" in initiative.reason_en
    # an initiative on another channel is not touched by it
    kol = next(i for i in ops.check(FEB_23).initiatives if i.name == "春节KOL爆发")
    assert kol.flags == () and kol.status is Status.ON_TRACK


def test_after_the_end_a_status_is_final(ops: OpsPlan) -> None:
    result = ops.check(MAR_31)
    final = {Status.ACHIEVED, Status.MISSED, Status.NO_DATA}
    assert {t.status for t in result.targets} <= final
    new_users = next(t for t in result.targets if t.id == "new_users")
    # 20,000 of 22,000 when the quarter is over is missed, not "at risk"
    assert (new_users.actual, new_users.status) == (20000, Status.MISSED)
    assert new_users.reason_zh.endswith("01-01–03-31 已结束 → 未达成")
    assert next(t for t in result.targets if t.id == "revenue").status is Status.ACHIEVED
    finished = [i for i in result.initiatives if i.state == "finished"]
    assert len(finished) == 6 and {i.status for i in finished} <= {Status.ACHIEVED, Status.MISSED}
    # 春节KOL爆发 ended 03-17: judged on its own dates, final from then on
    kol = next(i for i in finished if i.name == "春节KOL爆发")
    assert (kol.actual, kol.status) == (691, Status.ACHIEVED)
    assert result.status == "critical"  # a missed target is as bad as one off track


def test_a_value_under_its_minimum_spend_is_shown_not_judged(cli: Cli, ops: OpsPlan) -> None:
    """bilibili spends about ¥10 a day: its cohorts 02-11 .. 02-17 pooled spent ¥80.64 (11.72 + 15.17 + 11.24 +
    11.79 + 10.07 + 10.70 + 9.95) < ¥300 and brought ¥79 in 7 days (30 + 49): ROI 0.98, not judged.
    zhihu reached ¥300 on its sixth cohort day back (02-12): judged on the pooled ¥341.62, ok."""
    r = cli("--db", ops.warehouse.path, "check", "--plan", ops.plan_file, "--date", "2026-02-23", "--format", "json")
    rules = {(x["id"], json.dumps(x["scope"])): x for x in json.loads(r.out)["rules"]}
    bili = rules[("roi_floor", '{"channel": "bilibili"}')]
    assert bili["state"] == "not_judged"
    assert bili["value"] == pytest.approx(79 / 80.64, abs=1e-6) and bili["spend"] == pytest.approx(80.64)
    assert (bili["min_spend"], bili["window_start"], bili["judged_day"]) == (300, "2026-02-11", "2026-02-17")
    assert "花费 ¥80.64 < 最低 ¥300.00，未判定" in bili["reason"]
    zhihu = rules[("roi_floor", '{"channel": "zhihu"}')]
    assert (zhihu["state"], zhihu["window_start"]) == ("ok", "2026-02-12")
    assert zhihu["spend"] == pytest.approx(341.62) and zhihu["value"] == pytest.approx(466 / 341.62, abs=1e-6)
    assert zhihu["value"] == pytest.approx(raw_roi(ops.warehouse.path, "zhihu", "2026-02-12", "2026-02-17"))
    # the table for a terminal lists it too, with its reason, not among the quiet ones
    table = cli("--db", ops.warehouse.path, "check", "--plan", ops.plan_file, "--date", "2026-02-23").out
    assert "?  [严重] ROI 止损线：7日ROI(投入产出比)（B站，同期群 02-11–02-17） = 0.98" in table


def test_the_warehouse_is_the_same_after_judging(ops: OpsPlan) -> None:
    """Judging reads only: a check without history leaves the warehouse file as it was."""
    ops.apply_settings()
    before = Warehouse(ops.warehouse.path).path.read_bytes()
    ops.check(FEB_23)
    assert ops.warehouse.path.read_bytes() == before
