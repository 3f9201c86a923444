"""No code reaches a reader: the plan's own labels (label_zh / label_en on an external metric, a stop-loss rule
and a budget category) travel from the file to a reason, the check's JSON and the weekly review; the Chinese
check text of the demo plan holds no raw code; validation speaks Chinese too; every word the plan engine and
the report ask for by a literal key exists.

File → output on the demo quarter, judged on 2026-02-23 (roi_floor fires on xiaohongshu since 02-21; the NPS
target reads 37.00 against 40.00).
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from opsplan import words
from opsplan.handle import OpsPlan
from opsplan.plan.budget import budget_status
from opsplan.plan.check_text import check_table
from opsplan.plan.labels import category_label, item_label, rule_label
from opsplan.plan.model import Severity
from opsplan.plan.parse import parse_plan_text
from opsplan.plan.rules import validate
from opsplan.report.weekly import weekly_report
from tests.conftest import DEMO_PLAN, Cli

ROOT = Path(__file__).resolve().parents[2]
FEB_23 = dt.date(2026, 2, 23)

#: the demo plan with labels of our own: a rule, a category and an external metric
RELABELLED = (
    ("label_zh: ROI 止损线, label_en: ROI floor,", "label_zh: 保本红线, label_en: Break-even line,"),
    ("label_zh: 拉新投放\n      label_en: Acquisition ads", "label_zh: 买量拉新\n      label_en: Paid growth"),
    ("nps: {label_zh: 净推荐值(NPS), label_en: NPS}", "nps: {label_zh: 口碑分, label_en: Word of mouth}"),
    ("{id: nps, metric: nps,", "{id: nps, name: 口碑过线, metric: nps,"),  # a target's name: data, as written
)

#: ASCII words a Chinese reader may meet: product names and units, nothing the plan or the data codes
PRODUCT_NAMES = {"roi", "cac", "ctr", "dau", "wau", "mau", "kol", "ugc", "nps", "arpu", "ltv", "sem", "app"}


@pytest.fixture
def relabelled(demo_db: Path, tmp_path: Path) -> OpsPlan:
    db = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, db)
    text = DEMO_PLAN.read_text(encoding="utf-8")
    for old, new in RELABELLED:
        assert old in text, old
        text = text.replace(old, new)
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    return OpsPlan(db, plan)


def test_the_plans_labels_reach_the_reasons_the_json_and_the_text(relabelled: OpsPlan, cli: Cli) -> None:
    assert relabelled.plan is not None
    result = relabelled.check(FEB_23)
    flag = next(f for f in result.flags if f.id == "roi_floor" and f.scope == {"channel": "xiaohongshu"})
    assert (flag.label("zh"), flag.label("en")) == ("保本红线", "Break-even line")
    nps = next(t for t in result.targets if t.id == "nps")
    assert nps.reason("zh").startswith("口碑分近7天 37.00，目标 40.00")
    assert nps.reason("en").startswith("Word of mouth 37.00 over the last 7 days vs target 40.00")
    xhs = next(i for i in result.initiatives if i.name == "小红书种草常投")
    assert "止损规则「保本红线」触发中（自 2026-02-21）" in xhs.reason_zh
    assert "stop-loss Break-even line firing since 2026-02-21" in xhs.reason_en
    # the CLI's JSON keeps the codes and adds the label, in the language asked for
    for lang, label in (("zh", "保本红线"), ("en", "Break-even line")):
        r = cli("--db", relabelled.warehouse.path, "check", "--plan", relabelled.plan_file, "--date", "2026-02-23",
                "--format", "json", "--lang", lang)  # fmt: skip
        rules = [x for x in json.loads(r.out)["rules"] if x["id"] == "roi_floor"]
        assert rules and {x["label"] for x in rules} == {label}
        target = next(x for x in json.loads(r.out)["targets"] if x["id"] == "nps")
        assert target["reason"].startswith("口碑分" if lang == "zh" else "Word of mouth")
        assert target["name"] == "口碑过线"
    table = check_table(result, "zh")
    assert "!! [严重] 保本红线：7日ROI(投入产出比)（小红书，同期群 02-17） = 0.35" in table
    assert "- [有风险] 口碑过线：口碑分近7天 37.00，目标 40.00" in table
    assert "- [at risk] 口碑过线: Word of mouth 37.00 over the last 7 days" in check_table(result, "en")
    assert nps.name == "口碑过线" and all(x.name == "" for x in result.targets if x.id != "nps")


def test_the_plans_labels_reach_the_weekly_review(relabelled: OpsPlan) -> None:
    assert relabelled.plan is not None
    zh = weekly_report(relabelled.warehouse, relabelled.plan, "2026-W09", lang="zh")
    en = weekly_report(relabelled.warehouse, relabelled.plan, "2026-W09", lang="en")
    assert (
        "| 保本红线 | 小红书 | **02-23 触发** |" in zh and "| Break-even line | Xiaohongshu | **fired 02-23** |" in en
    )
    assert "| 买量拉新 |  |" in zh and "| Paid growth |  |" in en  # the budget's category line
    assert "| 口碑分 | 全部 |" in zh and "| Word of mouth | all |" in en  # the targets' table
    for code in ("roi_floor", "acquisition", "xiaohongshu", "| nps |"):
        assert code not in zh and code not in en, code


def test_without_a_plan_label_a_known_code_uses_the_catalogue_and_any_other_its_code() -> None:
    plan, issues = parse_plan_text(
        "plan: {name: p, start: 2026-01-01, end: 2026-01-31}\n"
        "budget:\n  total: 1000\n  reserve: 0.12\n  allocations:\n"
        "    - {category: acquisition, share: 0.5}\n    - {category: events, share: 0.3}\n"
        "    - {category: brand, label_en: Brand lift, share: 0.1}\n"
        "stop_loss:\n  - {id: roi_floor, metric: roi_7d, when: '< 1', action: a}\n"
        "  - {id: my_rule, metric: cac, when: '> 9', action: a}\n",
        "p.yaml",
    )
    assert plan is not None and plan.budget is not None and issues == []
    acquisition, events, brand = plan.budget.allocations
    assert [category_label(acquisition, lang) for lang in ("zh", "en")] == ["拉新", "Acquisition"]
    assert [category_label(events, lang) for lang in ("zh", "en")] == ["events", "events"]
    assert [category_label(brand, lang) for lang in ("zh", "en")] == ["Brand lift", "Brand lift"]  # one for both
    lines = budget_status(plan, pd.DataFrame({"date": [], "channel": [], "spend": []}), dt.date(2026, 1, 10)).lines
    assert [(x.category_label("zh"), x.category_label("en")) for x in lines] == [
        ("拉新", "Acquisition"),
        ("events", "events"),
        ("Brand lift", "Brand lift"),
    ]
    roi, mine = plan.rules
    assert [rule_label(roi, lang) for lang in ("zh", "en")] == ["ROI 止损线", "ROI floor"]
    assert rule_label(mine, "zh") == "my_rule"
    assert item_label("channel", "xiaohongshu", "zh") == "小红书"
    assert item_label("campaign", "c1", "zh", {"c1": "春日探索"}) == "春日探索"
    assert item_label("campaign", "c2", "zh", {"c1": "春日探索"}) == "c2"


def test_a_label_must_be_text() -> None:
    plan, issues = parse_plan_text(
        "plan: {name: p, start: 2026-01-01, end: 2026-01-31}\n"
        "external_metrics:\n  - {name: nps, label_zh: [a, b]}\n  - {name: rating, lable_en: Rating}\n",
        "p.yaml",
    )
    assert plan is not None and plan.external_metrics == ("nps", "rating")
    assert [(i.line, i.path, i.severity) for i in issues] == [
        (3, "external_metrics[0].label_zh", Severity.ERROR),
        (4, "external_metrics[1].lable_en", Severity.WARNING),
    ]
    assert "must be a single value, not a list" in issues[0].message
    assert issues[0].message_zh.startswith("必须是单个值，而不是列表")
    assert "did you mean 'label_en'" in issues[1].message


def test_the_chinese_check_text_of_the_demo_plan_holds_no_raw_code(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, db)
    ops = OpsPlan(db, DEMO_PLAN)
    for day in (dt.date(2026, 1, 20), FEB_23, dt.date(2026, 3, 31)):
        text = check_table(ops.check(day), "zh")
        codes = {w for w in re.findall(r"[a-z_]{3,}", text.lower()) if w not in PRODUCT_NAMES}
        # upper-case verdict codes (CRITICAL) are codes on purpose; lower-case words would be the data's codes
        lower = {w for w in re.findall(r"[a-z_]{3,}", text) if w not in PRODUCT_NAMES}
        assert lower == set(), (day, lower)
        assert codes <= {"critical", "warning", "unknown"}, (day, codes)


@pytest.mark.parametrize(
    ("snippet", "zh"),
    [
        ("targets:\n  - {id: t, metric: new_user, target: 10}\n", "未知指标 'new_user'；最接近的已知指标：new_users"),
        ("budget:\n  total: 100\n  reserve: 0.5\n", "预留 50% 不在常见的 10%–15% 之间"),
        ("stop_loss:\n  - {id: r, metric: ctr, when: '< 0.01', for_days: 0}\n", "for_days 至少为 1"),
        ("stop_loss:\n  - {id: roi_floor, metric: roi_7d, when: '< 1'}\n", "规则「ROI 止损线」没有应急预案（action）"),
        ("targets:\n  - {id: t, metric: dau, target: [1]}\n", "[1] 不是数字"),
        ("plan2: {}\n", "未知的部分 'plan2'"),
    ],
)
def test_validation_messages_read_in_chinese(snippet: str, zh: str) -> None:
    plan, parse_issues = parse_plan_text("plan: {name: p, start: 2026-01-01, end: 2026-03-31}\n" + snippet, "p.yaml")
    assert plan is not None
    issues = validate(plan, parse_issues)
    assert any(zh in i.message_zh for i in issues), [i.message_zh for i in issues]
    for i in issues:
        assert i.message and i.message_zh and not re.search(r"[\u4e00-\u9fff]", i.message), i
        assert i.text("zh").startswith("p.yaml:") and i.text("en") == str(i)
        assert (": 错误:" in i.text("zh")) == (i.severity is Severity.ERROR)


def test_unreadable_yaml_says_so_in_both_languages() -> None:
    plan, issues = parse_plan_text("plan: [\n", "p.yaml")
    assert plan is None and issues[0].message.startswith("not valid YAML")
    assert issues[0].message_zh.startswith("不是有效的 YAML")


def _literal_keys(path: Path, calls: set[str]) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            arg = node.args[0]
            if name in calls and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                out.append((arg.value, node.lineno))
    return out


def test_every_key_the_engine_fills_in_per_language_exists() -> None:
    """``pair``, ``issue``, ``problem``, ``add`` take a catalogue key too (tests/test_words.py reads t / both / has)."""
    sources = sorted([*ROOT.glob("opsplan/plan/*.py"), *ROOT.glob("opsplan/report/*.py")])
    found = [
        (path.name, key, line) for path in sources for key, line in _literal_keys(path, {"pair", "issue"}) if "." in key
    ]
    # problem(path, key, …) and add(path, key, …): the key is the second argument
    for path in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and len(node.args) >= 2:
                name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
                arg = node.args[1]
                if name in ("problem", "add", "mapping", "names") and isinstance(arg, ast.Constant):
                    found.append((path.name, str(arg.value), node.lineno))
                if name in ("mapping", "names") and len(node.args) >= 4 and isinstance(node.args[3], ast.Constant):
                    found.append((path.name, str(node.args[3].value), node.lineno))
    keys = [k for _, k, _ in found if k.startswith("validate.")]
    assert len(keys) > 40  # the scan reads the calls
    assert [f for f in found if f[1].startswith("validate.") and not words.has(f[1])] == []
