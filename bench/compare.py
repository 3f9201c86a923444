"""The same metric set as ``bench.pandas_metrics``, read from the warehouse, and a strict comparison.

``sql_frames`` asks ``opsplan.metrics.rollup.query_metrics`` (the path every page, export and plan rule takes)
for each family by channel and over all channels, and shapes the answers like ``pandas_metrics.compute``.
``compare`` lists every difference: keys (periods, channels), empty-vs-value, and values (counts
exactly, money and ratios to a relative 1e-9).
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd

from bench.pandas_metrics import COUNT_METRICS, FAMILIES
from opsplan.metrics.rollup import query_metrics, window

#: family → (query_metrics grain, metrics asked of query_metrics)
_SQL_QUERIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "daily": ("day", FAMILIES["daily"][1]),
    "weekly": ("week", FAMILIES["weekly"][1]),
    "monthly": ("month", FAMILIES["monthly"][1]),
    "cohort": ("cohort", FAMILIES["cohort"][1]),
    # new_users of the lifecycle is the lifecycle_daily column (query_metrics serves new_users from kpis_daily)
    "lifecycle": ("day", ("returning_users", "resurrected_users", "dormant_users")),
}

RAW_COLUMNS = {
    "users": "user_id, signup_at, channel, campaign_id, referrer_id",
    "events": "user_id, event_at, event_name",
    "orders": "order_id, user_id, paid_at, amount",
    "ad_spend": "date, channel, campaign_id, spend, impressions, clicks",
}


def read_raw(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The raw contract tables the pandas implementation needs, as stored (instants, not local days)."""
    return {t: con.execute(f"SELECT {cols} FROM {t}").df() for t, cols in RAW_COLUMNS.items()}


def _lifecycle_new(con: duckdb.DuckDBPyConnection, by_channel: bool) -> pd.DataFrame:
    first, last = window(con)
    dims = ", channel" if by_channel else ""
    return con.execute(
        f"SELECT date{dims}, sum(new_users) AS new_users FROM lifecycle_daily WHERE date BETWEEN ? AND ? GROUP BY ALL",
        [first, last],
    ).df()


def sql_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Every family, by channel and over all channels, as query_metrics computes it."""
    out: dict[str, pd.DataFrame] = {}
    for family, (grain, names) in _SQL_QUERIES.items():
        period, wanted = FAMILIES[family]
        for suffix, by in (("", "channel"), ("_total", None)):
            frame = query_metrics(con, list(names), grain=grain, by=by)
            keys = [period] + (["channel"] if by else [])
            if family == "lifecycle":
                new = _lifecycle_new(con, by is not None)
                if pd.api.types.is_datetime64_any_dtype(new["date"]):
                    new["date"] = new["date"].dt.date
                frame = frame.merge(new, on=keys, how="left")
                frame["new_users"] = frame["new_users"].fillna(0).round().astype("Int64")
            out[family + suffix] = frame.set_index(keys)[list(wanted)]
    return out


def _is_na(values: pd.Series) -> np.ndarray:
    return values.isna().to_numpy()


def compare(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame], rel: float = 1e-9) -> list[str]:
    """Every difference between two results (``got`` from pandas, ``want`` from SQL); empty when they agree."""
    problems: list[str] = []
    for key, w in want.items():
        if key not in got:
            problems.append(f"{key}: missing")
            continue
        g = got[key]
        if not g.index.equals(w.index):
            only_g = g.index.difference(w.index)
            only_w = w.index.difference(g.index)
            if len(only_g) or len(only_w):
                problems.append(
                    f"{key}: rows differ: only pandas {list(only_g[:5])} ({len(only_g)}), "
                    f"only SQL {list(only_w[:5])} ({len(only_w)})"
                )
                continue
            g = g.reindex(w.index)
        for col in w.columns:
            gv, wv = g[col], w[col]
            g_na, w_na = _is_na(gv), _is_na(wv)
            bad = g_na != w_na
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                problems.append(
                    f"{key}.{col}: empty in one only at {int(bad.sum())} rows, e.g. {w.index[i]}: "
                    f"pandas {gv.iloc[i]!r}, SQL {wv.iloc[i]!r}"
                )
            both = ~g_na & ~w_na
            gx = gv.to_numpy(dtype=np.float64, na_value=np.nan)[both]
            wx = wv.to_numpy(dtype=np.float64, na_value=np.nan)[both]
            if col in COUNT_METRICS:
                diff = gx != wx
            else:
                diff = ~np.isclose(gx, wx, rtol=rel, atol=rel)
            if diff.any():
                i = int(np.flatnonzero(both)[np.flatnonzero(diff)[0]])
                problems.append(
                    f"{key}.{col}: {int(diff.sum())} values differ, e.g. {w.index[i]}: "
                    f"pandas {gv.iloc[i]!r}, SQL {wv.iloc[i]!r}"
                )
    return problems


def max_relative_difference(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> float:
    """The largest relative difference over every value present on both sides (0.0 when identical)."""
    worst = 0.0
    for key, w in want.items():
        g = got[key].reindex(w.index)
        for col in w.columns:
            gx = g[col].to_numpy(dtype=np.float64, na_value=np.nan)
            wx = w[col].to_numpy(dtype=np.float64, na_value=np.nan)
            ok = ~np.isnan(gx) & ~np.isnan(wx)
            if ok.any():
                scale = np.maximum(np.abs(wx[ok]), 1.0)
                worst = max(worst, float(np.max(np.abs(gx[ok] - wx[ok]) / scale)))
    return worst if not math.isnan(worst) else 0.0


def cells(frames: dict[str, pd.DataFrame]) -> int:
    """How many metric values a result holds (rows x metrics over every frame)."""
    return sum(f.size for f in frames.values())
