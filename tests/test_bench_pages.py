"""bench/pages.py's table says each figure against its aim (issue 12: warm ≤ 300 ms, cold ≤ 1 s at 20k users and
≤ 2 s at 1M), never a page over its aim as met, and keeps the README's text outside its markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import pages


def test_each_figure_against_its_aim_at_its_scale() -> None:
    results = {
        20_000: [("today", 1.2, 0.25), ("goals", 0.8, 0.301)],
        1_000_000: [("today", 1.9, 0.2), ("goals", 2.1, 0.3)],
    }
    text = pages.markdown(results, 3, "1.0 at the start, 2.0 at the end")
    rows = {line.split(" | ")[0]: line for line in text.splitlines() if line.startswith("| today") or "| goals" in line}
    assert rows["| today"] == (
        "| today | 1,200 ms **over aim** | 250 ms met | 4.8x | 1,900 ms met | 200 ms met | 9.5x |"
    )
    assert rows["| goals"] == (
        "| goals | 800 ms met | 301 ms **over aim** | 2.7x | 2,100 ms **over aim** | 300 ms met | 7.0x |"
    )
    assert "load average 1.0 at the start, 2.0 at the end" in text
    assert "5 of 8 figures meet their aim; 3 are over aim." in text


def test_the_readme_block_is_replaced_between_its_markers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{pages.BEGIN}\nold\n{pages.END}\nafter\n", encoding="utf-8")
    monkeypatch.setattr(pages, "README", readme)
    pages.write_readme("new table")
    assert readme.read_text(encoding="utf-8") == f"before\n{pages.BEGIN}\nnew table\n{pages.END}\nafter\n"
