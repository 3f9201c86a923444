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
from opsplan.plan.located_yaml import Path_
from opsplan.plan.model import DUPLICATE_KEY, Issue, Plan, Scope, Severity, TargetKind, field_path

SEVERITIES = ("warning", "critical")
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

    def add(self, path: Path_, message: str, severity: Severity = Severity.ERROR) -> None:
        if self.covered(path):
            return
        self.issues.append(Issue(self.plan.file, self.plan.line(path), field_path(path), severity, message))

    def metric_names(self) -> list[str]:
        return [
            *METRICS,
            *(m.name for m in self.plan.event_metrics),
            *self.plan.external_metrics,
            *self.facts.external_metrics,
        ]

    def check_metric(self, path: Path_, name: str | None) -> None:
        if not name:
            self.add(path, "no metric named")
            return
        if name in self.metric_names():
            return
        close = difflib.get_close_matches(name, self.metric_names(), n=3, cutoff=0.5)
        hint = f"; closest known: {', '.join(close)}" if close else ""
        self.add(path, f"unknown metric {name!r}{hint}")

    def check_scope(self, path: Path_, scope: Scope) -> None:
        if not self.facts.known:
            return
        if scope.channel and scope.channel not in self.facts.channels:
            self.add((*path, "scope"), f"the data has never seen channel {scope.channel!r}", Severity.WARNING)
        if scope.campaign and scope.campaign not in self.facts.campaigns:
            self.add((*path, "scope"), f"the data has never seen campaign {scope.campaign!r}", Severity.WARNING)


def _period(c: _Ctx) -> None:
    p = c.plan
    if p.start is None:
        c.add(("plan", "start"), "the plan needs a start date")
    if p.end is None:
        c.add(("plan", "end"), "the plan needs an end date")
    if p.start and p.end and p.end < p.start:
        c.add(("plan", "end"), f"the plan ends ({p.end}) before it starts ({p.start})")
    if p.stage and p.stage not in ("startup", "growth", "mature", "初创", "成长", "成熟", "初创期", "成长期", "成熟期"):
        c.add(
            ("plan", "stage"),
            f"stage {p.stage!r} is not startup / growth / mature (初创 / 成长 / 成熟)",
            Severity.WARNING,
        )


def _duplicate_ids(c: _Ctx, items: Iterable[tuple[str, Path_]], what: str) -> None:
    seen: set[str] = set()
    for ident, path in items:
        if ident in seen:
            c.add((*path, "id"), f"{what} id {ident!r} is used twice")
        seen.add(ident)


def _builtin(name: str) -> Metric | None:
    return METRICS.get(name)


def _targets(c: _Ctx) -> None:
    _duplicate_ids(c, ((t.id, t.path) for t in c.plan.targets), "target")
    for t in c.plan.targets:
        c.check_metric((*t.path, "metric"), t.metric)
        c.check_scope(t.path, t.scope)
        if t.kind is TargetKind.RELATIVE:
            if t.change is None and not c.covered((*t.path, "change")):
                c.add(t.path, "a relative target needs change: (e.g. -0.15 for 降低15%)")
            unread = c.covered((*t.path, "baseline")) or c.covered((*t.path, "baseline_period"))
            if t.baseline is None and not (t.baseline_start and t.baseline_end) and not unread:
                c.add(t.path, "a relative target needs baseline: (a number) or baseline_period: {start, end}")
        elif t.target is None and not c.covered((*t.path, "target")):
            c.add(t.path, "the target has no number (target: …)")
        metric = _builtin(t.metric)
        if (
            t.kind is TargetKind.CUMULATIVE
            and metric
            and not metric.additive_over_days
            and metric.name != "paying_users"
        ):
            c.add((*t.path, "kind"), f"{t.metric} does not add up over days: use kind: level")


def _budget(c: _Ctx) -> None:
    b = c.plan.budget
    if b is None:
        return
    if b.total is None or b.total <= 0:
        c.add(("budget", "total"), "the budget needs a positive total")
    if not 0 <= b.reserve < 1:
        c.add(("budget", "reserve"), f"reserve {b.reserve:g} must be a share between 0 and 1 (e.g. 0.12)")
    elif not 0.10 <= b.reserve <= 0.15:
        c.add(
            ("budget", "reserve"),
            f"reserve {fmt.share(b.reserve)} is outside the usual 10–15% (预留10%-15%)",
            Severity.WARNING,
        )
    shares = [a.share for a in b.allocations if a.share is not None]
    if sum(shares) > 1 + 1e-9:
        c.add(("budget", "allocations"), f"allocation shares add up to {fmt.share(sum(shares))}, more than 100%")
    amounts = sum(a.amount or 0 for a in b.allocations)
    if b.total and amounts > b.total * (1 - b.reserve) + 1e-6:
        c.add(
            ("budget", "allocations"),
            f"allocated amounts {fmt.value(fmt.CURRENCY, amounts)} leave less than the {fmt.share(b.reserve)} "
            f"reserve of {fmt.value(fmt.CURRENCY, b.total)}",
        )
    for a in b.allocations:
        unread = c.covered((*a.path, "share")) or c.covered((*a.path, "amount"))
        if a.share is None and a.amount is None and not unread:
            c.add(a.path, f"allocation {a.category!r} needs share: or amount:")
        if a.share is not None and a.share < 0:
            c.add((*a.path, "share"), "a share cannot be negative")
        if sum(a.channels.values()) > 1 + 1e-9:
            c.add(
                (*a.path, "channels"),
                f"channel shares of {a.category!r} add up to {fmt.share(sum(a.channels.values()))}, more than 100%",
            )
        for channel in a.channels:
            if c.facts.known and channel not in c.facts.channels:
                c.add((*a.path, "channels"), f"the data has never seen channel {channel!r}", Severity.WARNING)


def _initiatives(c: _Ctx) -> None:
    for i in c.plan.initiatives:
        if not i.owner:
            c.add(i.path, f"initiative {i.name!r} has no owner (负责人)", Severity.WARNING)
        if i.start and i.end and i.end < i.start:
            c.add((*i.path, "end"), f"initiative {i.name!r} ends ({i.end}) before it starts ({i.start})")
        if i.metric is not None:
            c.check_metric((*i.path, "metric"), i.metric)
            if i.target is None and not c.covered((*i.path, "target")):
                c.add(i.path, f"initiative {i.name!r} names a metric but no target number")
        c.check_scope(i.path, i.scope)


def _rules(c: _Ctx) -> None:
    _duplicate_ids(c, ((r.id, r.path) for r in c.plan.rules), "stop-loss rule")
    for r in c.plan.rules:
        c.check_metric((*r.path, "metric"), r.metric)
        if r.per not in PER:
            c.add((*r.path, "per"), f"per {r.per!r} must be all, channel or campaign")
        if r.severity not in SEVERITIES:
            c.add((*r.path, "severity"), f"severity {r.severity!r} must be warning or critical")
        if r.for_days < 1:
            c.add((*r.path, "for_days"), "for_days must be at least 1")
        if r.min_spend < 0:
            c.add((*r.path, "min_spend"), f"min_spend {r.min_spend:g} cannot be negative (0: judge every day)")
        if not r.action:
            c.add(r.path, f"rule {r.id!r} has no action (应急预案): say what to do when it fires", Severity.WARNING)


def _event_metrics(c: _Ctx) -> None:
    for m in c.plan.event_metrics:
        kinds = [k for k in (m.count, m.users, m.numerator) if k]
        unread = any(c.covered((*m.path, part)) for part in ("count", "users", "ratio"))
        if len(kinds) != 1 and not unread:
            c.add(m.path, f"event metric {m.name!r} needs exactly one of count:, users: or ratio: [a, b]")
        if m.name in METRICS:
            c.add(m.path, f"event metric {m.name!r} has the name of a built-in metric")
        for part in (m.numerator, m.denominator):
            if part:
                c.check_metric((*m.path, "ratio"), part)
        if m.direction not in {d.value for d in Direction}:
            directions = ", ".join(d.value for d in Direction)
            c.add((*m.path, "direction"), f"direction {m.direction!r} must be one of {directions}")


def _cadence(c: _Ctx) -> None:
    for report, names in c.plan.cadence.items():
        if report not in ("daily", "weekly", "monthly"):
            c.add(("cadence", report), f"cadence {report!r} is not daily, weekly or monthly", Severity.WARNING)
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
