"""Parse a plan file's YAML (PLAN.md) into the dataclasses of ``plan.model``, section by section.

Why lenient: a wrong value becomes None (or its default) and an issue at its line (``plan.reader``), so that
validation (``plan.rules``) can report every problem of a plan at once. Nothing in the file can make this raise.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from opsplan import fmt
from opsplan.plan.located_yaml import Path_, YamlError, load_located
from opsplan.plan.model import (
    Allocation,
    Budget,
    EventMetric,
    Initiative,
    Issue,
    Plan,
    Rule,
    Severity,
    Target,
    TargetKind,
    field_path,
    issue,
)
from opsplan.plan.reader import Reader, is_scalar, opt_str, show
from opsplan.plan.reader import kind as kind_of
from opsplan.words import both

#: "< 1.0", ">= 120", "<=0.3": comparator then number
_WHEN = re.compile(r"^\s*(<=|>=|<|>|==|!=)\s*(-?\d+(?:\.\d+)?)\s*$")

TARGET_FIELDS = frozenset(
    {"id", "name", "metric", "target", "kind", "scope", "change", "baseline", "baseline_period", "note"}
)
INITIATIVE_FIELDS = frozenset({"module", "name", "owner", "start", "end", "metric", "target", "scope", "note"})
RULE_FIELDS = frozenset(
    {
        "id",
        "metric",
        "per",
        "when",
        "for_days",
        "min_spend",
        "severity",
        "action",
        "only",
        "note",
        "pool_days",
        "label_zh",
        "label_en",
    }
)
PLAN_FIELDS = frozenset({"name", "start", "end", "timezone", "currency", "stage"})
SETTINGS_FIELDS = frozenset({"active_events", "activation_event", "silent_days", "note"})
ALLOCATION_FIELDS = frozenset({"category", "share", "amount", "channels", "label_zh", "label_en", "note"})
EXTERNAL_FIELDS = frozenset({"name", "label_zh", "label_en", "note"})
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
        return None, [Issue(file, exc.line, "", Severity.ERROR, str(exc), exc.zh)]
    r = Reader(file, located)
    for path, line, message in located.problems:
        r.issues.append(Issue(file, line, field_path(path), Severity.ERROR, message[1], message[0]))
    for path, line in located.duplicates:
        r.issues.append(issue(file, line, field_path(path), Severity.ERROR, "validate.duplicate_key"))
    data: dict[str, Any] = located.data if isinstance(located.data, dict) else {}
    if located.data is None:
        r.problem((), "validate.empty_file")
    elif not isinstance(located.data, dict):
        r.problem((), "validate.not_a_plan", kind=kind_of(located.data))
    for key in sorted(set(data) - TOP_LEVEL):
        r.problem(
            (key,), "validate.unknown_section", Severity.WARNING, section=repr(key), known=", ".join(sorted(TOP_LEVEL))
        )
    if isinstance(located.data, dict) and data.get("plan") is None:
        r.problem(("plan",), "validate.no_plan_section")
    head = r.mapping(data, (), "plan", "validate.expect.plan")
    r.known_fields(head, ("plan",), PLAN_FIELDS)
    settings = r.mapping(data, (), "settings", "validate.expect.settings")
    r.known_fields(settings, ("settings",), SETTINGS_FIELDS)
    externals, external_labels = _external(r, data.get("external_metrics"))
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
        external_metrics=tuple(externals),
        external_labels=external_labels,
        cadence=_cadence(r, data),
        playbook=_playbook(r, data),
        active_events=r.names(settings, ("settings",), "active_events", "validate.what.events"),
        activation_event=r.opt_text(settings, ("settings",), "activation_event"),
        silent_days=_silent_days(r, settings),
        file=file,
        source=located,
    )
    return plan, r.issues


def _external(r: Reader, raw: Any) -> tuple[list[str], dict[str, tuple[str, str]]]:
    """External metric names, each a name or ``{name: nps, label_zh: 净推荐值, label_en: NPS}`` (a list), or a
    mapping of name → {label_zh, label_en}; the labels the plan gives, by name."""
    path: Path_ = ("external_metrics",)
    if isinstance(raw, dict):
        entries = [((*path, str(k)), {"name": k, **(v if isinstance(v, dict) else {})}, v) for k, v in raw.items()]
    elif isinstance(raw, list):
        entries = [((*path, i), item if isinstance(item, dict) else {"name": item}, item) for i, item in enumerate(raw)]
    else:
        return list(r.names({"external_metrics": raw}, (), "external_metrics", "validate.what.metrics")), {}
    names, labels = [], {}
    for where, spec, written in entries:
        if isinstance(written, dict):
            r.known_fields(written, where, EXTERNAL_FIELDS)
        elif written is not None and not is_scalar(written):
            r.problem(where, "validate.not_a_name", what=both("validate.what.metrics"), kind=kind_of(written))
            continue
        name = r.opt_text(spec, where, "name")
        if not name:
            r.problem(where, "validate.external_no_name")
            continue
        names.append(name)
        label = r.label(spec, where)
        if any(label):
            labels[name] = label
    return names, labels


def _silent_days(r: Reader, settings: dict[str, Any]) -> int:
    """Days without activity before a user counts as silent: a whole number of at least 1 (default 14)."""
    days = r.whole(settings, ("settings",), "silent_days")
    if days is not None and days < 1:
        r.problem(("settings", "silent_days"), "validate.silent_days", days=fmt.count(days))
        return 14
    return 14 if days is None else days


def _cadence(r: Reader, data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Which metrics each report shows: report name → list of metric names."""
    raw = r.mapping(data, (), "cadence", "validate.expect.cadence")
    return {str(k): r.names(raw, ("cadence",), str(k), "validate.what.metrics") for k in raw}


def _playbook(r: Reader, data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per funnel layer, a diagnosis and an action (plain text each)."""
    raw = r.mapping(data, (), "playbook", "validate.expect.playbook")
    out: dict[str, dict[str, str]] = {}
    for layer in raw:
        entry = r.mapping(raw, ("playbook",), str(layer), "validate.expect.playbook_entry")
        out[str(layer)] = {str(k): r.text(entry, ("playbook", str(layer)), str(k)) for k in entry}
    return out


def _target(r: Reader, path: Path_, t: dict[str, Any]) -> Target:
    r.known_fields(t, path, TARGET_FIELDS)
    change = r.number(t, path, "change")
    raw_kind = t.get("kind")
    kind = TargetKind.RELATIVE if change is not None and raw_kind is None else None
    if kind is None:
        try:
            kind = TargetKind("level" if raw_kind is None else str(raw_kind))
        except ValueError:
            r.problem((*path, "kind"), "validate.target_kind", value=show(raw_kind))
            kind = TargetKind.LEVEL
    period = r.mapping(t, path, "baseline_period", "validate.expect.baseline_period")
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


def _budget(r: Reader, raw: Any) -> Budget | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        r.problem(("budget",), "validate.not_kind", expected=both("validate.expect.budget"), kind=kind_of(raw))
        return None
    allocations = []
    for path, a in r.items(raw, "allocations", ("budget",)):
        channels = r.mapping(a, path, "channels", "validate.expect.channels")
        shares = {}
        for name in channels:
            value = r.number(channels, (*path, "channels"), name)
            if value is not None:
                shares[str(name)] = value
        r.known_fields(a, path, ALLOCATION_FIELDS)
        label_zh, label_en = r.label(a, path)
        category, share, amount = r.text(a, path, "category"), r.number(a, path, "share"), r.number(a, path, "amount")
        allocations.append(Allocation(category, share, amount, shares, path, label_zh, label_en))
    reserve = r.number(raw, ("budget",), "reserve")
    return Budget(r.number(raw, ("budget",), "total"), reserve or 0.0, tuple(allocations))


def _initiative(r: Reader, path: Path_, i: dict[str, Any]) -> Initiative:
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


def _only(r: Reader, path: Path_, x: dict[str, Any]) -> tuple[str, ...]:
    """The items a rule is restricted to: a list of names, or one name on its own."""
    only = x.get("only")
    if only is not None and is_scalar(only):
        return (str(only),)
    return r.names(x, path, "only", "validate.what.scopes")


def _rule(r: Reader, path: Path_, x: dict[str, Any]) -> Rule:
    r.known_fields(x, path, RULE_FIELDS)
    raw_when = x.get("when")
    when = raw_when if isinstance(raw_when, str) else "" if raw_when is None else show(raw_when)[1]
    match = _WHEN.match(when) if isinstance(raw_when, str) else None
    if not match:
        r.problem((*path, "when"), "validate.when", value=repr(when))
    for_days = r.whole(x, path, "for_days")
    label_zh, label_en = r.label(x, path)
    pool_days = r.number(x, path, "pool_days")
    if pool_days is not None and pool_days < 0:
        r.problem((*path, "pool_days"), "validate.pool_days", days=fmt.count(pool_days))
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
        label_zh=label_zh,
        label_en=label_en,
    )


def _event_metrics(r: Reader, raw: Any) -> tuple[EventMetric, ...]:
    if not raw:
        return ()
    if not isinstance(raw, dict):
        r.problem(("event_metrics",), "validate.event_metrics_shape")
        return ()
    out = []
    for name in raw:
        path = ("event_metrics", str(name))
        spec = r.mapping(raw, ("event_metrics",), str(name), "validate.expect.event_metric")
        if raw[name] is None:
            r.problem(path, "validate.event_metric_empty")
        r.known_fields(spec, path, EVENT_METRIC_FIELDS)
        ratio: list[Any] = [None, None]
        if spec.get("ratio") is not None:
            raw_ratio = spec["ratio"]
            if (
                isinstance(raw_ratio, list)
                and len(raw_ratio) == 2
                and all(x is not None and is_scalar(x) for x in raw_ratio)
            ):
                ratio = raw_ratio
            else:
                r.problem((*path, "ratio"), "validate.ratio_shape")
        label = r.text(spec, path, "label", str(name))
        out.append(
            EventMetric(
                name=str(name),
                label_zh=r.text(spec, path, "label_zh", label) or label,
                label_en=r.text(spec, path, "label_en", label) or label,
                count=r.opt_text(spec, path, "count"),
                users=r.opt_text(spec, path, "users"),
                numerator=opt_str(ratio[0]),
                denominator=opt_str(ratio[1]),
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
        return None, [issue(str(p), 1, "", Severity.ERROR, "validate.unreadable_file", reason=exc)]
    return parse_plan_text(text, str(p))
