"""Words of the plan pages' own views and widgets (statuses, icons' captions, states)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
