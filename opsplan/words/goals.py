"""Words of Goals and Alerts pages."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # pages/goals.py
    "goals.line_forecast": ("期末预测", "forecast"),
    "goals.scope_note": (
        "本页是整份计划：每个目标按计划写定的范围（渠道、活动）和计划周期 {start} 至 {end} 评判，"
        "不随侧栏的渠道、活动和日期筛选变化。",
        "This page is the whole plan: each target is judged on the scope the plan gives it (a channel, a "
        "campaign) over the plan's period, {start} to {end}, whatever the sidebar's channel, campaign and dates.",
    ),
    "goals.board": ("累计目标的进度", "Progress of the cumulative targets"),
    "goals.board_note": (
        "条的颜色是状态：绿色已达成或正常，黄色有风险，红色落后或未达成；黑色竖线是按时间此刻应达的进度。",
        "The bar's colour is the status: green achieved or on track, amber at risk, red off track or missed; "
        "the black tick is where the pace says it should be by now.",
    ),
    "goals.board_expected": ("应达进度", "Expected by now"),
    "goals.each": ("每个目标的走势", "Each target over the plan"),
    # pages/alerts.py: the day-by-day strip
    "alerts.strip_filter_start": ("侧栏起始", "Sidebar start"),
    "alerts.strip_since": (
        "条带从 {first} 画起，早于侧栏的起始日 {start}：{runs} 从那天开始，整段画出；竖虚线是侧栏的起始日。",
        "The strip starts on {first}, before the sidebar's start ({start}): {runs} began then, drawn in full; "
        "the dashed line marks the sidebar's start.",
    ),
    "alerts.strip_run": ("{rule} · {scope}（{state}，自 {since}）", "{rule} · {scope} ({state} since {since})"),
}
