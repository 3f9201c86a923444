"""Words of loading and freshness: refusal reasons, stale-data notices, partial periods."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
