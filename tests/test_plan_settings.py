"""The plan's settings reach the numbers: ``settings.activation_event`` and ``settings.active_events`` decide
activation, DAU and retention, through the warehouse, the handle's exports and the CLI, before and after the
plan changes. Four users in Asia/Shanghai, every number worked out by hand below.

users (signup, local time):  u1 01-05 10:00 douyin · u2 01-05 11:00 douyin ·
                             u3 01-05 23:30 organic (15:30Z: still 01-05 in Shanghai) · u4 01-06 09:00 douyin
events (local day):          u1 app_open 01-05, core_feature_a 01-06, app_open 01-07
                             u2 app_open 01-06, share 01-07
                             u3 core_feature_a 01-06 (16:30Z on 01-05 = 00:30 on 01-06), checkin 01-07
                             u4 app_open 01-06, core_feature_a 01-08
A user is active on a day with one of the active events, or on the signup day. Activated: the activation
event on the signup day or the day after (without one named: any event but signup).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opsplan.handle import OpsPlan, event_roles
from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse
from tests.builders import write_csv
from tests.conftest import Cli

HEAD = "plan: {name: 设置测试, start: 2026-01-05, end: 2026-01-31, timezone: Asia/Shanghai}\n"
PLAN_A = HEAD + "settings: {activation_event: core_feature_a, active_events: [core_feature_a, share]}\n"
PLAN_B = HEAD + "settings: {activation_event: app_open, active_events: [app_open]}\n"
NO_SETTINGS = HEAD

# (activated, activation_rate) and DAU on 01-05 .. 01-08 and D1 retention of the 01-05 cohort (u1, u2, u3)
DEFAULT = {
    # every user sends some event on c..c+1 → 4 of 4; DAU: 3 signups | all 4 | u1 u2 u3 | u4
    "funnel": (4, 1.0),
    "dau": [3, 4, 3, 1],
    "d1": 3 / 3,  # u1, u2, u3 all active on 01-06
}
EXPECTED_A = {
    # core_feature_a on c..c+1: u1 (01-06), u3 (01-06); not u2 (never), not u4 (01-08 > 01-07) → 2 of 4
    "funnel": (2, 0.5),
    # 01-05: the three signups; 01-06: u1, u3 (core), u4 (signup) — u2's app_open does not count;
    # 01-07: u2 (share) — u1's app_open and u3's checkin do not; 01-08: u4 (core)
    "dau": [3, 3, 1, 1],
    "d1": 2 / 3,  # u1, u3
}
EXPECTED_B = {
    # app_open on c..c+1: u1 (01-05), u2 (01-06), u4 (01-06); u3 never → 3 of 4
    "funnel": (3, 0.75),
    # 01-05: the signups; 01-06: u2, u4 (app_open); 01-07: u1 (app_open); 01-08: nobody (an empty day is 0)
    "dau": [3, 2, 1, 0],
    "d1": 1 / 3,  # u2
}


@pytest.fixture
def wh(tmp_path: Path) -> Warehouse:
    wh = Warehouse(tmp_path / "settings.duckdb")
    users = write_csv(
        tmp_path / "users.csv",
        ("user_id", "signup_at", "channel"),
        [
            ("u1", "2026-01-05 10:00:00", "douyin"),
            ("u2", "2026-01-05 11:00:00", "douyin"),
            ("u3", "2026-01-05T15:30:00Z", ""),
            ("u4", "2026-01-06 09:00:00", "douyin"),
        ],
    )
    events = write_csv(
        tmp_path / "events.csv",
        ("event_id", "user_id", "event_at", "event_name"),
        [
            ("e1", "u1", "2026-01-05 10:05:00", "app_open"),
            ("e2", "u1", "2026-01-06 12:00:00", "core_feature_a"),
            ("e3", "u1", "2026-01-07 08:00:00", "app_open"),
            ("e4", "u2", "2026-01-06 20:00:00", "app_open"),
            ("e5", "u2", "2026-01-07 21:00:00", "share"),
            ("e6", "u3", "2026-01-05T16:30:00Z", "core_feature_a"),
            ("e7", "u3", "2026-01-07 09:00:00", "checkin"),
            ("e8", "u4", "2026-01-06 09:01:00", "app_open"),
            ("e9", "u4", "2026-01-08 18:00:00", "core_feature_a"),
        ],
    )
    load(wh, "users", [users], tz="Asia/Shanghai")
    load(wh, "events", [events], tz="Asia/Shanghai")
    return wh


def plan_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def numbers(ops: OpsPlan) -> dict[str, object]:
    funnel = ops.export("funnel").iloc[0]
    daily = ops.export("daily")
    retention = ops.export("retention")
    d1 = retention.loc[retention["cohort"].astype(str) == "2026-01-05", "retention_d1"].iloc[0]
    return {
        "funnel": (int(funnel["activated"]), float(funnel["activation_rate"])),
        "dau": [int(v) for v in daily["dau"]],
        "d1": float(d1),
    }


def test_the_plan_settings_reach_activation_dau_and_retention(wh: Warehouse, tmp_path: Path) -> None:
    # before any plan: the default definitions
    assert numbers(OpsPlan(wh.path)) == DEFAULT
    assert event_roles(wh) == []
    path = plan_file(tmp_path, PLAN_A)
    assert numbers(OpsPlan(wh.path, path)) == EXPECTED_A
    assert event_roles(wh) == [("activation", "core_feature_a"), ("active", "core_feature_a"), ("active", "share")]
    # the plan changes: the next handle on the edited file applies the new roles and rebuilds the views
    path.write_text(PLAN_B, encoding="utf-8")
    assert numbers(OpsPlan(wh.path, path)) == EXPECTED_B
    # a handle that is told to read the plan again sees an edit too
    ops = OpsPlan(wh.path, path)
    ops.check()
    path.write_text(NO_SETTINGS, encoding="utf-8")
    assert numbers(ops.reload()) == DEFAULT
    assert event_roles(wh) == []


def test_a_plan_with_errors_changes_no_setting(wh: Warehouse, tmp_path: Path) -> None:
    path = plan_file(tmp_path, PLAN_A)
    assert numbers(OpsPlan(wh.path, path)) == EXPECTED_A
    path.write_text(PLAN_B.replace("end: 2026-01-31", "end: 2026-01-32"), encoding="utf-8")
    ops = OpsPlan(wh.path, path)
    assert ops.plan is None and not ops.apply_settings()
    assert numbers(ops) == EXPECTED_A  # the last good plan's roles stay, nothing half-applied


def test_the_cli_funnel_export_follows_the_plan(cli: Cli, wh: Warehouse, tmp_path: Path) -> None:
    def funnel(*plan: str | Path) -> tuple[int, float]:
        r = cli("--db", wh.path, "metrics", "funnel", "--format", "json", *plan)
        assert r.code == 0, r.err
        row = json.loads(r.out)[0]
        return row["activated"], row["activation_rate"]

    assert funnel() == DEFAULT["funnel"]
    assert funnel("--plan", plan_file(tmp_path, PLAN_A)) == EXPECTED_A["funnel"]
    assert funnel() == EXPECTED_A["funnel"]  # the warehouse keeps the plan's roles for every later reader
    assert funnel("--plan", plan_file(tmp_path, PLAN_B)) == EXPECTED_B["funnel"]
    # the daily check applies the plan it judges, so cron keeps the dashboard's numbers on the plan
    check = cli("--db", wh.path, "check", "--plan", plan_file(tmp_path, PLAN_A), "--date", "2026-01-08")
    assert check.code in (0, 1, 2, 3), check.err
    assert funnel() == EXPECTED_A["funnel"]
