"""Plan validation: small rule functions, each returning its problems; all of them run, always.

``validate`` sorts the problems by line. A rule never raises on a half-parsed plan: the parser turned
every unreadable value into None and already reported it — so a rule stays silent about a field the
parser already flagged (one issue per problem: ``end: 2026-02-30`` is not also "the plan needs an end").
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from opsplan import fmt
from opsplan.metrics.registry import METRICS, Direction, Metric
from opsplan.plan.labels import category_label, rule_label
from opsplan.plan.located_yaml import Path_
from opsplan.plan.model import DUPLICATE_KEY, Issue, Plan, Scope, Severity, TargetKind, field_path, issue
from opsplan.words import both
from opsplan.words import t as word

SEVERITIES = ("warning", "critical")
#: the stages a plan may name: the code, or one of its Chinese names (初创 / 初创期 …, from the catalogue)
STAGES = tuple(
    name for code in ("startup", "growth", "mature") for name in (code, *word(f"stage.names.{code}", "zh").split())
)
PER = ("all", "channel", "campaign")


@dataclass(frozen=True)
class DataFacts:
    """What the warehouse has seen, for warnings about names the data does not know."""

    channels: frozenset[str] = frozenset()
    campaigns: frozenset[str] = frozenset()
    external_metrics: frozenset[str] = frozenset()
    known: bool = False


@dataclass
class _Ctx:
    plan: Plan
    facts: DataFacts
    issues: list[Issue] = field(default_factory=list)
    #: fields the parser could not read (it reported them); "" is the whole file
    unreadable: frozenset[str] = frozenset()

    def covered(self, path: Path_) -> bool:
        """Whether the parser already reported ``path`` or a field containing it."""
        shown = field_path(path)
        return any(not bad or shown == bad or shown.startswith((f"{bad}.", f"{bad}[")) for bad in self.unreadable)

    def add(self, path: Path_, key: str, severity: Severity = Severity.ERROR, **values: object) -> None:
        """An issue at ``path`` whose sentence is the catalogue's ``key`` (both languages)."""
        if self.covered(path):
            return
        line = self.plan.line(path)
        self.issues.append(issue(self.plan.file, line, field_path(path), severity, key, **values))

    def metric_names(self) -> list[str]:
        return [
            *METRICS,
            *(m.name for m in self.plan.event_metrics),
            *self.plan.external_metrics,
            *self.facts.external_metrics,
        ]

    def check_metric(self, path: Path_, name: str | None) -> None:
        if not name:
            self.add(path, "validate.no_metric")
            return
        if name in self.metric_names():
            return
        close = difflib.get_close_matches(name, self.metric_names(), n=3, cutoff=0.5)
        if close:
            self.add(path, "validate.unknown_metric_close", name=repr(name), close=", ".join(close))
        else:
            self.add(path, "validate.unknown_metric", name=repr(name))

    def check_scope(self, path: Path_, scope: Scope) -> None:
        if not self.facts.known:
            return
        if scope.channel and scope.channel not in self.facts.channels:
            self.add((*path, "scope"), "validate.unseen_channel", Severity.WARNING, channel=repr(scope.channel))
        if scope.campaign and scope.campaign not in self.facts.campaigns:
            self.add((*path, "scope"), "validate.unseen_campaign", Severity.WARNING, campaign=repr(scope.campaign))


#: the currencies the amounts can be shown in (fmt shows money in ¥); anything else is refused, not ignored
CURRENCIES = frozenset({"CNY", "RMB"})


def _period(c: _Ctx) -> None:
    p = c.plan
    if p.start is None:
        c.add(("plan", "start"), "validate.no_start")
    if p.end is None:
        c.add(("plan", "end"), "validate.no_end")
    if p.start and p.end and p.end < p.start:
        c.add(("plan", "end"), "validate.ends_before_start", end=p.end, start=p.start)
    if p.stage and p.stage not in STAGES:
        c.add(("plan", "stage"), "validate.stage", Severity.WARNING, stage=repr(p.stage))
    if p.currency and p.currency.upper() not in CURRENCIES:  # every amount is shown in ¥: another would be ignored
        c.add(("plan", "currency"), "validate.currency", currency=repr(p.currency))


def _duplicate_ids(c: _Ctx, items: Iterable[tuple[str, Path_]], what: str) -> None:
    """``what``: the catalogue key of the thing whose ids must differ (a target, a stop-loss rule)."""
    seen: set[str] = set()
    for ident, path in items:
        if ident in seen:
            c.add((*path, "id"), "validate.id_twice", what=both(what), id=repr(ident))
        seen.add(ident)


def _builtin(name: str) -> Metric | None:
    return METRICS.get(name)


def _targets(c: _Ctx) -> None:
    _duplicate_ids(c, ((t.id, t.path) for t in c.plan.targets), "validate.what.target")
    for t in c.plan.targets:
        c.check_metric((*t.path, "metric"), t.metric)
        c.check_scope(t.path, t.scope)
        if t.kind is TargetKind.RELATIVE:
            if t.change is None and not c.covered((*t.path, "change")):
                c.add(t.path, "validate.relative_needs_change")
            unread = c.covered((*t.path, "baseline")) or c.covered((*t.path, "baseline_period"))
            if t.baseline is None and not (t.baseline_start and t.baseline_end) and not unread:
                c.add(t.path, "validate.relative_needs_baseline")
        elif t.target is None and not c.covered((*t.path, "target")):
            c.add(t.path, "validate.target_no_number")
        metric = _builtin(t.metric)
        if (
            t.kind is TargetKind.CUMULATIVE
            and metric
            and not metric.additive_over_days
            and metric.name != "paying_users"
        ):
            c.add((*t.path, "kind"), "validate.not_additive", metric=t.metric)


def _budget(c: _Ctx) -> None:
    b = c.plan.budget
    if b is None:
        return
    if b.total is None or b.total <= 0:
        c.add(("budget", "total"), "validate.budget_total")
    if not 0 <= b.reserve < 1:
        c.add(("budget", "reserve"), "validate.reserve_range", reserve=fmt.share(b.reserve))
    elif not 0.10 <= b.reserve <= 0.15:
        c.add(("budget", "reserve"), "validate.reserve_usual", Severity.WARNING, reserve=fmt.share(b.reserve))
    shares = [a.share for a in b.allocations if a.share is not None]
    if sum(shares) > 1 + 1e-9:
        c.add(("budget", "allocations"), "validate.shares_over", total=fmt.share(sum(shares)))
    amounts = sum(a.amount or 0 for a in b.allocations)
    if b.total and amounts > b.total * (1 - b.reserve) + 1e-6:
        c.add(
            ("budget", "allocations"),
            "validate.amounts_over",
            amounts=fmt.value(fmt.CURRENCY, amounts),
            reserve=fmt.share(b.reserve),
            total=fmt.value(fmt.CURRENCY, b.total),
        )
    for a in b.allocations:
        unread = c.covered((*a.path, "share")) or c.covered((*a.path, "amount"))
        if a.share is None and a.amount is None and not unread:
            category = (category_label(a, "zh"), category_label(a, "en"))
            c.add(a.path, "validate.allocation_needs_share", category=category)
        if a.share is not None and a.share < 0:
            c.add((*a.path, "share"), "validate.negative_share")
        if sum(a.channels.values()) > 1 + 1e-9:
            c.add(
                (*a.path, "channels"),
                "validate.channel_shares_over",
                category=(category_label(a, "zh"), category_label(a, "en")),
                total=fmt.share(sum(a.channels.values())),
            )
        for channel in a.channels:
            if c.facts.known and channel not in c.facts.channels:
                c.add((*a.path, "channels"), "validate.unseen_channel", Severity.WARNING, channel=repr(channel))


def _initiatives(c: _Ctx) -> None:
    for i in c.plan.initiatives:
        if not i.owner:
            c.add(i.path, "validate.initiative_no_owner", Severity.WARNING, name=repr(i.name))
        if i.start and i.end and i.end < i.start:
            c.add((*i.path, "end"), "validate.initiative_ends_early", name=repr(i.name), end=i.end, start=i.start)
        if i.metric is not None:
            c.check_metric((*i.path, "metric"), i.metric)
            if i.target is None and not c.covered((*i.path, "target")):
                c.add(i.path, "validate.initiative_no_target", name=repr(i.name))
        c.check_scope(i.path, i.scope)


def _rules(c: _Ctx) -> None:
    _duplicate_ids(c, ((r.id, r.path) for r in c.plan.rules), "validate.what.rule")
    for r in c.plan.rules:
        c.check_metric((*r.path, "metric"), r.metric)
        if r.per not in PER:
            c.add((*r.path, "per"), "validate.per", per=repr(r.per))
        if r.severity not in SEVERITIES:
            c.add((*r.path, "severity"), "validate.rule_severity", level=repr(r.severity))
        if r.for_days < 1:
            c.add((*r.path, "for_days"), "validate.for_days")
        if r.min_spend < 0:
            c.add((*r.path, "min_spend"), "validate.min_spend", amount=fmt.value(fmt.CURRENCY, r.min_spend))
        if not r.action:
            c.add(r.path, "validate.rule_no_action", Severity.WARNING, rule=(rule_label(r, "zh"), rule_label(r, "en")))


def _event_metrics(c: _Ctx) -> None:
    for m in c.plan.event_metrics:
        kinds = [k for k in (m.count, m.users, m.numerator) if k]
        unread = any(c.covered((*m.path, part)) for part in ("count", "users", "ratio"))
        if len(kinds) != 1 and not unread:
            c.add(m.path, "validate.event_metric_kind", name=repr(m.name))
        if m.name in METRICS:
            c.add(m.path, "validate.event_metric_builtin", name=repr(m.name))
        for part in (m.numerator, m.denominator):
            if part:
                c.check_metric((*m.path, "ratio"), part)
        if m.direction not in {d.value for d in Direction}:
            directions = ", ".join(d.value for d in Direction)
            c.add((*m.path, "direction"), "validate.direction", direction=repr(m.direction), known=directions)


def _cadence(c: _Ctx) -> None:
    for report, names in c.plan.cadence.items():
        if report not in ("daily", "weekly", "monthly"):
            c.add(("cadence", report), "validate.cadence", Severity.WARNING, report=repr(report))
        for name in names:
            c.check_metric(("cadence", report), name)


Rule = Callable[[_Ctx], None]
DEFAULT_RULES: tuple[Rule, ...] = (_period, _targets, _budget, _initiatives, _rules, _event_metrics, _cadence)


def validate(
    plan: Plan,
    parse_issues: Sequence[Issue] = (),
    facts: DataFacts | None = None,
    rules: Sequence[Rule] = DEFAULT_RULES,
) -> list[Issue]:
    """Every problem of the plan, sorted by line (errors first on the same line)."""
    unreadable = frozenset(i.path for i in parse_issues if i.severity is Severity.ERROR and i.message != DUPLICATE_KEY)
    ctx = _Ctx(plan, facts or DataFacts(), unreadable=unreadable)
    for rule in rules:
        rule(ctx)
    issues = [*parse_issues, *ctx.issues]
    return sorted(issues, key=lambda i: (i.line, i.severity is not Severity.ERROR, i.message))


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(i.severity is Severity.ERROR for i in issues)
