"""One home for words: every key the code asks for exists, and Chinese text appears nowhere but the catalogue.

The scan reads string literals (not comments or docstrings) of the engine, the ui helpers, the pages and
app.py. The metric registry keeps its labels (the brief: one registry holds each metric's labels); the
demo data's own values (campaign names, plan text) are data, not UI words.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from opsplan import words

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    [*ROOT.glob("opsplan/**/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
)
CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")

#: where Chinese literals belong besides the catalogue, and why
ALLOWED: dict[str, str] = {
    "opsplan/words/": "the catalogue itself",
    "opsplan/metrics/registry.py": "each metric's zh/en label lives in its registry entry",
    "opsplan/metrics/catalog_": "the registry entries (one literal Metric per metric) with their zh/en labels",
    "opsplan/demo/": "the demo data's own values: campaign names, user attributes, the plan's text",
}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def chinese_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            if CJK.search(node.value):
                found.append(f"{_rel(path)}:{node.lineno}: {node.value[:40]!r}")
    return found


def test_chinese_text_lives_only_in_the_catalogue() -> None:
    offenders = [
        hit
        for path in SOURCES
        if not any(_rel(path).startswith(prefix) for prefix in ALLOWED)
        for hit in chinese_literals(path)
    ]
    assert offenders == [], "Chinese text outside opsplan/words/:\n" + "\n".join(offenders)


def test_the_scan_finds_a_chinese_literal(tmp_path: Path) -> None:
    bad = tmp_path / "page.py"
    bad.write_text('"""说明 is a docstring."""\nTITLE = "今日"\n', encoding="utf-8")
    assert chinese_literals(bad) == ["page.py:2: '今日'"]


_CALLS = {"t", "both", "has"}


def used_keys(path: Path) -> list[tuple[str, int]]:
    """Literal first arguments of t(...), page.t(...), words.t(...), both(...)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    keys = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        arg = node.args[0]
        if name in _CALLS and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            keys.append((arg.value, node.lineno))
    return keys


def test_every_key_the_code_asks_for_exists() -> None:
    missing = [
        f"{_rel(path)}:{line}: {key}"
        for path in SOURCES
        for key, line in used_keys(path)
        if not words.has(key)
    ]
    assert missing == []
    assert sum(len(used_keys(p)) for p in SOURCES) > 200  # the scan really reads the calls


def test_an_unknown_key_names_the_closest() -> None:
    with pytest.raises(words.UnknownWordError, match="today.flags"):
        words.t("today.flag", "zh")


def test_every_word_has_both_languages_and_the_same_placeholders() -> None:
    field = re.compile(r"\{(\w+)")
    for key, (zh, en) in words.CATALOGUE.items():
        assert zh.strip() and en.strip(), key
        assert sorted(set(field.findall(zh))) == sorted(set(field.findall(en))), key
        assert not CJK.search(en), f"{key}: Chinese in the English text"


def test_channel_labels() -> None:
    assert words.channel_label("xiaohongshu", "zh") == "小红书"
    assert words.channel_label("xiaohongshu", "en") == "Xiaohongshu"
    assert words.channel_label("tiktok_us", "zh") == "tiktok_us"
    assert words.channel_label(None, "zh") == "全部"
