"""Words of "why did it move": a KPI's change split by channel / campaign (``opsplan.report.why``)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "why.sentence": ("{metric} {change}：{parts}", "{metric} {change}: {parts}"),
    "why.part": ("{part} {contribution}（{reason}）", "{part} {contribution} ({reason})"),
    "why.join": ("，", ", "),
    "why.share_down": ("占比下降", "smaller share"),
    "why.share_up": ("占比上升", "larger share"),
    "why.own_down": ("自身{metric}下降", "lower {metric}"),
    "why.own_up": ("自身{metric}上升", "higher {metric}"),
    "why.fewer": ("少了 {delta}", "{delta} fewer"),
    "why.more": ("多了 {delta}", "{delta} more"),
    "why.unchanged": ("{metric} 没有变化", "{metric} did not change"),
    "why.cannot": (
        "{metric} 的变化无法拆解：{reason}",
        "{metric}'s change cannot be split: {reason}",
    ),
    "why.no_before": ("前一期没有数据", "the earlier period has no data"),
    "why.no_after": ("这一期没有数据", "this period has no data"),
    "why.title": ("为什么变化", "Why it moved"),
    "why.column": ("变化与原因（按渠道拆分）", "Change and its causes (by channel)"),
    "why.lead": (
        "{start} 至 {as_of} 对比上周同期；每个渠道的贡献分为占比变化与自身变化，合计等于总变化。",
        "{start} to {as_of} against the same days of last week; each channel's part splits into its share moving "
        "and its own value moving, and the parts add up to the change.",
    ),
    "why.none": ("本周没有可按渠道拆分的指标", "No metric of this week can be split by channel"),
    # the review's next actions (report.why.actions_section)
    "actions.title": ("下周行动", "Next week's actions"),
    "actions.matter": ("事项", "Matter"),
    "actions.action": ("行动（来自计划）", "Action (from the plan)"),
    "actions.owner": ("负责人", "Owner"),
    "actions.owner_sep": ("、", ", "),
    "actions.no_owner": ("未指定（计划中没有对应举措）", "none (no initiative in the plan moves it)"),
    "actions.none": (
        "没有触发的止损或落后的目标：按计划推进",
        "No stop-loss firing and no target behind: carry on with the plan",
    ),
    # 本周结论: the review's opening verdict (opsplan.report.conclusions)
    "conclusions.title": ("本周结论", "This week's conclusions"),
    "conclusions.point": ("要点", "Point"),
    "conclusions.verdict": ("结论", "Verdict"),
    "conclusions.targets": ("目标", "Targets"),
    "conclusions.no_targets": ("计划中没有目标", "The plan sets no targets"),
    "conclusions.worst": ("。最需关注 {target}：{reason}", ". Needs attention most, {target}: {reason}"),
    "conclusions.flags": ("止损", "Stop-loss"),
    "conclusions.firing": ("。触发中：{names}", ". Firing: {names}"),
    "conclusions.moved": ("变差", "Got worse"),
    "conclusions.more_worse": ("（另有 {n} 个指标变差，见下方）", " ({n} more got worse: below)"),
    "conclusions.none_worse": ("本周核心指标没有变差", "No key metric got worse this week"),
    "conclusions.actions": ("下周行动", "Next week"),
    "conclusions.action_count": ("{n} 项行动（见下方）", "{n} actions (below)"),
    "conclusions.unowned": ("，其中 {n} 项没有负责人", ", {n} of them without an owner"),
    # the review's waterfalls (opsplan.report.render)
    "why.chart_title": ("{label}：上周 → 本周，按渠道", "{label}: last week → this week, by channel"),
    "why.last_week": ("上周", "Last week"),
    "why.this_week": ("本周", "This week"),
}
