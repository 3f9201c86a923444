"""Today in one screen, without Streamlit: the "needs attention" items worst first, each with the page and
filter that explains it; the line under a KPI card (the plan's target on that metric, its pace, the stop-loss
threshold of a rule on it); the scope each part of the page follows; and, for each KPI off its target, why it
moved (the last 7 days against the 7 before, by channel — by campaign for a channel's target).

Markdown is the display's business (``ui.today_view``): the texts here are plain, the links plain URLs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import duckdb
import pandas as pd

from opsplan import fmt
from opsplan.metrics.decompose import Decomposition, decompose
from opsplan.metrics.measure import MetricInfo, daily_parts, metric_info
from opsplan.metrics.registry import METRICS
from opsplan.plan.acks import cell as ack_cell
from opsplan.plan.budget import BudgetLine
from opsplan.plan.check import CheckResult, Flag
from opsplan.plan.evaluate import Status, TargetResult
from opsplan.plan.model import Plan, TargetKind
from opsplan.plan.stoploss import RuleState
from opsplan.report.why import sentence
from opsplan.screens.plan import (
    STATE_ICON,
    STATUS_ICON,
    attention,
    kind_label,
    label,
    scope_text,
    show,
    state_chip,
    status_chip,
)
from opsplan.words import channel_label, t

#: the cards of a plan without a daily cadence (and the ones that fill a short one up to ten)
DEFAULT_CARDS = ("new_users", "dau", "revenue", "paying_users", "spend", "cac", "ctr", "signup_cvr", "roi_7d", "arpu")
#: the statuses of a KPI "off its target": their change is explained on the page
OFF = (Status.MISSED, Status.OFF_TRACK)
_SEVERITY_ICON = {"critical": "🚨", "warning": "⚠️"}
#: the days of each of the two periods compared
WEEK = 7
#: the parts a change names (the sentence) and draws (the waterfall; the rest as one "others" bar)
TOP = 3


def card_names(plan: Plan | None) -> list[str]:
    """The plan's daily cadence (the metrics the registry can put on a card), filled up to ten from DEFAULT_CARDS."""
    cards = [m for m in (plan.cadence.get("daily", ()) if plan else ()) if m in METRICS] or list(DEFAULT_CARDS)
    return cards + [m for m in DEFAULT_CARDS if m not in cards][: max(0, 10 - len(cards))]


# ── links ────────────────────────────────────────────────────────────────────────────────────────────────


def link(page: str, start: dt.date, end: dt.date, lang: str, **scope: str | None) -> str:
    """A relative URL of a page with the filters that page reads (``ui.state``): the dates always (a link pins
    them), the channel / campaign when given, the language when not the default."""
    query = {"from": start.isoformat(), "to": end.isoformat(), **{k: v for k, v in scope.items() if v}}
    if lang == "en":
        query["lang"] = lang
    return f"{page}?{urlencode(query)}"


@dataclass(frozen=True)
class Item:
    """One line of "needs attention": how bad (0 = worst), its head (the link's text), the rest of the line,
    and the link to the page and filter that explains it."""

    rank: int
    head: str
    detail: str
    url: str


def target_head(x: TargetResult, lang: str, plan: Plan | None, names: Mapping[str, str] | None = None) -> str:
    """'🔴 落后 · 次日留存率（相对目标 41.9%）· 全部': the target's own name or its metric, its kind and value,
    so two targets on one metric (a level and an uplift) read apart."""
    what = x.name or label(x.metric, lang, plan)
    which = t("today.target_kind", lang, kind=kind_label(x.kind, lang), target=show(x.metric, x.target, plan))
    return f"{status_chip(x.status, lang)} · {what}{which} · {scope_text(x.scope, lang, names)}"


def flag_head(f: Flag, lang: str, names: Mapping[str, str] | None = None) -> str:
    severity = t(f"rule.severity.{f.severity}", lang) if f.severity in _SEVERITY_ICON else f.severity
    chip = f"{_SEVERITY_ICON.get(f.severity, '•')} {severity}"
    return f"{state_chip(f.state, lang)} · {chip} · {f.label(lang)} · {scope_text(f.scope, lang, names)}"


def attention_items(
    check: CheckResult,
    plan: Plan | None,
    lang: str,
    start: dt.date,
    end: dt.date,
    campaigns: Mapping[str, tuple[str, str]] | None = None,
) -> list[Item]:
    """What needs attention, worst first (``screens.plan.attention``: firing critical, firing warning, pending,
    off-track then at-risk targets, over-pace budget), each linked: a channel's or campaign's flag to Channels
    with it chosen, a plan-wide flag to Alerts, a target to Goals, a budget line to Budget with its channel.
    ``campaigns``: campaign id → (its channel, its name)."""
    campaigns = campaigns or {}
    names = {c: n for c, (_, n) in campaigns.items()}
    items = []
    for a in attention(check):
        if a.kind == "flag":
            f: Flag = a.item  # type: ignore[assignment]
            campaign = f.scope.get("campaign")
            channel = f.scope.get("channel") or campaigns.get(campaign or "", (None, ""))[0]
            page = "channels" if channel or campaign else "alerts"
            detail = f"{t('today.since_day', lang, day=f.since).strip()} → {f.action}"
            if f.ack:  # acknowledged or snoozed: it still shows, marked with who and until when
                detail += f" · {ack_cell(f, check.date, lang)}"
            url = link(page, start, end, lang, channel=channel, campaign=campaign)
            items.append(Item(a.rank, flag_head(f, lang, names), detail, url))
        elif a.kind == "target":
            x: TargetResult = a.item  # type: ignore[assignment]
            items.append(
                Item(a.rank, target_head(x, lang, plan, names), x.reason(lang), link("goals", start, end, lang))
            )
        else:
            line: BudgetLine = a.item  # type: ignore[assignment]
            money = METRICS["spend"].format
            head = f"💸 {channel_label(line.channel, lang)}: {t('plan.over_pace', lang)}"
            detail = f"({money(line.actual)} / {money(line.planned)}, {fmt.share(line.pace)})"
            items.append(Item(a.rank, head, detail, link("budget", start, end, lang, channel=line.channel)))
    return items


# ── the cards' target, pace and stop-loss line ─────────────────────────────────────────────────────────────


def _scope_of(channel: str | None, campaign: str | None) -> dict[str, str]:
    return {"campaign": campaign} if campaign else {"channel": channel} if channel else {}


def card_notes(
    check: CheckResult | None,
    plan: Plan | None,
    metrics: Sequence[str],
    lang: str,
    channel: str | None = None,
    campaign: str | None = None,
) -> dict[str, str]:
    """Per card, '目标 1.20 · 近7日 0.87 🔴 · 止损 < 1.00（按渠道）': each target of the plan on that metric and
    the cards' scope (a cumulative one with its pace), then each stop-loss rule on it that covers the scope."""
    scope = _scope_of(channel, campaign)
    notes: dict[str, str] = {}
    for name in metrics:
        parts = []
        for x in check.targets if check else ():
            if x.metric != name or x.scope != scope or x.target is None:
                continue
            icon = STATUS_ICON[x.status]
            values = {"target": show(name, x.target, plan), "actual": show(name, x.actual, plan), "icon": icon}
            if x.kind is TargetKind.CUMULATIVE:
                parts.append(t("today.card_cumulative", lang, expected=show(name, x.expected, plan), **values))
            else:
                parts.append(t("today.card_level", lang, **values))
        for rule in plan.rules if plan else ():
            if rule.metric != name or rule.op is None or rule.threshold is None:
                continue
            if rule.only and not ({channel, campaign} & set(rule.only)) and (channel or campaign):
                continue
            per = "" if rule.per == "all" else t(f"today.per_{rule.per}", lang)
            parts.append(t("today.card_stop", lang, op=rule.op, threshold=show(name, rule.threshold, plan), per=per))
        if parts:
            notes[name] = " · ".join(dict.fromkeys(parts))  # two rules with one threshold said once
    return notes


def scope_line(lang: str, channel: str | None, campaign: str | None, names: Mapping[str, str] | None = None) -> str:
    """Which parts follow the sidebar's channel / campaign and which are the whole plan, said once."""
    shown = scope_text(_scope_of(channel, campaign), lang, names) if channel or campaign else t("today.every", lang)
    key = "today.scope_filtered" if channel or campaign else "today.scope_all"
    return t(key, lang, scope=shown)


def flag_summary(check: CheckResult, lang: str) -> tuple[str, bool]:
    """'🔴 止损：1 条触发（其中 1 条严重），1 条观察中' and whether a critical one fires unsnoozed (a snoozed flag is
    counted, but no longer raises the alarm, as in the check's status); ('', False) when none is open."""
    firing = [f for f in check.flags if f.state is RuleState.FIRING]
    pending = [f for f in check.flags if f.state is RuleState.PENDING]
    if not firing and not pending:
        return "", False
    critical = [f for f in firing if f.severity == "critical"]
    counts = {
        "firing": fmt.count(len(firing)),
        "critical": fmt.count(len(critical)),
        "pending": fmt.count(len(pending)),
    }
    icon = STATE_ICON[RuleState.FIRING if firing else RuleState.PENDING]
    alarm = any(not f.snoozed_on(check.date) for f in critical)
    return f"{icon} {t('today.flag_summary', lang, **counts)}", alarm


# ── why did it move, for each KPI off its target ───────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Move:
    """A KPI off its target and its change split by part; ``dec`` None when it cannot be split (``why`` says)."""

    metric: str
    scope: dict[str, str]
    info: MetricInfo
    per: str  # 'channel' | 'campaign'
    periods: tuple[str, str]  # the two periods' short names, the waterfall's totals: '前 7 天', '近 7 天'
    dates: tuple[str, str]  # their days: '2026-03-18 – 2026-03-24'
    compared: str  # what is compared with what, in words
    dec: Decomposition | None
    why: str  # the sentence: the change and its largest parts, or why it cannot be split


def _span(a: dt.date, b: dt.date) -> str:
    return a.isoformat() if a == b else f"{a.isoformat()} – {b.isoformat()}"


def _sums(frame: pd.DataFrame, span: tuple[dt.date, dt.date], is_ratio: bool) -> dict[str, tuple[float, float | None]]:
    """Per part, the numerator and denominator summed over ``span`` (``decompose.period_sums`` on rows read once
    for both periods); a ratio's part without a denominator has no value and is left out."""
    rows = frame[(frame["date"] >= span[0]) & (frame["date"] <= span[1]) & frame["num"].notna()]
    grouped = rows.groupby("item")[["num", "den"]].sum(min_count=1)
    return {
        str(item): (float(row.num), float(row.den) if is_ratio else None)
        for item, row in grouped.iterrows()
        if not is_ratio or row.den == row.den
    }


def _split(
    con: duckdb.DuckDBPyConnection,
    name: str,
    plan: Plan | None,
    spans: tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]],
    per: str,
    rename: Mapping[str, str] | None,
) -> Decomposition:
    """The change between the two spans by ``per`` (one read of the days of both); ``rename`` (campaign id →
    name) keeps only those parts."""
    is_ratio = metric_info(name, plan).is_ratio
    frame = daily_parts(con, name, plan, spans[0][0], spans[1][1], per=per)
    sums = [_sums(frame, span, is_ratio) for span in spans]
    if rename is not None:
        sums = [{rename[k]: v for k, v in s.items() if k in rename} for s in sums]
    return decompose(sums[0], sums[1], is_ratio)


def _splittable(name: str, scope: Mapping[str, str], plan: Plan | None) -> bool:
    """A registry or event metric of the whole plan or a channel (an external number has no parts, a campaign
    is one part)."""
    known = name in METRICS or any(e.name == name for e in (plan.event_metrics if plan else ()))
    return known and "campaign" not in scope


def move(
    con: duckdb.DuckDBPyConnection,
    name: str,
    scope: Mapping[str, str],
    as_of: dt.date,
    plan: Plan | None,
    lang: str,
    campaigns: Mapping[str, tuple[str, str]],
) -> Move:
    """``name`` in ``scope``: the last 7 (mature) days against the 7 before, or (a metric that is no sum over days,
    distinct users) the last day against the day before. The whole plan splits by channel, a channel by its
    campaigns (``campaigns``: id → (channel, name)). The sentence says when it cannot be split."""
    info = metric_info(name, plan)
    per = "campaign" if scope else "channel"
    cannot = t("why.cannot", lang, metric=label(name, lang, plan), reason=t("today.why_not_split", lang))
    if not _splittable(name, scope, plan):
        return Move(name, dict(scope), info, per, ("", ""), ("", ""), "", None, cannot)
    rename = {c: n for c, (ch, n) in campaigns.items() if ch == scope.get("channel")} if scope else None
    end = as_of - dt.timedelta(days=info.lag)
    week, day = dt.timedelta(days=WEEK), dt.timedelta(days=1)
    if info.additive:  # a sum over days: the last 7 days against the 7 before
        spans = ((end - 2 * week + day, end - week), (end - week + day, end))
        words = ("today.week_vs_week", "today.week_before", "today.week_last")
    else:  # distinct users over days are no sum of days: the last day against the day before
        spans = ((end - day, end - day), (end, end))
        words = ("today.day_vs_day", "today.day_before", "today.day_last")
    try:
        dec = _split(con, name, plan, spans, per, rename)
    except (ValueError, KeyError, duckdb.Error):
        return Move(name, dict(scope), info, per, ("", ""), ("", ""), "", None, cannot)
    compared, before, after = (t(w, lang) for w in words)
    dates = (_span(*spans[0]), _span(*spans[1]))
    why = sentence(dec, info, lang, top=TOP, per=per)
    return Move(name, dict(scope), info, per, (before, after), dates, compared, dec, why)


def moves(
    con: duckdb.DuckDBPyConnection,
    check: CheckResult,
    plan: Plan | None,
    lang: str,
    campaigns: Mapping[str, tuple[str, str]],
) -> list[Move]:
    """``move`` of each metric and scope with a target off track or missed (once each, in the targets' order)."""
    as_of = check.data_through or check.date
    if as_of is None:
        return []
    keys = dict.fromkeys((x.metric, tuple(sorted(x.scope.items()))) for x in check.targets if x.status in OFF)
    return [move(con, name, dict(scope), as_of, plan, lang, campaigns) for name, scope in keys]
