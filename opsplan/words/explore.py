"""Words of the explore pages: Channels (``ch_``), Retention (``re_``), Users (``us_``) and their filters (``ex_``)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # channels
    "channels.purpose": (
        "钱花在哪个渠道最值：点击表格的行或图上的点，逐层下钻 渠道 → 活动 → 天 → 当天的新用户；花费、转化、获客成本和 "
        "ROI 对比上一个同长度周期。",
        "Which channel earns its money: click a row or a point to drill channel → campaign → day → that day's "
        "cohort; spend, conversion, CAC and ROI against the previous period of the same length.",
    ),
    "channels.by_channel": ("各渠道", "By channel"),
    "channels.by_campaign": ("{channel} 的各活动", "Campaigns of {channel}"),
    "channels.campaign": ("活动 {campaign}", "Campaign {campaign}"),
    "channels.previous": (
        "Δ 列：对比上一周期 {start} – {end}（比率类为百分点变化）。7日/30日指标只计已满期的同期群。",
        "Δ columns: against the previous period {start} – {end} (rates in percentage points). 7- and 30-day "
        "metrics count mature cohorts only.",
    ),
    "channels.back": ("← 全部渠道", "← All channels"),
    "channels.back_channel": ("← 返回 {channel}", "← Back to {channel}"),
    "channels.daily": ("每日走势", "Day by day"),
    "channels.daily_phases": ("每日走势（底色 = 活动阶段）", "Day by day (shaded: campaign phases)"),
    "channels.funnel": ("转化漏斗", "Funnel"),
    "channels.funnel_note": (
        "每步右侧为该步转化率（注册转化率只计付费渠道的新增；激活、7日付费只计已满期的同期群）。",
        "Right of each step: its rate (signup CVR counts new users of paid channels only; activation and "
        "7-day payment count mature cohorts only).",
    ),
    "channels.stop_loss": ("止损", "Stop-loss"),
    "channels.name": ("名称", "Name"),
    "channels.change": ("Δ {name}", "Δ {name}"),
    "channels.phase": ("阶段", "Phase"),
    "explore.phase_preheat": ("预热", "Preheat"),
    "explore.phase_burst": ("爆发", "Burst"),
    "explore.phase_longtail": ("长尾", "Long tail"),
    # retention
    "retention.purpose": (
        "买来的用户留不留得住：同期群第 0–30 天留存（空白 = 还没到那一天），各渠道留存曲线，次日/7日/30日留存走势。",
        "Do the users we buy stay: day 0..30 retention of each cohort (blank = that day has not come yet), "
        "curves by channel, and the D1 / D7 / D30 trend.",
    ),
    "retention.grain": ("同期群", "Cohorts"),
    "retention.day": ("按注册日", "by signup day"),
    "retention.week": ("按注册周", "by signup week"),
    "retention.month": ("按注册月", "by signup month"),
    "retention.col_day": ("第{n}天", "Day {n}"),
    "retention.col_week": ("第{n}周", "Week {n}"),
    "retention.col_month": ("第{n}月", "Month {n}"),
    "retention.table_note": (
        "每格为该同期群在第 N 个周期仍活跃的比例；空格表示该周期尚未结束。",
        "Each cell is the share of the cohort active in its N-th period; an empty cell is a period not over yet.",
    ),
    "retention.heatmap": ("同期群留存表", "Cohort retention"),
    "retention.curves": ("各渠道留存曲线", "Retention curves by channel"),
    "retention.curves_note": (
        "第 1–30 天；只画已满期人数不少于该渠道同期群 {share} 的点，避免尾部少数人造成跳动。",
        "Days 1..30; a point shows when at least {share} of the channel's cohort users have reached it, so a "
        "handful of users does not make the tail jump.",
    ),
    "retention.trend": ("次日 / 7日 / 30日留存走势（按注册日）", "D1 / D7 / D30 retention by signup day"),
    "retention.offset": ("注册后第 N 天", "Day N after signup"),
    "retention.cohort": ("同期群", "Cohort"),
    "retention.rate": ("留存率", "Retention"),
    "retention.size": ("同期群人数", "Cohort users"),
    "retention.base": ("已满期人数", "Users who reached day N"),
    "retention.empty": ("所选范围内没有新用户。", "No new users in the selected range."),
    # users
    "users.purpose": (
        "有多少人在用、谁在回来：日活/周活/月活与粘性，新增 / 回访 / 召回 / 流失，沉默用户，新用户画像的月度变化。",
        "How many use the product and who comes back: DAU / WAU / MAU and stickiness, new / returning / "
        "resurrected / dormant, silent users, and the profile of new users month over month.",
    ),
    "users.active": ("活跃用户", "Active users"),
    "users.lifecycle": ("用户生命周期（按周）", "Lifecycle (by week)"),
    "users.lifecycle_note": (
        "流失 = 上周活跃、本周未活跃，画在横轴下方。",
        "Dormant = active the week before, not this week; drawn below the axis.",
    ),
    "users.profile_note": (
        "截至 {end} 的最近 {months} 个月，每月新用户的构成。",
        "The new users of each of the {months} months up to {end}, by share.",
    ),
    "users.silent": ("沉默用户（≥ {k} 天未活跃）", "Silent users (inactive {k}+ days)"),
    "users.silent_note": (
        "截至数据最后一天，按渠道；沉默天数取自计划的设置。",
        "As of the last day of data, by channel; days from the plan's silent_days setting.",
    ),
    "users.silent_all": ("沉默用户合计", "Silent users in all"),
    "users.profile": ("新用户画像（按注册月）", "Profile of new users (by signup month)"),
    "users.attribute": ("维度", "Attribute"),
    "users.share": ("占比", "Share"),
    "users.week": ("周", "Week"),
    "users.month": ("月", "Month"),
    "users.users": ("人数", "Users"),
    "users.state": ("状态", "State"),
    "users.unknown": ("未知", "unknown"),
    "users.no_profile": (
        "用户表里没有画像字段（地区、城市等级、年龄段、性别、平台）。",
        "The users table has no profile columns (region, city tier, age group, gender, platform).",
    ),
    "explore.attr_region": ("地区", "Region"),
    "explore.attr_city_tier": ("城市等级", "City tier"),
    "explore.attr_age_group": ("年龄段", "Age group"),
    "explore.attr_gender": ("性别", "Gender"),
    "explore.attr_platform": ("平台", "Platform"),
    "explore.date": ("日期", "Date"),
    "explore.start": ("开始", "Start"),
    "explore.end": ("结束", "End"),
}
