"""Numbers become text here and nowhere else, so a value reads the same on every page, report, mail and CLI line.

Rules, one per unit (the registry's ``Unit`` or its value as a string; ``"money"`` means ``"currency"``):

* currency (money): the sign, the currency symbol, thousands separators, always 2 decimals —
  ``¥1,234.50``, ``-¥30.00``, ``¥300.00`` (a whole amount keeps its ``.00``: one look for every amount).
* percent (a rate that is a metric's value): one decimal — ``41.2%``, ``0.5%``.
* ratio (ROI, K-factor, a multiple): thousands separators, 2 decimals — ``1.35``.
* count: thousands separators; a whole count has no decimals — ``12,345``. A count that is not whole is a
  mean of a count (7-day-average DAU): below 100 it keeps one decimal — ``0.9``, ``45.3`` — because rounding
  would change what it says (0.9 DAU is not 1); from 100 up it has none — ``1,235`` — where the decimal is noise.
  Whole means whole once rounded to that one decimal (``2.04`` → ``2``).

Changes and parts:

* ``change``: a relative change, signed, one decimal — ``+10.0%``, ``-75.0%`` (``signed=False``: ``10.0%``).
* ``points``: the move of a rate in percentage points, signed, one decimal — ``+1.2pp``.
* ``share``: a part of a whole (progress, time gone, pace, a budget reserve), no decimals — ``45%``, ``135%``.

An empty value (None, NaN, NA: an immature cohort, a ratio over nothing) is ``EMPTY`` ("—") everywhere, never 0.
Nothing prints ``-0.0``: a value that rounds to zero has no minus sign.
"""

from __future__ import annotations

import math

EMPTY = "—"

CURRENCY, PERCENT, RATIO, COUNT = "currency", "percent", "ratio", "count"
_ALIASES = {"money": CURRENCY}

#: a count that is not whole keeps one decimal below this size
MEAN_DECIMAL_BELOW = 100


def is_empty(x: object) -> bool:
    """True for None, NaN, pd.NA and NaT: the one test of "no value" behind every "—"."""
    if x is None:
        return True
    if isinstance(x, float):
        return math.isnan(x)
    if isinstance(x, int | str):
        return False
    import pandas as pd  # only for NA, NaT and numpy scalars: the CLI's light paths never get here

    try:
        return bool(pd.isna(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):  # a list or an array is no single value
        return False


def _unit(unit: object) -> str:
    name = str(getattr(unit, "value", unit))
    name = _ALIASES.get(name, name)
    if name not in (CURRENCY, PERCENT, RATIO, COUNT):
        raise ValueError(f"unknown unit {unit!r}: one of currency (money), percent, ratio, count")
    return name


def _unsigned_zero(text: str) -> str:
    """'-0.0%' → '0.0%', '-¥0.00' → '¥0.00': a value that rounds to zero is no loss."""
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        return text[1:]
    return text


def count(x: float) -> str:
    """A count by the count rule: '12,345', '0.9', '45.3', '1,235'."""
    x = float(x)
    if abs(x) >= MEAN_DECIMAL_BELOW or float(round(x, 1)).is_integer():
        return _unsigned_zero(f"{x:,.0f}")
    return _unsigned_zero(f"{x:,.1f}")


def value(unit: object, x: object, currency: str = "¥") -> str:
    """``x`` in the format of ``unit`` (see the module's rules); EMPTY when there is no value."""
    name = _unit(unit)
    if is_empty(x):
        return EMPTY
    number = float(x)  # type: ignore[arg-type]
    if name == CURRENCY:
        return _unsigned_zero(f"{'-' if number < 0 else ''}{currency}{abs(number):,.2f}")
    if name == PERCENT:
        return _unsigned_zero(f"{number:.1%}")
    if name == RATIO:
        return _unsigned_zero(f"{number:,.2f}")
    return count(number)


def change(x: object, signed: bool = True) -> str:
    """A relative change: '+10.0%', '-75.0%'; '10.0%' unsigned; EMPTY when there is none."""
    if is_empty(x):
        return EMPTY
    shown = round(float(x) * 100, 1) + 0.0  # + 0.0: no '-0.0%'
    return f"{shown:+.1f}%" if signed else f"{shown:.1f}%"


def points(delta: object) -> str:
    """The move of a rate, ``delta`` = new rate - old rate (fractions), in percentage points: '+1.2pp'."""
    if is_empty(delta):
        return EMPTY
    shown = round(float(delta) * 100, 1) + 0.0  # type: ignore[arg-type]
    return f"{shown:+.1f}pp"


def share(x: object) -> str:
    """A part of a whole, no decimals: progress '45%', time gone '40%', pace '135%'."""
    if is_empty(x):
        return EMPTY
    return _unsigned_zero(f"{float(x):.0%}")  # type: ignore[arg-type]


#: d3 formats for Altair axes and tooltips; a rate axis keeps one decimal when it needs it ('0.5%', '12%'),
#: since the rates people watch (CTR 0.5%) would all read '0%' without it
_AXIS = {CURRENCY: ",.0f", PERCENT: ".1~%", RATIO: ",.2f", COUNT: ",.0f"}


def axis_format(unit: object) -> str:
    """The d3 format of an Altair axis for values of ``unit``."""
    return _AXIS[_unit(unit)]


#: d3 time formats of chart dates: digits in both languages ("01-04" on an axis, "2026-01-04" in a tooltip),
#: never a month or weekday name, which Vega writes in English ("Jan 04", "Wed 04") even on a Chinese chart
_DATE_AXIS, _DATE_FULL = "%m-%d", "%Y-%m-%d"


def axis_date_format(full: bool = False) -> str:
    """The d3 time format of a chart's dates: ``"%m-%d"`` on an axis, ``"%Y-%m-%d"`` (``full``) in a tooltip."""
    return _DATE_FULL if full else _DATE_AXIS
