"""Acknowledging and snoozing a flag (issue 12): `opsplan ack`, kept in the warehouse, marked in the next check's
JSON, text and notification; a snoozed flag still shows but no longer raises the status; an acknowledgement
holds for one run of a flag."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from opsplan.plan.acks import holds
from opsplan.plan.check import rule_history, run_check
from opsplan.plan.notify import summary_text
from opsplan.plan.parse import read_plan
from opsplan.plan.result import Ack
from opsplan.store.warehouse import Warehouse
from tests.conftest import DEMO_PLAN, Cli

CHECK = ("check", "--plan", DEMO_PLAN, "--date", "2026-02-23", "--format", "json")

#: the demo plan with only its ROI floor: 小红书 fires on 2026-02-23 (the planted drop), nothing else is judged
ROI_ONLY = """plan: {name: ROI only, start: 2026-01-01, end: 2026-03-31, timezone: Asia/Shanghai, currency: CNY}
stop_loss:
  - {id: roi_floor, metric: roi_7d, per: channel, when: "< 1.0", for_days: 3, min_spend: 300,
     severity: critical, action: 暂停投放，优化素材后再测试}
"""


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, path)
    return path


def _xhs(out: str) -> dict:
    return next(
        r for r in json.loads(out)["rules"] if r["id"] == "roi_floor" and r["scope"] == {"channel": "xiaohongshu"}
    )


def test_an_acknowledged_flag_carries_the_note_and_still_raises_the_alarm(cli: Cli, db: Path) -> None:
    before = cli("--db", db, *CHECK)
    assert before.code == 2 and _xhs(before.out)["acknowledged"] is None
    done = cli("--db", db, "ack", "roi_floor", "xiaohongshu", "--note", "已暂停投放", "--by", "王芳")
    assert done.code == 0 and "acknowledged" in done.out
    after = cli("--db", db, *CHECK)
    flag = _xhs(after.out)
    assert after.code == 2 and flag["state"] == "firing"
    assert (flag["acknowledged"]["by"], flag["acknowledged"]["note"], flag["snoozed_until"]) == (
        "王芳",
        "已暂停投放",
        None,
    )
    text = cli("--db", db, "check", "--plan", DEMO_PLAN, "--date", "2026-02-23").out
    assert "（已确认 · 王芳：已暂停投放）" in text
    history = rule_history(Warehouse(db), "roi_floor")
    notes = history[(history["item"] == "xiaohongshu") & (history["date"] == dt.date(2026, 2, 23))]["note"]
    assert notes.iloc[0] == "已确认：已暂停投放"


def test_a_snoozed_flag_shows_marked_and_stops_raising_the_status(cli: Cli, db: Path, tmp_path: Path) -> None:
    plan = tmp_path / "roi.yaml"
    plan.write_text(ROI_ONLY, encoding="utf-8")
    argv = ("check", "--plan", plan, "--date", "2026-02-23", "--format", "json")
    assert cli("--db", db, *argv).code == 2  # the firing critical flag is the alarm
    assert cli("--db", db, "ack", "roi_floor", "xiaohongshu", "--until", "2026-02-28", "--note", "等新素材").code == 0
    snoozed = cli("--db", db, *argv)
    flag = _xhs(snoozed.out)
    assert flag["state"] == "firing" and flag["snoozed_until"] == "2026-02-28"  # still shown, marked
    assert snoozed.code == 0 and json.loads(snoozed.out)["status"] == "ok"  # but silent until 02-28
    # the notification lists it, marked, and does not say all clear
    parsed, issues = read_plan(plan)
    assert parsed is not None, issues
    result = run_check(Warehouse(db), parsed, dt.date(2026, 2, 23), keep_history=False)
    text = summary_text(result, parsed, "zh")
    assert "🔕" in text and "已静音至 2026-02-28" in text and "一切正常" not in text
    assert "snoozed until 2026-02-28" in summary_text(result, parsed, "en")
    # after the snooze, the flag raises the status again, still acknowledged
    later = cli("--db", db, "check", "--plan", plan, "--date", "2026-03-01", "--format", "json")
    assert later.code == 2 and _xhs(later.out)["snoozed_until"] is None and _xhs(later.out)["acknowledged"]


def test_an_acknowledgement_holds_for_one_run_of_the_flag() -> None:
    ack = Ack("已暂停投放", "王芳", None, dt.datetime(2026, 2, 23, 9, tzinfo=dt.UTC), dt.date(2026, 2, 23))

    class Run:  # the two fields ``holds`` reads of a Flag
        def __init__(self, since: dt.date) -> None:
            self.since = since

    assert holds(ack, Run(dt.date(2026, 2, 21)))  # the run it was made in
    assert not holds(ack, Run(dt.date(2026, 3, 2)))  # resolved, then fired again: a new, unacknowledged run
    assert not holds(None, Run(dt.date(2026, 2, 21)))


def test_acknowledging_a_flag_no_check_has_seen_is_refused(cli: Cli, db: Path) -> None:
    never = cli("--db", db, "ack", "roi_floor", "xiaohongshu")  # a fresh copy: no check has kept anything yet
    assert never.code == 1 and "no check has evaluated" in never.err
    cli("--db", db, *CHECK)
    refused = cli("--db", db, "ack", "roi_flor", "xiaohongshu")
    assert refused.code == 1 and "roi_flor" in refused.err and "roi_floor" in refused.err
    past = cli("--db", db, "ack", "roi_floor", "xiaohongshu", "--until", "2026-02-01")
    assert past.code == 1 and "before the flag's evaluation" in past.err
