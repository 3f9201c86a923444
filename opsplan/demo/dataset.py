"""The demo data set: a quarter (2026 Q1) of a Chinese consumer app, deterministic for a seed.

It exists so the dashboard has something true-to-life to hold the demo plan "2026 Q1 增长计划"
against: paid channels with campaigns that go preheat → burst → long tail, organic and referral
growth, decaying retention that differs by channel, subscriptions with renewals and refunds.

One thing is planted for the dashboard to find: ``UNPROFITABLE_CHANNEL`` (xiaohongshu, 小红书)
earns back its spend within 7 days (ROI about 1.6) until, from day ``UNPROFITABLE_FROM_DAY`` = 45
(2026-02-15 in the default quarter; ``unprofitable_from(days)`` for other lengths) its budget is
nearly doubled, its CPC rises and its users pay less often: its daily 7-day cohort ROI drops below
1.0 on that day and stays near 0.45. ``PROFITABLE_CHANNEL`` (baidu_sem) stays near 1.45 throughout.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from opsplan import fmt
from opsplan.demo import sim
from opsplan.resources import project_path
from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse, read_connection, set_meta, warehouse_timezone
from opsplan.store.writing import write_session
from opsplan.words import channel_label

DEMO_START = dt.date(2026, 1, 1)
DEMO_PLAN_NAME = "2026 Q1 增长计划"
DEMO_TZ = "Asia/Shanghai"
#: the demo plan the demo data is judged against (in the project's data/ folder)
DEMO_PLAN_FILE = "data/demo_plan.yaml"

#: the demo's channel codes (the data carries only codes; their labels are opsplan.words' ``channel.<code>``)
CHANNELS = ("douyin", "xiaohongshu", "wechat_moments", "zhihu", "bilibili", "baidu_sem", "kol", "referral", "organic")
PAID_CHANNELS = CHANNELS[:7]

UNPROFITABLE_CHANNEL = "xiaohongshu"
#: day offset (0 = first day) from which the channel's daily 7-day ROI is below 1.0: 2026-02-15
UNPROFITABLE_FROM_DAY = 45
#: a channel that stays well above ROI 1.0 all quarter (what the tests compare against)
PROFITABLE_CHANNEL = "baidu_sem"

#: tables in load order: campaigns and users first, so the others find what they point at
TABLE_ORDER = ("campaigns", "users", "events", "orders", "ad_spend", "external_metrics")

_EVENT_ROWS = 2_000_000
_EVENTS_SCHEMA = pa.schema(
    [
        ("user_id", pa.large_string()),
        ("event_at", pa.timestamp("us", tz="UTC")),
        ("event_name", pa.dictionary(pa.int32(), pa.string())),
        ("event_id", pa.large_string()),
        ("properties", pa.dictionary(pa.int32(), pa.string())),
    ]
)


def unprofitable_from(days: int) -> int:
    """The day offset the planted ROI drop crosses 1.0 for a data set of ``days`` days."""
    return round(days * UNPROFITABLE_FROM_DAY / 90)


@dataclass(frozen=True)
class _Channel:
    """How a channel buys, converts, pays and retains (numbers of a cheap-traffic consumer app)."""

    cpc: float = 0.0  # CNY per click
    cvr: float = 0.0  # signups per click
    ctr: float = 0.0  # clicks per impression
    roi7: float = 0.0  # designed 7-day cohort ROI; the paying rate follows from it
    pay7: float = 0.0  # first-week paying rate of unpaid channels
    d1: float = 0.4  # retention on day k after signup is d1 * k ** -decay
    decay: float = 0.4
    weekend: float = 1.0  # signups per click on Saturday/Sunday relative to weekdays


_MODEL: dict[str, _Channel] = {
    "douyin": _Channel(0.55, 0.16, 0.012, 1.30, d1=0.35, decay=0.45, weekend=1.15),
    "xiaohongshu": _Channel(0.75, 0.18, 0.022, 1.60, d1=0.40, decay=0.40, weekend=1.15),
    "wechat_moments": _Channel(1.40, 0.24, 0.007, 1.15, d1=0.38, decay=0.42, weekend=1.10),
    "zhihu": _Channel(1.10, 0.20, 0.015, 1.35, d1=0.45, decay=0.38, weekend=0.92),
    "bilibili": _Channel(0.65, 0.15, 0.018, 1.20, d1=0.42, decay=0.40, weekend=1.15),
    "baidu_sem": _Channel(1.80, 0.30, 0.028, 1.45, d1=0.40, decay=0.40, weekend=0.90),
    "kol": _Channel(0.90, 0.20, 0.025, 1.25, d1=0.45, decay=0.38, weekend=1.10),
    "referral": _Channel(pay7=0.05, d1=0.44, decay=0.38),
    "organic": _Channel(pay7=0.03, d1=0.42, decay=0.39),
}
#: The planted story: the team nearly doubles its best channel's always-on budget (× _DROP_SPEND),
#: the auction answers with CPC × _DROP_CPC, the extra users pay less often, and ROI goes
#: 1.6 → _DROP_ROI, all within _DROP_DAYS days
_DROP_SPEND, _DROP_CPC, _DROP_ROI, _DROP_DAYS = 1.8, 1.6, 0.45, 2
_SCALED_UP = "xhs_seeding"


@dataclass(frozen=True)
class _Campaign:
    campaign_id: str
    channel: str
    name: str
    phase: str  # the dominant phase (the spend curve itself goes through all three)
    owner: str
    start: int  # day offsets in a 90-day quarter, scaled for other lengths
    end: int
    level: float  # relative planned spend per day at full strength
    burst: tuple[int, int] | None = None  # burst days; before them a preheat ramp, after a long tail
    ramp: int = 0  # days an always-on campaign takes to reach full strength


CAMPAIGNS = (
    _Campaign("douyin_feed", "douyin", "抖音信息流常投", "longtail", "张三", 0, 89, 1.0),
    _Campaign("spring_explore_dy", "douyin", "春日探索·抖音", "burst", "张三", 21, 89, 4.5, (35, 41)),
    _Campaign("xhs_seeding", "xiaohongshu", "小红书种草常投", "longtail", "李四", 0, 89, 2.4),
    _Campaign("spring_explore_xhs", "xiaohongshu", "春日探索·小红书", "burst", "李四", 21, 89, 4.0, (35, 41)),
    _Campaign("moments_feed", "wechat_moments", "朋友圈广告常投", "longtail", "王五", 0, 89, 0.8),
    _Campaign("zhihu_content", "zhihu", "知乎内容营销", "longtail", "孙七", 5, 89, 0.7, ramp=14),
    _Campaign("bili_up_collab", "bilibili", "B站UP主合作", "longtail", "周八", 8, 70, 1.6, (14, 20)),
    _Campaign("bili_new_term", "bilibili", "B站开学季预热", "preheat", "周八", 72, 89, 2.0, (96, 102)),
    _Campaign("kol_cny", "kol", "春节KOL爆发", "burst", "吴九", 40, 75, 3.0, (48, 54)),
    _Campaign("baidu_brand", "baidu_sem", "百度品牌词", "longtail", "赵六", 0, 89, 0.5),
    _Campaign("baidu_generic", "baidu_sem", "百度通用词", "longtail", "赵六", 7, 89, 0.6),
)

#: profile attributes: categories, base weights, log-drift per month, and per-channel multipliers
_Profile = tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...], dict[str, dict[int, float]]]
_PROFILES: dict[str, _Profile] = {
    "region": (
        ("广东", "北京", "上海", "浙江", "江苏", "四川", "山东", "湖北", "河南", "福建", "其他"),
        (14, 9, 9, 9, 9, 7, 7, 6, 6, 5, 19),
        (0, -0.05, -0.05, 0, 0, 0.08, 0.05, 0, 0.08, 0, 0.06),
        {"xiaohongshu": {2: 1.4, 3: 1.2}, "baidu_sem": {8: 1.3, 10: 1.2}},
    ),
    "city_tier": (
        ("一线", "新一线", "二线", "三线及以下"),
        (25, 30, 22, 23),
        (-0.06, 0, 0.02, 0.12),
        {"xiaohongshu": {0: 1.4}, "douyin": {3: 1.4}, "kol": {1: 1.2}},
    ),
    "age_group": (
        ("18-24", "25-30", "31-40", "41+"),
        (32, 33, 24, 11),
        (0.03, 0, 0, 0.1),
        {"bilibili": {0: 1.8}, "zhihu": {1: 1.3}, "wechat_moments": {2: 1.5, 3: 1.6}, "baidu_sem": {2: 1.3}},
    ),
    "gender": (
        ("男", "女"),
        (45, 55),
        (0, 0),
        {"xiaohongshu": {1: 2.2}, "bilibili": {0: 1.5}, "zhihu": {0: 1.5}, "kol": {1: 1.4}},
    ),
    "platform": (
        ("iOS", "Android", "小程序"),
        (40, 45, 15),
        (0, -0.03, 0.15),
        {"xiaohongshu": {0: 1.4}, "douyin": {1: 1.3}, "wechat_moments": {2: 3.0}, "referral": {2: 2.0}},
    ),
}


def _campaign_shape(c: _Campaign, days: int) -> tuple[np.ndarray, np.ndarray]:
    """(relative planned spend per day, burst flag): preheat ramp → burst week → decaying tail."""
    f, d = days / 90, np.arange(days)
    start = round(c.start * f)
    end = days - 1 if c.end >= 89 else min(round(c.end * f), days - 1)  # always-on runs to the last day
    if c.burst is None:
        ramp = max(1, round(c.ramp * f))
        y = np.minimum(1.0, 0.3 + 0.7 * (d - start + 1) / ramp) if c.ramp else np.ones(days)
        in_burst = np.zeros(days, dtype=bool)
    else:
        b0, b1 = round(c.burst[0] * f), round(c.burst[1] * f)
        pre = 0.12 + 0.25 * (d - start) / max(1, b0 - start)
        tail = 0.08 + 0.45 * np.exp(-(d - b1) / 6)
        y = np.where(d < b0, pre, np.where(d <= b1, 1.0, tail))
        in_burst = (d >= b0) & (d <= b1)
    on = (d >= start) & (d <= end)
    return np.where(on, y, 0.0), in_burst & on


def _drop(days: int) -> np.ndarray:
    """0 before the planted drop, 1 after it, linear in between, crossing ROI 1.0 half a day before
    ``unprofitable_from(days)`` so that day is the first one clearly below 1."""
    roi = _MODEL[UNPROFITABLE_CHANNEL].roi7
    cross = np.log(roi) / np.log(roi / _DROP_ROI)  # the fraction of the way at which ROI is 1.0
    begin = unprofitable_from(days) - 0.5 - cross * _DROP_DAYS
    return np.clip((np.arange(days) - begin) / _DROP_DAYS, 0.0, 1.0)


@dataclass(frozen=True)
class _Plan:
    counts: np.ndarray  # (days, sources) new users; sources = campaigns, organic, referral
    ad_spend: dict[str, np.ndarray]  # campaign index, day, cents, impressions, clicks
    pay_rate: np.ndarray  # (channels, days) first-week paying rate
    budget_cents: np.ndarray  # per campaign
    buzz: np.ndarray  # (days,) relative campaign noise, drives organic and brand search


def _plan(rng: np.random.Generator, users: int, days: int, weekend: np.ndarray) -> _Plan:
    """Spend, clicks and expected signups per campaign and day, scaled to ``users`` signups."""
    n_c = len(CAMPAIGNS)
    shape = np.zeros((n_c, days))
    burst = np.zeros((n_c, days), dtype=bool)
    cpc, cvr, ctr = np.zeros((n_c, days)), np.zeros((n_c, days)), np.zeros((n_c, days))
    drop = _drop(days)
    for i, c in enumerate(CAMPAIGNS):
        m = _MODEL[c.channel]
        shape[i], burst[i] = _campaign_shape(c, days)
        rise = _DROP_CPC**drop if c.channel == UNPROFITABLE_CHANNEL else 1.0
        cpc[i] = m.cpc * rise * np.where(burst[i], 1.15, 1.0) * rng.lognormal(0, 0.05, days)
        cvr[i] = m.cvr * np.where(weekend, m.weekend, 1.0) * rng.lognormal(0, 0.06, days)
        ctr[i] = m.ctr * rng.lognormal(0, 0.1, days)
    planned = np.array([c.level for c in CAMPAIGNS])[:, None] * shape * rng.lognormal(0, 0.1, (n_c, days))
    planned[[c.campaign_id for c in CAMPAIGNS].index(_SCALED_UP)] *= _DROP_SPEND**drop
    paid = (planned / cpc * cvr).sum(axis=0)
    raw = (planned * burst).sum(axis=0)
    decay = np.exp(-np.arange(days) / 6)
    buzz = np.array([raw[: d + 1] @ decay[d::-1] for d in range(days)])  # bursts echo for a week or two
    buzz = buzz / max(buzz.mean(), 1e-9)
    organic = 0.3 * paid.mean() * (0.85 + 0.3 * np.arange(days) / days) * (1 + 0.25 * (buzz - 1)).clip(0.7)
    organic *= np.where(weekend, 1.1, 1.0)
    base = paid + organic
    referral = 0.0065 * np.array([base[max(0, d - 14) : d].sum() for d in range(days)])
    scale = users / (base.sum() + referral.sum())

    clicks = np.where(shape > 0, np.maximum(1, np.rint(planned * scale / cpc)), 0).astype(np.int64)
    spend_cents = np.rint(clicks * cpc * 100).astype(np.int64)
    impressions = np.maximum(clicks, np.rint(clicks / ctr)).astype(np.int64)
    expected = np.column_stack([(clicks * cvr).T, organic * scale, referral * scale])
    counts = sim.allocate(expected, users, rng)

    pay_rate = np.zeros((len(CHANNELS), days))
    for k, ch in enumerate(CHANNELS):
        m = _MODEL[ch]
        rows = [i for i, c in enumerate(CAMPAIGNS) if c.channel == ch]
        if not rows:
            pay_rate[k] = m.pay7
            continue
        roi = m.roi7 * (_DROP_ROI / m.roi7) ** drop if ch == UNPROFITABLE_CHANNEL else np.full(days, m.roi7)
        cpa = spend_cents[rows].sum(axis=0) / 100 / np.maximum(expected[:, rows].sum(axis=1), 1e-9)
        # 0.99: refunds inside the first week take about 1% of first-week revenue back
        pay_rate[k] = roi * cpa / (sim.FIRST_ORDER_MEAN * 0.99) * rng.lognormal(0, 0.06, days)
    ci, day = np.nonzero(clicks)
    ad = {
        "campaign": ci,
        "day": day,
        "cents": spend_cents[ci, day],
        "impressions": impressions[ci, day],
        "clicks": clicks[ci, day],
    }
    budget = np.maximum(1, np.rint(spend_cents.sum(axis=1) * 1.1 / 10_000)) * 10_000  # whole 100 CNY
    return _Plan(counts, ad, pay_rate, budget.astype(np.int64), buzz)


def _profiles(rng: np.random.Generator, users: sim.Users, month: np.ndarray) -> dict[str, pa.Array]:
    """Profile attributes by channel, with the mix shifting a little month over month."""
    n_months = int(month.max()) + 1
    cell = users.ch.astype(np.int64) * n_months + month[users.day]
    order = np.argsort(cell, kind="stable")
    bounds = np.searchsorted(cell[order], np.arange(len(CHANNELS) * n_months + 1))
    out: dict[str, pa.Array] = {}
    for attr, (cats, base, drift, mults) in _PROFILES.items():
        codes = np.empty(users.t.size, dtype=np.int8)
        for c in range(len(CHANNELS) * n_months):
            ch, mo = divmod(c, n_months)
            w = np.array(base, dtype=float) * np.exp(np.array(drift) * min(mo, 5))  # a year stays sane
            for i, x in mults.get(CHANNELS[ch], {}).items():
                w[i] *= x
            lo, hi = bounds[c], bounds[c + 1]
            codes[order[lo:hi]] = rng.choice(len(cats), hi - lo, p=w / w.sum())
        out[attr] = sim.labels(codes, cats)
    return out


def _external(rng: np.random.Generator, dates: list[dt.date], buzz: np.ndarray) -> dict[str, pa.Array]:
    """NPS (weekly), app store rating, in-app ad eCPM, and brand search index per platform."""
    rows: list[tuple[dt.date, str, float, str | None]] = []
    rating = 4.5
    for d, date in enumerate(dates):
        rating = float(np.clip(rating + 0.4 * (4.5 - rating) + rng.normal(0, 0.05), 4.3, 4.7))
        rows.append((date, "app_store_rating", round(rating, 2), None))
        rows.append((date, "ecpm", round(float(28 + 3 * np.sin(d / 9) + rng.normal(0, 1.5)), 2), None))
        if date.weekday() == 0:
            rows.append((date, "nps", round(float(38 - 4 * d / len(dates) + rng.normal(0, 2)), 1), None))
        for ch, level in (("baidu_sem", 2400), ("douyin", 5200), ("xiaohongshu", 3100)):
            weekend = 1.08 if date.weekday() >= 5 else 1.0
            value = level * (0.7 + 0.3 * buzz[d]) * rng.lognormal(0, 0.05) * weekend
            rows.append((date, "brand_search_index", round(float(value)), ch))
    cols = [list(c) for c in zip(*rows, strict=True)]
    names = ("date", "metric", "value", "channel")
    types = (pa.date32(), pa.string(), pa.float64(), pa.string())
    return {n: pa.array(c, t) for n, c, t in zip(names, cols, types, strict=True)}


def generate(
    seed: int = 7, users: int = 20_000, days: int = 90, start: dt.date | None = None, *, out_dir: Path
) -> dict[str, Path]:
    """Write the six contract tables as Parquet files in ``out_dir``; the same seed gives the same bytes."""
    if users < 100 or days < 14:
        raise ValueError("the demo needs at least 100 users and 14 days")
    start = start or DEMO_START
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # one stream per part, so changing how events are made does not change who the users are
    r_plan, r_users, r_act, r_events, r_orders, r_prof, r_ext = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(7)
    )
    epoch0 = (start - dt.date(1970, 1, 1)).days
    dates = [start + dt.timedelta(days=d) for d in range(days)]
    weekend = np.array([x.weekday() >= 5 for x in dates])
    month = np.array([(x.year - start.year) * 12 + x.month - start.month for x in dates])
    end_us = int(sim.day_start_us(epoch0, days)) - 1  # 23:59:59.999999 local on the last day

    plan = _plan(r_plan, users, days, weekend)
    unpaid = [CHANNELS.index("organic"), CHANNELS.index("referral")]
    src_ch = np.array([CHANNELS.index(c.channel) for c in CAMPAIGNS] + unpaid)
    src_camp = np.array(list(range(len(CAMPAIGNS))) + [-1, -1])
    people = sim.make_users(r_users, plan.counts, src_ch, src_camp, epoch0)
    k = np.maximum(np.arange(days), 1)[:, None]
    d1 = np.array([[_MODEL[c].d1 for c in CHANNELS]])
    retention = d1 * k ** -np.array([[_MODEL[c].decay for c in CHANNELS]])
    active = sim.activity(r_act, people, retention, np.where(weekend, 1.08, 1.0))
    ref, invites = sim.referrers(r_act, people, active, unpaid[1], days)
    people.ch[(people.ch == unpaid[1]) & (ref < 0)] = unpaid[0]  # nobody there yet to invite them

    paths = {name: out_dir / f"{name}.parquet" for name in TABLE_ORDER}
    uid = sim.id_strings("u", np.arange(1, people.t.size + 1))
    campaign_ids = [c.campaign_id for c in CAMPAIGNS]
    _write(
        paths["users"],
        {
            "user_id": uid,
            "signup_at": sim.instants(people.t),
            "channel": sim.labels(people.ch, CHANNELS),
            "campaign_id": sim.labels(people.camp, campaign_ids),
            "referrer_id": uid.take(pa.array(ref, mask=ref < 0)),
            **_profiles(r_prof, people, month),
        },
    )
    _write_events(paths["events"], uid, sim.events(r_events, people, active, invites, epoch0, end_us))
    del active
    o_user, o_t, o_cents, o_prod = sim.orders(r_orders, people, plan.pay_rate, epoch0, end_us)
    _write(
        paths["orders"],
        {
            "order_id": sim.id_strings("o", np.arange(1, o_t.size + 1)),
            "user_id": uid.take(pa.array(o_user)),
            "paid_at": sim.instants(o_t),
            "amount": sim.decimal_cents(o_cents),
            "product": sim.labels(o_prod, sim.PRODUCTS),
        },
    )
    ad = plan.ad_spend
    camp_ch = np.array([CHANNELS.index(c.channel) for c in CAMPAIGNS])
    _write(
        paths["ad_spend"],
        {
            "date": pa.array((ad["day"] + epoch0).astype(np.int32), pa.date32()),
            "channel": sim.labels(camp_ch[ad["campaign"]], CHANNELS),
            "campaign_id": sim.labels(ad["campaign"], campaign_ids),
            "spend": sim.decimal_cents(ad["cents"]),
            "impressions": pa.array(ad["impressions"]),
            "clicks": pa.array(ad["clicks"]),
        },
    )
    spans = [np.flatnonzero(_campaign_shape(c, days)[0] > 0)[[0, -1]] for c in CAMPAIGNS]
    _write(
        paths["campaigns"],
        {
            "campaign_id": pa.array(campaign_ids),
            "channel": pa.array([c.channel for c in CAMPAIGNS]),
            "name": pa.array([c.name for c in CAMPAIGNS]),
            "phase": pa.array([c.phase for c in CAMPAIGNS]),
            "start_date": pa.array([dates[s] for s, _ in spans], pa.date32()),
            "end_date": pa.array([dates[e] for _, e in spans], pa.date32()),
            "budget": sim.decimal_cents(plan.budget_cents),
            "owner": pa.array([c.owner for c in CAMPAIGNS]),
        },
    )
    _write(paths["external_metrics"], _external(r_ext, dates, plan.buzz))
    return paths


def _write(path: Path, columns: dict[str, pa.Array]) -> None:
    pq.write_table(pa.table(columns), path, compression="snappy", store_schema=False)


def _write_events(path: Path, uid: pa.Array, rows: tuple[np.ndarray, ...]) -> None:
    """Events in slices of rows: the text columns of 20M rows never sit in memory at once."""
    user, t, name, props = rows
    width = max(7, len(str(t.size)))
    with pq.ParquetWriter(path, _EVENTS_SCHEMA, compression="snappy", store_schema=False) as writer:
        for lo in range(0, t.size, _EVENT_ROWS):
            sl = slice(lo, lo + _EVENT_ROWS)
            writer.write_table(
                pa.table(
                    {
                        "user_id": uid.take(pa.array(user[sl])),
                        "event_at": sim.instants(t[sl]),
                        "event_name": sim.labels(name[sl], sim.EVENT_NAMES),
                        "event_id": sim.id_strings("e", np.arange(lo + 1, lo + 1 + t[sl].size), width=width),
                        "properties": sim.labels(props[sl], sim.PROPERTIES),
                    },
                    schema=_EVENTS_SCHEMA,
                )
            )


def _apply_demo_plan(wh: Warehouse) -> None:
    """The demo plan's settings (its activation event) hold from the first look at the demo."""
    from opsplan.handle import apply_settings, load_plan

    state = load_plan(project_path("data", Path(DEMO_PLAN_FILE).name))
    if state.plan is not None:
        apply_settings(wh, state.plan)


def load_demo(
    wh: Warehouse,
    seed: int = 7,
    users: int = 20_000,
    days: int = 90,
    start: dt.date | None = None,
    tz: str | None = None,
) -> str:
    """Generate the demo set and load it table by table; a new warehouse gets zone ``tz`` or Shanghai."""
    start = start or DEMO_START
    zone = tz or DEMO_TZ
    rows: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="opsplan-demo-") as tmp:
        files = generate(seed, users, days, start, out_dir=Path(tmp))
        for table in TABLE_ORDER:
            rows[table] = load(wh, table, [files[table]], tz=zone).rows_stored
    with write_session(wh) as con:  # the dashboard says "demo data" while this is what it shows
        set_meta(con, "source", "demo")
    _apply_demo_plan(wh)
    last = start + dt.timedelta(days=days - 1)
    with read_connection(wh) as con:
        try:
            through = con.execute("SELECT data_through FROM data_through").fetchone()[0]
        except duckdb.Error:  # the view may not exist in an older schema
            through = con.execute("SELECT max(event_day) FROM events").fetchone()[0]
    drop_day = start + dt.timedelta(days=unprofitable_from(days))
    label = channel_label(UNPROFITABLE_CHANNEL, "zh")
    return "\n".join(
        [
            f"demo data loaded into {wh.path} (seed {seed}, zone {warehouse_timezone(wh)})",
            f"  days: {start} – {last} ({days} days), data_through {through}",
            "  rows: " + ", ".join(f"{t} {fmt.value(fmt.COUNT, n)}" for t, n in rows.items()),
            f"  planted: {UNPROFITABLE_CHANNEL} ({label}) 7-day ROI below 1.0 from {drop_day}",
            f"  demo plan: {DEMO_PLAN_FILE} (opsplan check --plan {DEMO_PLAN_FILE})",
        ]
    )
