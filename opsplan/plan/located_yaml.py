"""YAML that remembers where each value was written, so every plan problem can point at its line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from opsplan.plan.wording import Pair, pair

Path_ = tuple[str | int, ...]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


@dataclass(frozen=True)
class Located:
    """A parsed YAML document plus the 1-based line of every value, keyed by its path.

    ``problems`` lists the values YAML itself could not build (``2026-02-30``, an unknown ``!tag``):
    each is kept as its raw text and reported as (path, line, (zh, en) message) instead of killing the parse.
    """

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicates: tuple[tuple[Path_, int], ...] = ()
    problems: tuple[tuple[Path_, int, Pair], ...] = ()

    def line(self, path: Path_) -> int:
        """The line of ``path``, or of its nearest parent that has one (a missing key → its mapping)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class YamlError(ValueError):
    """Text that is no YAML; the message in English (``str``) and Chinese (``zh``), at ``line``."""

    def __init__(self, line: int, message: Pair) -> None:
        self.line = line
        self.zh = message[0]
        super().__init__(message[1])


def _unbuildable(node: yaml.ScalarNode, exc: Exception) -> Pair:
    """Why a scalar could not be built, in the words a plan author understands (YAML's own reason kept)."""
    reason = getattr(exc, "problem", None) or str(exc)
    if node.tag == _TIMESTAMP:
        return pair("validate.yaml.not_a_real_date", value=repr(node.value), reason=reason)
    return pair("validate.yaml.unreadable_value", value=repr(node.value), reason=reason)


def load_located(text: str) -> Located:
    """Parse ``text`` (one document) keeping lines; a syntax error raises YamlError with its line.

    A value that parses but cannot be built (an impossible date) never raises: it stays raw text and
    becomes one of ``problems``, so the plan's other mistakes are still reported with it.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(
            (mark.line + 1) if mark else 1, pair("validate.yaml.invalid", reason=exc.problem or exc)
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character: it has a position, not a mark
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        char = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise YamlError(line, pair("validate.yaml.bad_character", char=char)) from None
    if node is None:
        return Located(None, {(): 1})
    constructor = yaml.SafeLoader("")
    lines: dict[Path_, int] = {}
    dups: list[tuple[Path_, int]] = []
    problems: list[tuple[Path_, int, Pair]] = []
    open_nodes: set[int] = set()  # collections being built: an alias back into one is a loop

    def scalar(n: yaml.Node, path: Path_) -> Any:
        try:
            return constructor.construct_object(n, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError) as exc:
            constructor.recursive_objects.pop(n, None)  # let an alias of the same node fail the same way
            if isinstance(n, yaml.ScalarNode):
                problems.append((path, n.start_mark.line + 1, _unbuildable(n, exc)))
                return n.value
            problems.append((path, n.start_mark.line + 1, pair("validate.yaml.unreadable", reason=exc)))
            return None

    def build(n: yaml.Node, path: Path_) -> Any:
        lines[path] = n.start_mark.line + 1
        if not isinstance(n, yaml.MappingNode | yaml.SequenceNode):
            return scalar(n, path)
        if id(n) in open_nodes:
            problems.append((path, n.start_mark.line + 1, pair("validate.yaml.alias_loop")))
            return None
        open_nodes.add(id(n))
        try:
            if isinstance(n, yaml.SequenceNode):
                return [build(item, (*path, i)) for i, item in enumerate(n.value)]
            return mapping(n, path)
        finally:
            open_nodes.discard(id(n))

    def mapping(n: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in n.value:  # ``<<: *defaults`` first: the keys written here win
            if key_node.tag == _MERGE:
                line = lines[path]
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    merged = build(source, path)
                    if isinstance(merged, dict):
                        out.update({k: v for k, v in merged.items() if k not in out})
                    else:
                        problems.append((path, key_node.start_mark.line + 1, pair("validate.yaml.merge")))
                lines[path] = line
        written: set[str] = set()
        for key_node, value_node in n.value:
            if key_node.tag == _MERGE:
                continue
            if isinstance(key_node, yaml.ScalarNode):
                key = str(scalar(key_node, (*path, key_node.value)))
            else:  # ``? [a, b]`` or ``{[a]: 1}``: keep its source text as the name, and say so
                key = text[key_node.start_mark.index : key_node.end_mark.index]
                problems.append(((*path, key), key_node.start_mark.line + 1, pair("validate.yaml.key_not_a_name")))
            if key in written:
                dups.append(((*path, key), key_node.start_mark.line + 1))
            written.add(key)
            out[key] = build(value_node, (*path, key))
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out

    data = build(node, ())
    # an alias shares its anchor's node: point at the line of the key that uses it
    located = tuple((path, lines.get(path, line), message) for path, line, message in problems)
    return Located(data, lines, tuple(dups), located)
