"""The morning check on old data says so and never says "ok": the seven-user fixture (data through 2026-01-13,
Asia/Shanghai) checked without --date on 2026-01-20, where yesterday (01-19) was the expected last day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.test_check_cli import _template, check_json, db, new_users, write_plan  # noqa: F401 (fixtures)
from tests.test_notify import Hook, hook, text_of  # noqa: F401 (the local webhook server fixture)

STALE_ZH = "数据截至 2026-01-13，比预期的 2026-01-19 晚 6 天：今天的判断基于旧数据。"
STALE_EN = "Data runs to 2026-01-13, 6 days behind the expected 2026-01-19: today's verdicts rest on old data."


def test_current_data_is_judged_as_usual(cli: Cli, db: Path, tmp_path: Path) -> None:  # noqa: F811
    r, out = check_json(cli, db, write_plan(tmp_path, new_users(20)))  # the morning of 01-14: current
    assert (r.code, out["status"], out["stale"]) == (0, "ok", None)


def test_old_data_is_unknown_not_ok(cli: Cli, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setenv("OPSPLAN_NOW", "2026-01-20T09:00:00+08:00")
    plan = write_plan(tmp_path, new_users(20))
    r, out = check_json(cli, db, plan)
    assert (r.code, out["status"], out["date"]) == (3, "unknown", "2026-01-13")
    assert out["stale"] == STALE_ZH
    assert out["targets"][0]["status"] == "on_track"  # the old day's verdicts are still there to read
    _, en = check_json(cli, db, plan, "--lang", "en")
    assert en["stale"] == STALE_EN
    table = cli("--db", db, "check", "--plan", plan).out.splitlines()
    assert table[1] == f"⚠ {STALE_ZH}"
    # a replayed day (--date) is about that day: no staleness
    r, out = check_json(cli, db, plan, "--date", "2026-01-13")
    assert (r.code, out["status"], out["stale"]) == (0, "ok", None)


def test_the_notification_says_it_and_no_all_clear(
    cli: Cli, db: Path, tmp_path: Path, hook: Hook, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    monkeypatch.setenv("OPSPLAN_NOW", "2026-01-20T09:00:00+08:00")
    r = cli("--db", db, "check", "--plan", write_plan(tmp_path, new_users(20)), "--notify", hook.url)
    assert r.code == 3
    (body,) = hook.bodies()
    lines = text_of(body).splitlines()  # type: ignore[arg-type]
    assert lines[0].endswith("· 2026-01-13 · UNKNOWN") and lines[1] == f"⚠ {STALE_ZH}"
    assert "一切正常" not in lines
    assert json.loads(json.dumps(body))["check"]["stale"] == STALE_ZH
