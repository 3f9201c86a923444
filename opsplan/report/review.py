"""A built weekly review: its sections and what both renderings need (title, subtitle, the frames behind
the HTML charts).

Why its own module: ``report.weekly`` builds a Review and ``report.render`` renders one; with the shape here,
neither imports the other back (the old ``weekly`` ↔ ``render`` cycle).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from opsplan.metrics.decompose import Decomposition
from opsplan.plan.model import Plan
from opsplan.plan.result import CheckResult
from opsplan.report.cells import OVERALL_TONE, Cell, Section
from opsplan.words import has, t


@dataclass(frozen=True)
class Review:
    """A built weekly review: what both renderings show, plus the frames behind the HTML charts."""

    plan_name: str
    week: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    first_day: dt.date
    data_through: dt.date
    status: str
    lang: str
    sections: tuple[Section, ...]
    check: CheckResult = field(repr=False)
    plan: Plan | None = field(repr=False, default=None)
    daily: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    channel_roi: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    #: the KPIs split by channel, (metric, decomposition): the why section's waterfalls
    moves: tuple[tuple[str, Decomposition], ...] = field(repr=False, default=())

    @property
    def title(self) -> str:
        return t("report.heading", self.lang, plan=self.plan_name, title=t("report.title", self.lang), week=self.week)

    @property
    def subtitle(self) -> str:
        lang = self.lang
        parts = [
            t("report.week_span", lang, start=self.start, end=self.end),
            t("report.judged_on", lang, judged=t("report.judged", lang), day=self.as_of),
            t("report.judged_on", lang, judged=t("report.through", lang), day=self.data_through),
        ]
        if self.partial:
            parts.append(t("report.partial", lang))
        return " · ".join(parts)

    @property
    def partial(self) -> bool:
        """The data does not cover the whole week (it starts or ends inside it)."""
        return self.as_of < self.end or self.start < self.first_day

    @property
    def status_cell(self) -> Cell:
        word = t(f"report.overall.{self.status}", self.lang) if has(f"report.overall.{self.status}") else self.status
        return Cell(t("report.overall", self.lang) + word, OVERALL_TONE.get(self.status, ""))

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)
