"""YAML that remembers where each value was written, so every plan problem can point at its line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Located:
    """A parsed YAML document plus the 1-based line of every value, keyed by its path."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicates: tuple[tuple[Path_, int], ...] = ()

    def line(self, path: Path_) -> int:
        """The line of ``path``, or of its nearest parent that has one (a missing key → its mapping)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class YamlError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


def load_located(text: str) -> Located:
    """Parse ``text`` (one document) keeping lines; a syntax error raises YamlError with its line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError((mark.line + 1) if mark else 1, f"not valid YAML: {exc.problem or exc}") from None
    if node is None:
        return Located({}, {(): 1})
    constructor = yaml.SafeLoader("")
    lines: dict[Path_, int] = {}
    dups: list[tuple[Path_, int]] = []

    def build(n: yaml.Node, path: Path_) -> Any:
        lines[path] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in n.value:
                key = str(constructor.construct_object(key_node, deep=True))
                if key in out:
                    dups.append(((*path, key), key_node.start_mark.line + 1))
                out[key] = build(value_node, (*path, key))
                lines[(*path, key)] = key_node.start_mark.line + 1
            return out
        if isinstance(n, yaml.SequenceNode):
            return [build(item, (*path, i)) for i, item in enumerate(n.value)]
        return constructor.construct_object(n, deep=True)

    return Located(build(node, ()), lines, tuple(dups))
