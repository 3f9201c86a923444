"""Display-independent pieces of the explore pages (channels, retention, users): the previous period, the
change against it, campaign phase bands on a time axis, the funnel steps, the scope of the views the
registry does not cover, and the profile mix of new users. Plain functions over frames; no Streamlit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from opsplan import fmt
from opsplan.metrics.registry import Direction, Unit, get_metric
from opsplan.store.contract import PROFILE_COLUMNS
from opsplan.words import channel_label, has, t

#: the funnel: each step with the registry's rate from the step before (None for the first)
FUNNEL = (
    ("impressions", None),
    ("clicks", "ctr"),
    ("new_users", "signup_cvr"),
    ("activated", "activation_rate"),
    ("paid_7d", "paid_rate_7d"),
)
PHASE_ORDER = ("preheat", "burst", "longtail")


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length that ends the day before ``start``."""
    days = (end - start).days + 1
    prev_end = start - dt.timedelta(days=1)
    return prev_end - dt.timedelta(days=days - 1), prev_end


def _number(value: object) -> float | None:
    if fmt.is_empty(value):
        return None
    return float(value)  # type: ignore[arg-type]


def change(name: str, now: object, before: object) -> str | None:
    """The change of metric ``name`` against the previous period: a rate moves in percentage points
    ('+1.2pp'), anything else by its relative change ('+12.0%'); None when either side is missing or the
    previous value is 0 (no relative change from nothing)."""
    a, b = _number(now), _number(before)
    if a is None or b is None:
        return None
    if get_metric(name).unit is Unit.PERCENT:
        return fmt.points(a - b)
    if b == 0:
        return None
    return fmt.change((a - b) / abs(b))


def change_tone(name: str, now: object, before: object) -> str:
    """'good' / 'bad' for a change the metric's direction calls better / worse, '' for none or a neutral metric."""
    a, b = _number(now), _number(before)
    direction = get_metric(name).direction
    if a is None or b is None or a == b or direction is Direction.NEUTRAL:
        return ""
    return "good" if (a > b) == (direction is Direction.UP) else "bad"


def phase_bands(campaigns: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One band per campaign with a phase, clipped to ``start`` .. ``end``: name, phase, start_date,
    end_date (the campaign's own dates) and ``start`` / ``stop`` timestamps covering whole days (``stop`` is
    the midnight after the last day), so that a band sits behind the days it covers on a daily axis."""
    cols = ["campaign_id", "name", "phase", "start_date", "end_date", "start", "stop"]
    bands = campaigns.dropna(subset=["phase", "start_date", "end_date"]).copy()
    if bands.empty:
        return pd.DataFrame(columns=cols)
    bands["start"] = pd.to_datetime(bands["start_date"]).clip(lower=pd.Timestamp(start))
    bands["stop"] = pd.to_datetime(bands["end_date"]).clip(upper=pd.Timestamp(end)) + pd.Timedelta(days=1)
    bands = bands[bands["start"] < bands["stop"]]
    bands["start_date"] = pd.to_datetime(bands["start_date"]).dt.strftime("%Y-%m-%d")
    bands["end_date"] = pd.to_datetime(bands["end_date"]).dt.strftime("%Y-%m-%d")
    return bands[cols].reset_index(drop=True)


@dataclass(frozen=True)
class Step:
    name: str  # the registry's count metric of the step
    value: float
    rate_name: str | None  # the registry's rate from the step before
    rate: float | None


def funnel_steps(totals: pd.DataFrame) -> list[Step]:
    """The funnel of a one-row total frame holding every step and rate metric of ``FUNNEL``. Activation and
    7-day payment count mature cohorts only (the registry's rates say so: their denominators are the mature
    base, not the step before's raw count)."""
    if totals.empty:
        return []
    row = totals.iloc[0]
    return [Step(name, _number(row[name]) or 0.0, rate, _number(row[rate]) if rate else None) for name, rate in FUNNEL]


def funnel_metric_names() -> list[str]:
    return [n for step in FUNNEL for n in step if n]


def scope_where(
    column: str, start: dt.date, end: dt.date, channel: str | None, campaign: str | None
) -> tuple[str, list[object]]:
    """A WHERE clause (without the keyword) and its parameters for a view keyed by ``column`` (a day),
    channel and campaign_id: the global filters on a view the registry does not cover."""
    conds, params = [f"{column} BETWEEN ? AND ?"], [start, end]
    if channel:
        conds.append("channel = ?")
        params.append(channel)
    if campaign:
        conds.append("campaign_id = ?")
        params.append(campaign)
    return " AND ".join(conds), params


def retention_rates(cells: pd.DataFrame) -> pd.DataFrame:
    """Adds ``rate`` = retained / mature, NaN where no user of the cell is mature yet."""
    out = cells.copy()
    mature = pd.to_numeric(out["mature"], errors="coerce")
    out["rate"] = pd.to_numeric(out["retained"], errors="coerce") / mature.where(mature > 0)
    return out


def curve_points(curves: pd.DataFrame, min_share: float = 0.2) -> pd.DataFrame:
    """Points of the retention curves by channel (channel, day_offset, retained, mature) from day 1, with
    ``rate``, kept where the users who reached day N are at least ``min_share`` of the channel's cohort users
    (day 0's mature count): the last days of a range rest on a few early cohorts and would jump about."""
    out = retention_rates(curves)
    size = out[out["day_offset"] == 0].set_index("channel")["mature"]
    base = out["channel"].map(size).astype(float)
    keep = (out["day_offset"] > 0) & out["rate"].notna() & (out["mature"].astype(float) >= min_share * base)
    return out[keep].reset_index(drop=True)


def months_back(end: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` - 1 months before ``end``'s month (6 → a half year)."""
    index = end.year * 12 + end.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def profile_columns(non_null: pd.DataFrame) -> list[str]:
    """The profile columns the data has: ``non_null`` is a one-row frame of non-null counts per column
    (absent columns are not in it)."""
    if non_null.empty:
        return []
    row = non_null.iloc[0]
    return [c for c in PROFILE_COLUMNS if c in non_null.columns and _number(row[c])]


def profile_counts_sql(attribute: str, where: str) -> str:
    if attribute not in PROFILE_COLUMNS:
        raise ValueError(f"not a profile column: {attribute}")
    return (
        f"SELECT strftime(signup_day, '%Y-%m') AS month, CAST({attribute} AS VARCHAR) AS value, count(*) AS users "
        f"FROM users WHERE {where} GROUP BY ALL ORDER BY ALL"
    )


def profile_mix(counts: pd.DataFrame, unknown: str) -> pd.DataFrame:
    """month, value, users, share (of the month's new users); a missing value is shown as ``unknown``."""
    out = counts.copy()
    out["value"] = out["value"].fillna(unknown).astype(str)
    out = out.groupby(["month", "value"], as_index=False)["users"].sum()
    out["share"] = out["users"] / out.groupby("month")["users"].transform("sum")
    return out.sort_values(["month", "users"], ascending=[True, False], kind="stable").reset_index(drop=True)


def non_null_sql(columns: Sequence[str]) -> str:
    return "SELECT " + ", ".join(f"count({c}) AS {c}" for c in columns) + " FROM users"


def key_label(key: str, lang: str) -> str:
    """A key column's heading: 渠道 / Channel for ``channel``, …; any other column as named."""
    return t(f"dim.{key}", lang) if has(f"dim.{key}") else key


def _key_text(key: str, value: object, lang: str) -> str:
    if fmt.is_empty(value) or value == "":
        return fmt.EMPTY
    return channel_label(str(value), lang) if key == "channel" else str(value)


def metric_table(frame: pd.DataFrame, names: Sequence[str], lang: str, keys: Sequence[str] = ()) -> pd.DataFrame:
    """The frame's key columns plus ``names`` formatted per the registry, columns labelled in ``lang``; a
    channel by its label, an empty key as ``fmt.EMPTY``."""
    out = pd.DataFrame(index=frame.index)
    for key in keys:
        out[key_label(key, lang)] = [_key_text(key, v, lang) for v in frame[key]]
    for name in names:
        metric = get_metric(name)
        out[metric.label(lang)] = frame[name].map(metric.format)
    return out.reset_index(drop=True)


def channel_rows(now: pd.DataFrame, before: pd.DataFrame, key: str, columns: Sequence[str]) -> pd.DataFrame:
    """This period's totals by ``key`` beside the previous period's (columns ``<name>_prev``), biggest spend
    first, then most new users."""
    rows = now.merge(before[[key, *columns]], on=key, how="left", suffixes=("", "_prev"))
    return rows.sort_values(["spend", "new_users"], ascending=False, kind="stable").reset_index(drop=True)


def channel_table(
    rows: pd.DataFrame,
    columns: Sequence[str],
    compared: Sequence[str],
    key: str,
    lang: str,
    names: Mapping[str, str] | None = None,
    stop_loss: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The Channels table: ``rows`` from ``channel_rows``, a campaign's name beside its id, each row's open
    stop-loss flag (``stop_loss``: item → its mark), each compared metric's change right after it; and the
    tone of each change column's cells ('good' / 'bad' / '') for the page to colour."""
    table = metric_table(rows, columns, lang, keys=[key])
    if key == "campaign_id":
        shown = [
            fmt.EMPTY if _key_text(key, c, lang) == fmt.EMPTY else str((names or {}).get(c) or c) for c in rows[key]
        ]
        table.insert(1, t("channels.name", lang), shown)
    if stop_loss is not None:
        table.insert(1, t("channels.stop_loss", lang), [(stop_loss or {}).get(c, "") for c in rows[key]])
    tones: dict[str, list[str]] = {}
    for name in compared:  # each Δ right after its metric
        label = get_metric(name).label(lang)
        column = t("channels.change", lang, name=label)
        pairs = list(zip(rows[name], rows[f"{name}_prev"], strict=True))
        table.insert(table.columns.get_loc(label) + 1, column, [change(name, a, b) or fmt.EMPTY for a, b in pairs])
        tones[column] = [change_tone(name, a, b) for a, b in pairs]
    return table, tones


def drill_items(rows: pd.DataFrame, key: str) -> list[str]:
    """The channels or campaigns one can drill into (organic users have no campaign)."""
    return [x for x in rows[key].tolist() if isinstance(x, str) and x]


def phase_campaigns(campaigns: pd.DataFrame, channel: str | None, campaign: str | None) -> pd.DataFrame:
    """The campaigns whose phases show behind the daily lines: one campaign, one channel's, or none (every
    campaign's bands at once would cover the whole axis)."""
    if campaign:
        return campaigns[campaigns["campaign_id"] == campaign]
    if channel:
        return campaigns[campaigns["channel"] == channel]
    return campaigns.iloc[0:0]


def with_channel(daily: pd.DataFrame) -> pd.DataFrame:
    """The rows of a by-channel frame that have a channel."""
    return daily[daily["channel"].notna()]
