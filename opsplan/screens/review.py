"""Display-independent choices of the Weekly review page: which ISO weeks the data covers, and which one to
open first (the last complete week, so a Monday meeting never reviews a half week by default)."""

from __future__ import annotations

import datetime as dt

from opsplan.words import t


def iso_week(day: dt.date) -> str:
    """2026-01-11 (a Sunday) → '2026-W02'; 2027-01-01 → '2026-W53' (ISO years, not calendar years)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def review_weeks(first: dt.date, through: dt.date) -> list[str]:
    """Every ISO week holding a day of the data, newest first."""
    weeks: list[str] = []
    monday = first - dt.timedelta(days=first.isoweekday() - 1)
    while monday <= through:
        weeks.append(iso_week(monday))
        monday += dt.timedelta(days=7)
    return weeks[::-1]


def last_complete_week(first: dt.date, through: dt.date) -> str:
    """The newest week whose Sunday the data reaches (data through Tue 01-13 → the week ending Sun 01-11);
    the newest week when the data is shorter than one whole week."""
    sunday = through - dt.timedelta(days=through.isoweekday() % 7)
    return iso_week(sunday) if sunday - dt.timedelta(days=6) >= first else iso_week(through)


def week_option(week: str, lang: str) -> str:
    """'2026-W09（02-23 – 03-01）': the week picker shows the days each ISO week covers."""
    monday = dt.date.fromisocalendar(*(int(p) for p in week.split("-W")), 1)
    sunday = monday + dt.timedelta(days=6)
    return t("review.week_option", lang, week=week, start=f"{monday:%m-%d}", end=f"{sunday:%m-%d}")
