"""Broken plans: every problem is a located issue (file, line, field, severity, sentence), never an exception.

A plan author's file is judged whole: an impossible date, a list where a number belongs or an empty file
must each come back as one issue at its line, together with every other problem of the file — never as a
traceback that hides them all. One bad snippet per case, then a plan with four problems at once, then a
sweep that writes wrong values into every kind of field of the demo plan.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from opsplan.cli.commands import main
from opsplan.plan.model import Issue
from opsplan.plan.parse import (
    EVENT_METRIC_FIELDS,
    INITIATIVE_FIELDS,
    PLAN_FIELDS,
    RULE_FIELDS,
    SETTINGS_FIELDS,
    TARGET_FIELDS,
    parse_plan_text,
)
from opsplan.plan.rules import has_errors, validate

DEMO_PLAN = Path(__file__).resolve().parents[2] / "data" / "demo_plan.yaml"

HEAD = "plan: {name: p, start: 2026-01-01, end: 2026-03-31}\n"  # line 1 of every snippet below
RULE = "stop_loss:\n  - {id: r, metric: ctr, when: '< 0.01', action: 换素材, "  # the rule's fields go on line 3


def _issues(text: str) -> list[Issue]:
    """Parse and validate as ``opsplan plan validate`` does (no warehouse): must return, never raise."""
    plan, parse_issues = parse_plan_text(text, "plan.yaml")
    assert plan is not None, parse_issues
    return validate(plan, parse_issues)


#: one bad snippet each: the one issue expected as printed ("LINE: SEVERITY: PATH:") and a key part of its message
CASES = [
    pytest.param(
        "targets:\n  - {id: t, metric: dau, target: 1}\n",
        "1: error: plan:",
        "the plan: section (name, start, end) is missing",
        id="no plan section",
    ),
    pytest.param(
        HEAD + "targets:\n  - {id: a, id: b, metric: dau, target: 1}\n",
        "3: error: targets[0].id:",
        "this key appears twice",
        id="a key twice in a list entry",
    ),
    pytest.param(
        "plan:\n  name: p\n  start: 2026-01-01\n  end: 2026-02-30\n",
        "4: error: plan.end:",
        "'2026-02-30' is not a real date: day is out of range for month",
        id="impossible date",
    ),
    pytest.param(
        "plan: {name: p, start: 2026/01/01, end: 2026-03-31}\n",
        "1: error: plan.start:",
        "'2026/01/01' is not a date (YYYY-MM-DD)",
        id="date with slashes",
    ),
    pytest.param(
        "plan: {name: p, start: 20260101, end: 2026-03-31}\n",
        "1: error: plan.start:",
        "20260101 is not a date",
        id="date as an int",
    ),
    pytest.param(
        HEAD + "targets:\n  - {id: t, metric: dau, target: 2026-02-30}\n",
        "3: error: targets[0].target:",
        "not a real date",
        id="impossible date in a number field",
    ),
    pytest.param(
        HEAD + "cadence: [dau, wau]\n",
        "2: error: cadence:",
        "must map daily / weekly / monthly",
        id="cadence as a list",
    ),
    pytest.param(HEAD + "cadence: dau\n", "2: error: cadence:", "not text", id="cadence as text"),
    pytest.param(
        HEAD + "cadence:\n  daily: dau\n",
        "3: error: cadence.daily:",
        "must be a list of metric names",
        id="a report's metrics as text",
    ),
    pytest.param(
        HEAD + "playbook: [exposure]\n", "2: error: playbook:", "must map a funnel layer", id="playbook as a list"
    ),
    pytest.param(
        HEAD + "playbook:\n  exposure: [a, b]\n",
        "3: error: playbook.exposure:",
        "not a list",
        id="playbook entry as a list",
    ),
    pytest.param(
        HEAD + "external_metrics: 5\n",
        "2: error: external_metrics:",
        "must be a list of metric names",
        id="external_metrics as a number",
    ),
    pytest.param(
        HEAD + "external_metrics: nps\n",
        "2: error: external_metrics:",
        "not text ('nps')",
        id="external_metrics as text",
    ),
    pytest.param(
        HEAD + "settings: [a]\n", "2: error: settings:", "must be a mapping of active_events", id="settings as a list"
    ),
    pytest.param(
        HEAD + "settings:\n  active_events: core\n",
        "3: error: settings.active_events:",
        "must be a list of event names",
        id="active_events as text",
    ),
    pytest.param(
        HEAD + "settings:\n  silent_days: abc\n",
        "3: error: settings.silent_days:",
        "'abc' is not a whole number",
        id="silent_days as text",
    ),
    pytest.param(
        HEAD + "settings:\n  silent_days: -3\n",
        "3: error: settings.silent_days:",
        "must be at least 1",
        id="silent_days negative",
    ),
    pytest.param(
        HEAD + "settings:\n  silent_days: 2.5\n",
        "3: error: settings.silent_days:",
        "2.5 is not a whole number",
        id="silent_days a fraction",
    ),
    pytest.param(
        HEAD + "settings:\n  activation_event: [a, b]\n",
        "3: error: settings.activation_event:",
        "must be a single value, not a list",
        id="activation_event as a list",
    ),
    pytest.param(
        HEAD + "settings:\n  silent_day: 7\n",
        "3: warning: settings.silent_day:",
        "did you mean 'silent_days'?",
        id="settings typo",
    ),
    pytest.param(
        HEAD + RULE + "for_days: three}\n",
        "3: error: stop_loss[0].for_days:",
        "'three' is not a whole number",
        id="for_days as text",
    ),
    pytest.param(
        HEAD + RULE + "for_days: 2.5}\n",
        "3: error: stop_loss[0].for_days:",
        "2.5 is not a whole number",
        id="for_days a fraction",
    ),
    pytest.param(
        HEAD + RULE + "for_days: 0}\n",
        "3: error: stop_loss[0].for_days:",
        "for_days must be at least 1",
        id="for_days zero",
    ),
    pytest.param(
        HEAD + RULE + "min_spend: lots}\n",
        "3: error: stop_loss[0].min_spend:",
        "'lots' is not a number",
        id="min_spend as text",
    ),
    pytest.param(
        HEAD + RULE + "min_spend: -5}\n",
        "3: error: stop_loss[0].min_spend:",
        "cannot be negative",
        id="min_spend negative",
    ),
    pytest.param(
        HEAD + RULE + "only: {a: 1}}\n",
        "3: error: stop_loss[0].only:",
        "must be a list of channel or campaign names",
        id="only as a mapping",
    ),
    pytest.param(
        HEAD + "stop_loss:\n  - {id: r, metric: ctr, when: 5, action: x}\n",
        "3: error: stop_loss[0].when:",
        "must be a comparison",
        id="when as a number",
    ),
    pytest.param(
        HEAD + RULE + "severity: 1}\n",
        "3: error: stop_loss[0].severity:",
        "must be warning or critical",
        id="severity as a number",
    ),
    pytest.param(
        HEAD + "event_metrics:\n  x: 5\n",
        "3: error: event_metrics.x:",
        "must be {count: EVENT}",
        id="event metric not a mapping",
    ),
    pytest.param(
        HEAD + "event_metrics:\n  x: {ratio: [a]}\n",
        "3: error: event_metrics.x.ratio:",
        "ratio must be a list of two metric names",
        id="ratio of one name",
    ),
    pytest.param(
        HEAD + "targets:\n  - {id: t, metric: dau, target: 1, scope: 5}\n",
        "3: error: targets[0].scope:",
        "scope must be {channel: …} or {campaign: …}",
        id="scope as a number",
    ),
    pytest.param(
        HEAD + "targets:\n  - {id: t, metric: dau, target: 1, scope: {channel: [a, b]}}\n",
        "3: error: targets[0].scope.channel:",
        "must be a single value, not a list",
        id="scope of two channels",
    ),
    pytest.param(HEAD + "targets: {a: 1}\n", "2: error: targets:", "must be a list", id="targets as a mapping"),
    pytest.param(
        HEAD + "targets:\n  - dau\n", "3: error: targets[0]:", "must be a mapping of fields", id="a target that is text"
    ),
    pytest.param(
        HEAD + "targets:\n  - {id: t, metric: dau, target: [1, 2]}\n",
        "3: error: targets[0].target:",
        "[1, 2] is not a number",
        id="target as a list",
    ),
    pytest.param(
        HEAD + "targets:\n  - {id: t, metric: dau, target: yes}\n",
        "3: error: targets[0].target:",
        "yes/no value true is not a number",
        id="target as yes",
    ),
    pytest.param(
        HEAD
        + "budget:\n  total: 100\n  reserve: 0.1\n  allocations:\n    - {category: a, share: 0.5, channels: [a]}\n",
        "6: error: budget.allocations[0].channels:",
        "channels must map channel → share",
        id="allocation channels as a list",
    ),
    pytest.param(
        HEAD + "budget:\n  total: 100\n  reserve: 0.1\n  allocations: 5\n",
        "5: error: budget.allocations:",
        "must be a list",
        id="allocations as a number",
    ),
    pytest.param(HEAD + "budget: [1]\n", "2: error: budget:", "budget must be a mapping", id="budget as a list"),
    pytest.param("plan: 5\n", "1: error: plan:", "must be a mapping of name, start, end", id="plan as a number"),
    pytest.param("- plan\n- targets\n", "1: error:", "a plan is a mapping with plan:", id="top level a list"),
    pytest.param("just some text\n", "1: error:", "a plan is a mapping with plan:", id="top level a scalar"),
    pytest.param("", "1: error:", "the file is empty", id="empty file"),
    pytest.param("# a plan\n# to be written\n", "1: error:", "the file is empty", id="only comments"),
    pytest.param(
        "plan: {name: !secret p, start: 2026-01-01, end: 2026-03-31}\n",
        "1: error: plan.name:",
        "cannot be read",
        id="unknown tag",
    ),
    pytest.param(
        HEAD + "event_metrics:\n  x: {count: a, direction: sideways}\n",
        "3: error: event_metrics.x.direction:",
        "must be one of up, down, neutral",
        id="direction not up/down",
    ),
]


@pytest.mark.parametrize(("text", "where", "message"), CASES)
def test_each_broken_value_is_one_located_issue(text: str, where: str, message: str) -> None:
    issues = _issues(text)
    assert len(issues) == 1, issues
    assert str(issues[0]).startswith(f"plan.yaml:{where} "), issues[0]
    assert message in issues[0].message, issues[0]


def test_a_control_character_is_a_yaml_error_at_its_line() -> None:
    plan, issues = parse_plan_text("plan: {name: p, start: 2026-01-01, end: 2026-03-31}\nx: a\x07b\n", "p.yaml")
    assert plan is None and [str(i) for i in issues] == [
        "p.yaml:2: error: not valid YAML: the character #x0007 is not allowed in a plan"
    ]


def test_a_misspelt_field_is_a_warning_and_the_missing_value_an_error_both_located() -> None:
    issues = _issues(HEAD + "targets:\n  - id: t\n    metric: dau\n    traget: 100\n")
    assert [(i.line, i.path, i.severity.value) for i in issues] == [
        (3, "targets[0]", "error"),
        (5, "targets[0].traget", "warning"),
    ]
    assert "the target has no number" in issues[0].message
    assert "unknown field 'traget' — did you mean 'target'?" in issues[1].message


def test_a_date_with_a_time_keeps_the_date_with_a_warning() -> None:
    plan, parse_issues = parse_plan_text("plan: {name: p, start: 2026-01-01 10:00:00, end: 2026-03-31}\n")
    assert plan is not None and plan.start is not None and plan.start.isoformat() == "2026-01-01"
    assert plan.days == 90  # a datetime start could not even be subtracted from the date end
    assert [(i.line, i.path, i.severity.value) for i in validate(plan, parse_issues)] == [(1, "plan.start", "warning")]


def test_an_alias_of_an_impossible_date_is_reported_where_it_is_used() -> None:
    text = "plan:\n  name: p\n  start: &d 2026-02-30\n  end: *d\n"
    assert [(i.line, i.path) for i in _issues(text)] == [(3, "plan.start"), (4, "plan.end")]


def test_merge_keys_share_fields_between_rules() -> None:
    text = HEAD + (
        "stop_loss:\n"
        "  - &base {id: a, metric: ctr, per: channel, when: '< 0.01', for_days: 3, action: 换素材}\n"
        "  - {<<: *base, id: b, for_days: 2}\n"
    )
    plan, parse_issues = parse_plan_text(text)
    assert plan is not None and validate(plan, parse_issues) == []
    assert [(r.id, r.per, r.for_days) for r in plan.rules] == [("a", "channel", 3), ("b", "channel", 2)]


ALL_AT_ONCE = """\
plan:
  name: 四个错误
  start: 2026-01-01
  end: 2026-02-30
targets:
  - id: t1
    metric: dau
    traget: 2000
    kind: level
stop_loss:
  - id: r1
    metric: dauu
    when: "< 1000"
    for_days: three
    action: 推送召回
"""

#: what the file above must report, in line order: every problem, none hiding another
ALL_AT_ONCE_ISSUES = [
    "4: error: plan.end: '2026-02-30' is not a real date: day is out of range for month",
    "6: error: targets[0]: the target has no number (target: …)",
    "8: warning: targets[0].traget: unknown field 'traget' — did you mean 'target'?",
    "12: error: stop_loss[0].metric: unknown metric 'dauu'; closest known: dau",
    "14: error: stop_loss[0].for_days: 'three' is not a whole number",
]


def test_all_four_problems_at_once_each_at_its_own_line() -> None:
    plan, parse_issues = parse_plan_text(ALL_AT_ONCE, "all.yaml")
    assert plan is not None
    issues = validate(plan, parse_issues)
    assert [i.line for i in issues] == sorted(i.line for i in issues) == [4, 6, 8, 12, 14]
    shown = [str(i) for i in issues]
    for got, want in zip(shown, ALL_AT_ONCE_ISSUES, strict=True):
        assert got.startswith(f"all.yaml:{want}"), (got, want)
    assert has_errors(issues)


def test_plan_validate_prints_every_problem_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPSPLAN_DB", str(tmp_path / "none.duckdb"))  # no warehouse: no data facts
    path = tmp_path / "all.yaml"
    path.write_text(ALL_AT_ONCE, encoding="utf-8")
    code = main(["plan", "validate", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    printed = [line for line in out.splitlines() if line.startswith(f"{path}:")]
    assert len(printed) == len(ALL_AT_ONCE_ISSUES)
    for got, want in zip(printed, ALL_AT_ONCE_ISSUES, strict=True):
        assert got.startswith(f"{path}:{want}"), (got, want)


# --- the sweep: wrong values written into the demo plan's fields -------------------------------------------

WRONG_VALUES = ("[1, 2]", "{a: 1}", "abc", "2026-02-30", "-1", "")

#: a field name at the start of a line (after indent or "- ") or inside a flow mapping, then ": "
_KEY = re.compile(r"(?:^\s*(?:-\s+)?|[{,]\s*)([A-Za-z_]\w*): (?=\S)")
_SECTION = re.compile(r"^([A-Za-z_]\w*):")


def _value_end(line: str, start: int) -> int | None:
    """Where the value starting at ``start`` ends: its closing bracket, or the next , } ] or comment."""
    if line[start] in "[{":
        depth = 0
        for i in range(start, len(line)):
            depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(line[i], 0)
            if depth == 0:
                return i + 1
        return None  # a flow collection that goes on to the next line: its inner fields are swept instead
    match = re.search(r",|\}|\]|\s+#|\s*$", line[start:])
    return start + match.start() if match else None


#: every field name the plan format knows; any other key is a name the author chose (a channel, a layer…)
FIELDS = PLAN_FIELDS | SETTINGS_FIELDS | TARGET_FIELDS | INITIATIVE_FIELDS | RULE_FIELDS | EVENT_METRIC_FIELDS
FIELDS |= {"channel", "campaign", "total", "reserve", "allocations", "category", "share", "amount", "diagnosis"}


def _demo_fields() -> list[tuple[str, int, int, int]]:
    """(section.field, line index, value start, value end): where each field is first written.

    Each case costs a parse of the whole demo plan, so a field name is swept once (``start`` in plan:, not
    again in initiatives:, which read it the same way); names the author chose (channels of an allocation,
    event metrics, playbook layers, reports) are one field ``<name>`` per section.
    """
    lines = DEMO_PLAN.read_text(encoding="utf-8").splitlines()
    seen: dict[str, tuple[str, int, int, int]] = {}
    section = ""
    for n, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        if m := _SECTION.match(line):
            section = m.group(1)
        for key in _KEY.finditer(line):
            end = _value_end(line, key.end())
            field = key.group(1) if key.group(1) in FIELDS else "<name>"
            name = section if key.group(1) == section else f"{section}.{field}"
            once = name if field == "<name>" else field
            if end is not None and once not in seen:
                seen[once] = (name, n, key.end(), end)
    return list(seen.values())


DEMO_FIELDS = _demo_fields()


def test_the_sweep_finds_the_fields_of_every_section() -> None:
    names = {name for name, *_ in DEMO_FIELDS}
    for field in ("plan.end", "settings.silent_days", "settings.active_events", "targets.target"):
        assert field in names
    for field in ("targets.scope", "budget.share", "initiatives.owner", "stop_loss.when", "cadence.<name>"):
        assert field in names
    assert {"event_metrics.ratio", "playbook.diagnosis", "budget.<name>", "targets.baseline_period"} <= names
    assert "external_metrics.<name>" in names  # each metric with its labels


@pytest.mark.parametrize(("name", "n", "start", "end"), DEMO_FIELDS, ids=[f[0] for f in DEMO_FIELDS])
def test_a_wrong_value_anywhere_in_the_demo_plan_never_raises(name: str, n: int, start: int, end: int) -> None:
    lines = DEMO_PLAN.read_text(encoding="utf-8").splitlines()
    for wrong in WRONG_VALUES:
        edited = [*lines[:n], lines[n][:start] + wrong + lines[n][end:], *lines[n + 1 :]]
        plan, parse_issues = parse_plan_text("\n".join(edited) + "\n", "demo.yaml")
        issues = parse_issues if plan is None else validate(plan, parse_issues)
        if plan is None:  # the edit broke the YAML itself: one located error, nothing else
            assert len(issues) == 1 and has_errors(issues), (wrong, issues)
        for issue in issues:
            assert 1 <= issue.line <= len(edited) and str(issue).startswith("demo.yaml:"), (wrong, issue)
        # one issue per problem: validation says nothing more about a field the parser could not read
        unreadable = {i.path for i in parse_issues if has_errors([i])}
        again = [i for i in issues if i not in parse_issues and i.path in unreadable]
        assert not again, f"{name} = {wrong!r}: reported twice: {again}"
        if wrong == "2026-02-30":  # the loader keeps it as text and says so at its own line, in any section
            assert any(i.line == n + 1 and "not a real date" in i.message for i in issues), issues
