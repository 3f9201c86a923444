"""Is a week or month complete? A period is partial when the data does not cover all its days: it ends after
data_through, or it starts before the data's first day. A partial week of two days holds about 2/7 of a
full week's users, so every figure of one must say so (``Coverage.label``) and cards prefer the last
complete period (``last_complete``).

Partial is about the data, never about a user's date range: a week whose days all lie between first_day
and data_through is complete even when the range starts mid-week. Plain functions, no Streamlit.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from opsplan import fmt
from opsplan.metrics.registry import MONTH, WEEK
from opsplan.words import t

_WEEK_KEY = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")


def period_bounds(key: str, grain: str) -> tuple[dt.date, dt.date]:
    """(first day, last day) of an ISO week label ``2026-W09`` (Monday .. Sunday) or a month ``2026-02``.

    ValueError for a key that is not of the grain, so a mislabelled period is never silently "complete"."""
    if grain == WEEK:
        match = _WEEK_KEY.match(key)
        if not match:
            raise ValueError(f"{key!r} is not an ISO week label like 2026-W09")
        year, number = int(match[1]), int(match[2])
        try:
            monday = dt.date.fromisocalendar(year, number, 1)
        except ValueError as exc:
            raise ValueError(f"{key!r} is not an ISO week: {exc}") from None
        return monday, monday + dt.timedelta(days=6)
    if grain == MONTH:
        match = _MONTH_KEY.match(key)
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValueError(f"{key!r} is not a month label like 2026-02")
        year, month = int(match[1]), int(match[2])
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    raise ValueError(f"grain must be {WEEK!r} or {MONTH!r}, not {grain!r}")


@dataclass(frozen=True)
class Coverage:
    """How many of a period's days the data covers; ``label`` / ``short`` say it wherever the period is shown."""

    key: str
    grain: str
    days: int  # days of the period between first_day and data_through
    total: int  # days in the period (7, or 28..31)

    @property
    def partial(self) -> bool:
        return self.days < self.total

    def short(self, lang: str) -> str:
        """'2/7 天' / '2 of 7 days'."""
        lang = "zh" if lang == "zh" else "en"
        return t("period.days_covered", lang, days=fmt.count(self.days), total=fmt.count(self.total))

    def label(self, lang: str) -> str:
        """The key, with the coverage when partial: '2026-W09（部分：2/7 天）' / '2026-W09 (partial: 2 of 7 days)'."""
        if not self.partial:
            return self.key
        return t("period.partial", "zh" if lang == "zh" else "en", period=self.key, covered=self.short(lang))


def coverage(key: str, grain: str, first_day: dt.date | None, data_through: dt.date | None) -> Coverage:
    """The days of period ``key`` that lie between ``first_day`` and ``data_through`` (none without data)."""
    start, end = period_bounds(key, grain)
    total = (end - start).days + 1
    if first_day is None or data_through is None:
        return Coverage(key, grain, 0, total)
    lo, hi = max(start, first_day), min(end, data_through)
    return Coverage(key, grain, max(0, (hi - lo).days + 1), total)


def last_complete(
    keys: Iterable[str], grain: str, first_day: dt.date | None, data_through: dt.date | None
) -> str | None:
    """The latest of ``keys`` the data covers in full, or None: what a card shows by default."""
    complete = [k for k in set(keys) if not coverage(k, grain, first_day, data_through).partial]
    return max(complete, key=lambda k: period_bounds(k, grain)[0], default=None)
