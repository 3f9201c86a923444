"""Small builders for the plan tests: a plan from YAML text and daily parts frames written by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from opsplan.plan.model import Plan
from opsplan.plan.parse import parse_plan_text
from opsplan.plan.rules import has_errors, validate


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def plan_from(text: str) -> Plan:
    plan, parse_issues = parse_plan_text(text, "test.yaml")
    assert plan is not None
    issues = validate(plan, parse_issues)
    assert not has_errors(issues), issues
    return plan


def parts(
    start: str,
    nums: list[float | None],
    dens: list[float | None] | None = None,
    item: str = "all",
    spend: list[float | None] | None = None,
) -> pd.DataFrame:
    """One row per day from ``start``: num (None = immature / missing), den, spend."""
    first = day(start)
    n = len(nums)
    return pd.DataFrame(
        {
            "date": [first + dt.timedelta(days=i) for i in range(n)],
            "item": [item] * n,
            "num": pd.Series(nums, dtype="float64"),
            "den": pd.Series(dens if dens is not None else [None] * n, dtype="float64"),
            "spend": pd.Series(spend if spend is not None else [None] * n, dtype="float64"),
        }
    )
