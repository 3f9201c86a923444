"""本周结论, the weekly review's opening verdict: read off the sections below it, every line with its source's
tone; what cannot be judged is said, never an all-clear."""

from __future__ import annotations

from opsplan.report.cells import Cell, Section
from opsplan.report.conclusions import conclusions_section
from opsplan.words import t

TARGETS = Section(
    "targets",
    "目标进度",
    ("指标", "范围", "状态", "说明"),
    (
        (Cell("7日ROI"), Cell("全部"), Cell("落后", "bad"), Cell("0.85，目标 1.20")),
        (Cell("DAU"), Cell("全部"), Cell("正常", "good"), Cell("…")),
    ),
    lead="目标 2 个：落后 1 · 正常 1",
)
FLAGS = Section(
    "flags",
    "止损",
    ("规则", "范围", "本周", "状态", "级别", "说明", "动作"),
    ((Cell("ROI 止损线"), Cell("小红书"), Cell(""), Cell("触发", "bad"), Cell(""), Cell(""), Cell("")),),
    lead="止损：触发 1 · 恢复 0 · 观察中 0",
)
WHY = Section(
    "why",
    "为什么变化",
    ("指标", "变化"),
    (
        (Cell("新增用户"), Cell("新增用户 -3.9%：小红书 -3.2pp（少了 46）", "bad")),
        (Cell("收入"), Cell("收入 +1.0%：…")),
        (Cell("ARPU"), Cell("ARPU -6.4%：…", "bad")),
    ),
)
ACTIONS = Section(
    "actions",
    "下周行动",
    ("事项", "行动", "负责人"),
    (
        (Cell("ROI 止损线 · 小红书"), Cell("暂停投放"), Cell("李四")),
        (Cell("7日留存率"), Cell("新人引导"), Cell(t("actions.no_owner", "zh"))),
    ),
)


def _cells(section: Section) -> list[tuple[str, str, str]]:
    return [(point.text, verdict.text, verdict.tone) for point, verdict in section.rows]


def test_the_verdict_is_read_off_the_sections() -> None:
    got = _cells(conclusions_section(TARGETS, FLAGS, WHY, ACTIONS, "zh"))
    assert got == [
        ("目标", "目标 2 个：落后 1 · 正常 1。最需关注 7日ROI · 全部：0.85，目标 1.20", "bad"),
        ("止损", "止损：触发 1 · 恢复 0 · 观察中 0。触发中：ROI 止损线 · 小红书", "bad"),
        ("变差", "新增用户 -3.9%：小红书 -3.2pp（少了 46）（另有 1 个指标变差，见下方）", "bad"),
        ("下周行动", "2 项行动（见下方），其中 1 项没有负责人", "warn"),
    ]


def test_a_good_week_says_so_and_nothing_judged_is_not_all_clear() -> None:
    good = Section("targets", "", TARGETS.columns, (TARGETS.rows[1],), lead="目标 1 个：正常 1")
    calm = Section("flags", "", FLAGS.columns, (), lead="止损：触发 0 · 恢复 0 · 观察中 0")
    steady = Section("why", "", WHY.columns, (WHY.rows[1],))
    none = Section("actions", "", ACTIONS.columns, (), empty="没有需要行动的事项")
    got = _cells(conclusions_section(good, calm, steady, none, "en"))
    assert got == [
        ("Targets", "目标 1 个：正常 1", "good"),
        ("Stop-loss", "止损：触发 0 · 恢复 0 · 观察中 0", ""),
        ("Got worse", "No key metric got worse this week", ""),
        ("Next week", "没有需要行动的事项", ""),
    ]
    # no targets judged: said, in amber, never a green "all on track"
    empty = Section("targets", "", TARGETS.columns, (), empty="计划不能评估：plan.yaml 第 3 行")
    assert _cells(conclusions_section(empty, calm, steady, none, "zh"))[0] == (
        "目标",
        "计划不能评估：plan.yaml 第 3 行",
        "warn",
    )
