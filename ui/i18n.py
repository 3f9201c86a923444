"""The dashboard's own words in 中文 and English. Metric labels come from the registry, never from here."""

from __future__ import annotations

from opsplan.demo import DEMO_CHANNELS

LANGS = ("zh", "en")

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("OpsPlan 运营计划看板", "OpsPlan operations plan dashboard"),
    "language": ("语言", "Language"),
    "filters": ("筛选", "Filters"),
    "date_range": ("日期范围", "Date range"),
    "channel": ("渠道", "Channel"),
    "campaign": ("活动", "Campaign"),
    "all": ("全部", "All"),
    "data_through": ("数据截至", "Data through"),
    "plan": ("计划", "Plan"),
    "open_app": (
        "🔓 未设置密码：任何能访问此地址的人都能查看。",
        "🔓 No password set: anyone who can reach this address can see it.",
    ),
    "login_title": ("登录 OpsPlan", "Sign in to OpsPlan"),
    "password": ("密码", "Password"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出登录", "Sign out"),
    "wrong_password": ("密码不正确。", "Wrong password."),
    "login_with": ("使用单点登录", "Sign in with SSO"),
    "demo_loaded": (
        "仓库为空，已自动载入演示数据与演示计划（2026 Q1）。用 `opsplan load` 或「数据」页导入你自己的数据。",
        "The warehouse was empty, so the demo data and demo plan (2026 Q1) were loaded. Load your own data with "
        "`opsplan load` or the Data page.",
    ),
    "demo_data": ("演示数据", "Demo data"),
    "page_error": (
        "这个页面出错了，已记录日志。请刷新，或换个筛选条件再试。",
        "Something went wrong on this page; it has been logged. Reload, or try other filters.",
    ),
    "no_data": ("没有数据", "No data"),
    "warehouse_refused": (
        "数据仓库现在不能读取（例如旁边有另一个程序留下的写入日志，或文件已损坏），"
        "为了不显示可能缺数据的数字，看板暂停读取。"
        "请管理员查看服务器日志中的原因和处理步骤，或运行 `opsplan status`。",
        "The warehouse cannot be read now (for example another program left a write-ahead log beside it, or the "
        "file is damaged), so the dashboard reads nothing rather than show numbers that may be missing rows. The "
        "server log (or `opsplan status`) says why and the steps to recover.",
    ),
    "no_plan": ("没有可用的计划文件", "No usable plan file"),
    # page names
    "page_today": ("今日", "Today"),
    "page_goals": ("目标", "Goals"),
    "page_channels": ("渠道", "Channels"),
    "page_retention": ("留存", "Retention"),
    "page_users": ("用户", "Users"),
    "page_budget": ("预算", "Budget"),
    "page_initiatives": ("关键举措", "Initiatives"),
    "page_alerts": ("止损告警", "Alerts"),
    "page_review": ("周报", "Weekly review"),
    "page_data": ("数据", "Data"),
    # partial periods (opsplan.periods): a week or month the data does not cover in full
    "partial_days": ("部分：{days}", "partial: {days}"),
    "partial_period": ("{period} {days}", "{period}: {days}"),
    "partial_weeks_note": ("* 部分周：{periods}", "* Partial weeks: {periods}"),
    "partial_months_note": ("* 部分月：{periods}", "* Partial months: {periods}"),
    "us_cards_periods": (
        "日活为 {day}，周活为 {week}，月活与粘性为 {month}（周、月取范围内最后一个完整的一期）。",
        "DAU of {day}, WAU of {week}, MAU and stickiness of {month} (the last complete week and month in the range).",
    ),
    "us_card_partial": (
        "{period} 仅 {days}（范围内没有完整的一期）。",
        "{period} covers only {days} (the range holds no complete one).",
    ),
    "us_partial_pale": (
        "浅色柱为部分周：数据未覆盖整周，不能与整周直接比较。",
        "Pale bars: partial weeks, which the data does not cover in full; do not compare them with whole weeks.",
    ),
}


def t(key: str, lang: str, **values: object) -> str:
    """The text for ``key`` in ``lang``; ``values`` fill its {placeholders}."""
    zh, en = TEXT[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def channel_label(code: str | None, lang: str) -> str:
    """抖音 / Douyin for the demo's codes; any other channel shows as the data names it."""
    if code is None:
        return TEXT["all"][0 if lang == "zh" else 1]
    labels = DEMO_CHANNELS.get(code)
    return labels[lang] if labels else code
