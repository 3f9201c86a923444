"""Words of Today page (one screen: needs attention, KPI cards with target / pace / stop-loss) and of the
"why did it move" waterfall (``opsplan.charts.why``)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # the page (opsplan.screens.today, ui.today_view)
    "today.scope_all": (
        "范围：指标卡片为{scope}（可在侧栏按渠道或活动筛选）；需要关注、为什么变化和全部目标针对整个计划。",
        "Scope: the KPI cards show {scope} (the sidebar narrows them to a channel or campaign); needs attention, "
        "why it moved and the targets are the whole plan's.",
    ),
    "today.scope_filtered": (
        "范围：指标卡片按侧栏筛选，只看{scope}；需要关注、为什么变化和全部目标仍针对整个计划，不随筛选变化。",
        "Scope: the KPI cards follow the sidebar filter ({scope} only); needs attention, why it moved and the "
        "targets stay the whole plan's, whatever the filter.",
    ),
    "today.every": ("全部渠道", "every channel"),
    "today.flag_summary": (
        "止损：{firing} 条触发（其中 {critical} 条严重），{pending} 条观察中",
        "Stop-loss: {firing} firing ({critical} critical), {pending} pending",
    ),
    "today.target_kind": ("（{kind}目标 {target}）", " ({kind} target {target})"),
    "today.link_hint": (
        "点击每一项打开解释它的页面（已按对应渠道筛选，在新标签页中）。",
        "Each item opens the page that explains it, filtered to its channel (in a new tab).",
    ),
    "today.card_level": ("目标 {target} · 近7日 {actual} {icon}", "target {target} · last 7 days {actual} {icon}"),
    "today.card_cumulative": (
        "目标 {target} · 应达 {expected} · 已完成 {actual} {icon}",
        "target {target} · pace {expected} · so far {actual} {icon}",
    ),
    "today.card_stop": ("止损 {op} {threshold}{per}", "stop-loss {op} {threshold}{per}"),
    "today.per_channel": ("（按渠道）", " per channel"),
    "today.per_campaign": ("（按活动）", " per campaign"),
    "today.why_title": ("为什么变化（未达标的指标）", "Why it moved (KPIs off their target)"),
    "today.why_compared": ("{compared}：{before} → {after}", "{compared}: {before} → {after}"),
    "today.week_vs_week": ("近 7 天对比前 7 天", "The last 7 days against the 7 before"),
    "today.day_vs_day": ("最近一天对比前一天", "The last day against the day before"),
    "today.week_before": ("前 7 天", "Prior 7d"),
    "today.week_last": ("近 7 天", "Last 7d"),
    "today.day_before": ("前一天", "Day before"),
    "today.day_last": ("最近一天", "Last day"),
    "today.why_not_split": ("这个指标没有按渠道或活动的拆分", "it has no parts by channel or campaign"),
    "today.why_none": ("没有未达标的指标。", "No KPI is off its target."),
    "today.targets_toggle": ("全部目标（{count} 个）", "All targets ({count})"),
    # the waterfall of a change (opsplan.charts.why)
    "why.chart.before": ("之前", "Before"),
    "why.chart.after": ("之后", "After"),
    "why.chart.others": ("其他", "Others"),
    "why.chart.mix_part": ("其中占比变化", "of which its share"),
    "why.chart.rate_part": ("其中自身{metric}变化", "of which its own {metric}"),
    "why.chart.step": ("项目", "Step"),
    "why.chart.change": ("变化", "Change"),
    "why.chart.level": ("累计到", "Running level"),
}
