"""Words of the on-screen weekly review and page speed."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
