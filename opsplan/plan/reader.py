"""Typed, lenient access to a plan's raw YAML: a wrong value becomes None (or a default) and an issue at its line.

Why its own module: every section parser (``plan.parse``) reads numbers, dates, names and mappings the same
way and must never raise, so one plan's problems are all reported at once. Messages come from the catalogue
in both languages (``validate.*``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from typing import Any

import yaml

from opsplan.plan.located_yaml import Located, Path_
from opsplan.plan.model import Issue, Scope, Severity, field_path, issue
from opsplan.plan.wording import Pair
from opsplan.words import both

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def kind(value: Any) -> Pair:
    """What a value is, in words, for messages like 'must be a list, not a mapping'."""
    if value is None:
        return both("validate.kind.empty")
    if isinstance(value, dict):
        return both("validate.kind.mapping")
    if isinstance(value, list):
        return both("validate.kind.list")
    if isinstance(value, bool):
        return both("validate.kind.yes_no")
    if isinstance(value, int | float):
        return both("validate.kind.number")
    if isinstance(value, dt.date):
        return both("validate.kind.date")
    return both("validate.kind.text")


def show(value: Any) -> Pair:
    """A value as the author wrote it, roughly: quoted text, flow YAML for lists and mappings."""
    if isinstance(value, str):
        text = repr(value) if len(value) <= 60 else f"{value[:57]!r}…"
        return text, text
    if isinstance(value, bool):
        return both("validate.show.yes_no", value=str(value).lower())
    shown = str(value)
    if isinstance(value, list | dict):
        shown = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000).strip()
    shown = shown if len(shown) <= 60 else f"{shown[:57]}…"
    return shown, shown


def is_scalar(value: Any) -> bool:
    return not isinstance(value, list | dict)


def opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


class Reader:
    """Typed access to the raw YAML that records a problem (with its line) instead of raising."""

    def __init__(self, file: str, located: Located) -> None:
        self.file, self.located = file, located
        self.issues: list[Issue] = []
        # values YAML could not build were reported by the loader: one issue per problem, not two
        self.unbuilt = frozenset(path for path, _, _ in located.problems)

    def problem(self, path: Path_, key: str, severity: Severity = Severity.ERROR, **values: object) -> None:
        """An issue at ``path`` whose sentence is the catalogue's ``key``."""
        if severity is Severity.ERROR and path in self.unbuilt:
            return
        self.issues.append(issue(self.file, self.located.line(path), field_path(path), severity, key, **values))

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
            self.problem((*path, key), "validate.not_a_number", value=show(value))
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
            self.problem((*path, key), "validate.not_whole", value=show(value))
            return None
        return int(number)

    def date(self, obj: dict[str, Any], path: Path_, key: str) -> dt.date | None:
        """A calendar date written YYYY-MM-DD; a date with a time keeps the date (and says so)."""
        value = self.get(obj, path, key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):  # a datetime is a date, but never compares with one
            self.problem((*path, key), "validate.date_with_time", Severity.WARNING, value=value, day=value.date())
            return value.date()
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
            self.problem((*path, key), "validate.not_a_date", value=show(value))
            return None
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            self.problem((*path, key), "validate.not_a_real_date", value=repr(value), reason=exc)
            return None

    def text(self, obj: dict[str, Any], path: Path_, key: str, default: str = "") -> str:
        """A single value as text; a list or mapping where one value belongs is a problem and the default."""
        value = self.opt_text(obj, path, key)
        return default if value is None else value

    def opt_text(self, obj: dict[str, Any], path: Path_, key: str) -> str | None:
        value = self.get(obj, path, key)
        if value is None or is_scalar(value):
            return opt_str(value)
        self.problem((*path, key), "validate.not_single", kind=kind(value), value=show(value))
        return None

    def mapping(self, obj: dict[str, Any], path: Path_, key: str, what: str) -> dict[str, Any]:
        """A sub-mapping; absent or empty is {}, any other kind of value is the catalogue's ``what`` at its line."""
        value = self.get(obj, path, key)
        if value is None or value == [] or value == {}:
            return {}
        if isinstance(value, dict):
            return value
        self.problem((*path, key), "validate.not_kind", expected=both(what), kind=kind(value))
        return {}

    def names(self, obj: dict[str, Any], path: Path_, key: str, what: str) -> tuple[str, ...]:
        """A list of names (``[a, b]``); a lone text is an error, never split into its characters."""
        value = self.get(obj, path, key)
        if value is None or value == [] or value == {}:
            return ()
        if not isinstance(value, list):
            self.problem((*path, key), "validate.not_names", what=both(what), kind=kind(value), value=show(value))
            return ()
        out = []
        for i, item in enumerate(value):
            if item is None or not is_scalar(item):
                self.problem((*path, key, i), "validate.not_a_name", what=both(what), kind=kind(item))
            else:
                out.append(str(item))
        return tuple(out)

    def known_fields(self, obj: dict[str, Any], path: Path_, known: frozenset[str]) -> None:
        """A field the plan does not know (a typo like ``taget``) is a warning naming the closest one."""
        for key in obj:
            if str(key) not in known:
                close = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
                if close:
                    self.problem(
                        (*path, str(key)),
                        "validate.unknown_field_close",
                        Severity.WARNING,
                        field=repr(key),
                        close=repr(close[0]),
                    )
                else:
                    self.problem(
                        (*path, str(key)),
                        "validate.unknown_field",
                        Severity.WARNING,
                        field=repr(key),
                        known=", ".join(sorted(known)),
                    )

    def items(self, data: dict[str, Any], key: str, base: Path_ = ()) -> list[tuple[Path_, dict[str, Any]]]:
        """The entries of a list section, each a mapping; paths are under ``base``."""
        value = data.get(key) if isinstance(data, dict) else None
        if value is None or value == [] or value == {}:
            return []
        if not isinstance(value, list):
            self.problem((*base, key), "validate.not_entries", kind=kind(value))
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append(((*base, key, i), item))
            else:
                self.problem((*base, key, i), "validate.not_fields", kind=kind(item))
        return out

    def scope(self, obj: dict[str, Any], path: Path_) -> Scope:
        raw = self.get(obj, path, "scope")
        if raw is None or raw in ("all", {}):
            return Scope()
        if not isinstance(raw, dict):
            self.problem((*path, "scope"), "validate.scope_shape")
            return Scope()
        unknown = set(raw) - {"channel", "campaign"}
        if unknown:
            self.problem((*path, "scope"), "validate.scope_keys", keys=", ".join(sorted(unknown)))
        where = (*path, "scope")
        return Scope(channel=self.opt_text(raw, where, "channel"), campaign=self.opt_text(raw, where, "campaign"))

    def label(self, obj: dict[str, Any], path: Path_) -> tuple[str, str]:
        """The plan's own (zh, en) name of a thing (``label_zh`` / ``label_en``, each a text; one stands for
        both when only one is given); ('', '') when it gives none."""
        zh, en = self.text(obj, path, "label_zh").strip(), self.text(obj, path, "label_en").strip()
        return zh or en, en or zh
