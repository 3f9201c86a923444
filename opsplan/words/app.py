"""The dashboard's shared words and each plan page's own (``today.flags`` for pages/today.py)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "app.title": ("OpsPlan 运营计划看板", "OpsPlan operations plan dashboard"),
    "app.language": ("语言", "Language"),
    "app.filters": ("筛选", "Filters"),
    "app.date_range": ("日期范围", "Date range"),
    "app.list_sep": ("；", "; "),
    "app.link_ignored": (
        "链接里有无法打开的部分，已改用默认：{what}",
        "Part of the link could not be opened and was replaced by the default: {what}",
    ),
    "app.link_dates": (
        "日期 {start} 至 {end}（数据范围 {first} 至 {through}，且开始不能晚于结束）",
        "dates {start} to {end} (the data covers {first} to {through}, and the start must not come after the end)",
    ),
    "app.link_channel": ("渠道 {channel}（数据中没有这个渠道）", "channel {channel} (no such channel in the data)"),
    "app.link_campaign": (
        "活动 {campaign}（数据中没有这个活动）",
        "campaign {campaign} (no such campaign in the data)",
    ),
    "app.channel": ("渠道", "Channel"),
    "app.campaign": ("活动", "Campaign"),
    "app.all": ("全部", "All"),
    "app.data_and_plan": ("数据截至 {day} · 计划：{plan}", "Data through {day} · Plan: {plan}"),
    "auth.open_app": (
        "🔓 未设置密码：任何能访问此地址的人都能查看。",
        "🔓 No password set: anyone who can reach this address can see it.",
    ),
    "auth.login_title": ("登录 OpsPlan", "Sign in to OpsPlan"),
    "auth.password": ("密码", "Password"),
    "auth.sign_in": ("登录", "Sign in"),
    "auth.sign_out": ("退出登录", "Sign out"),
    "auth.wrong_password": ("密码不正确。", "Wrong password."),
    "auth.login_with": ("使用单点登录", "Sign in with SSO"),
    "app.demo_loaded": (
        "仓库为空，已自动载入演示数据与演示计划（2026 Q1）。用 `opsplan load` 或「数据」页导入你自己的数据。",
        "The warehouse was empty, so the demo data and demo plan (2026 Q1) were loaded. Load your own data with "
        "`opsplan load` or the Data page.",
    ),
    "app.demo_data": ("演示数据", "Demo data"),
    "app.page_error": (
        "这个页面出错了，已记录日志。请刷新，或换个筛选条件再试。",
        "Something went wrong on this page; it has been logged. Reload, or try other filters.",
    ),
    "app.no_data": ("没有数据", "No data"),
    "app.warehouse_refused": (
        "数据仓库现在不能读取（例如旁边有另一个程序留下的写入日志，或文件已损坏），"
        "为了不显示可能缺数据的数字，看板暂停读取。"
        "请管理员查看服务器日志中的原因和处理步骤，或运行 `opsplan status`。",
        "The warehouse cannot be read now (for example another program left a write-ahead log beside it, or the "
        "file is damaged), so the dashboard reads nothing rather than show numbers that may be missing rows. The "
        "server log (or `opsplan status`) says why and the steps to recover.",
    ),
    "app.no_plan": ("没有可用的计划文件", "No usable plan file"),
    # page names
    "nav.today": ("今日", "Today"),
    "nav.goals": ("目标", "Goals"),
    "nav.channels": ("渠道", "Channels"),
    "nav.retention": ("留存", "Retention"),
    "nav.users": ("用户", "Users"),
    "nav.budget": ("预算", "Budget"),
    "nav.initiatives": ("关键举措", "Initiatives"),
    "nav.alerts": ("止损告警", "Alerts"),
    "nav.review": ("周报", "Weekly review"),
    "nav.data": ("数据", "Data"),
    # partial periods (opsplan.metrics.periods): a week or month the data does not cover in full
    "period.partial_days": ("部分：{days}", "partial: {days}"),
    "period.partial_period": ("{period} {days}", "{period}: {days}"),
    "period.partial_weeks_note": ("* 部分周：{periods}", "* Partial weeks: {periods}"),
    "period.partial_months_note": ("* 部分月：{periods}", "* Partial months: {periods}"),
    "users.cards_periods": (
        "日活为 {day}，周活为 {week}，月活与粘性为 {month}（周、月取范围内最后一个完整的一期）。",
        "DAU of {day}, WAU of {week}, MAU and stickiness of {month} (the last complete week and month in the range).",
    ),
    "users.card_partial": (
        "{period} 仅 {days}（范围内没有完整的一期）。",
        "{period} covers only {days} (the range holds no complete one).",
    ),
    "users.partial_pale": (
        "浅色柱为部分周：数据未覆盖整周，不能与整周直接比较。",
        "Pale bars: partial weeks, which the data does not cover in full; do not compare them with whole weeks.",
    ),
    # each page's own words, namespaced by its file
    # pages/alerts.py
    "alerts.purpose": (
        "每条止损规则在每个渠道或活动上的状态：从哪天开始、当前值、该做的应急动作，以及逐日历史。",
        "Every stop-loss rule on every channel or campaign: its state, since when, the value, the action the "
        "plan prescribes, and the day-by-day history.",
    ),
    "alerts.none": ("计划里没有止损规则。", "The plan has no stop-loss rules."),
    "alerts.rule": ("规则", "Rule"),
    "alerts.scope": ("范围", "Scope"),
    "alerts.state": ("状态", "State"),
    "alerts.since": ("起始", "Since"),
    "alerts.value": ("当前值", "Value"),
    "alerts.severity": ("级别", "Severity"),
    "alerts.action": ("应急动作", "Action"),
    "alerts.diagnosis": ("诊断", "Diagnosis"),
    "alerts.why": ("说明", "Why"),
    "alerts.day": ("日期", "Day"),
    "alerts.streak": ("连续天数", "Days in a row"),
    "alerts.note": ("处理备注", "Notes"),
    "alerts.history": ("逐日历史", "Day by day"),
    "alerts.show_all": ("显示正常与无数据的项", "Show ok and no-data items too"),
    "alerts.kept": ("已记录的检查与处理备注", "Kept checks and notes on what was done"),
    "alerts.no_kept": (
        "还没有 `opsplan check` 的记录（用 cron 每天运行它，这里会显示历史和备注）。",
        "No `opsplan check` runs kept yet (run it daily from cron to see their history and notes here).",
    ),
    # pages/budget.py
    "budget.purpose": (
        "预算花得是否按计划：各类别与渠道的计划与实际、消耗进度、按时间应花到的线，以及预留金。",
        "Is the budget spent as planned: planned vs actual by category and channel, burn against the "
        "straight-line pace, and the reserve.",
    ),
    "budget.no_budget": ("计划里没有预算。", "The plan has no budget."),
    "budget.total": ("总预算", "Total budget"),
    "budget.spent": ("已花费", "Spent"),
    "budget.projected": ("期末预计", "Projected"),
    "budget.reserve": ("预留金", "Reserve"),
    "budget.elapsed": ("时间已过", "Time gone"),
    "budget.lines": ("计划与实际", "Planned vs actual"),
    "budget.burn": ("累计花费与计划进度", "Cumulative spend vs planned pace"),
    "budget.category": ("类别", "Category"),
    "budget.planned": ("计划", "Planned"),
    "budget.actual": ("实际", "Actual"),
    "budget.burn_rate": ("消耗", "Burn"),
    "budget.pace": ("进度比", "Pace"),
    "budget.over": ("超速", "Over pace"),
    # pages/goals.py
    "goals.purpose": (
        "计划里每个目标的进度、应达进度、期末预测、状态和原因；每张图的图例说明各条线。",
        "Every target of the plan: progress, expected pace, forecast, status and why; each chart's legend names "
        "its lines.",
    ),
    "goals.actual": ("实际", "Actual"),
    "goals.target": ("目标", "Target"),
    "goals.expected": ("应达", "Expected"),
    "goals.forecast": ("期末预测", "Forecast"),
    "goals.progress": ("进度", "Progress"),
    "goals.trend": ("环比", "Week over week"),
    "goals.kind": ("类型", "Kind"),
    "goals.scope": ("范围", "Scope"),
    "goals.summary": ("目标一览", "All targets"),
    "goals.why": ("说明", "Why"),
    # pages/initiatives.py
    "initiatives.purpose": (
        "每个关键举措的负责人、起止日期、进度和状态；衡量指标按举措自己的日期和范围计算。",
        "Each initiative's owner, dates, progress and status; its metric is measured over its own dates and scope.",
    ),
    "initiatives.none": ("计划里没有关键举措。", "The plan has no initiatives."),
    "initiatives.module": ("模块", "Module"),
    "initiatives.name": ("举措", "Initiative"),
    "initiatives.owner": ("负责人", "Owner"),
    "initiatives.dates": ("日期", "Dates"),
    "initiatives.state": ("阶段", "Stage"),
    "initiatives.metric": ("衡量指标", "Metric"),
    "initiatives.actual": ("实际", "Actual"),
    "initiatives.target": ("目标", "Target"),
    "initiatives.progress": ("进度", "Progress"),
    "initiatives.elapsed": ("时间已过", "Time gone"),
    "initiatives.status": ("状态", "Status"),
    "initiatives.why": ("说明", "Why"),
    "initiatives.caption": ("{status} {name}（{owner}）：{why}", "{status} {name} ({owner}): {why}"),
    # pages/today.py
    "today.purpose": (
        "每天早上先看这里：需要处理的事（最严重的在前，点击查看原因）、昨日核心指标与目标和止损线、偏离目标的指标为什么变化。",
        "Start every morning here: what needs attention (worst first, each a link to its reason), yesterday's KPIs "
        "against their targets and stop-loss lines, and why the KPIs off target moved.",
    ),
    "today.flags": ("止损告警", "Stop-loss flags"),
    "today.no_flags": ("没有触发或观察中的止损规则。", "No stop-loss rule is firing or pending."),
    "today.kpis": ("昨日核心指标", "Yesterday's KPIs"),
    "today.targets": ("目标状态", "Targets"),
    "today.attention": ("今天要处理", "Needs attention today"),
    "today.nothing": ("一切正常，没有需要处理的事项。", "All clear: nothing needs attention."),
    "today.freshness": ("数据新鲜度", "Data freshness"),
    "today.as_of": ("（仅就截至 {day} 的数据而言）", "(as far as the data through {day} goes)"),
    "today.since_day": ("（自 {day}）", " (since {day})"),
    "today.demo_suffix": ("（演示数据）", " (demo data)"),
    # the targets' table (Today, Goals)
    "goals.id": ("编号", "ID"),
    "goals.metric": ("指标", "Metric"),
    "goals.status": ("状态", "Status"),
    "goals.kind.cumulative": ("累计", "cumulative"),
    "goals.kind.level": ("水平", "level"),
    "goals.kind.relative": ("相对", "relative"),
    "budget.channel": ("渠道", "Channel"),
    # an initiative's stage (opsplan.plan.evaluate.InitiativeResult.state)
    # the language switch: each language named in itself
    "app.lang_name": ("中文", "English"),
    # KPI cards (ui/widgets.kpi_cards)
    "kpi.vs_day_before": ("日环比", "vs day before"),
    "kpi.vs_last_week": ("周同比 {change}", "{change} vs same day last week"),
    "kpi.cohort_of": ("同期群 {day}", "cohort of {day}"),
    # key columns of the metric tables (ui/widgets.metric_table)
    "dim.channel": ("渠道", "Channel"),
    "dim.campaign_id": ("活动", "Campaign"),
    "dim.date": ("日期", "Date"),
    "dim.week": ("周", "Week"),
    "dim.month": ("月", "Month"),
    "dim.cohort": ("同期群", "Cohort"),
    "dim.name": ("名称", "Name"),
    # a refused load's problems (ui/uploads.problems_frame)
    "data.problem_source": ("文件", "File"),
    "data.problem_rows": ("行", "Row(s)"),
    "data.problem_column": ("列", "Column"),
    "data.problem_problem": ("原因", "Why"),
}
