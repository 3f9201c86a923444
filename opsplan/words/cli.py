"""Words of the command line a person reads (help texts stay English: they are for operators)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
