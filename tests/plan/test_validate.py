"""Plan validation: the PLAN.md example is accepted as written; every mistake is reported at once, each
with its file:line, field and a plain sentence."""

from __future__ import annotations

from pathlib import Path

from opsplan.cli.commands import main
from opsplan.plan.model import Issue, Severity
from opsplan.plan.parse import parse_plan_text, read_plan
from opsplan.plan.rules import DataFacts, has_errors, validate

PLANS = Path(__file__).resolve().parents[1] / "plans"
DEMO_PLAN = Path(__file__).resolve().parents[2] / "data" / "demo_plan.yaml"

FACTS = DataFacts(
    channels=frozenset({"douyin", "xiaohongshu", "baidu_sem"}),
    campaigns=frozenset({"spring_explore"}),
    external_metrics=frozenset({"nps"}),
    known=True,
)

SIX_MISTAKES = """\
plan: {name: 测试计划, start: 2026-03-31, end: 2026-01-01, timezone: Asia/Shanghai}
targets:
  - {id: t1, metric: new_user, target: 1000, kind: cumulative}
  - {id: t2, metric: retention_d1, kind: level}
  - {id: t3, metric: cac, scope: {channel: weibo}, target: 50, kind: level}
  - id: t4
    metric: roi_7d
    target: 1.2
    kind: sometimes
budget:
  total: 100000
  reserve: 0.12
  allocations:
    - {category: 拉新, share: 0.7, channels: {douyin: 0.6, xiaohongshu: 0.5}}
    - {category: 留存, share: 0.4}
stop_loss:
  - {id: r1, metric: roi_7d, per: channel, when: "below 1", severity: critical, action: 暂停投放}
  - {id: r2, metric: ctr, per: region, when: "< 0.01", severity: urgent, action: 更换素材}
initiatives:
  - {module: 增长, name: 春节活动, owner: 张三, start: 2026-02-01, end: 2026-01-15, metric: new_users, target: 100}
"""


def _issues(text: str, facts: DataFacts | None = FACTS) -> list[Issue]:
    plan, parse_issues = parse_plan_text(text, "plan.yaml")
    assert plan is not None
    return validate(plan, parse_issues, facts)


def _where(issues: list[Issue]) -> set[tuple[int, str, str]]:
    return {(i.line, i.path, i.severity.value) for i in issues}


def test_the_plan_md_example_validates_unchanged() -> None:
    plan, parse_issues = read_plan(PLANS / "plan_md_example.yaml")
    assert plan is not None
    assert validate(plan, parse_issues) == []
    assert plan.name == "2026 Q1 增长计划" and plan.days == 90
    assert [t.kind.value for t in plan.targets] == ["cumulative", "level", "relative"]
    cac = plan.targets[2]
    assert (cac.scope.channel, cac.change, cac.baseline) == ("douyin", -0.15, 62.0)
    assert [(r.id, r.per, r.op, r.threshold, r.for_days, r.min_spend) for r in plan.rules] == [
        ("roi_floor", "channel", "<", 1.0, 3, 1000.0),
        ("cac_ceiling", "campaign", ">", 120.0, 2, 0.0),
    ]
    assert plan.rules[0].action == "暂停投放，优化素材后再测试"
    assert plan.initiatives[0].owner == "张三" and plan.initiatives[0].scope.campaign == "spring_explore"


def test_the_demo_plan_validates_against_facts_of_its_data() -> None:
    plan, parse_issues = read_plan(DEMO_PLAN)
    assert plan is not None
    demo_facts = DataFacts(
        channels=frozenset({"douyin", "xiaohongshu", "wechat_moments", "zhihu", "bilibili", "baidu_sem", "kol"}),
        campaigns=frozenset({"spring_explore_dy", "kol_cny"}),
        external_metrics=frozenset({"nps", "app_store_rating", "brand_search_index"}),
        known=True,
    )
    assert validate(plan, parse_issues, demo_facts) == []
    assert {t.kind.value for t in plan.targets} == {"cumulative", "level", "relative"}
    assert len(plan.rules) >= 4 and any(r.metric == "roi_7d" and r.per == "channel" for r in plan.rules)


def test_a_plan_with_many_mistakes_gets_each_one_with_its_line() -> None:
    issues = _issues(SIX_MISTAKES)
    by_line = {(i.line, i.path): i for i in issues}
    expected = {
        (1, "plan.end", "error"),  # ends before it starts
        (3, "targets[0].metric", "error"),  # unknown metric → closest names
        (4, "targets[1]", "error"),  # a target without a number
        (5, "targets[2].scope", "warning"),  # a channel the data has never seen
        (9, "targets[3].kind", "error"),  # a kind that does not exist
        (13, "budget.allocations", "error"),  # shares above 100%
        (14, "budget.allocations[0].channels", "error"),  # channel shares above 100%
        (17, "stop_loss[0].when", "error"),  # not a comparison
        (18, "stop_loss[1].per", "error"),
        (18, "stop_loss[1].severity", "error"),
        (20, "initiatives[0].end", "error"),  # initiative ends before it starts
    }
    assert _where(issues) == expected
    assert "new_users" in by_line[(3, "targets[0].metric")].message
    assert "weibo" in by_line[(5, "targets[2].scope")].message
    assert "110%" in by_line[(13, "budget.allocations")].message
    assert "2026-01-15" in by_line[(20, "initiatives[0].end")].message
    assert has_errors(issues)


def test_validate_prints_every_problem_with_file_and_line(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    path = tmp_path / "计划.yaml"
    path.write_text(SIX_MISTAKES, encoding="utf-8")
    code = main(["--db", str(tmp_path / "none.duckdb"), "plan", "validate", str(path)])
    out = capsys.readouterr().out
    assert code != 0
    lines = [line for line in out.splitlines() if line.startswith(str(path))]
    # without a warehouse the unseen-channel warning cannot be known; the ten errors are all there
    assert len([line for line in lines if ": error:" in line]) == 10
    assert f"{path}:3: error: targets[0].metric: unknown metric 'new_user'; closest known: new_users" in out
    assert f"{path}:20: error: initiatives[0].end:" in out


def test_allocated_amounts_that_eat_into_the_reserve_are_refused() -> None:
    text = """\
plan: {name: p, start: 2026-01-01, end: 2026-03-31}
budget:
  total: 100000
  reserve: 0.12
  allocations:
    - {category: acquisition, amount: 60000}
    - {category: retention, amount: 30000}
"""
    issues = _issues(text)
    assert _where(issues) == {(5, "budget.allocations", "error")}
    assert "less than the 12% reserve" in issues[0].message


def test_yaml_that_does_not_parse_is_one_error_with_its_line() -> None:
    plan, parse_issues = parse_plan_text("plan: {name: p, start: 2026-01-01\ntargets: [\n", "bad.yaml")
    assert len(parse_issues) == 1 and parse_issues[0].severity is Severity.ERROR
    assert parse_issues[0].file == "bad.yaml" and parse_issues[0].line in (2, 3)


def test_a_duplicate_key_and_a_duplicate_id_are_errors() -> None:
    text = """\
plan: {name: p, start: 2026-01-01, end: 2026-03-31}
targets:
  - {id: a, metric: dau, target: 10, kind: level}
  - {id: a, metric: dau, target: 20, kind: level}
budget:
  total: 100
  reserve: 0.1
  total: 200
"""
    assert _where(_issues(text)) == {(4, "targets[1].id", "error"), (8, "budget.total", "error")}


def test_a_missing_reserve_is_a_warning_not_an_error() -> None:
    text = "plan: {name: p, start: 2026-01-01, end: 2026-03-31}\nbudget:\n  total: 1000\n"
    issues = _issues(text)
    assert _where(issues) == {(2, "budget.reserve", "warning")} and not has_errors(issues)


def test_a_misspelt_field_is_a_warning_naming_the_field_it_resembles() -> None:
    text = """\
plan: {name: p, start: 2026-01-01, end: 2026-03-31, timezon: Asia/Shanghai}
targets:
  - {id: a, metric: dau, taget: 10, kind: level}
stop_loss:
  - {id: r, metric: ctr, when: "< 0.01", for_day: 3, action: 换素材}
"""
    issues = _issues(text)
    by_path = {i.path: i for i in issues}
    assert "did you mean 'timezone'" in by_path["plan.timezon"].message
    assert by_path["plan.timezon"].severity is Severity.WARNING and by_path["plan.timezon"].line == 1
    assert "did you mean 'target'" in by_path["targets[0].taget"].message
    assert by_path["targets[0].taget"].line == 3
    assert "did you mean 'for_days'" in by_path["stop_loss[0].for_day"].message
    assert (3, "targets[0]", "error") in _where(issues)  # and so the target has no number



def _currency_issues(currency: str) -> list[Issue]:
    plan, issues = parse_plan_text(f"plan: {{name: p, start: 2026-01-01, end: 2026-03-31, currency: {currency}}}\n")
    assert plan is not None
    return [i for i in validate(plan, issues) if "currency" in i.message]


def test_a_currency_the_amounts_cannot_show_in_is_refused_not_ignored() -> None:
    """Every amount is shown in ¥: `currency: USD` would be accepted and silently ignored, so it is an error."""
    assert _currency_issues("CNY") == [] and _currency_issues("rmb") == []
    (issue,) = _currency_issues("USD")
    assert issue.severity is Severity.ERROR and issue.line == 1
    assert "人民币" in issue.message_zh and "yuan" in issue.message
