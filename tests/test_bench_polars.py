"""bench/polars_metrics.py (the benchmark's second yardstick) agrees with the SQL views, value for value.

The same checks as tests/test_bench.py for the pandas yardstick: every family, period and channel and the
all-channel totals, counts exactly, money and ratios to 1e-9, empty exactly where the SQL is empty. On the
hand-computed fixture and on a small generated demo data set, from the warehouse's raw tables and straight
from the Parquet files; on the demo also against the pandas yardstick, frame shape included. No timing here.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import polars as pl
import pytest

from bench import data as bdata
from bench import pandas_metrics, polars_metrics
from bench.compare import compare, read_raw, sql_frames
from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse, read_connection
from tests.views.conftest import build_fixture

TZ = "Asia/Shanghai"
Frames = dict[str, pd.DataFrame]


def _raw_and_sql(wh: Warehouse) -> tuple[Frames, Frames]:
    """(the raw tables read back from the warehouse, the metric set as query_metrics computes it)."""
    with read_connection(wh) as con:
        return read_raw(con), sql_frames(con)


def _polars(raw: Frames) -> Frames:
    return polars_metrics.compute(raw["users"], raw["events"], raw["orders"], raw["ad_spend"], tz=TZ)


@pytest.fixture(scope="module")
def fixture_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Frames, Frames, Frames]:
    """(raw tables, polars, SQL) on the hand-computed fixture."""
    raw, want = _raw_and_sql(build_fixture(tmp_path_factory.mktemp("bench-polars-fixture"), TZ))
    return raw, _polars(raw), want


@pytest.fixture(scope="module")
def demo_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[bdata.Dataset, Frames, Frames]:
    """3,000 users over 40 days, loaded table by table with the loader as in tests/test_bench.py:
    (the data set, the raw tables read back, SQL)."""
    out = tmp_path_factory.mktemp("bench-polars-demo")
    ds = bdata.prepare(out, seed=7, users=3000, days=40, histories=(20,), tz=TZ)
    wh = Warehouse(out / "demo.duckdb")
    for table in bdata.TABLE_ORDER:
        load(wh, table, [ds.cuts[40].base[table]], tz=TZ)
    raw, want = _raw_and_sql(wh)
    return ds, raw, want


def test_fixture_polars_equals_sql(fixture_set: tuple[Frames, Frames, Frames]) -> None:
    _, got, want = fixture_set
    assert set(got) == {f + s for f in pandas_metrics.FAMILIES for s in ("", "_total")}
    assert compare(got, want) == []
    # a few of the hand-computed numbers of tests/views/, as tests/test_bench.py checks them for pandas
    assert got["daily_total"]["dau"].tolist() == [2, 5, 1, 2, 1, 0, 0, 2, 0]
    assert got["daily_total"]["revenue"].tolist() == [30, 30, 150, -30, 0, 0, 0, 0, 20]
    cohort = got["cohort_total"]
    assert cohort["revenue_7d"].iloc[0] == 30 and math.isnan(cohort["revenue_7d"].iloc[3])  # 01-08 immature
    assert got["cohort"].loc[(cohort.index[0], "douyin"), "roi_7d"] == 0.3
    assert tuple(got["lifecycle_total"].iloc[2]) == (0, 1, 0, 4)  # 01-07: u3 stays; u1, u2, u4, u5 drop off


def test_fixture_naive_local_timestamps_and_plain_dates_equal_sql(fixture_set: tuple[Frames, Frames, Frames]) -> None:
    """A naive timestamp is local to tz and a DATE column may hold date objects: the same numbers."""
    raw, _, want = fixture_set
    naive = {name: frame.copy() for name, frame in raw.items()}
    for name, col in (("users", "signup_at"), ("events", "event_at"), ("orders", "paid_at")):
        naive[name][col] = naive[name][col].dt.tz_convert(TZ).dt.tz_localize(None)
    naive["ad_spend"]["date"] = naive["ad_spend"]["date"].dt.date
    assert compare(_polars(naive), want) == []


def test_compare_reports_a_changed_polars_value(fixture_set: tuple[Frames, Frames, Frames]) -> None:
    """Negative control: one wrong count and one wrongly empty ratio are both reported."""
    _, got, want = fixture_set
    changed = {k: v.copy() for k, v in got.items()}
    changed["daily"].iloc[0, changed["daily"].columns.get_loc("dau")] += 1
    changed["cohort_total"].iloc[0, changed["cohort_total"].columns.get_loc("roi_7d")] = float("nan")
    problems = compare(changed, want)
    assert any(p.startswith("daily.dau: 1 values differ") for p in problems), problems
    assert any(p.startswith("cohort_total.roi_7d: empty in one only") for p in problems), problems
    assert len(problems) == 2


def test_fixture_users_not_in_users_agree_with_pandas(fixture_set: tuple[Frames, Frames, Frames]) -> None:
    """Events, orders and a referrer of ids not in users count under the channel 'unknown', as in pandas."""
    raw, _, _ = fixture_set
    ghost = {name: frame.copy() for name, frame in raw.items()}
    at = pd.Timestamp("2026-01-09 10:00", tz=TZ)
    ghost["events"] = pd.concat(
        [ghost["events"], pd.DataFrame({"user_id": ["g1", "g1", "g2"], "event_at": [at, at + pd.Timedelta("1D"), at]})],
        ignore_index=True,
    )
    ghost["orders"] = pd.concat(
        [ghost["orders"], pd.DataFrame({"user_id": ["g3"], "paid_at": [at], "amount": [12.5]})], ignore_index=True
    )
    ghost["users"].loc[ghost["users"]["user_id"] == "u6", "referrer_id"] = "g4"
    got = _polars(ghost)
    want = pandas_metrics.compute(ghost["users"], ghost["events"], ghost["orders"], ghost["ad_spend"], tz=TZ)
    assert compare(got, want) == []
    day = dt.date(2026, 1, 9)
    assert got["daily"].loc[(day, "unknown"), "dau"] == 2
    assert got["daily"].loc[(day, "unknown"), "revenue"] == 12.5


def test_demo_polars_from_warehouse_equals_sql(demo_set: tuple[bdata.Dataset, Frames, Frames]) -> None:
    _, raw, want = demo_set
    assert compare(_polars(raw), want) == []
    assert len(want["daily"]) >= 40 * 8  # every day of every channel was compared


@pytest.fixture(scope="module")
def demo_from_parquet(demo_set: tuple[bdata.Dataset, Frames, Frames]) -> Frames:
    """The benchmark's path: polars reads the generator's Parquet files (UTC instants, DECIMAL amounts)."""
    ds, _, _ = demo_set
    frames = polars_metrics.read(ds.cuts[40].base)
    assert all(isinstance(f, pl.DataFrame) for f in frames.values())
    return polars_metrics.compute(**frames, tz=TZ)


def test_demo_polars_from_parquet_equals_sql(
    demo_set: tuple[bdata.Dataset, Frames, Frames], demo_from_parquet: Frames
) -> None:
    _, _, want = demo_set
    assert compare(demo_from_parquet, want) == []


def test_demo_polars_equals_pandas_in_values_and_shape(
    demo_set: tuple[bdata.Dataset, Frames, Frames], demo_from_parquet: Frames
) -> None:
    """Both yardsticks from the same Parquet files: the same numbers in frames of the same shape."""
    ds, _, _ = demo_set
    frames = bdata.read_frames(ds.cuts[40].base)
    want = pandas_metrics.compute(frames["users"], frames["events"], frames["orders"], frames["ad_spend"], tz=TZ)
    got = demo_from_parquet
    assert compare(got, want) == []
    assert set(got) == set(want)
    for key, w in want.items():
        g = got[key]
        assert g.index.equals(w.index), key  # the same rows in the same order
        assert g.index.names == w.index.names, key
        levels = range(w.index.nlevels)
        assert [g.index.get_level_values(i).dtype for i in levels] == [
            w.index.get_level_values(i).dtype for i in levels
        ]
        assert list(g.columns) == list(w.columns), key
        assert g.dtypes.equals(w.dtypes), key
