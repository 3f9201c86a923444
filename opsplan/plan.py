"""The operations plan as a file: parse the YAML of PLAN.md into frozen dataclasses.

Parsing is lenient — a wrong value becomes None and a problem is recorded with its line — so that
validation (``plan_rules.py``) can report every problem of a plan at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from opsplan.plan_yaml import Located, Path_, YamlError, load_located

logger = logging.getLogger(__name__)


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem of a plan: where (file, line, field path) and why, in a plain sentence."""

    file: str
    line: int
    path: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f" {self.path}:" if self.path else ""
        return f"{self.file}:{self.line}: {self.severity.value}:{where} {self.message}"


class TargetKind(Enum):
    CUMULATIVE = "cumulative"
    LEVEL = "level"
    RELATIVE = "relative"


@dataclass(frozen=True)
class Scope:
    channel: str | None = None
    campaign: str | None = None

    def label(self) -> str:
        return self.campaign or self.channel or "all"

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("channel", self.channel), ("campaign", self.campaign)) if v}


@dataclass(frozen=True)
class Target:
    id: str
    metric: str
    kind: TargetKind
    target: float | None
    scope: Scope = Scope()
    change: float | None = None
    baseline: float | None = None
    baseline_start: dt.date | None = None
    baseline_end: dt.date | None = None
    name: str | None = None
    path: Path_ = ()


@dataclass(frozen=True)
class Allocation:
    category: str
    share: float | None
    amount: float | None
    channels: dict[str, float] = field(default_factory=dict)
    path: Path_ = ()


@dataclass(frozen=True)
class Budget:
    total: float | None
    reserve: float
    allocations: tuple[Allocation, ...] = ()


@dataclass(frozen=True)
class Initiative:
    module: str
    name: str
    owner: str
    start: dt.date | None
    end: dt.date | None
    metric: str | None
    target: float | None
    scope: Scope = Scope()
    path: Path_ = ()


#: "< 1.0", ">= 120", "<=0.3": comparator then number
_WHEN = re.compile(r"^\s*(<=|>=|<|>|==|!=)\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Rule:
    id: str
    metric: str
    per: str  # all | channel | campaign
    op: str | None
    threshold: float | None
    for_days: int = 1
    min_spend: float = 0.0
    severity: str = "warning"
    action: str = ""
    only: tuple[str, ...] = ()  # restrict to these channels / campaigns
    path: Path_ = ()
    pool_days: int = 7  # an under-min_spend day is pooled with the days before it, at most this many in all


@dataclass(frozen=True)
class EventMetric:
    """A metric the plan defines from events: count of an event, distinct users doing it, or a ratio."""

    name: str
    label_zh: str
    label_en: str
    count: str | None = None
    users: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    direction: str = "up"
    path: Path_ = ()


@dataclass(frozen=True)
class Plan:
    name: str
    start: dt.date | None
    end: dt.date | None
    timezone: str
    currency: str
    stage: str | None
    targets: tuple[Target, ...] = ()
    budget: Budget | None = None
    initiatives: tuple[Initiative, ...] = ()
    rules: tuple[Rule, ...] = ()
    event_metrics: tuple[EventMetric, ...] = ()
    external_metrics: tuple[str, ...] = ()
    cadence: dict[str, tuple[str, ...]] = field(default_factory=dict)
    playbook: dict[str, dict[str, str]] = field(default_factory=dict)
    active_events: tuple[str, ...] = ()
    activation_event: str | None = None
    silent_days: int = 14
    file: str = "plan.yaml"
    source: Located | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1 if self.start and self.end else 0

    def line(self, path: Path_) -> int:
        return self.source.line(path) if self.source else 1


class PlanError(ValueError):
    """A plan with errors; ``issues`` lists all of them."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


class _Reader:
    """Typed access to the raw YAML that records a problem (with its line) instead of raising."""

    def __init__(self, file: str, located: Located) -> None:
        self.file, self.located = file, located
        self.issues: list[Issue] = []

    def problem(self, path: Path_, message: str, severity: Severity = Severity.ERROR) -> None:
        shown = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
        self.issues.append(Issue(self.file, self.located.line(path), shown, severity, message))

    def get(self, obj: dict[str, Any], path: Path_, key: str) -> Any:
        return obj.get(key) if isinstance(obj, dict) else None

    def number(self, obj: dict[str, Any], path: Path_, key: str) -> float | None:
        value = self.get(obj, path, key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            text = str(value).strip().rstrip("%")
            try:
                return float(text) / (100 if str(value).strip().endswith("%") else 1)
            except ValueError:
                self.problem((*path, key), f"{value!r} is not a number")
                return None
        return float(value)

    def date(self, obj: dict[str, Any], path: Path_, key: str) -> dt.date | None:
        value = self.get(obj, path, key)
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.problem((*path, key), f"{value!r} is not a date (YYYY-MM-DD)")
            return None

    def text(self, obj: dict[str, Any], path: Path_, key: str, default: str = "") -> str:
        value = self.get(obj, path, key)
        return default if value is None else str(value)

    def known_fields(self, obj: dict[str, Any], path: Path_, known: frozenset[str]) -> None:
        """A field the plan does not know (a typo like ``taget``) is a warning naming the closest one."""
        for key in obj:
            if str(key) not in known:
                close = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
                hint = f" — did you mean {close[0]!r}?" if close else f" (known: {', '.join(sorted(known))})"
                self.problem((*path, str(key)), f"unknown field {key!r}{hint}", Severity.WARNING)

    def items(self, data: dict[str, Any], key: str) -> list[tuple[Path_, dict[str, Any]]]:
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem((key,), "must be a list")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append(((key, i), item))
            else:
                self.problem((key, i), "must be a mapping of fields")
        return out

    def scope(self, obj: dict[str, Any], path: Path_) -> Scope:
        raw = self.get(obj, path, "scope")
        if raw is None or raw in ("all", {}):
            return Scope()
        if not isinstance(raw, dict):
            self.problem((*path, "scope"), "scope must be {channel: …} or {campaign: …}")
            return Scope()
        unknown = set(raw) - {"channel", "campaign"}
        if unknown:
            self.problem(
                (*path, "scope"), f"unknown scope key(s) {', '.join(sorted(unknown))}: use channel or campaign"
            )
        return Scope(channel=_opt_str(raw.get("channel")), campaign=_opt_str(raw.get("campaign")))


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


TARGET_FIELDS = frozenset(
    {"id", "name", "metric", "target", "kind", "scope", "change", "baseline", "baseline_period", "note"}
)
INITIATIVE_FIELDS = frozenset({"module", "name", "owner", "start", "end", "metric", "target", "scope", "note"})
RULE_FIELDS = frozenset(
    {"id", "metric", "per", "when", "for_days", "min_spend", "severity", "action", "only", "note", "pool_days"}
)
PLAN_FIELDS = frozenset({"name", "start", "end", "timezone", "currency", "stage"})

TOP_LEVEL = {
    "plan",
    "targets",
    "budget",
    "initiatives",
    "stop_loss",
    "cadence",
    "playbook",
    "event_metrics",
    "external_metrics",
    "settings",
}


def parse_plan_text(text: str, file: str = "plan.yaml") -> tuple[Plan | None, list[Issue]]:
    """Parse without judging: (plan, problems of shape). The plan is None only for unreadable YAML."""
    try:
        located = load_located(text)
    except YamlError as exc:
        return None, [Issue(file, exc.line, "", Severity.ERROR, str(exc))]
    r = _Reader(file, located)
    data = located.data if isinstance(located.data, dict) else {}
    if not isinstance(located.data, dict):
        r.problem((), "a plan is a mapping with plan:, targets:, budget:, initiatives:, stop_loss:")
    for path, line in located.duplicates:
        r.issues.append(Issue(file, line, ".".join(map(str, path)), Severity.ERROR, "this key appears twice"))
    for key in sorted(set(data) - TOP_LEVEL):
        r.problem((key,), f"unknown section {key!r} (known: {', '.join(sorted(TOP_LEVEL))})", Severity.WARNING)
    head = data.get("plan") if isinstance(data.get("plan"), dict) else {}
    if "plan" not in data:
        r.problem((), "the plan: section (name, start, end) is missing")
    settings = data.get("settings") if isinstance(data.get("settings"), dict) else {}
    r.known_fields(head, ("plan",), PLAN_FIELDS)
    plan = Plan(
        name=r.text(head, ("plan",), "name", "plan"),
        start=r.date(head, ("plan",), "start"),
        end=r.date(head, ("plan",), "end"),
        timezone=r.text(head, ("plan",), "timezone", "UTC"),
        currency=r.text(head, ("plan",), "currency", "CNY"),
        stage=_opt_str(head.get("stage")),
        targets=tuple(_target(r, p, t) for p, t in r.items(data, "targets")),
        budget=_budget(r, data.get("budget")),
        initiatives=tuple(_initiative(r, p, i) for p, i in r.items(data, "initiatives")),
        rules=tuple(_rule(r, p, x) for p, x in r.items(data, "stop_loss")),
        event_metrics=_event_metrics(r, data.get("event_metrics")),
        external_metrics=tuple(str(x) for x in (data.get("external_metrics") or [])),
        cadence={k: tuple(map(str, v or [])) for k, v in (data.get("cadence") or {}).items()},
        playbook={
            str(k): {str(a): str(b) for a, b in (v or {}).items()} for k, v in (data.get("playbook") or {}).items()
        },
        active_events=tuple(map(str, settings.get("active_events") or [])),
        activation_event=_opt_str(settings.get("activation_event")),
        silent_days=int(settings.get("silent_days") or 14),
        file=file,
        source=located,
    )
    return plan, r.issues


def _target(r: _Reader, path: Path_, t: dict[str, Any]) -> Target:
    r.known_fields(t, path, TARGET_FIELDS)
    change = r.number(t, path, "change")
    raw_kind = t.get("kind")
    kind = TargetKind.RELATIVE if change is not None and raw_kind is None else None
    if kind is None:
        try:
            kind = TargetKind(str(raw_kind or "level"))
        except ValueError:
            r.problem((*path, "kind"), f"kind {raw_kind!r} is not one of cumulative, level, relative")
            kind = TargetKind.LEVEL
    period = t.get("baseline_period") if isinstance(t.get("baseline_period"), dict) else {}
    return Target(
        id=r.text(t, path, "id", f"target{path[-1]}"),
        metric=r.text(t, path, "metric"),
        kind=kind,
        target=r.number(t, path, "target"),
        scope=r.scope(t, path),
        change=change,
        baseline=r.number(t, path, "baseline"),
        baseline_start=r.date(period, (*path, "baseline_period"), "start"),
        baseline_end=r.date(period, (*path, "baseline_period"), "end"),
        name=_opt_str(t.get("name")),
        path=path,
    )


def _budget(r: _Reader, raw: Any) -> Budget | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        r.problem(("budget",), "budget must be a mapping (total, reserve, allocations)")
        return None
    allocations = []
    for path, a in r.items(raw, "allocations"):
        path = ("budget", *path)
        channels = a.get("channels") or {}
        if not isinstance(channels, dict):
            r.problem((*path, "channels"), "channels must map channel → share")
            channels = {}
        shares = {}
        for name in channels:
            value = r.number(channels, (*path, "channels"), name)
            if value is not None:
                shares[str(name)] = value
        allocations.append(
            Allocation(
                r.text(a, path, "category"), r.number(a, path, "share"), r.number(a, path, "amount"), shares, path
            )
        )
    reserve = r.number(raw, ("budget",), "reserve")
    return Budget(r.number(raw, ("budget",), "total"), reserve or 0.0, tuple(allocations))


def _initiative(r: _Reader, path: Path_, i: dict[str, Any]) -> Initiative:
    r.known_fields(i, path, INITIATIVE_FIELDS)
    return Initiative(
        module=r.text(i, path, "module"),
        name=r.text(i, path, "name"),
        owner=r.text(i, path, "owner"),
        start=r.date(i, path, "start"),
        end=r.date(i, path, "end"),
        metric=_opt_str(i.get("metric")),
        target=r.number(i, path, "target"),
        scope=r.scope(i, path),
        path=path,
    )


def _rule(r: _Reader, path: Path_, x: dict[str, Any]) -> Rule:
    r.known_fields(x, path, RULE_FIELDS)
    when = str(x.get("when") or "")
    match = _WHEN.match(when)
    if not match:
        r.problem((*path, "when"), f'when {when!r} must be a comparison like "< 1.0" or ">= 120"')
    only = x.get("only")
    only = [] if only is None else only
    pool_days = r.number(x, path, "pool_days")
    if pool_days is not None and pool_days < 0:
        r.problem((*path, "pool_days"), f"pool_days {pool_days:g} must be 0 or more (1 or 0: no pooling)")
    return Rule(
        id=r.text(x, path, "id", f"rule{path[-1]}"),
        metric=r.text(x, path, "metric"),
        per=r.text(x, path, "per", "all"),
        op=match.group(1) if match else None,
        threshold=float(match.group(2)) if match else None,
        for_days=int(r.number(x, path, "for_days") or 1),
        min_spend=r.number(x, path, "min_spend") or 0.0,
        severity=r.text(x, path, "severity", "warning"),
        action=r.text(x, path, "action"),
        only=tuple(map(str, only if isinstance(only, list) else [only])),
        path=path,
        pool_days=7 if pool_days is None else max(int(pool_days), 0),
    )


def _event_metrics(r: _Reader, raw: Any) -> tuple[EventMetric, ...]:
    if not raw:
        return ()
    if not isinstance(raw, dict):
        r.problem(("event_metrics",), "event_metrics maps a name to {count: event} / {users: event} / {ratio: [a, b]}")
        return ()
    out = []
    for name, spec in raw.items():
        path = ("event_metrics", str(name))
        spec = spec if isinstance(spec, dict) else {}
        ratio = spec.get("ratio") or [None, None]
        if not isinstance(ratio, list) or len(ratio) != 2:
            r.problem((*path, "ratio"), "ratio must be a list of two metric names [numerator, denominator]")
            ratio = [None, None]
        out.append(
            EventMetric(
                name=str(name),
                label_zh=str(spec.get("label_zh") or spec.get("label") or name),
                label_en=str(spec.get("label_en") or spec.get("label") or name),
                count=_opt_str(spec.get("count")),
                users=_opt_str(spec.get("users")),
                numerator=_opt_str(ratio[0]),
                denominator=_opt_str(ratio[1]),
                direction=str(spec.get("direction") or "up"),
                path=path,
            )
        )
    return tuple(out)


def read_plan(path: str | Path) -> tuple[Plan | None, list[Issue]]:
    """Read a plan file (UTF-8, with or without BOM)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Issue(str(p), 1, "", Severity.ERROR, f"cannot read the plan: {exc}")]
    return parse_plan_text(text, str(p))
