"""The retention table as PostHog and Mixpanel show it: a cohort a row, its size, and the retention of every
period N in its cell as a percentage (coloured by the page), period N in the cohort's own unit.

Day cohorts read ``retention_curve`` (day 0 .. 30); week and month cohorts read ``retention_periodic`` (week
0 .. 12, month 0 .. 12: the share of the cohort active in its N-th ISO week / calendar month). A cell whose
period has not ended for any user of the cohort is empty, not 0%.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import pandas as pd

from opsplan import fmt
from opsplan.metrics.registry import Unit
from opsplan.words import t

GRAINS = ("day", "week", "month")
#: the last period N shown per grain
LAST = {"day": 30, "week": 12, "month": 12}


def cells_sql(grain: str, where: str) -> str:
    """cohort, n, size, retained, mature per cohort and period N; ``where`` filters cohort days (day grain) or
    cohort starts (week / month), channel and campaign (``explore.scope_where`` on the column ``cohort_day``)."""
    if grain == "day":
        return (
            "SELECT cohort_date AS cohort, day_offset AS n, sum(cohort_size) AS size, sum(retained) AS retained, "
            "sum(mature_size) AS mature FROM retention_curve "
            f"WHERE {where.replace('cohort_day', 'cohort_date')} GROUP BY ALL ORDER BY ALL"
        )
    return (
        "SELECT cohort_start AS cohort, period_offset AS n, sum(cohort_size) AS size, sum(retained) AS retained, "
        f"sum(mature_size) AS mature FROM retention_periodic WHERE grain = '{grain}' "
        f"AND {where.replace('cohort_day', 'cohort_start')} GROUP BY ALL ORDER BY ALL"
    )


def first_cohort(start: dt.date, grain: str) -> dt.date:
    """The first cohort start a range beginning on ``start`` shows: its week's Monday or its month's first day."""
    if grain == "week":
        return start - dt.timedelta(days=start.weekday())
    return start.replace(day=1) if grain == "month" else start


def cohort_label(day: dt.date, grain: str, partial: Collection[str] = ()) -> str:
    """'2026-01-05', '2026-W02', '2026-01'; a week or month the data covers in part (its key in ``partial``) gets
    a '*': '2026-W03*'."""
    if grain == "day":
        return day.isoformat()
    key = day.strftime("%G-W%V" if grain == "week" else "%Y-%m")
    return key + ("*" if key in partial else "")


def period_column(n: int, grain: str, lang: str) -> str:
    return t(f"retention.col_{grain}", lang, n=n)


def table(
    cells: pd.DataFrame, grain: str, lang: str, partial: Collection[str] = ()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the table as shown: cohort, size, a '41.2%' cell per period N or '' while immature; the rates behind
    the cells, same shape, NaN where empty) for the page to colour."""
    last = LAST[grain]
    frame = cells.copy()
    frame["cohort"] = pd.to_datetime(frame["cohort"]).dt.date
    frame["rate"] = pd.to_numeric(frame["retained"], errors="coerce") / pd.to_numeric(
        frame["mature"], errors="coerce"
    ).where(lambda m: m > 0)
    rates = frame.pivot_table(index="cohort", columns="n", values="rate", aggfunc="first", dropna=False)
    rates = rates.reindex(columns=range(last + 1))
    sizes = frame.groupby("cohort")["size"].max()
    shown = pd.DataFrame(
        {
            t("retention.cohort", lang): [cohort_label(c, grain, partial) for c in rates.index],
            t("retention.size", lang): [fmt.count(float(sizes[c])) for c in rates.index],
        }
    )
    numbers = pd.DataFrame(index=shown.index, columns=shown.columns, dtype=float)
    for n in range(last + 1):
        column = period_column(n, grain, lang)
        values = rates[n].tolist()
        shown[column] = ["" if pd.isna(v) else fmt.value(Unit.PERCENT, v) for v in values]
        numbers[column] = values
    return shown, numbers
