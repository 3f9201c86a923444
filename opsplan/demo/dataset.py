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
from opsplan.demo.world import (
    CAMPAIGNS,
    CHANNEL_MODELS,
    CHANNELS,
    DROP_CPC,
    DROP_ROI,
    DROP_SPEND,
    PAID_CHANNELS,
    PROFILES,
    PROFITABLE_CHANNEL,
    SCALED_UP_CAMPAIGN,
    UNPROFITABLE_CHANNEL,
    UNPROFITABLE_FROM_DAY,
    campaign_shape,
    drop_curve,
    unprofitable_from,
)
from opsplan.resources import project_path
from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse, read_connection, set_meta, warehouse_timezone
from opsplan.store.writing import write_session
from opsplan.words import channel_label

#: the world's names the tests, bench and CLI import from here
__all__ = [
    "CAMPAIGNS",
    "CHANNELS",
    "DEMO_PLAN_FILE",
    "DEMO_PLAN_NAME",
    "DEMO_START",
    "DEMO_TZ",
    "PAID_CHANNELS",
    "PROFITABLE_CHANNEL",
    "TABLE_ORDER",
    "UNPROFITABLE_CHANNEL",
    "UNPROFITABLE_FROM_DAY",
    "generate",
    "load_demo",
    "unprofitable_from",
]

DEMO_START = dt.date(2026, 1, 1)
DEMO_PLAN_NAME = "2026 Q1 增长计划"
DEMO_TZ = "Asia/Shanghai"
#: the demo plan the demo data is judged against (in the project's data/ folder)
DEMO_PLAN_FILE = "data/demo_plan.yaml"


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
    drop = drop_curve(days)
    for i, c in enumerate(CAMPAIGNS):
        m = CHANNEL_MODELS[c.channel]
        shape[i], burst[i] = campaign_shape(c, days)
        rise = DROP_CPC**drop if c.channel == UNPROFITABLE_CHANNEL else 1.0
        cpc[i] = m.cpc * rise * np.where(burst[i], 1.15, 1.0) * rng.lognormal(0, 0.05, days)
        cvr[i] = m.cvr * np.where(weekend, m.weekend, 1.0) * rng.lognormal(0, 0.06, days)
        ctr[i] = m.ctr * rng.lognormal(0, 0.1, days)
    planned = np.array([c.level for c in CAMPAIGNS])[:, None] * shape * rng.lognormal(0, 0.1, (n_c, days))
    planned[[c.campaign_id for c in CAMPAIGNS].index(SCALED_UP_CAMPAIGN)] *= DROP_SPEND**drop
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
        m = CHANNEL_MODELS[ch]
        rows = [i for i, c in enumerate(CAMPAIGNS) if c.channel == ch]
        if not rows:
            pay_rate[k] = m.pay7
            continue
        roi = m.roi7 * (DROP_ROI / m.roi7) ** drop if ch == UNPROFITABLE_CHANNEL else np.full(days, m.roi7)
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
    for attr, (cats, base, drift, mults) in PROFILES.items():
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
    d1 = np.array([[CHANNEL_MODELS[c].d1 for c in CHANNELS]])
    retention = d1 * k ** -np.array([[CHANNEL_MODELS[c].decay for c in CHANNELS]])
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
    spans = [np.flatnonzero(campaign_shape(c, days)[0] > 0)[[0, -1]] for c in CAMPAIGNS]
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
