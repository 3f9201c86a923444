"""Mechanics of the demo data: users, daily activity, events and orders as whole numpy arrays.

Business numbers (channels, campaigns, paying rates) live in ``demo.py``; this module only turns
them into rows, vectorized, so a million users take seconds. Times are int64 microseconds since
the epoch (UTC instants); days are offsets from the first demo day in Asia/Shanghai local time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

US = 1_000_000
DAY_US = 86_400 * US
#: Asia/Shanghai is UTC+8 all year (no DST), so local midnight is a fixed 16:00 UTC the day before
LOCAL_OFFSET_US = 8 * 3_600 * US

#: local hour-of-day weights: quiet nights, lunch bump, evening peak, a busy last hour before midnight
HOUR_WEIGHTS = np.array(
    [
        2.0,
        1.0,
        0.5,
        0.3,
        0.2,
        0.3,
        0.8,
        2.0,
        3.5,
        4.0,
        4.0,
        4.2,
        5.0,
        4.8,
        4.0,
        4.0,
        4.2,
        4.5,
        5.0,
        6.0,
        7.5,
        8.0,
        7.5,
        4.5,
    ]
)
_HOUR_CDF = np.cumsum(HOUR_WEIGHTS) / HOUR_WEIGHTS.sum()

#: event names after a session's opening app_open, and how often each occurs
EVENT_NAMES = ("app_open", "core_feature_a", "checkin", "share", "ugc_post", "invite")
_EVENT_P = np.array([0.15, 0.42, 0.14, 0.12, 0.10, 0.07])
PROPERTIES = (
    '{"page":"home"}',
    '{"page":"discover"}',
    '{"source":"push"}',
    '{"target":"wechat"}',
    '{"target":"moments"}',
    '{"type":"note"}',
    '{"type":"video"}',
    '{"via":"wechat"}',
)
_SESSION_CHUNK = 500_000

PRODUCTS = ("pro_monthly", "pro_yearly", "goods")
_MONTHLY, _YEARLY, _GOODS = 0, 1, 2
_MONTHLY_CENTS, _YEARLY_CENTS = 3_000, 19_800
_GOODS_CENTS = np.array([4_900, 6_900, 9_900, 12_900])
#: product mix of later purchases: monthly below the first edge, goods up to the second, yearly above
_LATER_MIX = (0.50, 0.85)
#: New payers buy monthly or goods first, half and half (yearly comes as an upgrade): a small
#: cohort's first-week revenue then never jumps by a 198-CNY order
_FIRST_GOODS_SHARE = 0.5
#: mean first-purchase amount in CNY, what demo.py divides by to get a paying rate from a ROI
FIRST_ORDER_MEAN = (1 - _FIRST_GOODS_SHARE) * 30 + _FIRST_GOODS_SHARE * float(_GOODS_CENTS.mean()) / 100
#: day (0..6 after signup) of a first-week payer's first order
_FIRST_DAY_P = np.array([0.50, 0.18, 0.10, 0.07, 0.06, 0.05, 0.04])
_REFUND_P = np.array([0.03, 0.05, 0.05])  # per product
_GOLDEN = 0.6180339887498949


@dataclass(frozen=True)
class Users:
    """Users sorted by signup instant; the position is the user's number."""

    t: np.ndarray  # int64 µs, signup instant
    day: np.ndarray  # int16, local signup day offset
    ch: np.ndarray  # int8, channel index
    camp: np.ndarray  # int16, campaign index or -1
    engagement: np.ndarray  # float64, mean 1: more active, more likely to pay


def day_start_us(epoch_day0: int, day: np.ndarray | int) -> np.ndarray:
    """UTC instant (µs) of local midnight of day offset ``day``."""
    return (np.asarray(day, dtype=np.int64) + epoch_day0) * DAY_US - LOCAL_OFFSET_US


def local_time_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    """µs after local midnight, peaking in the evening."""
    hour = np.searchsorted(_HOUR_CDF, rng.random(n), side="right").astype(np.int64)
    return np.minimum(hour, 23) * 3_600 * US + rng.integers(0, 3_600 * US, n)


def allocate(expected: np.ndarray, total: int, rng: np.random.Generator) -> np.ndarray:
    """Whole counts close to ``expected`` (scaled to sum to ``total``) with systematic rounding.

    Systematic rather than Poisson rounding keeps each cell within one of its expectation, so a
    small demo still shows smooth daily curves and a clean ROI crossing.
    """
    flat = expected.ravel() * (total / expected.sum())
    edges = np.floor(np.concatenate([[0.0], np.cumsum(flat)]) + rng.random())
    counts = np.diff(edges).astype(np.int64)
    counts[np.argmax(counts)] += total - counts.sum()
    return counts.reshape(expected.shape)


def make_users(
    rng: np.random.Generator, counts: np.ndarray, src_ch: np.ndarray, src_camp: np.ndarray, epoch_day0: int
) -> Users:
    """Users from per (day, source) counts; each signs up at an evening-peaked local time."""
    days, sources = np.divmod(np.repeat(np.arange(counts.size), counts.ravel()), counts.shape[1])
    t = day_start_us(epoch_day0, days) + local_time_of_day(rng, days.size)
    order = np.argsort(t, kind="stable")
    return Users(
        t=t[order],
        day=days[order].astype(np.int16),
        ch=src_ch[sources[order]].astype(np.int8),
        camp=src_camp[sources[order]].astype(np.int16),
        engagement=rng.gamma(2.0, 0.5, days.size),
    )


def activity(rng: np.random.Generator, users: Users, retention: np.ndarray, day_factor: np.ndarray) -> np.ndarray:
    """(user, day) pairs of active days after signup; ``retention[k, ch]`` is the chance on day k."""
    n_days = retention.shape[0]
    users_out, days_out = [], []
    for k in range(1, n_days):  # one vectorized draw per age, over all users old enough
        m = int(np.searchsorted(users.day, n_days - k, side="left"))
        if m == 0:
            break
        day = users.day[:m].astype(np.int64) + k
        p = retention[k, users.ch[:m]] * users.engagement[:m] * day_factor[day]
        hit = np.flatnonzero(rng.random(m, dtype=np.float32) < p)
        users_out.append(hit.astype(np.int32))
        days_out.append(day[hit].astype(np.int16))
    if not users_out:
        return np.empty((0, 2), dtype=np.int32)
    return np.column_stack([np.concatenate(users_out), np.concatenate(days_out).astype(np.int32)])


def referrers(
    rng: np.random.Generator, users: Users, active: np.ndarray, referral_ch: int, n_days: int
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """A referrer for every referral user: someone active that day (else anyone earlier), or -1.

    Returns the referrer index per user (-1 for none) and (inviter, instant) of the invite events.
    """
    ref = np.full(users.t.size, -1, dtype=np.int64)
    who = np.flatnonzero(users.ch == referral_ch)
    if who.size == 0:
        return ref, (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
    per_day = np.bincount(active[:, 1], minlength=n_days) if active.size else np.zeros(n_days, np.int64)
    by_day = active[np.argsort(active[:, 1], kind="stable"), 0] if active.size else np.zeros(1, np.int64)
    first = np.concatenate([[0], np.cumsum(per_day)[:-1]])
    d = users.day[who].astype(np.int64)
    u = rng.random(who.size)
    pick = np.minimum(first[d] + (u * per_day[d]).astype(np.int64), by_day.size - 1)
    earlier = np.searchsorted(users.day, d, side="left")  # users signed up before day d
    fallback = np.where(earlier > 0, (u * earlier).astype(np.int64), -1)
    ref[who] = np.where(per_day[d] > 0, by_day[pick], fallback)
    has = ref[who] >= 0
    invite = users.t[who] - 120 * US - rng.integers(0, 3 * 3_600 * US, who.size)
    invite = np.clip(invite, users.t[ref[who]] + 60 * US, users.t[who] - US)
    return ref, (ref[who][has], invite[has])


def events(
    rng: np.random.Generator,
    users: Users,
    active: np.ndarray,
    invites: tuple[np.ndarray, np.ndarray],
    epoch_day0: int,
    end_us: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sessions of a few events: one at signup (opening with app_open) and one per active day.

    Returns (user, instant µs, event name index, properties index or -1), sorted by instant.
    """
    n = users.t.size
    s_user = np.concatenate([np.arange(n, dtype=np.int32), active[:, 0].astype(np.int32)])
    opened = day_start_us(epoch_day0, active[:, 1]) + local_time_of_day(rng, len(active))
    s_start = np.concatenate([users.t, opened])
    busy = np.where(np.arange(s_user.size) < n, 1.5, 1.3)  # a new user looks around a little more
    s_len = 1 + rng.poisson(np.sqrt(users.engagement[s_user]) * busy)
    inv_user, inv_t = invites
    total = int(s_len.sum()) + inv_t.size
    # filled in place chunk by chunk: no list of parts and no concatenated copy at 20M rows
    user, t = np.empty(total, np.int32), np.empty(total, np.int64)
    name, props = np.empty(total, np.int8), np.empty(total, np.int8)
    at = 0
    for lo in range(0, s_user.size, _SESSION_CHUNK):
        sl = slice(lo, lo + _SESSION_CHUNK)
        m = s_len[sl]
        first = np.cumsum(m) - m
        sess = np.repeat(np.arange(m.size), m)
        pos = np.arange(sess.size) - first[sess]
        gap = (5 * US + rng.exponential(240 * US, sess.size)).astype(np.int64)
        gap[pos == 0] = 0
        cum = np.cumsum(gap)
        out = slice(at, at + sess.size)
        t[out] = s_start[sl][sess] + cum - cum[first][sess]
        user[out] = s_user[sl][sess]
        name[out] = np.where(pos == 0, 0, rng.choice(len(EVENT_NAMES), sess.size, p=_EVENT_P))
        props[out] = _properties(rng, name[out])
        at += sess.size
    user[at:], t[at:], name[at:], props[at:] = inv_user, inv_t, 5, 7
    del s_user, s_start, s_len
    order = np.argsort(t)
    t = t[order]
    order = order[: int(np.searchsorted(t, end_us, side="right"))]  # sorted: the rows to keep are a prefix
    return user[order], t[: order.size], name[order], props[order]


def _properties(rng: np.random.Generator, name: np.ndarray) -> np.ndarray:
    """Cheap JSON properties on some events: the page of an app_open, a share target, a post type."""
    props = np.full(name.size, -1, dtype=np.int8)
    pick = rng.random(name.size)
    opens = name == 0
    props[opens & (pick < 0.7)] = (pick[opens & (pick < 0.7)] * 3 / 0.7).astype(np.int8)
    props[name == 3] = 3 + (pick[name == 3] < 0.4)
    props[name == 4] = 5 + (pick[name == 4] < 0.3)
    return props


def _product(v: np.ndarray, edges: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Product and price (cents) at position ``v`` in [0, 1) of a product mix."""
    lo, hi = edges
    sku = np.clip(((v - lo) / (hi - lo) * _GOODS_CENTS.size).astype(np.int64), 0, _GOODS_CENTS.size - 1)
    product = np.where(v < lo, _MONTHLY, np.where(v < hi, _GOODS, _YEARLY)).astype(np.int8)
    cents = np.where(product == _YEARLY, _YEARLY_CENTS, _MONTHLY_CENTS)
    cents = np.where(product == _GOODS, _GOODS_CENTS[sku], cents)
    return product, cents


def orders(
    rng: np.random.Generator, users: Users, pay_rate: np.ndarray, epoch_day0: int, end_us: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """First-week purchases, later converters, renewals, upgrades, repeat goods and refunds.

    ``pay_rate[ch, day]`` is the chance a user of that cohort pays within 7 days. Payers are picked
    by systematic sampling per channel, and their products walk a golden-ratio sequence, so a
    cohort's first-week revenue stays near its expectation even for a few dozen users.
    Returns (user, instant µs, cents, product index), sorted by instant; refunds have negative cents.
    """
    n, n_days = users.t.size, pay_rate.shape[1]
    weight = np.sqrt(users.engagement)
    p = np.minimum(pay_rate[users.ch, users.day] * weight / weight.mean(), 1.0)
    by_ch = np.argsort(users.ch, kind="stable")
    cum = np.cumsum(p[by_ch])
    ch_sorted = users.ch[by_ch]
    starts = np.searchsorted(ch_sorted, np.arange(pay_rate.shape[0]))
    base = np.concatenate([[0.0], cum])[starts]
    val = cum - base[ch_sorted] + rng.random(pay_rate.shape[0])[ch_sorted]
    payers = by_ch[np.floor(val) > np.floor(val - p[by_ch])]

    j = rng.choice(_FIRST_DAY_P.size, payers.size, p=_FIRST_DAY_P)
    same_day = users.t[payers] + 60 * US + rng.exponential(1_800 * US, payers.size).astype(np.int64)
    later = day_start_us(epoch_day0, users.day[payers] + j) + local_time_of_day(rng, payers.size)
    first_t = np.where(j == 0, same_day, later)
    i = np.arange(payers.size)
    u = rng.random()  # systematic: every other payer buys goods, the goods walk a golden-ratio sequence
    is_goods = np.floor((i + 1) * _FIRST_GOODS_SHARE + u) > np.floor(i * _FIRST_GOODS_SHARE + u)
    sku = (((u + i * _GOLDEN) % 1.0) * _GOODS_CENTS.size).astype(np.int64)
    first_prod = np.where(is_goods, _GOODS, _MONTHLY).astype(np.int8)
    first_cents = np.where(is_goods, _GOODS_CENTS[sku], _MONTHLY_CENTS)

    others = np.setdiff1d(np.arange(n), payers)
    late = others[rng.random(others.size) < 0.4 * p[others]]
    late_day = users.day[late].astype(np.int64) + 7 + rng.exponential(14, late.size).astype(np.int64)
    late = late[late_day < n_days]
    late_t = day_start_us(epoch_day0, late_day[late_day < n_days]) + local_time_of_day(rng, late.size)
    late_prod, late_cents = _product(rng.random(late.size), _LATER_MIX)

    user = np.concatenate([payers, late])
    t = np.concatenate([first_t, late_t])
    prod = np.concatenate([first_prod, late_prod])
    cents = np.concatenate([first_cents, late_cents])
    renew = np.flatnonzero(prod == _MONTHLY)
    for _ in range(2):  # auto-renewal 30 days later, at most twice within a quarter
        renew = renew[rng.random(renew.size) < 0.72]
        user, t = np.concatenate([user, user[renew]]), np.concatenate([t, t[renew] + 30 * DAY_US])
        prod, cents = np.concatenate([prod, prod[renew]]), np.concatenate([cents, cents[renew]])
        renew = np.arange(user.size - renew.size, user.size)
    up = np.flatnonzero((prod == _MONTHLY) & (rng.random(prod.size) < 0.10))
    goods = np.flatnonzero((prod == _GOODS) & (rng.random(prod.size) < 0.3))
    user = np.concatenate([user, user[up], user[goods]])
    t = np.concatenate(
        [t, t[up] + rng.integers(10, 40, up.size) * DAY_US, t[goods] + rng.integers(7, 45, goods.size) * DAY_US]
    )
    prod = np.concatenate([prod, np.full(up.size, _YEARLY, np.int8), np.full(goods.size, _GOODS, np.int8)])
    cents = np.concatenate([cents, np.full(up.size, _YEARLY_CENTS), rng.choice(_GOODS_CENTS, goods.size)])

    refund = np.flatnonzero(rng.random(prod.size) < _REFUND_P[prod])
    ref_t = t[refund] + rng.integers(2 * DAY_US, 20 * DAY_US, refund.size)
    user, t = np.concatenate([user, user[refund]]), np.concatenate([t, ref_t])
    prod, cents = np.concatenate([prod, prod[refund]]), np.concatenate([cents, -cents[refund]])
    keep = np.flatnonzero(t <= end_us)
    order = keep[np.argsort(t[keep], kind="stable")]
    return user[order], t[order], cents[order].astype(np.int64), prod[order]


def id_strings(prefix: str, number: np.ndarray, width: int | None = None) -> pa.Array:
    """'u0000001'-style ids built byte by byte in numpy (Python strings would take minutes at 20M)."""
    width = width or max(7, len(str(int(number.max()) if number.size else 0)))
    buf = np.empty((number.size, len(prefix) + width), dtype=np.uint8)
    buf[:, : len(prefix)] = np.frombuffer(prefix.encode(), dtype=np.uint8)
    rest = number.astype(np.int64)
    for col in range(buf.shape[1] - 1, len(prefix) - 1, -1):
        rest, digit = np.divmod(rest, 10)
        buf[:, col] = 48 + digit
    offsets = np.arange(number.size + 1, dtype=np.int64) * buf.shape[1]
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(buf)]
    return pa.Array.from_buffers(pa.large_string(), number.size, buffers)


def decimal_cents(cents: np.ndarray) -> pa.Array:
    """DECIMAL(18,2) from integer cents without Python objects (little-endian 128-bit words)."""
    words = np.empty((cents.size, 2), dtype="<i8")
    words[:, 0] = cents
    words[:, 1] = np.where(cents < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(18, 2), cents.size, [None, pa.py_buffer(words)])


def labels(codes: np.ndarray, names: tuple[str, ...] | list[str]) -> pa.DictionaryArray:
    """A text column stored as small codes plus its labels; negative codes are empty (NULL)."""
    idx = pa.array(codes.astype(np.int32), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(idx, pa.array(list(names), pa.string()))


def instants(t: np.ndarray) -> pa.Array:
    """TIMESTAMP WITH TIME ZONE (UTC instants) from µs since the epoch."""
    return pa.array(t.astype(np.int64), pa.timestamp("us", tz="UTC"))
