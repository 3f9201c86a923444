"""bench/pandas_metrics.py (the benchmark's yardstick) agrees with the SQL views, value for value.

Every metric of the set (daily KPIs, WAU, MAU, day-cohort retention / revenue_7d / roi_7d, lifecycle),
every day (week, month, cohort) and channel, and the all-channel totals: counts exactly, money and
ratios to 1e-9, empty (immature, 0/0) exactly where the SQL is empty. On the hand-computed fixture and on
a small generated demo data set, read back from the warehouse and straight from the Parquet files.
No timing is asserted here: timings live in bench/run.py.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from bench import data as bdata
from bench.compare import compare, read_raw, sql_frames
from bench.pandas_metrics import FAMILIES, compute
from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse, read_connection
from tests.views.conftest import build_fixture

TZ = "Asia/Shanghai"
Frames = dict[str, pd.DataFrame]


def _from_warehouse(wh: Warehouse) -> tuple[Frames, Frames]:
    """(pandas on the raw tables read back from the warehouse, SQL via query_metrics)."""
    with read_connection(wh) as con:
        raw = read_raw(con)
        want = sql_frames(con)
    got = compute(raw["users"], raw["events"], raw["orders"], raw["ad_spend"], tz=TZ)
    return got, want


@pytest.fixture(scope="module")
def fixture_result(tmp_path_factory: pytest.TempPathFactory) -> tuple[Frames, Frames]:
    return _from_warehouse(build_fixture(tmp_path_factory.mktemp("bench-fixture"), TZ))


@pytest.fixture(scope="module")
def demo_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[bdata.Dataset, Warehouse]:
    """3,000 users over 40 days, loaded table by table with the loader, as bench/run.py does."""
    out = tmp_path_factory.mktemp("bench-demo")
    ds = bdata.prepare(out, seed=7, users=3000, days=40, histories=(20,), tz=TZ)
    wh = Warehouse(out / "demo.duckdb")
    for table in bdata.TABLE_ORDER:
        load(wh, table, [ds.cuts[40].base[table]], tz=TZ)
    return ds, wh


def test_fixture_pandas_equals_sql(fixture_result: tuple[Frames, Frames]) -> None:
    got, want = fixture_result
    assert compare(got, want) == []


def test_fixture_has_every_family_and_the_hand_computed_numbers(fixture_result: tuple[Frames, Frames]) -> None:
    got, _ = fixture_result
    assert set(got) == {f + s for f in FAMILIES for s in ("", "_total")}
    daily = got["daily_total"]
    # the same hand-computed numbers as tests/views/test_kpis_daily.py
    assert daily["dau"].tolist() == [2, 5, 1, 2, 1, 0, 0, 2, 0]
    assert daily["revenue"].tolist() == [30, 30, 150, -30, 0, 0, 0, 0, 20]
    cohort = got["cohort_total"]
    assert cohort["revenue_7d"].iloc[0] == 30 and math.isnan(cohort["revenue_7d"].iloc[3])  # 01-08 immature
    assert got["cohort"].loc[(cohort.index[0], "douyin"), "roi_7d"] == 0.3
    life = got["lifecycle_total"]
    assert tuple(life.iloc[2]) == (0, 1, 0, 4)  # 01-07: u3 stays; u1, u2, u4, u5 drop off


def test_compare_reports_a_changed_value_and_a_wrongly_empty_one(fixture_result: tuple[Frames, Frames]) -> None:
    got, want = fixture_result
    changed = {k: v.copy() for k, v in got.items()}
    changed["daily"].iloc[0, changed["daily"].columns.get_loc("dau")] += 1
    changed["cohort_total"].iloc[0, changed["cohort_total"].columns.get_loc("roi_7d")] = float("nan")
    problems = compare(changed, want)
    assert any(p.startswith("daily.dau: 1 values differ") for p in problems)
    assert any(p.startswith("cohort_total.roi_7d: empty in one only") for p in problems)


def test_demo_pandas_equals_sql(demo_set: tuple[bdata.Dataset, Warehouse]) -> None:
    _, wh = demo_set
    got, want = _from_warehouse(wh)
    assert compare(got, want) == []
    assert len(want["daily"]) >= 40 * 8  # every day of every channel was compared


def test_demo_pandas_from_parquet_equals_sql(demo_set: tuple[bdata.Dataset, Warehouse]) -> None:
    """The benchmark's path: pandas reads the generator's Parquet files (UTC instants), SQL the warehouse."""
    ds, wh = demo_set
    frames = bdata.read_frames(ds.cuts[40].base)
    got = compute(frames["users"], frames["events"], frames["orders"], frames["ad_spend"], tz=TZ)
    with read_connection(wh) as con:
        want = sql_frames(con)
    assert compare(got, want) == []


def test_one_day_append_cut_is_a_clean_split(demo_set: tuple[bdata.Dataset, Warehouse]) -> None:
    """history h: the base holds local days before h, the appended files (as generated, and cut to the common
    size) exactly day h."""
    ds, _ = demo_set
    cut = ds.cuts[20]
    base = bdata.read_frames(cut.base)
    day_h = pd.Timestamp(cut.day_date)
    for files in (cut.day, cut.day_whole):
        day = bdata.read_frames(files)
        for name, col in (("users", "signup_at"), ("events", "event_at"), ("orders", "paid_at")):
            local = lambda f, c=col: f[c].dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()  # noqa: E731
            assert (local(base[name]) < day_h).all(), name
            assert (local(day[name]) == day_h).all() and len(day[name]) > 0, name
        assert (pd.to_datetime(day["ad_spend"]["date"]) == day_h).all()
    assert Path(cut.base["campaigns"]).exists()


def test_appended_days_are_cut_to_one_size_keeping_every_reference(
    demo_set: tuple[bdata.Dataset, Warehouse], tmp_path: Path
) -> None:
    """Every history's appended day holds as many users, events and orders as the smallest (a subset of its rows
    as generated); every user id of the cut day's events, orders and referrers is stored or new that day; the
    same seed cuts the same rows."""
    ds, _ = demo_set
    sizes = {h: ds.day_rows(h) for h in ds.cuts}
    whole = {h: ds.day_whole_rows(h) for h in ds.cuts}
    for name in ("users", "events", "orders"):
        assert len({s[name] for s in sizes.values()}) == 1, (name, sizes)
        assert min(w[name] for w in whole.values()) >= sizes[20][name] > 0
    assert any(whole[h][n] > sizes[h][n] for h in ds.cuts for n in ("users", "events", "orders"))  # it cut some
    for h, cut in ds.cuts.items():
        day = {t: pq.read_table(p).to_pandas() for t, p in cut.day.items()}
        gen = {t: pq.read_table(p).to_pandas() for t, p in cut.day_whole.items()}
        known = set(pq.read_table(cut.base["users"], columns=["user_id"])["user_id"].to_pylist())
        known |= set(day["users"]["user_id"])
        assert set(day["events"]["user_id"]) <= known and set(day["orders"]["user_id"]) <= known, h
        assert set(day["users"]["referrer_id"].dropna()) <= known, h
        for name, key in (("users", "user_id"), ("events", "event_id"), ("orders", "order_id")):
            assert set(day[name][key]) <= set(gen[name][key]), (h, name)
        assert len(day["ad_spend"]) == len(gen["ad_spend"])
    again = bdata._equal_days({h: c.day_whole for h, c in ds.cuts.items()}, tmp_path, ds.seed)
    for h, cut in ds.cuts.items():
        for name, path in cut.day.items():
            assert pq.read_table(again[h][name]).equals(pq.read_table(path)), (h, name)


def test_the_timed_refresh_runs_through_the_views_refresh(tmp_path: Path) -> None:
    """bench/appends.timed_refresh hands ``refresh`` a timing wrapper of the connection (broken once by the
    engine layer, which took any non-DuckDB object for a ClickHouse target): it must refresh and time views."""
    from bench.appends import timed_refresh
    from opsplan.store.writing import write_session

    wh = build_fixture(tmp_path, "Asia/Shanghai")
    with write_session(wh) as con:
        wall, _, per_view = timed_refresh(con, None)
    assert wall > 0
    assert {"user_days", "activity_parts", "kpis_daily_parts"} <= set(per_view)
