"""Words of the click-drill (channel → campaign → day → that day's cohort) and of the cohort page."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "app.link_day": (
        "新用户日 {day}（须在 {first} 至 {through} 之间）",
        "cohort day {day} (it must lie between {first} and {through})",
    ),
    # the tables and the chart one clicks
    "drill.pick_row": ("点击一行下钻。", "Click a row to drill down."),
    "drill.pick_day": ("点击一行，查看当天的新用户（cohort）。", "Click a row to open that day's cohort of new users."),
    "drill.roi_title": ("{metric} · 按新用户日", "{metric} by cohort day"),
    "drill.roi_note": (
        "每个点是一天的新用户（cohort），点击一点查看这批用户。红虚线：1.0 回本线{threshold}。{window}",
        "Each point is one day's cohort of new users: click one to open it. Red dashed: break-even 1.0{threshold}. "
        "{window}",
    ),
    "drill.roi_threshold": ("，止损线 {value}", "; stop-loss line {value}"),
    "drill.roi_window": (
        "红底：规则「{rule}」最近 {days} 次判定的新用户日（{start} 至 {end}），低于 {value} 连续 {days} 天即触发。",
        'Shaded red: the cohort days the rule "{rule}" judged in its last {days} checks ({start} to {end}); it '
        "fires after {days} days below {value}.",
    ),
    "drill.roi_no_rule": ("计划里没有针对 {metric} 的止损规则。", "The plan has no stop-loss rule on {metric}."),
    "drill.roi_empty": (
        "所选范围内还没有成熟的新用户日（{metric} 需要 {days} 天数据）。",
        "No cohort day in the range is mature yet ({metric} needs {days} days of data).",
    ),
    "drill.break_even": ("1.0 回本线", "1.0 break-even"),
    "drill.threshold": ("止损线", "stop-loss line"),
    "drill.rule_window": ("止损判定窗口", "rule window"),
    "drill.cohort_day": ("新用户日", "Cohort day"),
    "drill.item": ("渠道 / 活动", "Channel / campaign"),
    "drill.funnel_by_channel": ("各渠道的转化率", "Conversion rates by channel"),
    "drill.funnel_by_channel_note": (
        "同一漏斗按渠道拆开：每格是该渠道这一步的转化率，看哪个渠道在哪一步流失。",
        "The same funnel split by channel: each panel is one step's rate per channel — where each channel loses users.",
    ),
    # the cohort page
    "drill.cohort_title": ("{day} 的新用户 · {scope}", "Cohort of {day} · {scope}"),
    "drill.back_days": ("← 返回逐日明细", "← Back to the days"),
    "drill.back_campaigns": ("← 返回 {channel} 的各活动", "← Back to the campaigns of {channel}"),
    "drill.back_channels": ("← 返回全部渠道", "← Back to all channels"),
    "drill.users": ("新用户", "New users"),
    "drill.spend": ("当天花费", "Spend that day"),
    "drill.cac": ("获客成本", "CAC"),
    "drill.payers": ("付费用户", "Payers"),
    "drill.orders": ("订单", "Orders"),
    "drill.refunds": ("退款", "Refunds"),
    "drill.revenue_to_date": ("累计收入", "Revenue to date"),
    "drill.roi_to_date": ("累计ROI", "ROI to date"),
    "drill.reached": (
        "数据已覆盖注册后第 0 至 {days} 天（共 30 天窗口）；尚未到达的天不计入，也不算作 0。",
        "The data covers days 0 to {days} since signup (of the 30-day window); days not reached yet count as "
        "unknown, not 0.",
    ),
    "drill.not_reached": ("这一天的新用户还没有任何完整的数据日。", "No full day of data has reached this cohort yet."),
    "drill.no_users": ("这一天在所选范围内没有新用户。", "No new users on this day in this scope."),
    "drill.roi7_day": ("7日ROI 截止于第 6 天", "7-day ROI ends on day 6"),
    "drill.roi_curve": ("按注册后天数的累计 ROI", "ROI by day since signup"),
    "drill.roi_curve_note": (
        "累计收入（含退款，仅计投放渠道）÷ 当天花费。{spend}",
        "Revenue to date (refunds netted, paid channels only) ÷ that day's spend. {spend}",
    ),
    "drill.no_spend": (
        "这批用户没有花费（自然流量或裂变），没有 ROI。",
        "This cohort had no spend (organic or referral): no ROI.",
    ),
    "drill.by_day_since": ("按注册后天数", "By day since signup"),
    "drill.day_n": ("第 N 天", "Day N"),
    "drill.retention": ("留存", "Retention"),
    "drill.revenue": ("当天收入", "Revenue that day"),
    "drill.user_list": ("这批用户", "The users"),
    "drill.user_list_note": (
        "共 {total} 位，按最近活跃排序，显示前 {shown} 位。",
        "{total} users, the most recently active first; {shown} shown.",
    ),
    "drill.user_id": ("用户 ID", "User ID"),
    "drill.last_active": ("最近活跃", "Last active"),
    "drill.days_inactive": ("未活跃天数", "Days inactive"),
    # why did it move, on the Channels page
    "drill.why_title": ("为什么变化", "Why did it move"),
    "drill.why_metric": ("指标", "Metric"),
}
