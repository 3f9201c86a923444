"""The daily check as text for a terminal or a cron mail: flags first, then targets, budget, initiatives.

Every word comes from the catalogue (``check.*``, ``state.*``, ``status.*``) and every number from
``opsplan.fmt``; rules, categories and channels show by their labels (``plan.labels``), never as codes.
The verdict keeps its upper-case code (OK / WARNING / CRITICAL / UNKNOWN) beside its word, for a cron
mail filter.
"""

from __future__ import annotations

import re

from opsplan import fmt
from opsplan.plan.acks import mark
from opsplan.plan.result import CheckResult
from opsplan.plan.stoploss import STATE_ORDER, RuleState
from opsplan.words import channel_label, has, t

#: the check's own messages (check.evaluate_plan / run_check / the CLI, in English) and the catalogue's
#: word for each; e.g. "no data for 2026-01-14: data runs to 2026-01-13" → "2026-01-14 没有数据：数据截至 2026-01-13"
_MESSAGES = (
    (re.compile(r"no warehouse at (?P<a>.+)"), "check.msg.no_warehouse"),
    (re.compile(r"the warehouse holds no data"), "check.msg.empty"),
    (re.compile(r"the plan has errors, not judged"), "check.msg.plan_errors"),
    (re.compile(r"the check could not run: (?P<a>.+)"), "check.msg.could_not_run"),
    (re.compile(r"no data for (?P<a>\S+): data runs to (?P<b>\S+)"), "check.msg.no_data_for"),
    (re.compile(r"(?P<a>\S+) is before the plan starts \((?P<b>\S+)\)"), "check.msg.before_start"),
)
_MARK = {RuleState.FIRING: "!!", RuleState.PENDING: "! ", RuleState.NOT_JUDGED: "? "}


def unknown_reason(result: CheckResult, lang: str = "zh") -> str:
    """Why the check could not judge, in the reader's language (the message itself when it is not one we know),
    followed by every plan problem at file:line when the plan has errors."""
    message = result.message or t("check.no_data", lang)
    if lang != "en":
        for pattern, key in _MESSAGES:
            if m := pattern.fullmatch(message):
                message = t(key, lang, **m.groupdict())
                break
    # each problem's located line as `opsplan plan validate` prints it, then (for a Chinese reader) its sentence
    issues = [f"- {issue}" + (f"\n  {issue.message_zh}" if lang != "en" else "") for issue in result.plan_issues]
    return "\n".join([message, *issues])


def verdict(status: str, lang: str) -> str:
    """'严重（CRITICAL）' / 'CRITICAL': the overall status as a word with its code (in English the code is the word)."""
    if lang == "en":
        return status.upper()
    return t("check.verdict", lang, word=t(f"check.overall.{status}", lang), code=status.upper())


def severity_label(severity: str, lang: str) -> str:
    key = f"rule.severity.{severity}"
    return t(key, lang) if has(key) else severity


def _day(value: object) -> str:
    return fmt.EMPTY if value is None else str(value)


def _flag_lines(result: CheckResult, lang: str) -> list[str]:
    lines = ["", t("check.heading", lang, title=t("check.flags", lang))]
    for f in sorted(result.flags, key=lambda f: (STATE_ORDER[f.state], f.id)):
        if f.state in (RuleState.OK, RuleState.NO_DATA):
            continue
        severity = severity_label(f.severity, lang)
        lines.append(
            t(
                "check.flag",
                lang,
                mark=_MARK.get(f.state, "  "),
                severity=severity,
                rule=f.label(lang),
                reason=f.reason(lang),
            )
            + mark(f, result.date, lang)
        )
        if f.state in (RuleState.FIRING, RuleState.PENDING):
            diagnosis = t("check.diagnosis", lang, diagnosis=f.diagnosis) if f.diagnosis else ""
            lines.append(t("check.action", lang, action=f.action, diagnosis=diagnosis))
    quiet = sum(1 for f in result.flags if f.state in (RuleState.OK, RuleState.NO_DATA))
    lines.append(t("check.quiet", lang, n=fmt.count(quiet)))
    return lines


def _budget_lines(result: CheckResult, lang: str) -> list[str]:
    b = result.budget
    assert b is not None
    money = (fmt.value(fmt.CURRENCY, x) for x in (b.actual, b.total, b.projected, b.reserve_amount))
    spent, total, projected, reserve = money
    lines = ["", t("check.heading", lang, title=t("check.budget", lang))]
    lines.append(
        t(
            "check.budget_line",
            lang,
            spent=spent,
            total=total,
            gone=fmt.share(b.elapsed_share),
            projected=projected,
            reserve=reserve,
        )
    )
    if b.over_pace_channels:
        names = t("reason.where_join", lang).join(channel_label(c, lang) for c in b.over_pace_channels)
        lines.append(t("check.over_pace", lang, channels=names))
    return lines


def check_table(result: CheckResult, lang: str = "zh") -> str:
    head = t(
        "check.title",
        lang,
        date=_day(result.date),
        through=_day(result.data_through),
        verdict=verdict(result.status, lang),
    )
    lines = [head]
    if result.stale(lang):
        lines.append(t("check.stale", lang, text=result.stale(lang)))
    if result.status == "unknown" and not (result.stale(lang) and not result.message):
        lines.append(unknown_reason(result, lang))
    elif result.message:
        lines.append(result.message)
    if result.flags:
        lines += _flag_lines(result, lang)
    if result.targets:
        lines += ["", t("check.heading", lang, title=t("check.targets", lang))]
        for x in result.targets:  # a target the author named reads with its name (as written)
            key = "check.named_target" if x.name else "check.target"
            lines.append(t(key, lang, status=x.status.label(lang), name=x.name, reason=x.reason(lang)))
    if result.budget:
        lines += _budget_lines(result, lang)
    if result.initiatives:
        lines += ["", t("check.heading", lang, title=t("check.initiatives", lang))]
        for i in result.initiatives:
            status = i.status.label(lang) if i.status else t(f"state.initiative.{i.state}", lang)
            reason = i.reason_zh if lang != "en" else i.reason_en
            lines.append(
                t("check.initiative", lang, status=status, module=i.module, name=i.name, owner=i.owner, reason=reason)
            )
    return "\n".join(lines)
