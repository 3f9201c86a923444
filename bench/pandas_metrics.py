"""A plain pandas implementation of OpsPlan's core metrics, computed from the raw tables.

It is the yardstick of the benchmark (is the SQL faster than the obvious alternative?) and a second,
independent implementation of docs/glossary.md (does the SQL compute what the glossary says?). It
reads no view and shares no code with ``queries/``: only the definitions.

Input: the contract tables as DataFrames (``users``, ``events``, ``orders``, ``ad_spend``) as they come
from Parquet or from the warehouse: timestamps are instants (tz-aware; a naive one is local to ``tz``),
amounts numbers or Decimals. Every day is the local calendar day in ``tz`` of the instant.

Output (``compute``): one frame per family, by channel and over all channels ("…_total"):

- ``daily``: new_users, dau, revenue, paying_users, spend, impressions, clicks, ctr, cac
- ``weekly`` (ISO weeks, labelled 2026-W05): wau; ``monthly`` (2026-01): mau
- ``cohort`` (signup day): retention_d1 / d7 / d30, revenue_7d, roi_7d; empty (NaN) while immature
- ``lifecycle``: new_users, returning_users, resurrected_users, dormant_users

Rows: every day (week, month) from first_day to data_through, times every channel that has a row of
that family in the period range (the channels OpsPlan's views carry), so the frames line up with
``opsplan.metrics.rollup.query_metrics`` row for row. Counts are exact integers, money is summed in cents.

Everything is vectorized: user ids become integer codes once, days become integer offsets, and each
metric is a ``groupby`` over integer keys. No Python loop runs per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_CHANNEL = "organic"
UNKNOWN_CHANNEL = "unknown"

DAILY_METRICS = ("new_users", "dau", "revenue", "paying_users", "spend", "impressions", "clicks", "ctr", "cac")
WEEKLY_METRICS = ("wau",)
MONTHLY_METRICS = ("mau",)
COHORT_METRICS = ("retention_d1", "retention_d7", "retention_d30", "revenue_7d", "roi_7d")
LIFECYCLE_METRICS = ("new_users", "returning_users", "resurrected_users", "dormant_users")

#: family → (name of the period column, metrics)
FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "daily": ("date", DAILY_METRICS),
    "weekly": ("week", WEEKLY_METRICS),
    "monthly": ("month", MONTHLY_METRICS),
    "cohort": ("cohort", COHORT_METRICS),
    "lifecycle": ("date", LIFECYCLE_METRICS),
}
#: metrics that are whole numbers (compared exactly); the others are money or ratios
COUNT_METRICS = frozenset(
    {
        "new_users",
        "dau",
        "paying_users",
        "impressions",
        "clicks",
        "wau",
        "mau",
        "returning_users",
        "resurrected_users",
        "dormant_users",
    }
)
RETENTION_DAYS = (1, 7, 30)
REVENUE_WINDOW = 7  # revenue_7d / roi_7d: orders paid on days c .. c+6

_EPOCH = np.datetime64("1970-01-01", "D")


# ---------------------------------------------------------------------------------------------- inputs


def local_days(values: pd.Series, tz: str) -> np.ndarray:
    """Local calendar day in ``tz`` of each instant, as int64 days since 1970-01-01."""
    s = values if isinstance(values.dtype, pd.DatetimeTZDtype) else pd.to_datetime(values)
    if not isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_localize(tz)  # a naive timestamp is local to the warehouse zone
    local = s.dt.tz_convert(tz).dt.tz_localize(None)
    return local.to_numpy().astype("datetime64[D]").astype(np.int64)


def calendar_days(values: pd.Series) -> np.ndarray:
    """A DATE column (date objects, strings or datetime64) as int64 days since 1970-01-01."""
    return pd.to_datetime(values).to_numpy().astype("datetime64[D]").astype(np.int64)


def _text(values: pd.Series) -> pd.Series:
    """Trimmed text with empty values as missing (what the loader stores)."""
    s = values.astype("string").str.strip()
    return s.mask(s == "")


def _cents(values: pd.Series) -> np.ndarray:
    """DECIMAL(18,2) amounts (Decimal objects or floats) as int64 cents."""
    as_float = pd.to_numeric(values.astype("float64") if values.dtype == object else values)
    return np.rint(as_float.to_numpy(dtype=np.float64) * 100).astype(np.int64)


def _ints(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values).fillna(0).to_numpy(dtype=np.int64)


def _min(arrays: Iterable[np.ndarray]) -> int | None:
    found = [int(a.min()) for a in arrays if a.size]
    return min(found) if found else None


def _max(arrays: Iterable[np.ndarray]) -> int | None:
    found = [int(a.max()) for a in arrays if a.size]
    return max(found) if found else None


@dataclass
class _Prepared:
    """The raw tables reduced to integer arrays: user codes, channel codes and day offsets."""

    first: int  # first_day, days since 1970-01-01
    last: int  # data_through - first_day (offsets run 0 .. last)
    channels: list[str]  # channel code → name
    paid: np.ndarray  # bool per channel code: the channel has an ad_spend row
    u_ch: np.ndarray  # channel code per user code (known users first, then ids seen only in events/orders)
    u_signup: np.ndarray  # signup offset per user code; a large negative number for unknown users
    n_known: int
    ref_ch: np.ndarray  # per known user with a referrer: the referrer's channel code (unknown if not a user)
    ref_off: np.ndarray  # … and the invited user's signup offset
    e_user: np.ndarray
    e_off: np.ndarray
    o_user: np.ndarray
    o_off: np.ndarray
    o_cents: np.ndarray
    ad_off: np.ndarray
    ad_ch: np.ndarray
    ad_cents: np.ndarray
    ad_impressions: np.ndarray
    ad_clicks: np.ndarray

    @property
    def known(self) -> np.ndarray:
        return np.arange(self.u_ch.size) < self.n_known


_NO_DAY = -(1 << 40)


def _prepare(
    users: pd.DataFrame,
    events: pd.DataFrame,
    orders: pd.DataFrame,
    ad_spend: pd.DataFrame,
    tz: str,
    data_through: dt.date | None,
) -> _Prepared:
    n = len(users)
    known_ids = pd.Index(users["user_id"].to_numpy(), name="user_id")
    if not known_ids.is_unique:
        raise ValueError("users.user_id must be unique (the contract's key)")
    e_user = known_ids.get_indexer(events["user_id"]).astype(np.int64)
    o_user = known_ids.get_indexer(orders["user_id"]).astype(np.int64)
    e_miss, o_miss = e_user < 0, o_user < 0
    n_unknown = 0
    if e_miss.any() or o_miss.any():  # events and orders of users not in users: channel "unknown"
        missing = pd.concat([events["user_id"][e_miss], orders["user_id"][o_miss]], ignore_index=True)
        codes, uniques = pd.factorize(missing)
        n_e = int(e_miss.sum())
        e_user[e_miss] = n + codes[:n_e]
        o_user[o_miss] = n + codes[n_e:]
        n_unknown = len(uniques)

    u_channel = _text(users["channel"]).fillna(DEFAULT_CHANNEL)
    ad_channel = _text(ad_spend["channel"])
    channels = sorted(set(u_channel.unique()) | set(ad_channel.dropna().unique()) | {UNKNOWN_CHANNEL})
    unknown_code = channels.index(UNKNOWN_CHANNEL)
    u_ch = np.concatenate(
        [
            pd.Categorical(u_channel, categories=channels).codes.astype(np.int64),
            np.full(n_unknown, unknown_code, dtype=np.int64),
        ]
    )
    ad_ch = pd.Categorical(ad_channel, categories=channels).codes.astype(np.int64)
    paid = np.zeros(len(channels), dtype=bool)
    paid[np.unique(ad_ch)] = True

    signup = local_days(users["signup_at"], tz)
    e_day = local_days(events["event_at"], tz)
    o_day = local_days(orders["paid_at"], tz)
    ad_day = calendar_days(ad_spend["date"])

    first = _min([signup, e_day, ad_day, o_day])
    if first is None:
        raise ValueError("no data: every table is empty")
    if data_through is not None:
        through = int((np.datetime64(data_through, "D") - _EPOCH).astype(np.int64))
    else:
        through = _max([e_day, ad_day])
        through = _max([signup, o_day]) if through is None else through
    assert through is not None

    referrer = _text(users["referrer_id"]) if "referrer_id" in users else pd.Series(pd.NA, index=users.index)
    has_ref = referrer.notna().to_numpy()
    ref_code = known_ids.get_indexer(referrer[has_ref])
    ref_ch = np.where(ref_code >= 0, u_ch[np.maximum(ref_code, 0)], unknown_code)

    u_signup = np.concatenate([signup - first, np.full(n_unknown, _NO_DAY, dtype=np.int64)])
    return _Prepared(
        first=first,
        last=through - first,
        channels=channels,
        paid=paid,
        u_ch=u_ch,
        u_signup=u_signup,
        n_known=n,
        ref_ch=ref_ch,
        ref_off=(signup - first)[has_ref],
        e_user=e_user,
        e_off=e_day - first,
        o_user=o_user,
        o_off=o_day - first,
        o_cents=_cents(orders["amount"]),
        ad_off=ad_day - first,
        ad_ch=ad_ch,
        ad_cents=_cents(ad_spend["spend"]),
        ad_impressions=_ints(ad_spend["impressions"]),
        ad_clicks=_ints(ad_spend["clicks"]),
    )


# ------------------------------------------------------------------------------------------ group-bys


def _count(period: np.ndarray, channel: np.ndarray) -> pd.Series:
    """Rows per (period, channel)."""
    return pd.DataFrame({"p": period, "c": channel}).groupby(["p", "c"]).size()


def _sum(period: np.ndarray, channel: np.ndarray, values: np.ndarray) -> pd.Series:
    return pd.DataFrame({"p": period, "c": channel, "v": values}).groupby(["p", "c"])["v"].sum()


def _distinct_pairs(a: np.ndarray, b: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (a, b) pairs with 0 <= b < width, sorted by a then b."""
    key = np.sort(pd.unique(a * width + b))
    return key // width, key % width


def _frame(parts: dict[str, pd.Series], periods: int, channels: np.ndarray) -> pd.DataFrame:
    """Columns of per-(period, channel) numbers on the full grid, 0 where a part has no row."""
    grid = pd.MultiIndex.from_product([np.arange(periods), np.sort(channels)], names=["p", "c"])
    frame = pd.DataFrame(index=grid)
    for name, part in parts.items():
        frame[name] = part.reindex(grid, fill_value=0).to_numpy()
    return frame


def _ratio(num: pd.Series | np.ndarray, den: pd.Series | np.ndarray) -> np.ndarray:
    """num / den, NaN where den is 0 (an empty rate, never infinite)."""
    n = np.asarray(num, dtype=np.float64)
    d = np.asarray(den, dtype=np.float64)
    out = np.full(n.shape, np.nan)
    np.divide(n, d, out=out, where=d != 0)
    return out


def _present(*pairs: tuple[np.ndarray, np.ndarray], last: int) -> np.ndarray:
    """Channel codes that have a row (period offset within 0 .. last) in any of the (offset, channel) arrays."""
    found = [c[(p >= 0) & (p <= last)] for p, c in pairs]
    return np.unique(np.concatenate(found)) if found else np.array([], dtype=np.int64)


# ------------------------------------------------------------------------------------------- families


def _activity(d: _Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (user, day) with an event or the signup: the definition of 'active on d'."""
    known = np.arange(d.n_known)
    width = max(_max([d.e_off, d.u_signup[: d.n_known]]) or 0, 0) + 2
    return _distinct_pairs(np.concatenate([d.e_user, known]), np.concatenate([d.e_off, d.u_signup[: d.n_known]]), width)


def _daily(d: _Prepared, a_user: np.ndarray, a_off: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    last = d.last
    a_in = a_off <= last
    act_p, act_c = a_off[a_in], d.u_ch[a_user[a_in]]
    s_off, s_ch = d.u_signup[: d.n_known], d.u_ch[: d.n_known]
    s_in = s_off <= last
    o_in = d.o_off <= last
    o_p, o_c, o_u, o_cents = d.o_off[o_in], d.u_ch[d.o_user[o_in]], d.o_user[o_in], d.o_cents[o_in]
    ad_in = d.ad_off <= last
    ad_p, ad_c = d.ad_off[ad_in], d.ad_ch[ad_in]

    pos = o_cents > 0
    payer_u, payer_p = _distinct_pairs(o_u[pos], o_p[pos], last + 1)
    new = _count(s_off[s_in], s_ch[s_in])
    parts = {
        "new_users": new,
        "dau": _count(act_p, act_c),
        "revenue_cents": _sum(o_p, o_c, o_cents),
        "paying_users": _count(payer_p, d.u_ch[payer_u]),
        "spend_cents": _sum(ad_p, ad_c, d.ad_cents[ad_in]),
        "impressions": _sum(ad_p, ad_c, d.ad_impressions[ad_in]),
        "clicks": _sum(ad_p, ad_c, d.ad_clicks[ad_in]),
    }
    channels = _present((s_off, s_ch), (act_p, act_c), (o_p, o_c), (ad_p, ad_c), (d.ref_off, d.ref_ch), last=last)
    frame = _frame(parts, last + 1, channels)
    frame["paid_new_users"] = np.where(d.paid[frame.index.get_level_values("c")], frame["new_users"], 0)
    return frame, channels


def _daily_rates(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[["new_users", "dau"]].copy()
    out["revenue"] = frame["revenue_cents"] / 100
    out["paying_users"] = frame["paying_users"]
    out["spend"] = frame["spend_cents"] / 100
    out["impressions"] = frame["impressions"]
    out["clicks"] = frame["clicks"]
    out["ctr"] = _ratio(frame["clicks"], frame["impressions"])
    out["cac"] = _ratio(frame["spend_cents"], frame["paid_new_users"] * 100)
    return out[list(DAILY_METRICS)]


def _periodic(
    d: _Prepared, a_user: np.ndarray, a_off: np.ndarray, period_of_day: np.ndarray, channels: np.ndarray, name: str
) -> pd.DataFrame:
    """Distinct active users per period (week / month index of each day offset) and channel."""
    a_in = a_off <= d.last
    periods = int(period_of_day[: d.last + 1].max()) + 1
    u, p = _distinct_pairs(a_user[a_in], period_of_day[a_off[a_in]], periods)
    return _frame({name: _count(p, d.u_ch[u])}, periods, channels)


def _cohort(d: _Prepared, a_user: np.ndarray, a_off: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    last = d.last
    s_off, s_ch = d.u_signup[: d.n_known], d.u_ch[: d.n_known]
    s_in = s_off <= last
    known_act = a_user < d.n_known
    act_u, act_off = a_user[known_act], a_off[known_act]
    age = act_off - d.u_signup[act_u]
    parts: dict[str, pd.Series] = {"size": _count(s_off[s_in], s_ch[s_in])}
    for n in RETENTION_DAYS:
        hit = age == n
        parts[f"retained_d{n}"] = _count(d.u_signup[act_u[hit]], d.u_ch[act_u[hit]])
    o_known = d.o_user < d.n_known
    o_u, o_off, o_cents = d.o_user[o_known], d.o_off[o_known], d.o_cents[o_known]
    o_age = o_off - d.u_signup[o_u]
    win = (o_age >= 0) & (o_age < REVENUE_WINDOW)
    parts["rev7_cents"] = _sum(d.u_signup[o_u[win]], d.u_ch[o_u[win]], o_cents[win])
    ad_in = d.ad_off <= last
    parts["spend_cents"] = _sum(d.ad_off[ad_in], d.ad_ch[ad_in], d.ad_cents[ad_in])

    channels = _present((s_off, s_ch), (d.ad_off, d.ad_ch), last=last)
    frame = _frame(parts, last + 1, channels)
    # a (cohort day, channel) row exists where the day has new users or spend; elsewhere values are empty
    row = (parts["size"].reindex(frame.index, fill_value=0).to_numpy() > 0) | pd.Series(
        True, index=parts["spend_cents"].index
    ).reindex(frame.index, fill_value=False).to_numpy()
    day = frame.index.get_level_values("p").to_numpy()
    paid = d.paid[frame.index.get_level_values("c")]
    frame["row"] = row
    frame["paid"] = paid & row
    frame["mature7"] = row & (day + REVENUE_WINDOW - 1 <= last)
    for n in RETENTION_DAYS:
        frame[f"mature_d{n}"] = row & (day + n <= last)

    by_channel = pd.DataFrame(index=frame.index)
    for n in RETENTION_DAYS:
        mature = frame[f"mature_d{n}"].to_numpy()
        by_channel[f"retention_d{n}"] = np.where(mature, _ratio(frame[f"retained_d{n}"], frame["size"]), np.nan)
    m7 = frame["mature7"].to_numpy()
    by_channel["revenue_7d"] = np.where(m7, frame["rev7_cents"] / 100, np.nan)
    by_channel["roi_7d"] = np.where(
        m7 & frame["paid"].to_numpy(), _ratio(frame["rev7_cents"], frame["spend_cents"]), np.nan
    )

    # over all channels: ratios of the sums of the mature rows of the day
    g = pd.DataFrame(index=frame.index)
    for n in RETENTION_DAYS:
        mature = frame[f"mature_d{n}"].to_numpy()
        g[f"ret{n}"] = np.where(mature, frame[f"retained_d{n}"], 0)
        g[f"size{n}"] = np.where(mature, frame["size"], 0)
    g["m7"] = m7
    g["rev7"] = np.where(m7, frame["rev7_cents"], 0)
    g["paid7"] = m7 & frame["paid"].to_numpy()
    g["paid_rev7"] = np.where(g["paid7"], frame["rev7_cents"], 0)
    g["spend7"] = np.where(m7, frame["spend_cents"], 0)
    s = g.groupby(level="p").sum()
    total = pd.DataFrame(index=s.index)
    for n in RETENTION_DAYS:
        total[f"retention_d{n}"] = _ratio(s[f"ret{n}"], s[f"size{n}"])
    total["revenue_7d"] = np.where(s["m7"] > 0, s["rev7"] / 100, np.nan)
    total["roi_7d"] = np.where(s["paid7"] > 0, _ratio(s["paid_rev7"], s["spend7"]), np.nan)
    return by_channel, total


def _lifecycle(d: _Prepared, a_user: np.ndarray, a_off: np.ndarray) -> pd.DataFrame:
    """new / returning / resurrected / dormant per day and channel; a_user, a_off sorted by user then day."""
    same_user = a_user[1:] == a_user[:-1]
    consecutive = same_user & (a_off[1:] - a_off[:-1] == 1)
    prev_active = np.concatenate([[False], consecutive])  # also active the day before
    next_active = np.concatenate([consecutive, [False]])  # also active the day after
    ch = d.u_ch[a_user]
    is_new = d.u_signup[a_user] == a_off
    old = ~is_new
    ret, res, dorm = old & prev_active, old & ~prev_active, ~next_active
    parts = {
        "new_users": _count(a_off[is_new], ch[is_new]),
        "returning_users": _count(a_off[ret], ch[ret]),
        "resurrected_users": _count(a_off[res], ch[res]),
        "dormant_users": _count(a_off[dorm] + 1, ch[dorm]),  # dormant the day after the last active day
    }
    last = d.last
    channels = _present((a_off, ch), (a_off + 1, ch), last=last)
    return _frame(parts, last + 1, channels)


# ------------------------------------------------------------------------------------------- labels


def _label(frame: pd.DataFrame, d: _Prepared, period_name: str, labels: np.ndarray) -> pd.DataFrame:
    """Replace the integer (period, channel) index by (label, channel name)."""
    out = frame.copy()
    p = frame.index.get_level_values(0).to_numpy()
    if isinstance(frame.index, pd.MultiIndex):
        c = frame.index.get_level_values(1).to_numpy()
        names = np.array(d.channels, dtype=object)[c]
        out.index = pd.MultiIndex.from_arrays([labels[p], names], names=[period_name, "channel"])
    else:
        out.index = pd.Index(labels[p], name=period_name)
    return out


def compute(
    users: pd.DataFrame,
    events: pd.DataFrame,
    orders: pd.DataFrame,
    ad_spend: pd.DataFrame,
    tz: str = "Asia/Shanghai",
    data_through: dt.date | None = None,
) -> dict[str, pd.DataFrame]:
    """Every family of the metric set, by channel (``family``) and over all channels (``family_total``).

    ``data_through`` overrides the last complete day (as ``_meta.data_through`` does in the warehouse).
    """
    d = _prepare(users, events, orders, ad_spend, tz, data_through)
    a_user, a_off = _activity(d)
    days = d.last + 1
    horizon = max(int(a_off.max()) if a_off.size else 0, d.last) + 2  # lookups cover activity after data_through
    dates = np.datetime64(d.first, "D") + np.arange(horizon)
    date_labels = dates.astype(object)

    out: dict[str, pd.DataFrame] = {}
    daily, channels = _daily(d, a_user, a_off)
    out["daily"] = _label(_daily_rates(daily), d, "date", date_labels)
    out["daily_total"] = _label(_daily_rates(daily.groupby(level="p").sum()), d, "date", date_labels)

    # ISO weeks (Monday first) and calendar months as indexes 0, 1, … of the day offsets
    monday0 = dates[0] - (dates[0].astype(dt.date).weekday())
    week_of_day = (dates - monday0).astype(np.int64) // 7
    week_starts = monday0 + 7 * np.arange(int(week_of_day[days - 1]) + 1)
    week_labels = np.array(
        [f"{w.isocalendar()[0]}-W{w.isocalendar()[1]:02d}" for w in week_starts.astype(object)], dtype=object
    )
    months = dates.astype("datetime64[M]")
    month_of_day = (months - months[0]).astype(np.int64)
    month_labels = np.array([str(m) for m in np.arange(months[0], months[days - 1] + 1)], dtype=object)
    for family, period_of_day, labels, name in (
        ("weekly", week_of_day, week_labels, "wau"),
        ("monthly", month_of_day, month_labels, "mau"),
    ):
        frame = _periodic(d, a_user, a_off, period_of_day, channels, name)
        period_name = FAMILIES[family][0]
        out[family] = _label(frame, d, period_name, labels)
        out[f"{family}_total"] = _label(frame.groupby(level="p").sum(), d, period_name, labels)

    by_channel, total = _cohort(d, a_user, a_off)
    out["cohort"] = _label(by_channel, d, "cohort", date_labels)
    out["cohort_total"] = _label(total.reindex(np.arange(days)), d, "cohort", date_labels)

    life = _lifecycle(d, a_user, a_off)
    out["lifecycle"] = _label(life, d, "date", date_labels)
    out["lifecycle_total"] = _label(life.groupby(level="p").sum(), d, "date", date_labels)
    return out


def data_window(frames: dict[str, pd.DataFrame]) -> tuple[dt.date, dt.date]:
    """(first_day, data_through) of a computed result."""
    days = frames["daily_total"].index
    return days[0], days[-1]
