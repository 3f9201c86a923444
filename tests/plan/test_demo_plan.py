"""On the demo data and the demo plan, the check finds the channel that turns unprofitable, on the day a
person looking at the data would.

The demo plants one story: xiaohongshu's (小红书) 7-day ROI drops below 1.0 from the cohort of 2026-02-15.
A person cannot see a cohort's 7-day ROI before its 7 days are over: the 02-15 cohort's is known at the
end of 02-21. So the rule "roi_7d < 1.0 for 3 days" (the seed's 'ROI 低于 1:1 → 暂停投放') goes pending
on 02-21 and fires on 02-23 (cohorts 02-15, 02-16, 02-17 all below 1) — and no other channel fires.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb

from opsplan.demo.dataset import PROFITABLE_CHANNEL, UNPROFITABLE_CHANNEL
from opsplan.plan.check import evaluate_plan
from opsplan.plan.parse import read_plan
from opsplan.plan.stoploss import RuleState
from opsplan.store.warehouse import Warehouse, read_connection
from tests.conftest import DEMO_PLAN, Cli


def _roi_by_cohort(db: Path, channel: str) -> dict[dt.date, float]:
    """ROI of each day's cohort over its first 7 days, straight from the raw tables (not the views)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'Asia/Shanghai'")
        rows = con.execute(
            """
            WITH u AS (SELECT user_id, CAST(signup_at AS DATE) AS cohort FROM users WHERE channel = ?),
            rev AS (SELECT u.cohort, sum(o.amount) AS revenue FROM u JOIN orders o USING (user_id)
                    WHERE CAST(o.paid_at AS DATE) BETWEEN u.cohort AND u.cohort + 6 GROUP BY ALL),
            sp AS (SELECT date AS cohort, sum(spend) AS spend FROM ad_spend WHERE channel = ? GROUP BY ALL)
            SELECT cohort, coalesce(revenue, 0) / spend FROM sp LEFT JOIN rev USING (cohort)
            WHERE spend > 0 AND cohort <= DATE '2026-03-25' ORDER BY cohort
            """,
            [channel, channel],
        ).fetchall()
    finally:
        con.close()
    return {d: float(r) for d, r in rows}


def test_the_data_turns_unprofitable_from_the_cohort_of_feb_15(demo_db: Path) -> None:
    roi = _roi_by_cohort(demo_db, UNPROFITABLE_CHANNEL)
    before = [r for d, r in roi.items() if d < dt.date(2026, 2, 15)]
    after = [r for d, r in roi.items() if d >= dt.date(2026, 2, 15)]
    # profitable on average before, and in each of the 7 cohorts before the drop; every cohort after is not
    assert sum(before) / len(before) > 1.3 and min(before[-7:]) > 1.0 and max(after) < 1.0


def test_the_check_finds_xiaohongshu_on_the_day_its_roi_is_known(demo_db: Path) -> None:
    plan, _ = read_plan(DEMO_PLAN)
    assert plan is not None
    with read_connection(Warehouse(demo_db)) as con:
        result = evaluate_plan(con, plan, dt.date(2026, 3, 31))
    roi = _roi_by_cohort(demo_db, UNPROFITABLE_CHANNEL)
    evals = {(e.item, e.date): e for e in result.history if e.rule_id == "roi_floor"}
    xhs = [evals[(UNPROFITABLE_CHANNEL, d)] for d in sorted(d for item, d in evals if item == UNPROFITABLE_CHANNEL)]
    by_day = {e.date: e for e in xhs}
    assert by_day[dt.date(2026, 2, 20)].state is RuleState.OK
    first_pending = by_day[dt.date(2026, 2, 21)]
    assert first_pending.state is RuleState.PENDING and first_pending.judged_day == dt.date(2026, 2, 15)
    assert abs(first_pending.value - roi[dt.date(2026, 2, 15)]) < 1e-9  # the same number as the raw tables
    first_firing = next(e for e in xhs if e.state is RuleState.FIRING)
    assert (first_firing.date, first_firing.since) == (dt.date(2026, 2, 23), dt.date(2026, 2, 21))
    assert all(e.state is RuleState.FIRING for e in xhs if e.date >= dt.date(2026, 2, 23))
    # no other channel ever fires (single noisy cohorts may make one pending for a day, as in real data)
    assert {e.item for e in evals.values() if e.state is RuleState.FIRING} == {UNPROFITABLE_CHANNEL}
    assert not any(e.state is RuleState.FIRING for e in evals.values() if e.item == PROFITABLE_CHANNEL)


def test_opsplan_check_on_the_days_around_it(demo_db: Path, tmp_path: Path, cli: Cli) -> None:
    db = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, db)

    def flag(date: str) -> tuple[int, dict[str, object]]:
        r = cli("--db", db, "check", "--plan", DEMO_PLAN, "--date", date, "--format", "json")
        rules = json.loads(r.out)["rules"]
        return r.code, next(x for x in rules if x["id"] == "roi_floor" and x["scope"] == {"channel": "xiaohongshu"})

    _, before = flag("2026-02-20")
    assert before["state"] == "ok"
    _, pending = flag("2026-02-21")
    assert (pending["state"], pending["since"]) == ("pending", "2026-02-21")
    code, firing = flag("2026-02-23")
    assert (code, firing["state"], firing["since"], firing["severity"]) == (2, "firing", "2026-02-21", "critical")
    assert firing["action"] == "暂停投放，优化素材后再测试"
    table = cli("--db", db, "check", "--plan", DEMO_PLAN, "--date", "2026-02-23")
    assert "小红书" in table.out and "暂停投放，优化素材后再测试" in table.out
