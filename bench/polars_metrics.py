"""A polars implementation of the benchmark's metric set: the second yardstick beside ``pandas_metrics``.

Issue 10 asks that the SQL be faster than a polars implementation of the same metric set, not only than
pandas; this is that implementation. It is written from docs/glossary.md (the metric set, inputs and
output shape are those of ``bench/pandas_metrics.py``, whose constants it imports, not its code) and is
meant to be a fair one: user ids become integer codes by one join, instants become integer day offsets
(local days in ``tz``), and every metric is a lazy ``group_by`` over integer keys, run on all the cores
polars uses. Only the finished, small frames are turned into pandas, shaped exactly like
``pandas_metrics.compute``'s so that ``bench.compare.compare`` checks it against the SQL.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import polars.selectors as cs

from bench.pandas_metrics import (
    COHORT_METRICS,
    DEFAULT_CHANNEL,
    FAMILIES,
    LIFECYCLE_METRICS,
    RETENTION_DAYS,
    REVENUE_WINDOW,
    UNKNOWN_CHANNEL,
)

#: the columns read from the generator's Parquet files
COLUMNS = {
    "users": ["user_id", "signup_at", "channel", "referrer_id"],
    "events": ["user_id", "event_at"],
    "orders": ["user_id", "paid_at", "amount"],
    "ad_spend": ["date", "channel", "spend", "impressions", "clicks"],
}
_EPOCH = dt.date(1970, 1, 1)
_U = pl.UInt32  # user code
_D = pl.Int32  # day offset from first_day
_C = pl.Int32  # channel code (index into the sorted channel names)


def read(files: Mapping[str, Path]) -> dict[str, pl.DataFrame]:
    """The four tables, from the generator's Parquet files (instants in UTC, amounts DECIMAL(18,2))."""
    return {name: pl.read_parquet(files[name], columns=cols) for name, cols in COLUMNS.items()}


# ---------------------------------------------------------------------------------------------- inputs


def _text(name: str) -> pl.Expr:
    """Trimmed text, empty as missing (what the loader stores)."""
    s = pl.col(name).cast(pl.String).str.strip_chars()
    return pl.when(s == "").then(None).otherwise(s)


def _cents(name: str, dtype: pl.DataType) -> pl.Expr:
    """DECIMAL(18,2) amounts (Decimal or float) as exact int64 cents."""
    col = pl.col(name)
    if isinstance(dtype, pl.Decimal):
        return (col.cast(pl.Decimal(38, 2)) * 100).cast(pl.Int64)
    return (col.cast(pl.Float64) * 100).round(0).cast(pl.Int64)


@dataclass(frozen=True)
class _Days:
    """Local calendar days: first_day and the UTC instants of the local midnights in ``tz`` from it on."""

    first: int  # first_day, days since 1970-01-01
    midnights: pl.Series  # epoch microseconds of the local midnight of day first_day + i, i = 0, 1, ...

    def offset(self, name: str, dtype: pl.DataType) -> pl.Expr:
        """Local day of each value minus first_day, as Int32."""
        col = pl.col(name)
        if dtype == pl.Date:
            return (col.cast(pl.Int32) - self.first).cast(_D)
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is None:  # naive: local to tz already
            return (col.dt.date().cast(pl.Int32) - self.first).cast(_D)
        if isinstance(dtype, pl.Datetime):  # an instant: which local day's midnights it falls between
            return (pl.lit(self.midnights).search_sorted(col.dt.epoch("us"), side="right").cast(_D) - 1).cast(_D)
        raise TypeError(f"{name}: expected a date or a timestamp, got {dtype}")


def _local_date(value: dt.date | dt.datetime | None, zone: zoneinfo.ZoneInfo) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return (value.astimezone(zone) if value.tzinfo else value).date()
    return value


def _bounds(tables: list[tuple[pl.DataFrame, str]], zone: zoneinfo.ZoneInfo) -> list[tuple[dt.date, dt.date] | None]:
    """(earliest, latest) local day of each (table, column); None for an empty table.

    The local day is monotonic in the instant, so the day of the min / max instant is the min / max day.
    """
    plans = [f.lazy().select(lo=pl.col(c).min(), hi=pl.col(c).max()) for f, c in tables]
    out: list[tuple[dt.date, dt.date] | None] = []
    for row in pl.collect_all(plans):
        lo, hi = row.row(0)
        out.append(None if lo is None else (_local_date(lo, zone), _local_date(hi, zone)))
    return out


def _midnights(first: dt.date, days: int, zone: zoneinfo.ZoneInfo) -> pl.Series:
    """Epoch microseconds of the local midnights (the first instant of each local day) of days first + i."""
    micros = []
    for i in range(days):
        start = dt.datetime.combine(first + dt.timedelta(days=i), dt.time(0), tzinfo=zone)
        micros.append(int(start.timestamp()) * 1_000_000)
    return pl.Series("midnight", micros, dtype=pl.Int64)


@dataclass
class _Prepared:
    first: int  # first_day, days since 1970-01-01
    last: int  # data_through - first_day
    channels: list[str]  # channel code → name (sorted)
    paid: pl.Series  # channel codes with an ad_spend row
    users: pl.DataFrame  # u, ch, s (signup offset; null for ids seen only in events / orders)
    referred: pl.DataFrame  # s (invited user's signup offset), ch (the referrer's channel)
    events: pl.DataFrame  # u, d
    orders: pl.DataFrame  # u, d, cents
    ad: pl.DataFrame  # d, ch, cents, impressions, clicks


def _polars(frame: pl.DataFrame | pd.DataFrame) -> pl.DataFrame:
    return frame if isinstance(frame, pl.DataFrame) else pl.from_pandas(frame)


def _prepare(
    users: pl.DataFrame,
    events: pl.DataFrame,
    orders: pl.DataFrame,
    ad_spend: pl.DataFrame,
    tz: str,
    data_through: dt.date | None,
) -> _Prepared:
    zone = zoneinfo.ZoneInfo(tz)
    signup_b, event_b, order_b, ad_b = _bounds(
        [(users, "signup_at"), (events, "event_at"), (orders, "paid_at"), (ad_spend, "date")], zone
    )
    found = [b for b in (signup_b, event_b, order_b, ad_b) if b is not None]
    if not found:
        raise ValueError("no data: every table is empty")
    first = min(b[0] for b in found)
    if data_through is None:
        observed = [b[1] for b in (event_b, ad_b) if b is not None] or [b[1] for b in found]
        data_through = max(observed)
    horizon = (max(max(b[1] for b in found), data_through) - first).days + 2
    days = _Days((first - _EPOCH).days, _midnights(first, horizon, zone))

    has_referrer = "referrer_id" in users.columns
    known = (
        users.lazy()
        .select(
            "user_id",
            ch=_text("channel").fill_null(DEFAULT_CHANNEL),
            s=days.offset("signup_at", users.schema["signup_at"]),
            ref=_text("referrer_id") if has_referrer else pl.lit(None, dtype=pl.String),
        )
        .with_row_index("u")
    )
    ad = ad_spend.lazy().select(
        d=days.offset("date", ad_spend.schema["date"]),
        ch=_text("channel"),
        cents=_cents("spend", ad_spend.schema["spend"]),
        impressions=pl.col("impressions").fill_null(0).cast(pl.Int64),
        clicks=pl.col("clicks").fill_null(0).cast(pl.Int64),
    )
    known_df, ad_df = pl.collect_all([known, ad])
    if known_df["user_id"].n_unique() != known_df.height:
        raise ValueError("users.user_id must be unique (the contract's key)")
    channels = sorted(
        set(known_df["ch"].unique().to_list()) | set(ad_df["ch"].drop_nulls().unique().to_list()) | {UNKNOWN_CHANNEL}
    )
    code = pl.Enum(channels)
    unknown = channels.index(UNKNOWN_CHANNEL)
    known_df = known_df.with_columns(pl.col("ch").cast(code).to_physical().cast(_C))
    ad_df = ad_df.with_columns(pl.col("ch").cast(code).to_physical().cast(_C))
    n = known_df.height

    def coded(ids: pl.DataFrame) -> list[pl.DataFrame]:
        right = ids.lazy().select("user_id", "u")
        ev = events.lazy().select("user_id", d=days.offset("event_at", events.schema["event_at"]))
        od = orders.lazy().select(
            "user_id",
            d=days.offset("paid_at", orders.schema["paid_at"]),
            cents=_cents("amount", orders.schema["amount"]),
        )
        return pl.collect_all(
            [
                ev.join(right, on="user_id", how="left").select("u", "d"),
                od.join(right, on="user_id", how="left").select("u", "d", "cents"),
            ]
        )

    ids = known_df.select("user_id", "u", "ch", "s")
    ev_df, od_df = coded(ids)
    if ev_df["u"].null_count() or od_df["u"].null_count():
        # events and orders of users not in users: one code per id, channel "unknown", no signup day
        strangers = (
            pl.concat([events.lazy().select("user_id"), orders.lazy().select("user_id")])
            .join(ids.lazy(), on="user_id", how="anti")
            .unique(maintain_order=True)
            .with_row_index("u", offset=n)
            .with_columns(ch=pl.lit(unknown, dtype=_C), s=pl.lit(None, dtype=_D))
            .select("user_id", "u", "ch", "s")
            .collect()
        )
        ids = pl.concat([ids, strangers])
        ev_df, od_df = coded(ids)

    referred = (
        known_df.lazy()
        .filter(pl.col("ref").is_not_null())
        .select("s", "ref")
        .join(known_df.lazy().select(ref="user_id", ch="ch"), on="ref", how="left")
        .select("s", ch=pl.col("ch").fill_null(unknown))
        .collect()
    )
    return _Prepared(
        first=days.first,
        last=(data_through - first).days,
        channels=channels,
        paid=ad_df["ch"].unique(),
        users=ids.select("u", "ch", "s"),
        referred=referred,
        events=ev_df,
        orders=od_df,
        ad=ad_df,
    )


# ------------------------------------------------------------------------------------------- families


def _activity(p: _Prepared, cal: _Calendar) -> pl.LazyFrame:
    """Distinct (user, day) with an event or the signup, sorted by user then day.

    Each row carries the user's channel and signup day, whether the user was also active the day before
    and the day after, and whether it is the user's first active day of its week and of its month (so that
    WAU and MAU are plain counts, not distinct counts).
    """
    width = cal.days  # every day offset is below it, so u * width + d sorts by user, then day
    key = pl.col("key")
    u, d = (key // width).cast(_U), (key % width).cast(_D)
    first_of_user = pl.col("u") != pl.col("u").shift(1)
    week, month = pl.lit(cal.week).gather(pl.col("d")), pl.lit(cal.month).gather(pl.col("d"))
    signups = p.users.lazy().filter(pl.col("s").is_not_null()).select("u", d="s")
    return (
        pl.concat([p.events.lazy().select("u", "d"), signups])
        .select(key=pl.col("u").cast(pl.Int64) * width + pl.col("d"))
        .sort("key")
        .filter((key != key.shift(1)).fill_null(True))
        .select(
            u=u,
            d=d,
            prev=(key.shift(1) == key - 1).fill_null(False),
            next=(key.shift(-1) == key + 1).fill_null(False),
        )
        .with_columns(
            ch=pl.lit(p.users["ch"]).gather(pl.col("u")),
            s=pl.lit(p.users["s"]).gather(pl.col("u")),
            w=week,
            m=month,
            first_in_week=(first_of_user | (week != week.shift(1))).fill_null(True),
            first_in_month=(first_of_user | (month != month.shift(1))).fill_null(True),
        )
    )


@dataclass(frozen=True)
class _Calendar:
    """Day offsets 0 .. days-1 from first_day: their ISO week and month indexes, and the period labels."""

    days: int
    week: pl.Series  # week index per day offset (weeks start on Monday)
    month: pl.Series  # month index per day offset
    labels: dict[str, np.ndarray]  # period column → label per index, up to data_through

    @classmethod
    def make(cls, p: _Prepared) -> _Calendar:
        horizon = int(max(p.events["d"].max() or 0, p.users["s"].max() or 0, p.last)) + 2
        first = _EPOCH + dt.timedelta(days=p.first)
        dates = pl.date_range(first, first + dt.timedelta(days=horizon - 1), eager=True)
        week = ((pl.int_range(0, horizon, eager=True) + first.weekday()) // 7).cast(_D)
        ym = dates.dt.year().cast(pl.Int32) * 12 + dates.dt.month().cast(pl.Int32)
        month = (ym - ym[0]).cast(_D)
        shown = dates.head(p.last + 1)
        day_labels = np.array(shown.to_list(), dtype=object)
        return cls(
            days=horizon,
            week=week,
            month=month,
            labels={
                "date": day_labels,
                "cohort": day_labels,
                "week": np.array(
                    shown.dt.truncate("1w").unique(maintain_order=True).dt.strftime("%G-W%V").to_list(), dtype=object
                ),
                "month": np.array(shown.dt.strftime("%Y-%m").unique(maintain_order=True).to_list(), dtype=object),
            },
        )


def _grid(periods: int, channels: pl.Series) -> pl.DataFrame:
    return pl.DataFrame({"p": pl.int_range(0, periods, dtype=_D, eager=True)}).join(
        pl.DataFrame({"c": channels.unique().sort().cast(_C)}), how="cross"
    )


def _on_grid(grid: pl.DataFrame, parts: list[pl.DataFrame]) -> pl.DataFrame:
    """The grid with each part's columns joined on (p, c); 0 where a part has no row."""
    out = grid
    for part in parts:
        out = out.join(part, on=["p", "c"], how="left")
    return out.fill_null(0).sort("p", "c")


def _ratio(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """num / den, empty where den is 0."""
    return pl.when(den != 0).then(num.cast(pl.Float64) / den.cast(pl.Float64))


def _daily_rates() -> list[pl.Expr]:
    return [
        pl.col("new_users"),
        pl.col("dau"),
        (pl.col("revenue_cents") / 100).alias("revenue"),
        pl.col("paying_users"),
        (pl.col("spend_cents") / 100).alias("spend"),
        pl.col("impressions"),
        pl.col("clicks"),
        _ratio(pl.col("clicks"), pl.col("impressions")).alias("ctr"),
        _ratio(pl.col("spend_cents"), pl.col("paid_new_users") * 100).alias("cac"),
    ]


def _compute(p: _Prepared, cal: _Calendar) -> dict[str, pl.DataFrame]:
    last = p.last
    cols = ["p", "c"]
    a = _activity(p, cal).collect().lazy()
    a_in = a.filter(pl.col("d") <= last)
    signups = p.users.lazy().filter(pl.col("s") <= last).select(p="s", c="ch")
    orders = p.orders.lazy().with_columns(
        ch=pl.lit(p.users["ch"]).gather(pl.col("u")), s=pl.lit(p.users["s"]).gather(pl.col("u"))
    )
    o_in = orders.filter(pl.col("d") <= last)
    ad_in = p.ad.lazy().filter(pl.col("d") <= last).rename({"d": "p", "ch": "c"})
    age = pl.col("d") - pl.col("s")
    is_new = (pl.col("s") == pl.col("d")).fill_null(False)

    plans = {
        "new_users": signups.group_by(cols).agg(new_users=pl.len()),
        "active": a.group_by(p="d", c="ch").agg(
            dau=pl.len(),
            life_new=is_new.sum(),
            returning_users=(~is_new & pl.col("prev")).sum(),
            resurrected_users=(~is_new & ~pl.col("prev")).sum(),
        ),
        "dormant": a.filter(~pl.col("next")).group_by(p=(pl.col("d") + 1).cast(_D), c="ch").agg(dormant_users=pl.len()),
        "wau": a_in.filter(pl.col("first_in_week")).group_by(p="w", c="ch").agg(wau=pl.len()),
        "mau": a_in.filter(pl.col("first_in_month")).group_by(p="m", c="ch").agg(mau=pl.len()),
        "retained": a.filter(age.is_in(RETENTION_DAYS))
        .group_by(p="s", c="ch")
        .agg(*[(age == n).sum().alias(f"retained_d{n}") for n in RETENTION_DAYS]),
        "revenue": o_in.group_by(p="d", c="ch").agg(revenue_cents=pl.col("cents").sum()),
        "paying": o_in.filter(pl.col("cents") > 0).group_by(p="d", c="ch").agg(paying_users=pl.col("u").n_unique()),
        "rev7": orders.filter((age >= 0) & (age < REVENUE_WINDOW))
        .group_by(p="s", c="ch")
        .agg(rev7_cents=pl.col("cents").sum()),
        "ad": ad_in.group_by(cols).agg(
            spend_cents=pl.col("cents").sum(),
            impressions=pl.col("impressions").sum(),
            clicks=pl.col("clicks").sum(),
            ad_rows=pl.len(),
        ),
        # the channels each family's views carry: those with a row in the period range
        "daily_channels": pl.concat(
            [
                signups.select("c"),
                a_in.select(c="ch"),
                o_in.select(c="ch"),
                ad_in.select("c"),
                p.referred.lazy().filter(pl.col("s") <= last).select(c="ch"),
            ]
        ).unique(),
        "cohort_channels": pl.concat([signups.select("c"), ad_in.select("c")]).unique(),
        "life_channels": a_in.select(c="ch").unique(),
    }
    got = dict(zip(plans, pl.collect_all(list(plans.values())), strict=True))
    n_weeks, n_months = int(cal.week[last]) + 1, int(cal.month[last]) + 1

    out: dict[str, pl.DataFrame] = {}
    paid = pl.col("c").is_in(p.paid.implode())

    daily_grid = _grid(last + 1, got["daily_channels"]["c"])
    parts = [got["new_users"], got["active"].select(*cols, "dau"), got["revenue"], got["paying"], got["ad"]]
    daily = _on_grid(daily_grid, parts).with_columns(
        paid_new_users=pl.when(paid).then(pl.col("new_users")).otherwise(0)
    )
    out["daily"] = daily.select(*cols, *_daily_rates())
    sums = daily.drop("c", "ad_rows").group_by("p").sum().sort("p")
    out["daily_total"] = sums.select("p", *_daily_rates())

    for family, part, periods in (("weekly", "wau", n_weeks), ("monthly", "mau", n_months)):
        frame = _on_grid(_grid(periods, got["daily_channels"]["c"]), [got[part]])
        out[family] = frame
        out[f"{family}_total"] = frame.drop("c").group_by("p").sum().sort("p")

    out["cohort"], out["cohort_total"] = _cohort(p, got, last)

    active = got["active"].select(*cols, "returning_users", "resurrected_users", new_users="life_new")
    life = _on_grid(_grid(last + 1, got["life_channels"]["c"]), [active, got["dormant"]])
    out["lifecycle"] = life.select(*cols, *LIFECYCLE_METRICS)
    out["lifecycle_total"] = life.drop("c").group_by("p").sum().sort("p").select("p", *LIFECYCLE_METRICS)
    return out


def _cohort(p: _Prepared, got: dict[str, pl.DataFrame], last: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Day cohorts by channel and over all channels; a value is empty while the cohort is immature."""
    cols = ["p", "c"]
    size = got["new_users"].rename({"new_users": "size"})
    spend = got["ad"].select(*cols, "spend_cents", "ad_rows")
    frame = _on_grid(_grid(last + 1, got["cohort_channels"]["c"]), [size, got["retained"], got["rev7"], spend])
    # a (cohort day, channel) row exists where the day has new users or an ad_spend row; else values are empty
    row = (pl.col("size") > 0) | (pl.col("ad_rows") > 0)
    mature7 = row & (pl.col("p") + (REVENUE_WINDOW - 1) <= last)
    paid7 = mature7 & pl.col("c").is_in(p.paid.implode())
    frame = frame.with_columns(
        *[(row & (pl.col("p") + n <= last)).alias(f"mature_d{n}") for n in RETENTION_DAYS],
        mature7=mature7,
        paid7=paid7,
    )
    by_channel = frame.select(
        *cols,
        *[
            pl.when(pl.col(f"mature_d{n}"))
            .then(_ratio(pl.col(f"retained_d{n}"), pl.col("size")))
            .alias(f"retention_d{n}")
            for n in RETENTION_DAYS
        ],
        revenue_7d=pl.when(pl.col("mature7")).then(pl.col("rev7_cents") / 100),
        roi_7d=pl.when(pl.col("paid7")).then(_ratio(pl.col("rev7_cents"), pl.col("spend_cents"))),
    )
    # over all channels: ratios of the sums over the mature rows of the day
    sums = (
        frame.group_by("p")
        .agg(
            *[pl.col(f"retained_d{n}").filter(pl.col(f"mature_d{n}")).sum().alias(f"ret{n}") for n in RETENTION_DAYS],
            *[pl.col("size").filter(pl.col(f"mature_d{n}")).sum().alias(f"size{n}") for n in RETENTION_DAYS],
            m7=pl.col("mature7").any(),
            rev7=pl.col("rev7_cents").filter(pl.col("mature7")).sum(),
            any_paid7=pl.col("paid7").any(),
            paid_rev7=pl.col("rev7_cents").filter(pl.col("paid7")).sum(),
            spend7=pl.col("spend_cents").filter(pl.col("mature7")).sum(),
        )
        .sort("p")
    )
    total = pl.DataFrame({"p": pl.int_range(0, last + 1, dtype=_D, eager=True)}).join(sums, on="p", how="left")
    total = total.select(
        "p",
        *[_ratio(pl.col(f"ret{n}"), pl.col(f"size{n}")).alias(f"retention_d{n}") for n in RETENTION_DAYS],
        revenue_7d=pl.when(pl.col("m7")).then(pl.col("rev7") / 100),
        roi_7d=pl.when(pl.col("any_paid7")).then(_ratio(pl.col("paid_rev7"), pl.col("spend7"))),
    )
    return by_channel.select(*cols, *COHORT_METRICS), total.select("p", *COHORT_METRICS)


# ------------------------------------------------------------------------------------------- labels


def _to_pandas(frame: pl.DataFrame, period: str, labels: np.ndarray, channels: np.ndarray) -> pd.DataFrame:
    metrics = frame.drop("p", "c", strict=False)
    out = metrics.with_columns(cs.integer().cast(pl.Int64)).to_pandas()  # counts as int64, like pandas_metrics
    p = frame["p"].to_numpy()
    if "c" in frame.columns:
        out.index = pd.MultiIndex.from_arrays([labels[p], channels[frame["c"].to_numpy()]], names=[period, "channel"])
    else:
        out.index = pd.Index(labels[p], name=period)
    return out


def compute(
    users: pl.DataFrame | pd.DataFrame,
    events: pl.DataFrame | pd.DataFrame,
    orders: pl.DataFrame | pd.DataFrame,
    ad_spend: pl.DataFrame | pd.DataFrame,
    *,
    tz: str,
    data_through: dt.date | None = None,
) -> dict[str, pd.DataFrame]:
    """Every family of the metric set, by channel (``family``) and over all channels (``family_total``),
    as pandas frames shaped like ``bench.pandas_metrics.compute``'s.

    The tables may be polars frames (``read``) or pandas frames (the warehouse's raw tables); naive
    timestamps are local to ``tz``. ``data_through`` overrides the last complete day.
    """
    prepared = _prepare(
        _polars(users), _polars(events), _polars(orders), _polars(ad_spend), tz=tz, data_through=data_through
    )
    cal = _Calendar.make(prepared)
    frames = _compute(prepared, cal)
    labels = cal.labels
    channels = np.array(prepared.channels, dtype=object)
    out: dict[str, pd.DataFrame] = {}
    for family, (period, metrics) in FAMILIES.items():
        for key in (family, f"{family}_total"):
            frame = frames[key]
            keep = ["p", "c"] if "c" in frame.columns else ["p"]
            out[key] = _to_pandas(frame.select(*keep, *metrics), period, labels[period], channels)
    return out
