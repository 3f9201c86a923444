"""The daily check as text for a terminal or a cron mail: flags first, then targets, budget, initiatives."""

from __future__ import annotations

import re

from opsplan import fmt
from opsplan.plan.check import CheckResult
from opsplan.plan.stoploss import STATE_ORDER, RuleState

_TITLES = {
    "zh": ("每日检查", "数据截至", "止损规则", "目标", "预算", "关键举措", "状态"),
    "en": ("Daily check", "data through", "Stop-loss rules", "Targets", "Budget", "Initiatives", "status"),
}
_ORDER = STATE_ORDER


_STATES_ZH = {"not_started": "未开始", "running": "进行中", "finished": "已结束", "unknown": "日期不全"}

#: the check's own messages (check.evaluate_plan / run_check, in English) and how to say them in Chinese;
#: e.g. "no data for 2026-01-14: data runs to 2026-01-13" → "2026-01-14 没有数据：数据截至 2026-01-13"
_MESSAGES_ZH = (
    (re.compile(r"no warehouse at (?P<a>.+)"), "没有数据仓库：{a}"),
    (re.compile(r"the warehouse holds no data"), "数据仓库里还没有数据"),
    (re.compile(r"the plan has errors, not judged"), "计划有错误，未评估"),
    (re.compile(r"the check could not run: (?P<a>.+)"), "检查无法运行：{a}"),
    (re.compile(r"no data for (?P<a>\S+): data runs to (?P<b>\S+)"), "{a} 没有数据：数据截至 {b}"),
    (re.compile(r"(?P<a>\S+) is before the plan starts \((?P<b>\S+)\)"), "{a} 早于计划开始日（{b}）"),
)


def unknown_reason(result: CheckResult, lang: str = "zh") -> str:
    """Why the check could not judge, in the reader's language (the message itself when it is not one we know),
    followed by every plan problem at file:line when the plan has errors."""
    message = result.message or ("没有数据" if lang == "zh" else "no data")
    if lang == "zh":
        for pattern, zh in _MESSAGES_ZH:
            if m := pattern.fullmatch(message):
                message = zh.format(**m.groupdict())
                break
    return "\n".join([message, *(f"- {issue}" for issue in result.plan_issues)])


def _day(value: object) -> str:
    return fmt.EMPTY if value is None else str(value)


def check_table(result: CheckResult, lang: str = "zh") -> str:
    t = _TITLES[lang]
    lines = [f"{t[0]} {_day(result.date)} ({t[1]} {_day(result.data_through)}) — {t[6]}: {result.status.upper()}"]
    if result.stale(lang):
        lines.append(("⚠ " if lang == "zh" else "! ") + result.stale(lang))
    if result.status == "unknown" and not (result.stale(lang) and not result.message):
        lines.append(unknown_reason(result, lang))
    elif result.message:
        lines.append(result.message)
    if result.flags:
        lines += ["", f"## {t[2]}"]
        for f in sorted(result.flags, key=lambda f: (_ORDER[f.state], f.id)):
            if f.state in (RuleState.OK, RuleState.NO_DATA):
                continue
            mark = {RuleState.FIRING: "!!", RuleState.PENDING: "! ", RuleState.NOT_JUDGED: "? "}.get(f.state, "  ")
            lines.append(f"{mark} [{f.severity}] {f.id}: {f.reason(lang)}")
            if f.state in (RuleState.FIRING, RuleState.PENDING):
                lines.append(f"     → {f.action}" + (f"（{f.diagnosis}）" if f.diagnosis else ""))
        quiet = sum(1 for f in result.flags if f.state in (RuleState.OK, RuleState.NO_DATA))
        lines.append(f"   {quiet} ok / no data" if lang == "en" else f"   其余 {quiet} 项正常或无数据")
    if result.targets:
        lines += ["", f"## {t[3]}"]
        lines += [f"- [{x.status.label(lang)}] {x.id}: {x.reason(lang)}" for x in result.targets]
    if result.budget:
        b = result.budget
        money = (fmt.value(fmt.CURRENCY, x) for x in (b.actual, b.total, b.projected, b.reserve_amount))
        spent, total, projected, reserve = money
        gone = fmt.share(b.elapsed_share)
        zh = f"- 已花费 {spent} / 总预算 {total}，时间已过 {gone}，期末预计 {projected}，预留 {reserve}"
        en = f"- spent {spent} of {total} with {gone} of the period gone; projected {projected}; reserve {reserve}"
        lines += ["", f"## {t[4]}", zh if lang == "zh" else en]
        if b.over_pace_channels:
            lines.append(("  超速渠道: " if lang == "zh" else "  over pace: ") + ", ".join(b.over_pace_channels))
    if result.initiatives:
        lines += ["", f"## {t[5]}"]
        for i in result.initiatives:
            state = _STATES_ZH.get(i.state, i.state) if lang == "zh" else i.state.replace("_", " ")
            status = i.status.label(lang) if i.status else state
            lines.append(
                f"- [{status}] {i.module} · {i.name} ({i.owner}): {i.reason_zh if lang == 'zh' else i.reason_en}"
            )
    return "\n".join(lines)
