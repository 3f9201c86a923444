"""The README's notebook snippet runs as written against the demo warehouse and the demo plan, and says what
the README says it says (the handle is the public API a notebook uses)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import DEMO_PLAN

README = Path(__file__).resolve().parents[1] / "README.md"


def snippet() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- snippet:notebook -->\n```python\n(.*?)```\n<!-- /snippet -->", text, re.S)
    assert match, "README.md has no notebook snippet"
    return match.group(1)


def test_the_notebook_snippet_runs(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "data").mkdir()
    shutil.copyfile(demo_db, tmp_path / "data" / "opsplan.duckdb")
    shutil.copyfile(DEMO_PLAN, tmp_path / "data" / "demo_plan.yaml")
    monkeypatch.chdir(tmp_path)
    names: dict[str, object] = {}
    exec(compile(snippet(), "README.md", "exec"), names)  # noqa: S102 (our own README's code)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "critical"
    assert lines[1].startswith("{'channel': 'xiaohongshu'} 7-day ROI (Xiaohongshu, cohort 02-17) = 0.35")
    assert lines[1].endswith("→ 暂停投放，优化素材后再测试")
    # 20k demo users, activated = core_feature_a on the signup day or the next: about half, not 100%
    rate = float(lines[2].removeprefix("activation ").rstrip("%")) / 100
    assert 0.4 < rate < 0.65
    weekly = names["weekly"]
    assert list(weekly.columns) == ["week", "wau", "new_users", "partial"]  # type: ignore[attr-defined]
    assert list(weekly["partial"])[-1] and not list(weekly["partial"])[-2]  # type: ignore[index]
