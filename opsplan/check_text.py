"""The daily check as text for a terminal or a cron mail: flags first, then targets, budget, initiatives."""

from __future__ import annotations

from opsplan.check import CheckResult
from opsplan.stoploss import RuleState

_TITLES = {
    "zh": ("每日检查", "数据截至", "止损规则", "目标", "预算", "关键举措", "状态"),
    "en": ("Daily check", "data through", "Stop-loss rules", "Targets", "Budget", "Initiatives", "status"),
}
_ORDER = {RuleState.FIRING: 0, RuleState.PENDING: 1, RuleState.RESOLVED: 2, RuleState.NO_DATA: 3, RuleState.OK: 4}


def check_table(result: CheckResult, lang: str = "zh") -> str:
    t = _TITLES[lang]
    lines = [f"{t[0]} {result.date} ({t[1]} {result.data_through}) — {t[6]}: {result.status.upper()}"]
    if result.message:
        lines.append(result.message)
    if result.flags:
        lines += ["", f"## {t[2]}"]
        for f in sorted(result.flags, key=lambda f: (_ORDER[f.state], f.id)):
            if f.state in (RuleState.OK, RuleState.NO_DATA):
                continue
            mark = "!!" if f.state is RuleState.FIRING else "! " if f.state is RuleState.PENDING else "  "
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
        zh = (
            f"- 已花费 {b.actual:,.0f} / 总预算 {b.total:,.0f}，时间已过 {b.elapsed_share:.0%}，"
            f"期末预计 {b.projected:,.0f}，预留 {b.reserve_amount:,.0f}"
        )
        en = (
            f"- spent {b.actual:,.0f} of {b.total:,.0f} with {b.elapsed_share:.0%} of the period gone; "
            f"projected {b.projected:,.0f}; reserve {b.reserve_amount:,.0f}"
        )
        lines += ["", f"## {t[4]}", zh if lang == "zh" else en]
        if b.over_pace_channels:
            lines.append(("  超速渠道: " if lang == "zh" else "  over pace: ") + ", ".join(b.over_pace_channels))
    if result.initiatives:
        lines += ["", f"## {t[5]}"]
        for i in result.initiatives:
            status = i.status.label(lang) if i.status else i.state
            lines.append(
                f"- [{status}] {i.module} · {i.name} ({i.owner}): {i.reason_zh if lang == 'zh' else i.reason_en}"
            )
    return "\n".join(lines)
