"""Words of the charts: axis titles, legends, tooltips."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
