"""Words of the daily check as text (terminal, cron mail, chat webhook)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
