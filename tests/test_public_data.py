"""Real public data through the whole pipeline: the totals the sources publish come out of the views.

CDNOW (orders, users, events; data_through 1998-06-30) and the 2020 online advertising set
(ad_spend). See tests/data/public/*/SOURCE.md for origin, licence and the published figures.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from opsplan.cli.commands import main
from opsplan.metrics.rollup import query_metrics
from opsplan.store.loading import LoadError, load, row_counts
from opsplan.store.warehouse import Warehouse, read_connection

PUBLIC = Path(__file__).parent / "data" / "public"
MONTHS = {"April": 4, "May": 5, "June": 6}


@pytest.fixture(scope="module")
def cdnow(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """CDNOW as the contract: order_id r00001…, users signed up at their first purchase, one event a row."""
    d = tmp_path_factory.mktemp("cdnow")
    raw = pd.read_csv(PUBLIC / "cdnow" / "CDNOW_master.txt", sep=r"\s+", dtype=str)
    raw["user_id"] = raw["customer_id"].str.lstrip("0")
    raw["paid_at"] = pd.to_datetime(raw["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d")
    orders = pd.DataFrame(
        {
            "order_id": [f"r{i:05d}" for i in range(1, len(raw) + 1)],
            "user_id": raw["user_id"],
            "paid_at": raw["paid_at"],
            "amount": raw["dollar_value"],
        }
    )
    users = raw.groupby("user_id", as_index=False)["paid_at"].min().rename(columns={"paid_at": "signup_at"})
    events = pd.DataFrame({"user_id": raw["user_id"], "event_at": raw["paid_at"], "event_name": "purchase"})
    wh = Warehouse(d / "cdnow.duckdb")
    for name, frame in (("users", users), ("orders", orders), ("events", events)):
        frame.to_csv(d / f"{name}.csv", index=False)
        load(wh, name, [d / f"{name}.csv"], tz="UTC")
    return wh


def test_cdnow_totals(cdnow: Warehouse) -> None:
    assert row_counts(cdnow) | {} == {
        "users": 23570,
        "events": 69659,
        "orders": 69659,
        "ad_spend": 0,
        "campaigns": 0,
        "external_metrics": 0,
    }
    with read_connection(cdnow) as con:
        assert con.execute("SELECT first_day, data_through FROM data_through").fetchone() == (
            pd.Timestamp("1997-01-01").date(),
            pd.Timestamp("1998-06-30").date(),
        )
        monthly = query_metrics(con, ["new_users", "revenue", "paying_users"], grain="month")
    assert len(monthly) == 18  # 1997-01 … 1998-06, every month a row
    assert int(monthly["new_users"].sum()) == 23570
    assert round(float(monthly["revenue"].sum()), 2) == 2500315.63
    # every new customer bought in Q1 1997: the three cohorts are the only months with new users
    assert list(monthly.loc[monthly["new_users"] > 0, "month"]) == ["1997-01", "1997-02", "1997-03"]


def test_cdnow_identical_event_rows_are_kept(cdnow: Warehouse) -> None:
    """2,068 rows repeat an earlier (customer, day): as events they are legitimate and all kept."""
    with read_connection(cdnow) as con:
        (dups,) = con.execute("SELECT count(*) - count(DISTINCT (user_id, event_day)) FROM events").fetchone()
    assert dups == 2068


def _ads_rows() -> pd.DataFrame:
    raw = pd.read_csv(PUBLIC / "online_ads_2020" / "online_advertising_performance_data.csv", dtype=str)
    date = "2020-" + raw["month"].map(MONTHS).astype(str).str.zfill(2) + "-" + raw["day"].str.zfill(2)
    return pd.DataFrame(
        {
            "date": date,
            "channel": "advert_firm_a",
            "campaign_id": raw["campaign_number"],
            "spend": raw["revenue"].astype(float),
            "impressions": raw["displays"].astype(int),
            "clicks": raw["clicks"].astype(int),
        }
    )


def test_ads_at_row_grain_are_refused_naming_the_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The raw rows repeat (date, channel, campaign) and two have clicks > displays: refused, nothing written."""
    path = tmp_path / "ads_rows.csv"
    _ads_rows().to_csv(path, index=False)
    code = main(["--db", str(tmp_path / "w.duckdb"), "load", "ad_spend", str(path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "clicks exceed impressions" in err and "column clicks" in err and str(path) in err
    assert not (tmp_path / "w.duckdb").exists()


def test_ads_at_campaign_day_grain_keep_the_published_totals(tmp_path: Path) -> None:
    rows = _ads_rows()
    daily = rows.groupby(["date", "channel", "campaign_id"], as_index=False)[["spend", "impressions", "clicks"]].sum()
    daily["spend"] = daily["spend"].round(2)
    path = tmp_path / "ads_daily.csv"
    daily.to_csv(path, index=False)
    wh = Warehouse(tmp_path / "w.duckdb")
    with pytest.raises(LoadError):  # the same file with one row doubled is refused as a duplicate key
        load(wh, "ad_spend", [path, path])
    load(wh, "ad_spend", [path])
    with read_connection(wh) as con:
        total = query_metrics(con, ["impressions", "clicks", "spend", "ctr"], grain="total").iloc[0]
        weeks = query_metrics(con, ["spend"], grain="week")
    assert int(total["impressions"]) == 239014261 and int(total["clicks"]) == 2492825
    # spend is stored to the cent per (day, campaign) row; the published total sums unrounded rows
    assert round(float(total["spend"]), 2) == round(float(daily["spend"].sum()), 2) == 276262.63
    assert float(total["spend"]) == pytest.approx(276262.62, abs=0.015)
    assert round(float(total["ctr"]), 6) == round(2492825 / 239014261, 6)
    assert weeks["week"].iloc[0] == "2020-W14" and len(weeks) == 14  # 2020-03-30 … 2020-06-28 + 06-29/30
