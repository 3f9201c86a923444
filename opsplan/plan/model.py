"""The operations plan as frozen dataclasses, and ``Issue``: one located problem of a plan in both languages.

Why its own module: the parser (``plan.parse``), validation (``plan.rules``) and every judge read these
shapes; keeping them apart from the YAML reading lets each of those import them without importing the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from opsplan.plan.located_yaml import Located, Path_
from opsplan.plan.wording import pair
from opsplan.words import t


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem of a plan: where (file, line, field path) and why, in a plain sentence in English
    (``message``, also ``str(issue)``) and in Chinese (``message_zh``); ``text(lang)`` is the located line."""

    file: str
    line: int
    path: str
    severity: Severity
    message: str
    message_zh: str = ""

    def text(self, lang: str = "en") -> str:
        """'plan.yaml:12: error: targets[0].metric: unknown metric …' in the reader's language."""
        zh = lang != "en"
        return t(
            "validate.located",
            lang,
            file=self.file,
            line=str(self.line),
            severity=t(f"validate.severity.{self.severity.value}", lang),
            where=f" {self.path}:" if self.path else "",
            message=(self.message_zh or self.message) if zh else self.message,
        )

    def __str__(self) -> str:
        return self.text("en")


def issue(file: str, line: int, path: str, severity: Severity, key: str, **values: object) -> Issue:
    """An issue whose sentence is the catalogue's ``key`` (values filled in per language, see ``pair``)."""
    zh, en = pair(key, **values)
    return Issue(file, line, path, severity, en, zh)


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
    label_zh: str = ""  # the plan's own name for the category ('' : the catalogue's, else the code)
    label_en: str = ""


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
    label_zh: str = ""  # the plan's own name for the rule ('' : the catalogue's for a known id, else the id)
    label_en: str = ""


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
    #: an external metric's (zh, en) label when the plan gives one (label_zh / label_en)
    external_labels: dict[str, tuple[str, str]] = field(default_factory=dict)
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
DUPLICATE_KEY = t("validate.duplicate_key", "en")


def field_path(path: Path_) -> str:
    """``("targets", 0, "metric")`` → ``targets[0].metric``, the way a person points at a field."""
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
