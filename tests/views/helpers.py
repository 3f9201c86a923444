"""Small helpers for the view tests: one metric series as a plain dict, values rounded for comparison."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import duckdb

from opsplan.metrics.rollup import query_metrics


def D(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def plain(value: object) -> object:
    """None for NULL/NaN/NA, floats rounded to 6 places, numpy/pandas scalars unwrapped."""
    if value is None:
        return None
    try:
        if value != value or value is __import__("pandas").NA:  # NaN / NA
            return None
    except TypeError:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return round(value, 6) if not math.isnan(value) else None
    return value


def series(con: duckdb.DuckDBPyConnection, metric: str, grain: str = "day", **kwargs: object) -> dict[object, object]:
    """{period: value} of one metric over the whole fixture (or the given range / filters)."""
    frame = query_metrics(con, [metric], grain=grain, **kwargs)  # type: ignore[arg-type]
    key = frame.columns[0]
    return {row[key]: plain(row[metric]) for _, row in frame.iterrows()}


def by_dim(
    con: duckdb.DuckDBPyConnection, metrics: Sequence[str], by: str = "channel", **kwargs: object
) -> dict[str, dict[str, object]]:
    """{channel: {metric: value}} over the whole range."""
    frame = query_metrics(con, list(metrics), grain="total", by=by, **kwargs)  # type: ignore[arg-type]
    out: dict[str, dict[str, object]] = {}
    for _, row in frame.iterrows():
        name = row["channel"] if by == "channel" else f"{row['channel']}/{row['campaign_id']}"
        out[name] = {m: plain(row[m]) for m in metrics}
    return out
