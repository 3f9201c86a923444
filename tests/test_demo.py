"""The demo data set: deterministic, true to the data contract, and carrying the planted ROI drop.

The checks are written with plain pandas on the generated files, independent of the warehouse's
views, so a view bug cannot hide a demo bug (or the other way round).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from opsplan.demo.dataset import (
    CHANNELS,
    DEMO_START,
    PAID_CHANNELS,
    PROFITABLE_CHANNEL,
    TABLE_ORDER,
    UNPROFITABLE_CHANNEL,
    UNPROFITABLE_FROM_DAY,
    generate,
    load_demo,
    unprofitable_from,
)
from opsplan.store.contract import CAMPAIGN_PHASES, TABLES
from opsplan.store.loading import row_counts
from opsplan.store.warehouse import Warehouse
from opsplan.words import channel_label

TZ = "Asia/Shanghai"
DAYS = 90
SMALL = {"users": 3_000, "days": 60}


def _local_day(ts: pd.Series) -> pd.Series:
    return ts.dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The default demo (seed 7, 20k users, 90 days): what the dashboard shows."""
    return generate(out_dir=tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def frames(files: dict[str, Path]) -> dict[str, pd.DataFrame]:
    out = {name: pd.read_parquet(path) for name, path in files.items()}
    out["users"]["day"] = _local_day(out["users"]["signup_at"])
    out["orders"]["day"] = _local_day(out["orders"]["paid_at"])
    out["orders"]["amount"] = out["orders"]["amount"].astype(float)
    out["ad_spend"]["date"] = pd.to_datetime(out["ad_spend"]["date"])
    out["ad_spend"]["spend"] = out["ad_spend"]["spend"].astype(float)
    return out


def _digests(paths: dict[str, Path]) -> dict[str, str]:
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in paths.items()}


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    a = _digests(generate(seed=7, out_dir=tmp_path / "a", **SMALL))
    b = _digests(generate(seed=7, out_dir=tmp_path / "b", **SMALL))
    c = _digests(generate(seed=8, out_dir=tmp_path / "c", **SMALL))
    assert a == b
    for table in ("users", "events", "orders", "ad_spend", "external_metrics"):
        assert a[table] != c[table], table


def test_columns_are_the_contract(files: dict[str, Path]) -> None:
    assert set(files) == set(TABLES) == set(TABLE_ORDER)
    for name, path in files.items():
        assert tuple(pq.read_schema(path).names) == TABLES[name].names, name


def test_timestamps_are_utc_instants(files: dict[str, Path]) -> None:
    for name, col in (("users", "signup_at"), ("events", "event_at"), ("orders", "paid_at")):
        typ = pq.read_schema(files[name]).field(col).type
        assert str(typ) == "timestamp[us, tz=UTC]", (name, typ)


def test_keys_are_unique(frames: dict[str, pd.DataFrame]) -> None:
    assert frames["users"]["user_id"].is_unique
    assert frames["orders"]["order_id"].is_unique
    assert frames["events"]["event_id"].is_unique
    assert frames["campaigns"]["campaign_id"].is_unique
    assert not frames["ad_spend"].duplicated(["date", "channel", "campaign_id"]).any()
    assert not frames["external_metrics"].duplicated(["date", "metric", "channel"]).any()


def test_sizes_and_channels(frames: dict[str, pd.DataFrame]) -> None:
    users = frames["users"]
    assert len(users) == 20_000
    assert set(users["channel"]) == set(CHANNELS)
    assert all(channel_label(c, "zh") != c and channel_label(c, "en") != c for c in CHANNELS if c != "kol")
    assert 10 <= len(frames["events"]) / len(users) <= 30
    assert set(frames["events"]["event_name"]) == {
        "app_open",
        "core_feature_a",
        "share",
        "invite",
        "checkin",
        "ugc_post",
    }
    assert frames["events"]["properties"].notna().any()


def test_ad_spend_is_plausible(frames: dict[str, pd.DataFrame]) -> None:
    ad = frames["ad_spend"]
    assert set(ad["channel"]) == set(PAID_CHANNELS)
    assert (ad["clicks"] <= ad["impressions"]).all()
    assert (ad["spend"] > 0).all()
    by_channel = ad.groupby("channel")[["clicks", "impressions"]].sum()
    ctr = by_channel["clicks"] / by_channel["impressions"]
    assert ctr.between(0.005, 0.03).all(), ctr


def test_campaigns_and_users_agree(frames: dict[str, pd.DataFrame]) -> None:
    camps, users, ad = frames["campaigns"], frames["users"], frames["ad_spend"]
    assert set(camps["phase"]) == set(CAMPAIGN_PHASES)
    assert (camps["end_date"] >= camps["start_date"]).all()
    assert camps["owner"].notna().all() and (camps["budget"].astype(float) > 0).all()
    channel_of = dict(zip(camps["campaign_id"], camps["channel"], strict=True))
    paid = users[users["channel"].isin(PAID_CHANNELS)]
    assert paid["campaign_id"].notna().all()
    assert (paid["campaign_id"].map(channel_of) == paid["channel"]).all()
    assert users.loc[~users["channel"].isin(PAID_CHANNELS), "campaign_id"].isna().all()
    assert (ad["campaign_id"].map(channel_of) == ad["channel"]).all()


def test_referrals_point_at_earlier_users(frames: dict[str, pd.DataFrame]) -> None:
    users = frames["users"]
    referred = users[users["referrer_id"].notna()]
    assert len(referred) > 0
    assert (referred["channel"] == "referral").all()
    assert (users.loc[users["channel"] == "referral", "referrer_id"].notna()).all()
    signup = users.set_index("user_id")["signup_at"]
    assert referred["referrer_id"].isin(signup.index).all()
    assert (signup.loc[referred["referrer_id"]].to_numpy() < referred["signup_at"].to_numpy()).all()


def test_every_user_opens_the_app_at_signup(frames: dict[str, pd.DataFrame]) -> None:
    users, events = frames["users"], frames["events"]
    first = events.sort_values("event_at").drop_duplicates("user_id").set_index("user_id")
    first = first.loc[users["user_id"]]
    assert (first["event_at"].to_numpy() == users["signup_at"].to_numpy()).all()
    assert (first["event_name"] == "app_open").all()


def test_local_evening_peak_and_midnight_edges(frames: dict[str, pd.DataFrame]) -> None:
    local = frames["events"]["event_at"].dt.tz_convert(TZ)
    hours = local.dt.hour.value_counts(normalize=True)
    assert hours.loc[[20, 21, 22]].min() > 2 * hours.loc[[2, 3, 4, 5]].max()
    minutes = local.dt.hour * 60 + local.dt.minute
    assert ((minutes >= 23 * 60 + 55) | (minutes < 5)).sum() > 100


def test_data_ends_on_the_last_day(frames: dict[str, pd.DataFrame]) -> None:
    last = pd.Timestamp(DEMO_START + dt.timedelta(days=DAYS - 1))
    assert _local_day(frames["events"]["event_at"]).max() == last
    assert frames["ad_spend"]["date"].max() == last
    assert frames["users"]["day"].max() <= last and frames["orders"]["day"].max() <= last
    assert frames["users"]["day"].min() == pd.Timestamp(DEMO_START)


def test_retention_decays_in_the_stated_ranges(frames: dict[str, pd.DataFrame]) -> None:
    users, events = frames["users"], frames["events"]
    active = pd.DataFrame({"user_id": events["user_id"], "day": _local_day(events["event_at"])})
    active = active.drop_duplicates()
    active = active.merge(users[["user_id", "day"]], on="user_id", suffixes=("", "_signup"))
    age = (active["day"] - active["day_signup"]).dt.days
    last = users["day"].max()
    for k, lo, hi in ((1, 0.35, 0.45), (7, 0.15, 0.25), (30, 0.06, 0.12)):
        eligible = (users["day"] <= last - pd.Timedelta(days=k)).sum()
        rate = (age == k).sum() / eligible
        assert lo <= rate <= hi, (k, rate)


def test_orders_refunds_and_payers(frames: dict[str, pd.DataFrame]) -> None:
    orders, users = frames["orders"], frames["users"]
    refunds = orders[orders["amount"] < 0]
    assert 0.03 <= len(refunds) / len(orders) <= 0.05
    assert set(orders["product"]) == {"pro_monthly", "pro_yearly", "goods"}
    assert (orders.loc[orders["product"] == "pro_monthly", "amount"].abs() == 30).all()
    payers = orders.loc[orders["amount"] > 0, "user_id"].nunique()
    assert 0.03 <= payers / len(users) <= 0.12
    assert (orders.groupby("user_id").size() > 1).any()  # renewals and repeat purchases
    signup = users.set_index("user_id")["signup_at"]
    assert (orders["paid_at"].to_numpy() > signup.loc[orders["user_id"]].to_numpy()).all()


def _daily_roi7(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per paid channel and cohort day: revenue of the cohort's first 7 local days / that day's spend."""
    users, orders, ad = frames["users"], frames["orders"], frames["ad_spend"]
    o = orders.merge(users[["user_id", "channel", "day"]], on="user_id", suffixes=("", "_signup"))
    o = o[(o["day"] - o["day_signup"]).dt.days.between(0, 6)]
    revenue = o.groupby(["channel", "day_signup"])["amount"].sum()
    spend = ad.groupby(["channel", "date"])["spend"].sum()
    roi = (revenue.reindex(spend.index, fill_value=0.0) / spend).unstack("channel")
    return roi[roi.index <= users["day"].max() - pd.Timedelta(days=6)]  # complete cohorts only


def test_one_channel_turns_unprofitable_mid_quarter(frames: dict[str, pd.DataFrame]) -> None:
    roi = _daily_roi7(frames)
    start = pd.Timestamp(DEMO_START)
    first_month = roi[roi.index < start + pd.Timedelta(days=30)]
    last_month = roi[roi.index >= start + pd.Timedelta(days=DAYS - 30)]
    assert first_month[UNPROFITABLE_CHANNEL].mean() >= 1.0
    assert last_month[UNPROFITABLE_CHANNEL].mean() < 1.0
    for channel in (PROFITABLE_CHANNEL,):
        assert first_month[channel].mean() >= 1.0 and last_month[channel].mean() >= 1.0
    # the crossing: the week before the named day is profitable, the week from it on is not
    cross = start + pd.Timedelta(days=UNPROFITABLE_FROM_DAY)
    assert unprofitable_from(DAYS) == UNPROFITABLE_FROM_DAY
    series = roi[UNPROFITABLE_CHANNEL]
    assert series[(series.index >= cross - pd.Timedelta(days=7)) & (series.index < cross)].min() > 1.0
    assert series[series.index >= cross].max() < 1.0


def test_most_paid_channels_pay_back_early(frames: dict[str, pd.DataFrame]) -> None:
    roi = _daily_roi7(frames)
    early = roi[roi.index < pd.Timestamp(DEMO_START) + pd.Timedelta(days=30)].mean().dropna()
    assert (early >= 0.95).sum() >= len(early) - 1, early


def test_load_demo_lands_every_row(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "demo.duckdb")
    summary = load_demo(wh, seed=3, **SMALL)
    expected = {
        name: pq.read_metadata(path).num_rows
        for name, path in generate(seed=3, out_dir=tmp_path / "files", **SMALL).items()
    }
    assert row_counts(wh) == expected
    last = DEMO_START + dt.timedelta(days=SMALL["days"] - 1)
    assert f"data_through {last}" in summary
    assert "Asia/Shanghai" in summary
