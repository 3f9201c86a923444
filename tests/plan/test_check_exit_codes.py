"""`opsplan check` through the real CLI: the monitoring-plugin exit codes 0 / 1 / 2 / 3 each produced by a
scenario, and the JSON shaped as CLI.md says. Data: the stop-loss warehouse of test_stoploss (every
number worked out there): douyin's CAC is 8, 8, 18.6, 21.7, 20, 8, 8, 8 on 2026-01-01 .. 01-08, so a
"CAC > 10 for 2 days" rule is ok on 01-02, pending on 01-03, firing on 01-04 and 01-05, resolved on 01-06.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from opsplan.warehouse import Warehouse
from tests.conftest import Cli
from tests.plan.test_stoploss import _build

HEAD = "plan: {name: 检查测试, start: 2026-01-01, end: 2026-01-31, timezone: Asia/Shanghai}\n"
RULE = """stop_loss:
  - {id: cac_channel, metric: cac, per: channel, when: "> 10", for_days: 2, severity: critical,
     action: 暂停投放}
"""
WARNING_RULE = RULE.replace("critical", "warning")


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("exit")).path


@pytest.fixture
def db(_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "check.duckdb"
    shutil.copyfile(_template, path)
    return path


def _plan(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def _check(cli: Cli, db: Path, plan: Path, date: str, *extra: str) -> tuple[int, dict[str, object], str]:
    r = cli("--db", db, "check", "--plan", plan, "--date", date, "--format", "json", *extra)
    return r.code, (json.loads(r.out) if r.out.strip() else {}), r.err


@pytest.mark.parametrize(
    ("body", "date", "code", "status"),
    [
        (RULE, "2026-01-02", 0, "ok"),  # all clear
        (RULE, "2026-01-03", 1, "warning"),  # a rule pending
        (WARNING_RULE, "2026-01-04", 1, "warning"),  # a warning rule firing
        (RULE, "2026-01-04", 2, "critical"),  # a critical rule firing
        (RULE, "2026-01-06", 0, "ok"),  # resolved is not a flag
        # new users 01-01 and 01-02: 35 a day (c1 20, c2 5, c3 10) → 70: a target of 70 is achieved
        ("targets:\n  - {id: nu, metric: new_users, target: 70, kind: cumulative}\n", "2026-01-02", 0, "ok"),
        # forecast = 70 + 35 a day x 29 days left = 1,085, under 90% of 2,000 → off track
        ("targets:\n  - {id: nu, metric: new_users, target: 2000, kind: cumulative}\n", "2026-01-02", 2, "critical"),
        # forecast 1085 is within 90% of 1150 (1035) → at risk
        ("targets:\n  - {id: nu, metric: new_users, target: 1150, kind: cumulative}\n", "2026-01-02", 1, "warning"),
    ],
)
def test_exit_codes_follow_the_monitoring_plugin_convention(
    cli: Cli, db: Path, tmp_path: Path, body: str, date: str, code: int, status: str
) -> None:
    got, payload, _ = _check(cli, db, _plan(tmp_path, body), date)
    assert (got, payload["status"]) == (code, status)


def test_unknown_when_the_day_has_no_data(cli: Cli, db: Path, tmp_path: Path) -> None:
    got, payload, _ = _check(cli, db, _plan(tmp_path, RULE), "2026-01-20")
    assert got == 3 and payload["status"] == "unknown" and "2026-01-08" in str(payload["message"])


def test_unknown_on_an_empty_warehouse(cli: Cli, tmp_path: Path) -> None:
    got, payload, _ = _check(cli, tmp_path / "nothing.duckdb", _plan(tmp_path, RULE), "2026-01-02")
    assert got == 3 and payload["status"] == "unknown"


def test_unknown_when_the_plan_has_errors(cli: Cli, db: Path, tmp_path: Path) -> None:
    got, payload, err = _check(cli, db, _plan(tmp_path, RULE.replace('"> 10"', '"more than 10"')), "2026-01-02")
    assert got == 3 and payload == {}
    assert "plan.yaml:3" in err and "stop_loss[0].when" in err


def test_json_is_shaped_as_cli_md_says(cli: Cli, db: Path, tmp_path: Path) -> None:
    body = (
        RULE + "targets:\n  - {id: nu, metric: new_users, scope: {channel: douyin}, target: 2000, kind: cumulative}\n"
    )
    got, payload, _ = _check(cli, db, _plan(tmp_path, body), "2026-01-04")
    assert got == 2
    assert {"date", "status", "targets", "rules"} <= set(payload)
    assert payload["date"] == "2026-01-04" and payload["status"] == "critical"
    (target,) = payload["targets"]
    assert {"id", "metric", "scope", "status", "actual", "target", "reason"} <= set(target)
    # douyin new users 01-01 .. 01-04: 25 + 25 + 7 + 6
    assert (target["id"], target["scope"], target["actual"], target["target"]) == (
        "nu",
        {"channel": "douyin"},
        63,
        2000,
    )
    assert target["status"] == "off_track" and "新增用户" in target["reason"]
    rules = {json.dumps(r["scope"]): r for r in payload["rules"]}
    assert set(rules) == {'{"channel": "douyin"}', '{"channel": "xiaohongshu"}'}
    douyin = rules['{"channel": "douyin"}']
    assert {"id", "scope", "state", "value", "since", "severity", "action"} <= set(douyin)
    assert (douyin["id"], douyin["state"], douyin["since"], douyin["severity"], douyin["action"]) == (
        "cac_channel",
        "firing",
        "2026-01-03",
        "critical",
        "暂停投放",
    )
    assert douyin["value"] == pytest.approx(130 / 6)
    assert rules['{"channel": "xiaohongshu"}']["state"] == "ok"


def test_a_rule_for_the_whole_product_has_an_empty_scope(cli: Cli, db: Path, tmp_path: Path) -> None:
    body = RULE.replace("per: channel", "per: all")
    _, payload, _ = _check(cli, db, _plan(tmp_path, body), "2026-01-02")
    assert [r["scope"] for r in payload["rules"]] == [{}]


def test_the_table_speaks_chinese_by_default_and_english_on_request(cli: Cli, db: Path, tmp_path: Path) -> None:
    plan = _plan(tmp_path, RULE)
    zh = cli("--db", db, "check", "--plan", plan, "--date", "2026-01-04")
    en = cli("--db", db, "check", "--plan", plan, "--date", "2026-01-04", "--lang", "en")
    assert zh.code == en.code == 2
    assert "止损规则" in zh.out and "暂停投放" in zh.out and "触发" in zh.out
    assert "firing" in en.out and "暂停投放" in en.out  # the action is the plan's own words


def test_a_replayed_day_is_kept_in_history(cli: Cli, db: Path, tmp_path: Path) -> None:
    from opsplan.check import rule_history

    _check(cli, db, _plan(tmp_path, RULE), "2026-01-04")
    history = rule_history(Warehouse(db))
    douyin = history[history["item"] == "douyin"].sort_values("date")
    assert list(douyin["state"]) == ["ok", "ok", "pending", "firing"]
