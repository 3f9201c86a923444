"""The operations plan as a file: parse the YAML of PLAN.md into frozen dataclasses.

Parsing is lenient — a wrong value becomes None and a problem is recorded with its line — so that
validation (``plan_rules.py``) can report every problem of a plan at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import math
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from opsplan.plan.located_yaml import Located, Path_, YamlError, load_located

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


#: the message of a key written twice; it does not make the value behind it unreadable
DUPLICATE_KEY = "this key appears twice"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def field_path(path: Path_) -> str:
    """``("targets", 0, "metric")`` → ``targets[0].metric``, the way a person points at a field."""
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


def _kind(value: Any) -> str:
    """What a value is, in words, for messages like 'must be a list, not a mapping'."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    return "text"


def _show(value: Any) -> str:
    """A value as the author wrote it, roughly: quoted text, flow YAML for lists and mappings."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else f"{value[:57]!r}…"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    shown = str(value)
    if isinstance(value, list | dict):
        shown = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000).strip()
    return shown if len(shown) <= 60 else f"{shown[:57]}…"


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, list | dict)


class _Reader:
    """Typed access to the raw YAML that records a problem (with its line) instead of raising."""

    def __init__(self, file: str, located: Located) -> None:
        self.file, self.located = file, located
        self.issues: list[Issue] = []
        # values YAML could not build were reported by the loader: one issue per problem, not two
        self.unbuilt = frozenset(path for path, _, _ in located.problems)

    def problem(self, path: Path_, message: str, severity: Severity = Severity.ERROR) -> None:
        if severity is Severity.ERROR and path in self.unbuilt:
            return
        self.issues.append(Issue(self.file, self.located.line(path), field_path(path), severity, message))

    def get(self, obj: dict[str, Any], path: Path_, key: str) -> Any:
        return obj.get(key) if isinstance(obj, dict) else None

    def number(self, obj: dict[str, Any], path: Path_, key: str) -> float | None:
        """A finite number; ``12%`` reads as 0.12. Anything else is a problem and None."""
        value = self.get(obj, path, key)
        if value is None:
            return None
        result: float | None = None
        try:
            if isinstance(value, int | float) and not isinstance(value, bool):
                result = float(value)
            elif isinstance(value, str):
                text = value.strip()
                result = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
        except (ValueError, OverflowError):
            result = None
        if result is None or not math.isfinite(result):
            self.problem((*path, key), f"{_show(value)} is not a number")
            return None
        return result

    def whole(self, obj: dict[str, Any], path: Path_, key: str) -> int | None:
        """A whole number (``3``, ``"3"``, ``3.0``); ``2.5``, ``three`` or ``yes`` are a problem and None."""
        value = self.get(obj, path, key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        number = value if isinstance(value, float) else None
        if isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = None
        if number is None or not math.isfinite(number) or not number.is_integer():
            self.problem((*path, key), f"{_show(value)} is not a whole number")
            return None
        return int(number)

    def date(self, obj: dict[str, Any], path: Path_, key: str) -> dt.date | None:
        """A calendar date written YYYY-MM-DD; a date with a time keeps the date (and says so)."""
        value = self.get(obj, path, key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):  # a datetime is a date, but never compares with one
            self.problem(
                (*path, key), f"{value} has a time of day: only the date {value.date()} is used", Severity.WARNING
            )
            return value.date()
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
            self.problem((*path, key), f"{_show(value)} is not a date (YYYY-MM-DD)")
            return None
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            self.problem((*path, key), f"{value!r} is not a real date: {exc}")
            return None

    def text(self, obj: dict[str, Any], path: Path_, key: str, default: str = "") -> str:
        """A single value as text; a list or mapping where one value belongs is a problem and the default."""
        value = self.opt_text(obj, path, key)
        return default if value is None else value

    def opt_text(self, obj: dict[str, Any], path: Path_, key: str) -> str | None:
        value = self.get(obj, path, key)
        if value is None or _is_scalar(value):
            return _opt_str(value)
        self.problem((*path, key), f"must be a single value, not {_kind(value)} ({_show(value)})")
        return None

    def mapping(self, obj: dict[str, Any], path: Path_, key: str, message: str) -> dict[str, Any]:
        """A sub-mapping; absent or empty is {}, any other kind of value is ``message`` at its line."""
        value = self.get(obj, path, key)
        if value is None or value == [] or value == {}:
            return {}
        if isinstance(value, dict):
            return value
        self.problem((*path, key), f"{message}, not {_kind(value)}")
        return {}

    def names(self, obj: dict[str, Any], path: Path_, key: str, what: str) -> tuple[str, ...]:
        """A list of names (``[a, b]``); a lone text is an error, never split into its characters."""
        value = self.get(obj, path, key)
        if value is None or value == [] or value == {}:
            return ()
        if not isinstance(value, list):
            self.problem((*path, key), f"must be a list of {what} like [a, b], not {_kind(value)} ({_show(value)})")
            return ()
        out = []
        for i, item in enumerate(value):
            if item is None or not _is_scalar(item):
                self.problem(
                    (*path, key, i), f"must be one of the {what}, not {_kind(item) if item is not None else 'empty'}"
                )
            else:
                out.append(str(item))
        return tuple(out)

    def known_fields(self, obj: dict[str, Any], path: Path_, known: frozenset[str]) -> None:
        """A field the plan does not know (a typo like ``taget``) is a warning naming the closest one."""
        for key in obj:
            if str(key) not in known:
                close = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
                hint = f" — did you mean {close[0]!r}?" if close else f" (known: {', '.join(sorted(known))})"
                self.problem((*path, str(key)), f"unknown field {key!r}{hint}", Severity.WARNING)

    def items(self, data: dict[str, Any], key: str, base: Path_ = ()) -> list[tuple[Path_, dict[str, Any]]]:
        """The entries of a list section, each a mapping; paths are under ``base``."""
        value = data.get(key) if isinstance(data, dict) else None
        if value is None or value == [] or value == {}:
            return []
        if not isinstance(value, list):
            self.problem((*base, key), f"must be a list (one '- ' entry each), not {_kind(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append(((*base, key, i), item))
            else:
                self.problem(
                    (*base, key, i), f"must be a mapping of fields, not {_kind(item) if item is not None else 'empty'}"
                )
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
        where = (*path, "scope")
        return Scope(channel=self.opt_text(raw, where, "channel"), campaign=self.opt_text(raw, where, "campaign"))


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
SETTINGS_FIELDS = frozenset({"active_events", "activation_event", "silent_days", "note"})
EVENT_METRIC_FIELDS = frozenset({"count", "users", "ratio", "label", "label_zh", "label_en", "direction", "note"})

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
    """Parse without judging: (plan, problems of shape). The plan is None only for unreadable YAML.

    Nothing in the file can make this raise: a value of the wrong kind is an issue at its line and the
    field falls back to its default, so every other problem of the file is reported with it.
    """
    try:
        located = load_located(text)
    except YamlError as exc:
        return None, [Issue(file, exc.line, "", Severity.ERROR, str(exc))]
    r = _Reader(file, located)
    for path, line, message in located.problems:
        r.issues.append(Issue(file, line, field_path(path), Severity.ERROR, message))
    for path, line in located.duplicates:
        r.issues.append(Issue(file, line, field_path(path), Severity.ERROR, DUPLICATE_KEY))
    data: dict[str, Any] = located.data if isinstance(located.data, dict) else {}
    if located.data is None:
        r.problem((), "the file is empty: a plan starts with plan: {name, start, end}, then targets:, budget:, …")
    elif not isinstance(located.data, dict):
        r.problem(
            (),
            f"a plan is a mapping with plan:, targets:, budget:, initiatives:, stop_loss:, not {_kind(located.data)}",
        )
    for key in sorted(set(data) - TOP_LEVEL):
        r.problem((key,), f"unknown section {key!r} (known: {', '.join(sorted(TOP_LEVEL))})", Severity.WARNING)
    if isinstance(located.data, dict) and data.get("plan") is None:
        r.problem(("plan",), "the plan: section (name, start, end) is missing")
    head = r.mapping(data, (), "plan", "must be a mapping of name, start, end, …")
    r.known_fields(head, ("plan",), PLAN_FIELDS)
    settings = r.mapping(data, (), "settings", "must be a mapping of active_events, activation_event, silent_days")
    r.known_fields(settings, ("settings",), SETTINGS_FIELDS)
    plan = Plan(
        name=r.text(head, ("plan",), "name", "plan"),
        start=r.date(head, ("plan",), "start"),
        end=r.date(head, ("plan",), "end"),
        timezone=r.text(head, ("plan",), "timezone", "UTC"),
        currency=r.text(head, ("plan",), "currency", "CNY"),
        stage=r.opt_text(head, ("plan",), "stage"),
        targets=tuple(_target(r, p, t) for p, t in r.items(data, "targets")),
        budget=_budget(r, data.get("budget")),
        initiatives=tuple(_initiative(r, p, i) for p, i in r.items(data, "initiatives")),
        rules=tuple(_rule(r, p, x) for p, x in r.items(data, "stop_loss")),
        event_metrics=_event_metrics(r, data.get("event_metrics")),
        external_metrics=r.names(data, (), "external_metrics", "metric names"),
        cadence=_cadence(r, data),
        playbook=_playbook(r, data),
        active_events=r.names(settings, ("settings",), "active_events", "event names"),
        activation_event=r.opt_text(settings, ("settings",), "activation_event"),
        silent_days=_silent_days(r, settings),
        file=file,
        source=located,
    )
    return plan, r.issues


def _silent_days(r: _Reader, settings: dict[str, Any]) -> int:
    """Days without activity before a user counts as silent: a whole number of at least 1 (default 14)."""
    days = r.whole(settings, ("settings",), "silent_days")
    if days is not None and days < 1:
        r.problem(("settings", "silent_days"), f"silent_days {days} must be at least 1")
        return 14
    return 14 if days is None else days


def _cadence(r: _Reader, data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Which metrics each report shows: report name → list of metric names."""
    raw = r.mapping(data, (), "cadence", "must map daily / weekly / monthly to lists of metric names")
    return {str(k): r.names(raw, ("cadence",), str(k), "metric names") for k in raw}


def _playbook(r: _Reader, data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per funnel layer, a diagnosis and an action (plain text each)."""
    raw = r.mapping(data, (), "playbook", "must map a funnel layer to {diagnosis: …, action: …}")
    out: dict[str, dict[str, str]] = {}
    for layer in raw:
        entry = r.mapping(raw, ("playbook",), str(layer), "a playbook entry must be {diagnosis: …, action: …}")
        out[str(layer)] = {str(k): r.text(entry, ("playbook", str(layer)), str(k)) for k in entry}
    return out


def _target(r: _Reader, path: Path_, t: dict[str, Any]) -> Target:
    r.known_fields(t, path, TARGET_FIELDS)
    change = r.number(t, path, "change")
    raw_kind = t.get("kind")
    kind = TargetKind.RELATIVE if change is not None and raw_kind is None else None
    if kind is None:
        try:
            kind = TargetKind("level" if raw_kind is None else str(raw_kind))
        except ValueError:
            r.problem((*path, "kind"), f"kind {_show(raw_kind)} is not one of cumulative, level, relative")
            kind = TargetKind.LEVEL
    period = r.mapping(t, path, "baseline_period", "baseline_period must be {start: YYYY-MM-DD, end: YYYY-MM-DD}")
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
        name=r.opt_text(t, path, "name"),
        path=path,
    )


def _budget(r: _Reader, raw: Any) -> Budget | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        r.problem(("budget",), f"budget must be a mapping (total, reserve, allocations), not {_kind(raw)}")
        return None
    allocations = []
    for path, a in r.items(raw, "allocations", ("budget",)):
        channels = r.mapping(a, path, "channels", "channels must map channel → share")
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
        metric=r.opt_text(i, path, "metric"),
        target=r.number(i, path, "target"),
        scope=r.scope(i, path),
        path=path,
    )


def _only(r: _Reader, path: Path_, x: dict[str, Any]) -> tuple[str, ...]:
    """The items a rule is restricted to: a list of names, or one name on its own."""
    only = x.get("only")
    if only is not None and _is_scalar(only):
        return (str(only),)
    return r.names(x, path, "only", "channel or campaign names")


def _rule(r: _Reader, path: Path_, x: dict[str, Any]) -> Rule:
    r.known_fields(x, path, RULE_FIELDS)
    raw_when = x.get("when")
    when = raw_when if isinstance(raw_when, str) else "" if raw_when is None else _show(raw_when)
    match = _WHEN.match(when) if isinstance(raw_when, str) else None
    if not match:
        r.problem((*path, "when"), f'when {when!r} must be a comparison like "< 1.0" or ">= 120"')
    for_days = r.whole(x, path, "for_days")
    pool_days = r.number(x, path, "pool_days")
    if pool_days is not None and pool_days < 0:
        r.problem((*path, "pool_days"), f"pool_days {pool_days:g} must be 0 or more (1 or 0: no pooling)")
    return Rule(
        id=r.text(x, path, "id", f"rule{path[-1]}"),
        metric=r.text(x, path, "metric"),
        per=r.text(x, path, "per", "all"),
        op=match.group(1) if match else None,
        threshold=float(match.group(2)) if match else None,
        for_days=1 if for_days is None else for_days,
        min_spend=r.number(x, path, "min_spend") or 0.0,
        severity=r.text(x, path, "severity", "warning"),
        action=r.text(x, path, "action"),
        only=_only(r, path, x),
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
    for name in raw:
        path = ("event_metrics", str(name))
        spec = r.mapping(
            raw, ("event_metrics",), str(name), "must be {count: EVENT}, {users: EVENT} or {ratio: [A, B]}"
        )
        if raw[name] is None:
            r.problem(path, "is empty: say {count: EVENT}, {users: EVENT} or {ratio: [A, B]}")
        r.known_fields(spec, path, EVENT_METRIC_FIELDS)
        ratio: list[Any] = [None, None]
        if spec.get("ratio") is not None:
            raw_ratio = spec["ratio"]
            if (
                isinstance(raw_ratio, list)
                and len(raw_ratio) == 2
                and all(x is not None and _is_scalar(x) for x in raw_ratio)
            ):
                ratio = raw_ratio
            else:
                r.problem((*path, "ratio"), "ratio must be a list of two metric names [numerator, denominator]")
        label = r.text(spec, path, "label", str(name))
        out.append(
            EventMetric(
                name=str(name),
                label_zh=r.text(spec, path, "label_zh", label) or label,
                label_en=r.text(spec, path, "label_en", label) or label,
                count=r.opt_text(spec, path, "count"),
                users=r.opt_text(spec, path, "users"),
                numerator=_opt_str(ratio[0]),
                denominator=_opt_str(ratio[1]),
                direction=r.text(spec, path, "direction", "up") or "up",
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
