"""`opsplan check` through the real CLI on the hand-computed seven-user fixture (tests/views/fixture_data.py):
exit codes 0 / 1 / 2 / 3 each produced by a scenario, the JSON shaped as CLI.md says, --date replaying a
past day, and the table's reasons in Chinese by default and English with --lang en.

Numbers worked out by hand from the fixture (local days, Asia/Shanghai):
  spend, whole product: 01-05 100 · 01-06 180 (douyin 100 + xiaohongshu 80) · 01-07 80 · 01-08 50 ·
      01-09 50 · 01-10 and 01-11 no rows · 01-12 40 · 01-13 10  (data_through = 01-13)
  so "spend > 90 for 2 days" is pending 01-05, firing 01-06 (since 01-05), resolved 01-07, ok 01-08 ..
  spend per channel: douyin 100, 100 on 01-05, 01-06; xiaohongshu 80 on 01-06, 01-07; organic 0 on 01-06;
      kol has no row before 01-12
  new users: 01-05 2 (u1, u2, douyin) · 01-06 3 (u3 xiaohongshu, u4 and u5 organic) · 01-08 1 (u6 douyin) ·
      01-12 1 (u7 kol) → 7 by 01-13. Plan 01-05 .. 01-31 (27 days): on 01-13, 9 days gone and 18 left; the
      forecast is 7 + 7 / 9 x 18 = 21 → a target of 20 is on track, 22 at risk (21 >= 19.8), 24 off track
      (21 < 21.6), 7 achieved.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from opsplan.plan.check import rule_history
from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse
from opsplan.store.writing import ensure_warehouse
from tests.builders import run_opsplan
from tests.conftest import Cli, CliResult
from tests.views import fixture_data

HEAD = "plan: {name: 春季计划, start: 2026-01-05, end: 2026-01-31, timezone: Asia/Shanghai, currency: CNY}\n"
ACTION = "暂停投放，优化素材后再测试"


def spend_all(severity: str = "critical") -> str:
    """A stop-loss rule on the whole product's daily spend."""
    return (
        "stop_loss:\n"
        f'  - {{id: spend_all, metric: spend, per: all, when: "> 90", for_days: 2, severity: {severity},\n'
        f"     action: {ACTION}}}\n"
    )


def new_users(target: int, scope: str = "") -> str:
    return f"targets:\n  - {{id: nu, metric: new_users, target: {target}, kind: cumulative{scope}}}\n"


def build_fixture_db(directory: Path) -> Path:
    """The seven-user fixture in an Asia/Shanghai warehouse."""
    wh = Warehouse(directory / "fixture.duckdb")
    for table, text in fixture_data.TABLES.items():
        path = directory / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        load(wh, table, [path], tz="Asia/Shanghai")
    return wh.path


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_db(tmp_path_factory.mktemp("check-cli"))


@pytest.fixture
def db(_template: Path, tmp_path: Path) -> Path:
    """A private copy: the check writes its rule history into the warehouse."""
    path = tmp_path / "check.duckdb"
    shutil.copyfile(_template, path)
    return path


def write_plan(tmp_path: Path, *parts: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + "".join(parts), encoding="utf-8")
    return path


def check_json(cli: Cli, db: Path, plan: Path, *extra: str) -> tuple[CliResult, dict[str, object]]:
    r = cli("--db", db, "check", "--plan", plan, "--format", "json", *extra)
    return r, (json.loads(r.out) if r.out.strip() else {})


# ---------------------------------------------------------------- exit codes 0 / 1 / 2


@pytest.mark.parametrize(
    ("plan", "date", "code", "status", "why"),
    [
        # 0: all clear
        pytest.param(spend_all(), "2026-01-07", 0, "ok", ("rule", "resolved"), id="0-rule-resolved"),
        pytest.param(spend_all(), "2026-01-13", 0, "ok", ("rule", "ok"), id="0-rule-ok"),
        pytest.param(new_users(20), "2026-01-13", 0, "ok", ("target", "on_track"), id="0-on-track"),
        pytest.param(new_users(7), "2026-01-13", 0, "ok", ("target", "achieved"), id="0-achieved"),
        # 1: warning
        pytest.param(spend_all(), "2026-01-05", 1, "warning", ("rule", "pending"), id="1-rule-pending"),
        pytest.param(spend_all("warning"), "2026-01-06", 1, "warning", ("rule", "firing"), id="1-warning-firing"),
        pytest.param(new_users(22), "2026-01-13", 1, "warning", ("target", "at_risk"), id="1-at-risk"),
        # 2: critical
        pytest.param(spend_all(), "2026-01-06", 2, "critical", ("rule", "firing"), id="2-critical-firing"),
        pytest.param(new_users(24), "2026-01-13", 2, "critical", ("target", "off_track"), id="2-off-track"),
        pytest.param(
            spend_all("warning") + new_users(24), "2026-01-13", 2, "critical", ("target", "off_track"), id="2-mixed"
        ),
    ],
)
def test_exit_codes_0_1_2(
    cli: Cli, db: Path, tmp_path: Path, plan: str, date: str, code: int, status: str, why: tuple[str, str]
) -> None:
    r, out = check_json(cli, db, write_plan(tmp_path, plan), "--date", date)
    assert (r.code, out["status"], r.err) == (code, status, "")
    kind, state = why
    if kind == "rule":
        assert [x["state"] for x in out["rules"]] == [state]
    else:
        assert [x["status"] for x in out["targets"]] == [state]


def test_a_critical_verdict_outranks_a_warning(cli: Cli, db: Path, tmp_path: Path) -> None:
    """01-06: the critical spend rule fires while the target is only at risk … still 2."""
    # on 01-06: 5 new users, 2 days gone, 25 left → forecast 5 + 2.5 x 25 = 67.5; 70 is within 10%: at risk
    r, out = check_json(cli, db, write_plan(tmp_path, spend_all(), new_users(70)), "--date", "2026-01-06")
    assert r.code == 2 and out["status"] == "critical"
    assert [t["status"] for t in out["targets"]] == ["at_risk"] and out["targets"][0]["actual"] == 5


# ---------------------------------------------------------------- exit code 3


def test_unknown_for_a_day_after_the_data(cli: Cli, db: Path, tmp_path: Path) -> None:
    r, out = check_json(cli, db, write_plan(tmp_path, spend_all()), "--date", "2026-01-14")
    assert r.code == 3 and r.err == ""
    assert (out["date"], out["status"], out["targets"], out["rules"]) == ("2026-01-14", "unknown", [], [])
    assert out["message"] == "no data for 2026-01-14: data runs to 2026-01-13"


def test_unknown_for_a_day_before_the_plan(cli: Cli, db: Path, tmp_path: Path) -> None:
    r, out = check_json(cli, db, write_plan(tmp_path, spend_all()), "--date", "2026-01-04")
    assert r.code == 3 and out["status"] == "unknown" and out["rules"] == []


def test_unknown_without_a_warehouse(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "nothing.duckdb"
    r, out = check_json(cli, missing, write_plan(tmp_path, spend_all()))
    assert r.code == 3 and out["status"] == "unknown" and out["date"] is None
    assert not missing.exists()  # a check never creates a warehouse


def test_unknown_on_an_empty_warehouse(cli: Cli, tmp_path: Path) -> None:
    empty = Warehouse(tmp_path / "empty.duckdb")
    ensure_warehouse(empty, "Asia/Shanghai")  # schema and views, no rows
    r, out = check_json(cli, empty.path, write_plan(tmp_path, spend_all(), new_users(20)))
    assert r.code == 3
    assert (out["date"], out["status"], out["message"]) == (None, "unknown", "the warehouse holds no data")
    assert rule_history(empty).empty  # nothing judged, nothing kept


def test_unknown_when_the_plan_has_errors(cli: Cli, db: Path, tmp_path: Path) -> None:
    bad = write_plan(tmp_path, spend_all().replace('"> 90"', '"over 90"'))
    r = cli("--db", db, "check", "--plan", bad, "--format", "json")
    assert r.code == 3 and r.out == ""
    # every problem with file:line on stderr, then one line saying what to run
    assert f"{bad}:3:" in r.err and "stop_loss[0].when" in r.err
    assert r.err.strip().splitlines()[-1].startswith(f"opsplan check: the plan {bad} has errors")
    assert rule_history(Warehouse(db)).empty


def test_unknown_when_the_plan_file_is_missing(cli: Cli, db: Path, tmp_path: Path) -> None:
    r = cli("--db", db, "check", "--plan", tmp_path / "nope.yaml")
    assert r.code == 3 and r.out == "" and "cannot read the plan" in r.err


@pytest.mark.parametrize("argv", [["--date", "yesterday"], ["--date", "2026-02-30"], ["--format", "xml"], []])
def test_a_usage_error_is_unknown_not_critical(cli: Cli, db: Path, tmp_path: Path, argv: list[str]) -> None:
    """argparse's own exit code is 2, which a monitoring system reads as CRITICAL: the check says 3."""
    plan = ["--plan", str(write_plan(tmp_path, spend_all()))] if argv else []  # [] : --plan is missing
    with pytest.raises(SystemExit) as exc:
        cli("--db", db, "check", *plan, *argv)
    assert exc.value.code == 3


def test_other_commands_keep_argparse_usage_code(cli: Cli) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("metrics", "daily", "--from", "yesterday")
    assert exc.value.code == 2


@pytest.mark.parametrize(("date", "code"), [("2026-01-06", 2), ("2026-01-14", 3), ("yesterday", 3)])
def test_the_exit_code_reaches_the_shell(db: Path, tmp_path: Path, date: str, code: int) -> None:
    """``python -m opsplan`` as cron runs it: the code is the process's exit status."""
    plan = write_plan(tmp_path, spend_all())
    proc = run_opsplan("--db", str(db), "check", "--plan", str(plan), "--date", date, timeout=60)
    assert proc.returncode == code, proc.stderr


# ---------------------------------------------------------------- the JSON of CLI.md

RULE_KEYS = {"id", "scope", "state", "value", "since", "severity", "action"}
TARGET_KEYS = {"id", "metric", "scope", "status", "actual", "target", "reason"}
STATES = {"ok", "pending", "firing", "resolved", "no_data"}


def _is_day(text: object) -> bool:
    return isinstance(text, str) and dt.date.fromisoformat(text).isoformat() == text


def test_json_is_one_object_shaped_as_cli_md_says(cli: Cli, db: Path, tmp_path: Path) -> None:
    per_channel = (
        '  - {id: spend_channel, metric: spend, per: channel, when: "> 60", for_days: 2, severity: warning,\n'
        "     action: 检查素材与定向}\n"
    )
    plan = write_plan(tmp_path, spend_all(), per_channel, new_users(10, ", scope: {channel: douyin}"))
    r, out = check_json(cli, db, plan, "--date", "2026-01-06")
    assert r.code == 2 and r.err == ""
    assert isinstance(out, dict) and {"date", "status", "targets", "rules"} <= set(out)  # extra keys allowed
    assert (out["date"], out["status"]) == ("2026-01-06", "critical")

    (target,) = out["targets"]
    assert TARGET_KEYS <= set(target)
    # douyin's new users 01-05 .. 01-06: u1 and u2; forecast 2 + 1 a day x 25 days = 27 >= 10
    assert {k: target[k] for k in TARGET_KEYS - {"reason"}} == {
        "id": "nu",
        "metric": "new_users",
        "scope": {"channel": "douyin"},
        "status": "on_track",
        "actual": 2,
        "target": 10,
    }
    assert isinstance(target["reason"], str) and "新增用户" in target["reason"] and "正常" in target["reason"]

    for rule in out["rules"]:
        assert RULE_KEYS <= set(rule)
        assert rule["state"] in STATES and _is_day(rule["since"])
        assert rule["value"] is None or isinstance(rule["value"], int | float)
    got = [(x["id"], x["scope"], x["state"], x["value"], x["since"], x["severity"], x["action"]) for x in out["rules"]]
    assert got == [
        ("spend_all", {}, "firing", 180, "2026-01-05", "critical", ACTION),  # {} : the whole product
        ("spend_channel", {"channel": "douyin"}, "firing", 100, "2026-01-05", "warning", "检查素材与定向"),
        ("spend_channel", {"channel": "kol"}, "no_data", None, "2026-01-05", "warning", "检查素材与定向"),
        ("spend_channel", {"channel": "organic"}, "ok", 0, "2026-01-06", "warning", "检查素材与定向"),
        ("spend_channel", {"channel": "xiaohongshu"}, "pending", 80, "2026-01-06", "warning", "检查素材与定向"),
    ]


def test_json_reasons_follow_lang(cli: Cli, db: Path, tmp_path: Path) -> None:
    plan = write_plan(tmp_path, new_users(22))
    _, zh = check_json(cli, db, plan)
    _, en = check_json(cli, db, plan, "--lang", "en")
    assert zh["targets"][0]["reason"].endswith("→ 有风险")
    assert en["targets"][0]["reason"].endswith("→ at risk")
    assert {k: v for k, v in zh.items() if k != "targets"} == {k: v for k, v in en.items() if k != "targets"}


# ---------------------------------------------------------------- --date replays a past day


def test_without_date_the_last_complete_day_is_judged(cli: Cli, db: Path, tmp_path: Path) -> None:
    """The default day is data_through (01-13), not the machine's today, whatever its time zone."""
    r, out = check_json(cli, db, write_plan(tmp_path, spend_all()))
    assert (r.code, out["date"], out["data_through"]) == (0, "2026-01-13", "2026-01-13")
    (rule,) = out["rules"]
    assert (rule["state"], rule["value"], rule["since"]) == ("ok", 10, "2026-01-12")  # no data 01-10, 01-11


def test_date_replays_a_past_day_and_keeps_later_history(cli: Cli, db: Path, tmp_path: Path) -> None:
    plan = write_plan(tmp_path, spend_all())
    assert check_json(cli, db, plan)[0].code == 0  # 01-13
    r, out = check_json(cli, db, plan, "--date", "2026-01-06")
    assert (r.code, out["date"], out["data_through"]) == (2, "2026-01-06", "2026-01-13")
    (rule,) = out["rules"]
    assert (rule["state"], rule["value"], rule["since"]) == ("firing", 180, "2026-01-05")
    r, out = check_json(cli, db, plan, "--date", "2026-01-07")
    assert (r.code, out["rules"][0]["state"], out["rules"][0]["since"]) == (0, "resolved", "2026-01-07")
    # the replays re-judged 01-05 .. 01-07 the same way and left the later days alone
    history = rule_history(Warehouse(db)).sort_values("date")
    assert [str(d) for d in history["date"]] == [f"2026-01-{d:02d}" for d in range(5, 14)]
    assert list(history["state"]) == [
        "pending",
        "firing",
        "resolved",
        "ok",
        "ok",
        "no_data",
        "no_data",
        "ok",
        "ok",
    ]
    assert list(history["value"].fillna(-1)) == [100, 180, 80, 50, 50, -1, -1, 40, 10]


# ---------------------------------------------------------------- the table, zh and en


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_the_table_is_chinese_by_default(cli: Cli, db: Path, tmp_path: Path) -> None:
    plan = write_plan(tmp_path, spend_all(), new_users(22))
    r = cli("--db", db, "check", "--plan", plan, "--date", "2026-01-06")
    assert r.code == 2
    lines = _lines(r.out)
    assert lines[0] == "每日检查 2026-01-06（数据截至 2026-01-13）— 状态：严重（CRITICAL）"
    assert "## 止损规则" in lines and "## 目标" in lines
    assert "!! [严重] spend_all：花费 = ¥180.00，规则 > ¥90.00，触发（自 2026-01-05，连续 2 天）" in lines
    assert f"     → {ACTION}" in lines
    # 5 of 22 = 23%, 2 of 27 days = 7%, forecast 5 + 2.5 x 25 = 67.5 = 307% of 22
    assert "- [正常] 新增用户累计 5 / 目标 22（23%），时间已过 7%；按近2天日均，期末预计 67.5（307%）→ 正常" in lines
    assert "firing" not in r.out and "on track" not in r.out


def test_the_table_is_english_with_lang_en(cli: Cli, db: Path, tmp_path: Path) -> None:
    plan = write_plan(tmp_path, spend_all(), new_users(22))
    r = cli("--db", db, "check", "--plan", plan, "--date", "2026-01-06", "--lang", "en")
    assert r.code == 2
    lines = _lines(r.out)
    assert lines[0] == "Daily check 2026-01-06 (data through 2026-01-13) — status: CRITICAL"
    assert "## Stop-loss rules" in lines and "## Targets" in lines
    assert (
        "!! [critical] spend_all: Spend = ¥180.00, rule > ¥90.00: firing since 2026-01-05 (2 day(s) in a row)" in lines
    )
    assert f"     → {ACTION}" in lines  # the action is the plan's own words
    assert (
        "- [on track] New users 5 of 22 (23%) with 7% of the period gone; "
        "at the last 2 days' pace 67.5 (307%) by the end → on track"
    ) in lines
    assert "触发" not in r.out and "正常" not in r.out and "目标" not in r.out


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", ["每日检查 2026-01-14（数据截至 2026-01-13）— 状态：未知（UNKNOWN）",
                "2026-01-14 没有数据：数据截至 2026-01-13"]),
        ("en", ["Daily check 2026-01-14 (data through 2026-01-13) — status: UNKNOWN",
                "no data for 2026-01-14: data runs to 2026-01-13"]),
    ],
)  # fmt: skip
def test_the_table_says_why_the_check_is_unknown_in_its_language(
    cli: Cli, db: Path, tmp_path: Path, lang: str, expected: list[str]
) -> None:
    r = cli("--db", db, "check", "--plan", write_plan(tmp_path, spend_all()), "--date", "2026-01-14", "--lang", lang)
    assert r.code == 3 and _lines(r.out) == expected


def test_the_table_of_an_empty_warehouse_shows_no_none(cli: Cli, tmp_path: Path) -> None:
    r = cli("--db", tmp_path / "nothing.duckdb", "check", "--plan", write_plan(tmp_path, spend_all()))
    assert r.code == 3
    assert _lines(r.out) == [
        "每日检查 —（数据截至 —）— 状态：未知（UNKNOWN）",
        f"没有数据仓库：{tmp_path / 'nothing.duckdb'}",
    ]
