"""Generated docs are current: docs/cli.md from --help and the glossary's metric table from the registry."""

from __future__ import annotations

import pytest

from opsplan.docs import DOCS, cli_reference, render_glossary


def test_cli_reference_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == cli_reference(), "run: python -m opsplan.docs"


def test_glossary_table_is_current() -> None:
    text = (DOCS / "glossary.md").read_text(encoding="utf-8")
    assert render_glossary(text) == text, "run: python -m opsplan.docs"
