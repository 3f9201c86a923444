"""Words of Today page (one screen: needs attention, KPI cards with target / pace / stop-loss)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
