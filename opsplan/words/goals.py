"""Words of Goals and Alerts pages."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
