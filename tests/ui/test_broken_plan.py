"""A plan that cannot be judged is a state, not an absence: the fixture plan broken four ways (a typo, an
impossible date, a wrong type, an unknown metric) and all four at once. The CLI and every plan page show the
same located problems, in red, and no page shows a success, "all clear" or "no rules" message;
`check --notify` posts that the check could not run.

Lines of tests/ui/fixture_plan.yaml: 2 plan (end), 4 target new_users, 5 target dau, 18 rule cac_ceiling."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from opsplan.handle import OpsPlan
from tests.conftest import Cli
from tests.test_notify import Hook, hook, text_of  # noqa: F401 (hook: the local webhook server fixture)
from tests.ui.conftest import FIXTURE_PLAN

App = Callable[..., AppTest]

#: (what is broken, the edit of the fixture plan, what every front door must report: line and text)
CASES = {
    "typo": (
        ("{id: new_users, metric: new_users, target: 20", "{id: new_users, metric: new_users, traget: 20"),
        [":4: error: targets[0]: the target has no number", ":4: warning: targets[0].traget: unknown field"],
    ),
    "impossible_date": (
        ("end: 2026-01-31", "end: 2026-02-30"),
        [":2: error: plan.end: ", "2026-02-30"],
    ),
    "wrong_type": (
        ("for_days: 2,", "for_days: two,"),
        [":18: error: stop_loss[0].for_days: ", "'two'"],
    ),
    "unknown_metric": (
        ("metric: dau,", "metric: dauu,"),
        [":5: error: targets[1].metric: unknown metric 'dauu'"],
    ),
}
CASES["all_at_once"] = (
    tuple(edit for edit, _ in CASES.values()),  # type: ignore[assignment]
    [text for _, texts in CASES.values() for text in texts],
)
PLAN_PAGES = ("pages/today.py", "pages/goals.py", "pages/budget.py", "pages/initiatives.py", "pages/alerts.py",
              "pages/review.py")  # fmt: skip
#: what a page must never say about a plan it could not judge
FALSE_COMFORT = ("一切正常", "没有触发", "计划里没有", "All clear", "No stop-loss rule", "The plan has no")


def broken(tmp_path: Path, case: str) -> Path:
    edits, _ = CASES[case]
    pairs = edits if isinstance(edits[0], tuple) else (edits,)
    text = FIXTURE_PLAN.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / f"plan_{case}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def expected(path: Path, case: str) -> list[str]:
    return [f"{path}{t}" if t.startswith(":") else t for t in CASES[case][1]]


def located(lines: str, path: Path) -> set[str]:
    """The problem lines of an output: those that start with the plan's file name."""
    out = set()
    for line in lines.splitlines():
        line = line.strip().removeprefix("- ").strip("`")
        if line.startswith(f"{path}:"):
            out.add(line)
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_the_cli_reports_every_problem_at_its_line(cli: Cli, tmp_path: Path, case: str) -> None:
    path = broken(tmp_path, case)
    validate = cli("plan", "validate", path)
    assert validate.code == 1
    shown = located(validate.out, path)
    for text in expected(path, case):
        assert any(text in line for line in shown), (text, shown)
    # the check refuses to judge (exit 3, unknown) and lists the same problems
    check = cli("--db", tmp_path / "none.duckdb", "check", "--plan", path)
    assert check.code == 3
    assert {x for x in located(check.err, path) if ": error: " in x} == {x for x in shown if ": error: " in x}
    # the handle says the same
    ops = OpsPlan(tmp_path / "none.duckdb", path)
    assert ops.plan is None and {str(i) for i in ops.issues} == shown
    result = ops.check()
    assert result.status == "unknown" and result.message == "the plan has errors, not judged"
    assert {str(i) for i in result.plan_issues} == {x for x in shown if ": error: " in x}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("page", PLAN_PAGES)
def test_every_plan_page_says_not_judged_with_the_problems(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli, case: str, page: str
) -> None:
    path = broken(tmp_path, case)
    monkeypatch.setenv("OPSPLAN_PLAN", str(path))
    at = app(page)
    assert not at.exception
    errors = [e.value for e in at.error]
    box = next((e for e in errors if "计划有错误，未评估" in e), None)
    assert box is not None, errors
    for text in expected(path, case):
        assert text in box, (text, box)
    assert located(box, path) == located(cli("plan", "validate", path).out, path)  # the CLI's very lines
    assert not at.success, [s.value for s in at.success]
    said = " ".join(x.value for x in [*at.info, *at.warning, *at.markdown, *at.caption])
    assert not [w for w in FALSE_COMFORT if w in said], said


def test_the_pages_in_english(app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = broken(tmp_path, "all_at_once")
    monkeypatch.setenv("OPSPLAN_PLAN", str(path))
    at = app("pages/alerts.py", lang="en")
    assert not at.exception and not at.success
    assert "The plan has errors, not judged" in at.error[0].value
    # the rules' health is an error: both rules of the plan are listed, none judged
    rules = at.dataframe[0].value
    assert list(rules["Rule"]) == ["CAC ceiling", "CTR floor"]  # the rules by their names, not their ids
    assert set(rules["State"]) == {"⛔ error · not judged"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_notify_posts_that_the_check_did_not_run(
    cli: Cli, tmp_path: Path, hook: Hook, lang: str  # noqa: F811 (the fixture imported above)
) -> None:
    path = broken(tmp_path, "all_at_once")
    r = cli("--db", tmp_path / "none.duckdb", "check", "--plan", path, "--notify", hook.url, "--lang", lang)
    assert r.code == 3
    assert "notification failed" not in r.err
    (body,) = hook.bodies()
    text = text_of(body)  # type: ignore[arg-type]
    lines = text.splitlines()
    assert lines[0] == "测试计划 2026-01 · — · UNKNOWN"
    assert lines[1] == ("计划有错误，未评估" if lang == "zh" else "the plan has errors, not judged")
    assert len(lines) >= 2 + 4  # the verdict, why, then at least one line per broken thing
    for want in expected(path, "all_at_once"):
        if ": warning: " not in want:  # the post lists the errors: why the check did not run
            assert want in text, (want, text)
    assert "一切正常" not in text and "all clear" not in text
    assert json.loads(json.dumps(body))  # a plain JSON body the hook server read
