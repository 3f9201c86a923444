"""The shape of the code: no import cycles, small modules, and the layering's nevers.

The import graph is read from the source (AST), module-level and function-level imports alike: a cycle
hidden behind an import inside a function is still a cycle, it only fails later. The same nevers are
ruff ``banned-api`` rules (``opsplan/**/ruff.toml``, ``ui/ruff.toml``), so an editor flags them as they are
typed; this test keeps them true even for code ruff is not run on.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400
MAX_PAGE_LINES = 80


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> Iterator[tuple[str, int]]:
    """Every module name an import in ``path`` names (``from a import b`` gives ``a.b`` and ``a``), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            yield base, node.lineno
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def _graph(folder: str) -> dict[str, dict[str, int]]:
    """module -> {imported module of the same tree: line}, for every .py under ``folder``."""
    modules = {_module_name(p): p for p in sorted((ROOT / folder).rglob("*.py"))}
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        edges: dict[str, int] = {}
        for target, line in _imports(path):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):  # a package's own __init__
                edges.setdefault(target, line)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str] | None:
    """One import cycle as [a, b, …, a], or None (depth-first search, colours)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_engine_has_no_import_cycle() -> None:
    graph = _graph("opsplan")
    cycle = find_cycle(graph)
    where = [f"{a} imports {b} (line {graph[a][b]})" for a, b in zip(cycle, cycle[1:], strict=False)] if cycle else []
    assert cycle is None, "import cycle:\n" + "\n".join(where)


def test_the_cycle_finder_finds_a_cycle_behind_a_function_level_import() -> None:
    graph = {"a": {"b": 3}, "b": {"c": 9}, "c": {"a": 40}, "d": {"a": 1}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": 1}, "b": {}}) is None


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_engine_and_ui_modules_are_at_most_400_lines() -> None:
    files = [*ROOT.glob("opsplan/**/*.py"), *ROOT.glob("ui/**/*.py")]
    long = {p.relative_to(ROOT).as_posix(): _lines(p) for p in files if _lines(p) > MAX_LINES}
    assert long == {}


def test_pages_are_at_most_80_lines() -> None:
    long = {p.relative_to(ROOT).as_posix(): _lines(p) for p in ROOT.glob("pages/*.py") if _lines(p) > MAX_PAGE_LINES}
    assert long == {}


#: (files, module prefixes they must never import); the same rules as the ruff banned-api configs
NEVERS: list[tuple[str, tuple[str, ...]]] = [
    ("opsplan/**/*.py", ("streamlit", "ui", "pages", "bench", "app")),
    ("ui/**/*.py", ("pages",)),
    ("opsplan/store/**/*.py", ("opsplan.plan", "opsplan.report", "opsplan.cli", "opsplan.screens", "opsplan.charts")),
    ("opsplan/metrics/**/*.py", ("opsplan.plan", "opsplan.report", "opsplan.cli")),
    ("opsplan/plan/**/*.py", ("opsplan.report", "opsplan.cli")),
    ("opsplan/charts/**/*.py", ("opsplan.store", "opsplan.cli")),
]


def broken_nevers() -> list[str]:
    found = []
    for pattern, banned in NEVERS:
        for path in sorted(ROOT.glob(pattern)):
            for name, line in _imports(path):
                if any(name == b or name.startswith(b + ".") for b in banned):
                    found.append(f"{path.relative_to(ROOT).as_posix()}:{line} imports {name}")
    return sorted(set(found))


def test_the_layers_never_import_upwards() -> None:
    assert broken_nevers() == []


#: folder of a nested ruff.toml -> the NEVERS pattern it enforces
RUFF_CONFIGS = {
    "opsplan": "opsplan/**/*.py",
    "opsplan/store": "opsplan/store/**/*.py",
    "opsplan/metrics": "opsplan/metrics/**/*.py",
    "opsplan/plan": "opsplan/plan/**/*.py",
    "opsplan/charts": "opsplan/charts/**/*.py",
    "ui": "ui/**/*.py",
}


def _banned(config: Path) -> set[str]:
    data = tomllib.loads(config.read_text(encoding="utf-8"))
    lint = data["tool"]["ruff"]["lint"] if "tool" in data else data["lint"]
    return set(lint.get("flake8-tidy-imports", {}).get("banned-api", {}))


def test_the_ruff_configs_ban_what_the_layers_never_import() -> None:
    """A nested banned-api table replaces the project's, so each must repeat the project's bans too."""
    project = _banned(ROOT / "pyproject.toml")
    for folder, pattern in RUFF_CONFIGS.items():
        banned = _banned(ROOT / folder / "ruff.toml")
        nevers = {
            b
            for p, bans in NEVERS
            if p == pattern or (folder.startswith("opsplan/") and p == "opsplan/**/*.py")
            for b in bans
        }
        if folder == "opsplan/charts":
            project_bans = project - {"altair"}  # charts/ is where Altair lives
        elif folder == "ui":
            project_bans = project - {"streamlit"}  # ui/ is where Streamlit lives
        else:
            project_bans = project
        assert nevers - banned == set(), folder
        assert project_bans - banned == set(), folder
