"""Words of the daily check as text (terminal, cron mail, chat webhook)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "check.title": (
        "每日检查 {date}（数据截至 {through}）— 状态：{verdict}",
        "Daily check {date} (data through {through}) — status: {verdict}",
    ),
    "check.verdict": ("{word}（{code}）", "{word} ({code})"),
    "check.overall.ok": ("正常", "ok"),
    "check.overall.warning": ("预警", "warning"),
    "check.overall.critical": ("严重", "critical"),
    "check.overall.unknown": ("未知", "unknown"),
    "check.heading": ("## {title}", "## {title}"),
    "check.flags": ("止损规则", "Stop-loss rules"),
    "check.targets": ("目标", "Targets"),
    "check.budget": ("预算", "Budget"),
    "check.initiatives": ("关键举措", "Initiatives"),
    "check.stale": ("⚠ {text}", "! {text}"),
    "check.flag": ("{mark} [{severity}] {rule}：{reason}", "{mark} [{severity}] {rule}: {reason}"),
    "check.action": ("     → {action}{diagnosis}", "     → {action}{diagnosis}"),
    "check.diagnosis": ("（{diagnosis}）", " ({diagnosis})"),
    "check.quiet": ("   其余 {n} 项正常或无数据", "   {n} ok / no data"),
    "check.target": ("- [{status}] {reason}", "- [{status}] {reason}"),
    "check.named_target": ("- [{status}] {name}：{reason}", "- [{status}] {name}: {reason}"),
    "check.budget_line": (
        "- 已花费 {spent} / 总预算 {total}，时间已过 {gone}，期末预计 {projected}，预留 {reserve}",
        "- spent {spent} of {total} with {gone} of the period gone; projected {projected}; reserve {reserve}",
    ),
    "check.over_pace": ("  超速渠道：{channels}", "  over pace: {channels}"),
    "check.initiative": (
        "- [{status}] {module} · {name}（{owner}）：{reason}",
        "- [{status}] {module} · {name} ({owner}): {reason}",
    ),
    "check.no_data": ("没有数据", "no data"),
    "check.msg.no_warehouse": ("没有数据仓库：{a}", "no warehouse at {a}"),
    "check.msg.empty": ("数据仓库里还没有数据", "the warehouse holds no data"),
    "check.msg.plan_errors": ("计划有错误，未评估", "the plan has errors, not judged"),
    "check.msg.could_not_run": ("检查无法运行：{a}", "the check could not run: {a}"),
    "check.msg.no_data_for": ("{a} 没有数据：数据截至 {b}", "no data for {a}: data runs to {b}"),
    "check.msg.before_start": ("{a} 早于计划开始日（{b}）", "{a} is before the plan starts ({b})"),
    # the chat webhook's summary
    "check.all_clear": ("一切正常", "all clear"),
    "check.more": ("…（另有 {n} 条）", "… ({n} more)"),
    "check.notify_flag": ("{icon} {reason} → {action}", "{icon} {reason} → {action}"),
    # acknowledging and snoozing a flag (plan.acks): the note kept in the history, the mark beside the flag
    "ack.note_acked": ("已确认", "acknowledged"),
    "ack.note_snoozed": ("已静音至 {until}", "snoozed until {until}"),
    "ack.note_with": ("{what}：{note}", "{what}: {note}"),
    "ack.mark_acked": ("（已确认 · {by}：{note}）", " (acknowledged · {by}: {note})"),
    "ack.mark_snoozed": ("（已静音至 {until} · {by}：{note}）", " (snoozed until {until} · {by}: {note})"),
    "check.notify_target": ("• {reason}", "• {reason}"),
}
