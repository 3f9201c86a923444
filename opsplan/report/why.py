"""Why did it move, in one sentence (and the review's next actions, with who):
"次日留存率 -3.0pp：小红书 -2.1pp（占比下降），抖音 -0.9pp（自身次日留存率下降）".

A rate (a percent metric) moves in percentage points and so do its parts; a money or ratio metric (CAC, ROI)
in its own unit; a plain sum (new users, DAU, spend) by its relative change, its parts in points of that
change (小红书 -6.0pp of DAU's -8.0%). Each part names its main cause: its share of the denominator moving
(mix) or its own value moving (rate); a part of a sum says how many more or fewer.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from opsplan import fmt
from opsplan.metrics.decompose import Decomposition, Part, between
from opsplan.metrics.measure import MetricInfo, metric_info
from opsplan.metrics.metric import Direction, Unit
from opsplan.plan.check import CheckResult, playbook_for
from opsplan.plan.model import Plan
from opsplan.plan.stoploss import RuleState
from opsplan.report.cells import Cell, Section, scope_text, status_cell
from opsplan.words import channel_label, t


def _signed(unit: Unit, x: float) -> str:
    text = fmt.value(unit, x)
    return text if text.startswith("-") or fmt.is_empty(x) or float(x) == 0 else "+" + text


def _amount(dec: Decomposition, info: MetricInfo, x: float) -> str:
    """A change of the whole or a part's contribution, in the unit the sentence uses for this metric."""
    if not dec.is_ratio:
        return fmt.points(x / float(dec.before)) if dec.before else _signed(info.unit, x)
    if info.unit == Unit.PERCENT:
        return fmt.points(x)
    return _signed(info.unit, x)


def _reason(part: Part, dec: Decomposition, info: MetricInfo, lang: str) -> str:
    if not dec.is_ratio:
        delta = float(part.rate)
        key = "why.fewer" if delta < 0 else "why.more"
        return t(key, lang, delta=fmt.value(info.unit, abs(delta)))
    label = info.label(lang)
    if abs(float(part.mix)) >= abs(float(part.rate)):
        # the mix term's sign follows the share's move when the part's value is positive (all our rates are)
        return t("why.share_down" if float(part.mix) < 0 else "why.share_up", lang)
    return t("why.own_down" if float(part.rate) < 0 else "why.own_up", lang, metric=label)


def sentence(dec: Decomposition, info: MetricInfo, lang: str = "zh", top: int = 2, per: str = "channel") -> str:
    """The change and its ``top`` largest contributions, or why it cannot be split (never a silent blank)."""
    label = info.label(lang)
    if dec.before is None or dec.after is None:
        reason = t("why.no_before" if dec.before is None else "why.no_after", lang)
        return t("why.cannot", lang, metric=label, reason=reason)
    change = float(dec.after) - float(dec.before)
    if change == 0:
        return t("why.unchanged", lang, metric=label)
    whole = fmt.change(change / float(dec.before)) if not dec.is_ratio and dec.before else _amount(dec, info, change)
    parts = [
        t(
            "why.part",
            lang,
            part=channel_label(p.key, lang) if per == "channel" else p.key,
            contribution=_amount(dec, info, float(p.total)),
            reason=_reason(p, dec, info, lang),
        )
        for p in dec.parts[:top]
        if float(p.total) != 0
    ]
    return t("why.sentence", lang, metric=label, change=whole, parts=t("why.join", lang).join(parts))


#: a change below 0.05% of the earlier value reads "+0.0%": not marked as worse
_VISIBLE = 0.0005


def week_over_week(
    con: duckdb.DuckDBPyConnection, name: str, start: dt.date, as_of: dt.date, plan: Plan | None = None
) -> Decomposition | None:
    """``name`` this week (``start`` .. ``as_of``) against the same days a week earlier, by channel; a cohort
    metric compares the cohort days that are mature on ``as_of`` (both windows moved back by its lag). None
    for a metric that cannot be split this way (one counted per week only, or distinct users over days)."""
    lag = dt.timedelta(days=metric_info(name, plan).lag)
    week = dt.timedelta(days=7)
    try:
        return between(con, name, (start - week - lag, as_of - week - lag), (start - lag, as_of - lag), plan=plan)
    except (ValueError, StopIteration):
        return None


#: the KPIs a week's review splits, each with its change by channel: (metric, decomposition), the plan's order
Moves = tuple[tuple[str, Decomposition], ...]


def week_moves(con: duckdb.DuckDBPyConnection, plan: Plan, names: list[str], start: dt.date, as_of: dt.date) -> Moves:
    """Each of ``names`` that can be split, this week against the same days of last week (``week_over_week``)."""
    return tuple((n, d) for n in names if (d := week_over_week(con, n, start, as_of, plan)) is not None)


def got_worse(dec: Decomposition, info: MetricInfo) -> bool:
    """Moved visibly (not a '+0.0%') in the metric's bad direction."""
    moved = dec.change is not None and abs(float(dec.change)) >= _VISIBLE * abs(float(dec.before or 1))
    return moved and (
        (info.direction == Direction.UP and dec.change < 0) or (info.direction == Direction.DOWN and dec.change > 0)
    )


def why_section(moves: Moves, plan: Plan, start: dt.date, as_of: dt.date, lang: str) -> Section:
    """The weekly review's "why it moved": one sentence per KPI, this week against last, by channel."""
    rows = []
    for name, dec in moves:
        info = metric_info(name, plan)
        rows.append(
            (Cell(info.label(lang)), Cell(sentence(dec, info, lang, top=3), "bad" if got_worse(dec, info) else ""))
        )
    columns = (t("report.metric", lang), t("why.column", lang))
    lead = t("why.lead", lang, start=start.isoformat(), as_of=as_of.isoformat())
    return Section("why", t("why.title", lang), columns, tuple(rows), lead=lead, empty=t("why.none", lang))


def _owner(check: CheckResult, metric: str, scope: dict[str, str], lang: str) -> str:
    """Who owns it: the owner of the plan's initiative on this metric and scope; else of one on the metric as a
    whole; for a plan-wide matter, of every initiative moving the metric ('张三、吴九'); '' when none does (a
    channel's flag is not given to the owner of another channel's initiative)."""
    on_metric = [i for i in check.initiatives if i.metric == metric and i.owner]
    for found in (
        [i for i in on_metric if i.scope == scope],
        [i for i in on_metric if not i.scope],
        on_metric if not scope else [],
    ):
        if found:
            return t("actions.owner_sep", lang).join(dict.fromkeys(i.owner for i in found))
    return ""


def actions_section(check: CheckResult, plan: Plan, lang: str) -> Section:
    """下周行动: what the plan says to do next, with who: each firing or pending flag's action (the plan's own
    contingency), each target off track or at risk with its playbook action, and the owner of the initiative
    that moves that metric (empty when the plan names none: a gap the meeting should fill)."""
    rows = []
    for f in check.flags:
        if f.state not in (RuleState.FIRING, RuleState.PENDING):
            continue
        owner = _owner(check, f.metric, f.scope, lang) or t("actions.no_owner", lang)
        rows.append((Cell(f"{f.label(lang)} · {scope_text(f.scope, lang)}", "bad"), Cell(f.action), Cell(owner)))
    for x in check.targets:
        if x.status.value not in ("off_track", "missed", "at_risk"):
            continue
        action = playbook_for(plan, x.metric)
        if not action:
            continue
        tone = "bad" if x.status.value != "at_risk" else "warn"
        name = x.name or metric_info(x.metric, plan).label(lang)
        where = f" · {scope_text(x.scope, lang)}" if x.scope else ""
        matter = f"{name}{where} · {status_cell(x.status, lang).text}"
        owner = _owner(check, x.metric, x.scope, lang) or t("actions.no_owner", lang)
        rows.append((Cell(matter, tone), Cell(action), Cell(owner)))
    columns = tuple(t(f"actions.{c}", lang) for c in ("matter", "action", "owner"))
    return Section("actions", t("actions.title", lang), columns, tuple(rows), empty=t("actions.none", lang))
