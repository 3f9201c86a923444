"""Words of the click-drill (channel → campaign → day → cohort) and the cohort page."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
