"""Words of the weekly review: section titles, column heads, sentences."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
