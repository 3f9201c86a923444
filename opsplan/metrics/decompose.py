"""Why did it move: a KPI's change between two periods split into each channel's (or campaign's) contribution.

A ratio metric is a weighted mean of its parts: M = Σ wᵢ·rᵢ, with wᵢ = dᵢ / Σd the part's share of the
denominator (users, spend, clicks) and rᵢ = nᵢ / dᵢ the part's own value. Its change splits exactly into

    mixᵢ  = (wᵢ' − wᵢ) · (rᵢ + rᵢ') / 2     the part's share moved (fewer users from 小红书)
    rateᵢ = (rᵢ' − rᵢ) · (wᵢ + wᵢ') / 2     the part's own value moved (小红书's D1 fell)

and Σ (mixᵢ + rateᵢ) = M' − M with nothing left over (the symmetric, Shapley-style split: neither period is
privileged). A part missing from one period has no value there; it is given its value from the other one, so
its whole contribution is mix (a new channel brings its users at its own rate). A plain sum (new users,
spend, DAU) is the sum of its parts: each part contributes its own change, all of it "rate".

The arithmetic is exact for exact inputs (``Fraction``), which is how the test checks that the parts add up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Real

import duckdb

from opsplan.metrics.measure import Plan, daily_parts, metric_info

Sums = Mapping[str, tuple[Real, Real | None]]  # part → (numerator sum, denominator sum or None for a plain sum)


@dataclass(frozen=True)
class Part:
    key: str
    #: the part's own value (its rate, or its sum) in each period; None where it had none
    before: Real | None
    after: Real | None
    #: the contribution of its share moving (0 for a plain sum) and of its own value moving
    mix: Real
    rate: Real

    @property
    def total(self) -> Real:
        return self.mix + self.rate


@dataclass(frozen=True)
class Decomposition:
    before: Real | None
    after: Real | None
    #: largest contribution first
    parts: tuple[Part, ...]
    is_ratio: bool

    @property
    def change(self) -> Real | None:
        return None if self.before is None or self.after is None else self.after - self.before


def _ratio(num: Real, den: Real | None) -> Real | None:
    return num / den if den else None


def decompose(before: Sums, after: Sums, is_ratio: bool) -> Decomposition:
    """Each part's contribution to the change from ``before`` to ``after`` (see the module's docstring)."""
    keys = sorted(set(before) | set(after))
    zero = 0
    if not is_ratio:
        parts = [
            Part(
                k,
                before[k][0] if k in before else None,
                after[k][0] if k in after else None,
                zero,
                _sum(after, k) - _sum(before, k),
            )
            for k in keys
        ]
        total_a = sum((_sum(before, k) for k in keys), zero) if before else None
        total_b = sum((_sum(after, k) for k in keys), zero) if after else None
        return Decomposition(total_a, total_b, _ordered(parts), False)
    den_a = sum((before[k][1] or zero for k in before), zero)
    den_b = sum((after[k][1] or zero for k in after), zero)
    parts = []
    for k in keys:
        n_a, d_a = before.get(k, (zero, zero))
        n_b, d_b = after.get(k, (zero, zero))
        r_a, r_b = _ratio(n_a, d_a), _ratio(n_b, d_b)
        if r_a is None and r_b is None:
            continue  # no denominator in either period: no weight, no contribution
        w_a = (d_a or zero) / den_a if den_a else zero
        w_b = (d_b or zero) / den_b if den_b else zero
        ra = r_a if r_a is not None else r_b
        rb = r_b if r_b is not None else r_a
        parts.append(Part(k, r_a, r_b, (w_b - w_a) * (ra + rb) / 2, (rb - ra) * (w_a + w_b) / 2))
    total_a = _ratio(sum((before[k][0] for k in before), zero), den_a)
    total_b = _ratio(sum((after[k][0] for k in after), zero), den_b)
    return Decomposition(total_a, total_b, _ordered(parts), True)


def _sum(sums: Sums, key: str) -> Real:
    return sums[key][0] if key in sums else 0


def _ordered(parts: list[Part]) -> tuple[Part, ...]:
    return tuple(sorted(parts, key=lambda p: (-abs(float(p.total)), p.key)))


def period_sums(
    con: duckdb.DuckDBPyConnection,
    name: str,
    start: dt.date,
    end: dt.date,
    per: str = "channel",
    plan: Plan | None = None,
) -> Sums:
    """Per channel / campaign, the metric's numerator and denominator summed over ``start`` .. ``end``
    (cohort days for a cohort metric: immature cohorts carry no value and are left out)."""
    info = metric_info(name, plan)
    if not info.additive and end > start:
        raise ValueError(f"{name} is not a sum over days (distinct users): compare single days")
    frame = daily_parts(con, name, plan, start, end, per=per)
    frame = frame[frame["num"].notna()]
    grouped = frame.groupby("item")[["num", "den"]].sum(min_count=1)
    return {
        str(item): (float(row.num), None if not info.is_ratio else float(row.den))
        for item, row in grouped.iterrows()
        if not info.is_ratio or row.den == row.den  # a ratio part without a denominator has no value
    }


def between(
    con: duckdb.DuckDBPyConnection,
    name: str,
    before: tuple[dt.date, dt.date],
    after: tuple[dt.date, dt.date],
    per: str = "channel",
    plan: Plan | None = None,
) -> Decomposition:
    """The metric's change from the ``before`` period to the ``after`` one, part by part (day vs day before,
    week vs week before: the caller names the periods)."""
    info = metric_info(name, plan)
    return decompose(
        period_sums(con, name, *before, per=per, plan=plan),
        period_sums(con, name, *after, per=per, plan=plan),
        info.is_ratio,
    )
