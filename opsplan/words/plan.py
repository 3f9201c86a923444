"""Words of the plan engine: statuses, states, rule and category labels, reasons, validation messages."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
