"""Display-independent pieces of the plan pages (Today, Goals, Budget, Initiatives, Alerts): the burn lines of
the budget per channel, the short list of what needs attention today, and their tables in a language (status
chips, labels instead of codes, every number through ``opsplan.fmt``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from opsplan import fmt
from opsplan.metrics.measure import metric_info
from opsplan.metrics.registry import get_metric
from opsplan.plan.budget import BudgetResult
from opsplan.plan.check import CheckResult
from opsplan.plan.evaluate import Status, TargetResult
from opsplan.plan.model import Plan, TargetKind
from opsplan.plan.stoploss import STATE_ORDER, RuleState
from opsplan.words import channel_label, code_label, t

if TYPE_CHECKING:  # annotations only: the result moves between plan modules
    from opsplan.plan.initiatives import InitiativeResult

TOTAL = "__total__"


def burn_lines(
    daily: pd.DataFrame, budget: BudgetResult, start: dt.date, end: dt.date, through: dt.date
) -> pd.DataFrame:
    """Cumulative spend against the straight-line pace over the plan period, for the whole spendable budget
    (channel ``TOTAL``) and for every channel the plan gives an amount.

    ``daily``: columns date, channel, spend (any days). Returns columns channel, date, series ('actual' |
    'pace'), spend. The actual line runs from ``start`` to ``through`` (days without spend count 0, so the
    line is flat there), the pace line over the whole period: on day i of n, planned x i / n."""
    days = list(pd.date_range(start, end).date)
    n = len(days)
    gone = [d for d in days if d <= through]
    rows = daily[(daily["date"] >= start) & (daily["date"] <= through)] if not daily.empty else daily
    per_day = (
        rows.groupby(["channel", "date"])["spend"].sum().astype(float)
        if not rows.empty
        else pd.Series(dtype=float, index=pd.MultiIndex.from_tuples([], names=["channel", "date"]))
    )
    planned = {TOTAL: budget.spendable}
    planned.update({line.channel: line.planned for line in budget.lines if line.channel})
    out: list[dict[str, object]] = []
    for channel, amount in planned.items():
        if channel == TOTAL:
            spent = per_day.groupby(level="date").sum() if not per_day.empty else pd.Series(dtype=float)
        else:
            spent = per_day.xs(channel, level="channel") if channel in per_day.index.get_level_values(0) else None
        running = 0.0
        for d in gone:
            running += float(spent.get(d, 0.0)) if spent is not None else 0.0
            out.append({"channel": channel, "date": d, "series": "actual", "spend": running})
        for i, d in enumerate(days, start=1):
            out.append({"channel": channel, "date": d, "series": "pace", "spend": amount * i / n})
    return pd.DataFrame(out, columns=["channel", "date", "series", "spend"])


@dataclass(frozen=True)
class Attention:
    """One thing to look at today: what kind ('flag' | 'target' | 'budget'), how bad (0 = worst), the object."""

    kind: str
    rank: int
    item: object


def attention(check: CheckResult) -> list[Attention]:
    """What needs attention today, worst first: firing then pending stop-loss flags (critical before warning),
    off-track then at-risk targets, then channels spending over the budget's pace."""
    items: list[Attention] = []
    for flag in check.flags:
        if flag.state in (RuleState.FIRING, RuleState.PENDING):
            rank = (0 if flag.state is RuleState.FIRING else 2) + (0 if flag.severity == "critical" else 1)
            items.append(Attention("flag", rank, flag))
    for target in check.targets:
        if target.status in (Status.MISSED, Status.OFF_TRACK, Status.AT_RISK):
            items.append(Attention("target", 5 if target.status is Status.AT_RISK else 4, target))
    if check.budget:
        items += [Attention("budget", 6, line) for line in check.budget.lines if line.channel and line.over_pace]
    return sorted(items, key=lambda a: a.rank)


# --- the plan pages' tables: display text in a language, no Streamlit ------------------------------------

STATUS_ICON = {
    Status.ACHIEVED: "✅",
    Status.ON_TRACK: "🟢",
    Status.AT_RISK: "🟡",
    Status.OFF_TRACK: "🔴",
    Status.MISSED: "❌",
    Status.NO_DATA: "⚪",
}
STATE_ICON = {
    RuleState.FIRING: "🔴",
    RuleState.PENDING: "🟡",
    RuleState.RESOLVED: "🔵",
    RuleState.OK: "🟢",
    RuleState.NOT_JUDGED: "🔘",
    RuleState.NO_DATA: "⚪",
}
#: targets worst first
STATUS_ORDER = {
    Status.MISSED: 0,
    Status.OFF_TRACK: 1,
    Status.AT_RISK: 2,
    Status.NO_DATA: 3,
    Status.ON_TRACK: 4,
    Status.ACHIEVED: 5,
}


def label_of(kind: str, code: object, lang: str) -> str:
    """The catalogue's label of a code the data or the plan carries (``category.acquisition`` → 拉新); a code
    the catalogue does not know shows as written, an empty one as ``fmt.EMPTY``."""
    return fmt.EMPTY if fmt.is_empty(code) or code == "" else code_label(kind, code, lang)


def status_chip(status: Status | None, lang: str) -> str:
    return fmt.EMPTY if status is None else f"{STATUS_ICON[status]} {status.label(lang)}"


def state_chip(state: RuleState, lang: str) -> str:
    return f"{STATE_ICON[state]} {state.label(lang)}"


def stop_loss_marks(check: CheckResult, key: str, lang: str) -> dict[str, str]:
    """Per channel (``key`` 'channel') or campaign ('campaign_id'): its worst open stop-loss flag as the Channels
    table shows it, '🔴 触发 · ROI 止损线' (firing before pending; one snoozed on the check's day ends in 🔕)."""
    scope_key = "channel" if key == "channel" else "campaign"
    marks: dict[str, tuple[int, str]] = {}
    for f in check.flags:
        item = f.scope.get(scope_key)
        if item is None or f.state not in (RuleState.FIRING, RuleState.PENDING):
            continue
        rank = STATE_ORDER[f.state]
        text = f"{state_chip(f.state, lang)} · {f.label(lang)}" + ("🔕" if f.snoozed_on(check.date) else "")
        if item not in marks or rank < marks[item][0]:
            marks[item] = (rank, text)
    return {item: text for item, (_, text) in marks.items()}


def label(name: str, lang: str, plan: Plan | None = None) -> str:
    """A metric's label: the registry's, the plan's own, or the catalogue's for a known external metric (nps)."""
    info = metric_info(name, plan)
    shown = info.label(lang)
    return label_of("metric", name, lang) if shown == name else shown


def show(name: str, value: object, plan: Plan | None = None) -> str:
    """A value as the plan's judgement formats it ('¥1,234.50', '41.2%', '12,345'; a mean of a count keeps one
    decimal, 0.9 DAU is not 1); '—' when empty."""
    return fmt.value(metric_info(name, plan).unit, value)


def scope_text(scope: Mapping[str, str], lang: str, names: Mapping[str, str] | None = None) -> str:
    """全部 / All, a channel's label, or a campaign by its name (``names``: campaign_id → name) when known."""
    if not scope:
        return t("app.all", lang)
    if "campaign" in scope:
        code = scope["campaign"]
        return str((names or {}).get(code) or code)
    return channel_label(scope.get("channel"), lang)


def kind_label(kind: TargetKind, lang: str) -> str:
    return t(f"goals.kind.{kind.value}", lang)


def sorted_targets(targets: Sequence[TargetResult]) -> list[TargetResult]:
    return sorted(targets, key=lambda x: STATUS_ORDER[x.status])


def targets_frame(
    targets: Sequence[TargetResult],
    lang: str,
    plan: Plan | None,
    names: Mapping[str, str] | None = None,
    *,
    detail: bool = True,
) -> pd.DataFrame:
    """One row per target: its metric (after the plan's name for it), (kind, scope,) status, (values,
    progress,) why, and the plan file's id. ``detail`` False: the short table of Today."""
    rows = list(targets)

    def named(x: TargetResult) -> str:  # the plan author's name for the target, then its metric
        metric = label(x.metric, lang, plan)
        return f"{x.name} · {metric}" if getattr(x, "name", "") else metric

    columns: dict[str, list[object]] = {t("goals.metric", lang): [named(x) for x in rows]}
    if detail:
        columns[t("goals.kind", lang)] = [kind_label(x.kind, lang) for x in rows]
        columns[t("goals.scope", lang)] = [scope_text(x.scope, lang, names) for x in rows]
    columns[t("goals.status", lang)] = [status_chip(x.status, lang) for x in rows]
    if detail:
        for key in ("actual", "target", "expected", "forecast"):
            columns[t(f"goals.{key}", lang)] = [show(x.metric, getattr(x, key), plan) for x in rows]
        columns[t("goals.progress", lang)] = [x.progress for x in rows]  # a progress bar: a fraction
    columns[t("goals.why", lang)] = [x.reason(lang) for x in rows]
    columns[t("goals.id", lang)] = [x.id for x in rows]  # the plan file's id, last: for finding it in the file
    return pd.DataFrame(columns)


def budget_frame(budget: BudgetResult, lang: str) -> tuple[pd.DataFrame, list[bool]]:
    """The budget's lines in ``lang`` (category and channel by their labels, money and shares formatted) and,
    per row, whether it spends over the pace (for the page's highlight)."""
    money = get_metric("spend").format
    lines = list(budget.lines)
    frame = pd.DataFrame(
        {
            t("budget.category", lang): [x.category_label(lang) for x in lines],  # the plan's own label first
            t("budget.channel", lang): [channel_label(x.channel, lang) if x.channel else fmt.EMPTY for x in lines],
            t("budget.planned", lang): [money(x.planned) for x in lines],
            t("budget.actual", lang): [money(x.actual) for x in lines],
            t("budget.burn_rate", lang): [fmt.share(x.burn) for x in lines],
            t("budget.pace", lang): [fmt.share(x.pace) for x in lines],
            t("budget.projected", lang): [money(x.projected) for x in lines],
            t("budget.over", lang): ["⚠️" if x.over_pace else "" for x in lines],
        }
    )
    return frame, [bool(x.over_pace) for x in lines]


def over_pace_text(budget: BudgetResult, lang: str) -> str:
    """'抖音 135%、小红书 157%' / 'Douyin 135%; Xiaohongshu 157%': the channels spending over the pace, or ''."""
    return t("plan.list_sep", lang).join(
        f"{channel_label(x.channel, lang)} {fmt.share(x.pace)}" for x in budget.lines if x.channel and x.over_pace
    )


def initiatives_frame(
    rows: Sequence[InitiativeResult], lang: str, plan: Plan | None, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per initiative: name, owner, status, stage, progress and time gone (fractions, for bars), the
    metric's actual and target, the metric and its scope, the dates and the module."""

    def metric(i: InitiativeResult) -> str:
        if not i.metric:
            return fmt.EMPTY
        return label(i.metric, lang, plan) + (f" · {scope_text(i.scope, lang, names)}" if i.scope else "")

    return pd.DataFrame(
        {
            t("initiatives.name", lang): [i.name for i in rows],
            t("initiatives.owner", lang): [i.owner for i in rows],
            t("initiatives.status", lang): [status_chip(i.status, lang) for i in rows],
            t("initiatives.state", lang): [label_of("state.initiative", i.state, lang) for i in rows],
            t("initiatives.progress", lang): [i.progress for i in rows],
            t("initiatives.elapsed", lang): [i.elapsed for i in rows],
            t("initiatives.actual", lang): [show(i.metric, i.actual, plan) if i.metric else fmt.EMPTY for i in rows],
            t("initiatives.target", lang): [show(i.metric, i.target, plan) if i.metric else fmt.EMPTY for i in rows],
            t("initiatives.metric", lang): [metric(i) for i in rows],
            t("initiatives.dates", lang): [f"{i.start or fmt.EMPTY} – {i.end or fmt.EMPTY}" for i in rows],
            t("initiatives.module", lang): [i.module for i in rows],
        }
    )


def initiative_reason(i: InitiativeResult, lang: str) -> str:
    """The initiative's reason in ``lang``, else in the other language, else ''."""
    return (i.reason_zh if lang == "zh" else i.reason_en) or i.reason_zh or i.reason_en


def progress_frame(
    targets: Sequence[TargetResult], lang: str, plan: Plan | None, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The Goals page's progress bars: one row per target with a progress (a cumulative one), in the order given:
    row ('🟢 正常 · 新增用户 · 全部'), status (its code, for the bar's colour), status_label, progress (actual /
    target), expected (the share of the target the pace says by now: expected / target), text (progress, '35%')."""
    rows = [x for x in targets if x.progress is not None]

    def named(x: TargetResult) -> str:  # as the table names it: the plan's name for the target, then its metric
        what = f"{x.name} · {label(x.metric, lang, plan)}" if x.name else label(x.metric, lang, plan)
        return f"{status_chip(x.status, lang)} · {what} · {scope_text(x.scope, lang, names)}"

    shown = [named(x) for x in rows]
    return pd.DataFrame(
        {
            "row": [f"{s} ({x.id})" if shown.count(s) > 1 else s for s, x in zip(shown, rows, strict=True)],
            "status": [x.status.value for x in rows],
            "status_label": [x.status.label(lang) for x in rows],
            "progress": [float(x.progress) for x in rows],  # type: ignore[arg-type]
            "expected": [x.expected / x.target if x.expected is not None and x.target else None for x in rows],
            "text": [fmt.share(x.progress) for x in rows],
        },
        columns=["row", "status", "status_label", "progress", "expected", "text"],
    )
