"""Stale data and a failed last load are said, never hidden: the expected day in the warehouse's zone, stale
against current with a pinned clock, refused loads recorded beside the warehouse (which stays byte for byte
as it was) until a later good load of the same table clears them, and the exact words in both languages."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from opsplan.store.freshness import (
    KEEP_FAILURES,
    NOW_ENV,
    Freshness,
    LoadFailure,
    expected_day,
    failures_path,
    freshness_state,
    read_failures,
    record_failure,
)
from opsplan.store.loading import LoadError, load, load_sql
from opsplan.store.status import recent_failures
from opsplan.store.warehouse import Warehouse
from opsplan.store.writing import ensure_warehouse
from tests.builders import AD_SPEND_HEADER, ORDERS_HEADER, USERS_HEADER, fingerprint, user_rows, write_csv

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
#: the seeded warehouse (tests/builders.py, Asia/Shanghai) holds data through this day
SEEDED_THROUGH = dt.date(2026, 1, 8)
CURRENT = dt.datetime(2026, 1, 9, 9, 0, tzinfo=SHANGHAI)  # the morning after: expects 2026-01-08


# --- the expected day ---------------------------------------------------------------------------------------


def test_expected_day_is_yesterday_in_the_warehouse_zone_on_both_sides_of_midnight() -> None:
    after = dt.datetime(2026, 3, 2, 0, 30, tzinfo=SHANGHAI)  # 2026-03-01 16:30 UTC
    before = dt.datetime(2026, 3, 1, 23, 59, tzinfo=SHANGHAI)
    assert expected_day("Asia/Shanghai", after) == dt.date(2026, 3, 1)
    assert expected_day("UTC", after) == dt.date(2026, 2, 28)  # still 03-01 in UTC: yesterday is 02-28
    assert expected_day("Asia/Shanghai", before) == dt.date(2026, 2, 28)
    assert expected_day("UTC", before) == dt.date(2026, 2, 28)
    assert expected_day("Asia/Shanghai", after, lag_days=0) == dt.date(2026, 3, 2)
    assert expected_day("Asia/Shanghai", after, lag_days=3) == dt.date(2026, 2, 27)


def test_the_clock_can_be_pinned_and_a_naive_time_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NOW_ENV, "2026-04-01T00:30:00+08:00")
    assert expected_day("Asia/Shanghai") == dt.date(2026, 3, 31)
    assert expected_day("UTC") == dt.date(2026, 3, 30)
    monkeypatch.setenv(NOW_ENV, "2026-04-01T09:00:00")
    with pytest.raises(ValueError, match="has no offset"):
        expected_day("UTC")
    with pytest.raises(ValueError, match="no time zone"):
        expected_day("UTC", dt.datetime(2026, 4, 1, 9, 0))
    with pytest.raises(ValueError, match="unknown time zone"):
        expected_day("Mars/Olympus", CURRENT)


# --- stale or current ---------------------------------------------------------------------------------------


def test_current_the_morning_after_and_stale_from_the_next_local_midnight(
    seeded_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wh = Warehouse(seeded_db)
    state = freshness_state(wh, CURRENT)
    assert (state.data_through, state.expected, state.days_behind, state.stale) == (
        SEEDED_THROUGH,
        dt.date(2026, 1, 8),
        0,
        False,
    )
    assert state.last_failure is None and not state.needs_notice
    assert state.message("zh") == "数据截至 2026-01-08，是最新的（预期 2026-01-08）。"
    assert state.message("en") == "Data runs to 2026-01-08, current (expected 2026-01-08)."

    # 2026-01-09 23:30 UTC is already 2026-01-10 07:30 in Shanghai: the data is one day behind
    monkeypatch.setenv(NOW_ENV, "2026-01-09T23:30:00+00:00")
    state = freshness_state(wh)
    assert (state.expected, state.days_behind, state.stale) == (dt.date(2026, 1, 9), 1, True)
    assert state.message("zh") == "数据截至 2026-01-08，比预期的 2026-01-09 晚 1 天：今天的判断基于旧数据。"
    assert state.message("en") == (
        "Data runs to 2026-01-08, 1 day behind the expected 2026-01-09: today's verdicts rest on old data."
    )
    # half an hour earlier it is still 2026-01-09 in Shanghai: current
    monkeypatch.setenv(NOW_ENV, "2026-01-09T15:30:00+00:00")
    assert not freshness_state(wh).stale
    # data ahead of the expected day (today's partial data) is current, not "behind by -1"
    assert freshness_state(wh, CURRENT - dt.timedelta(days=1)).days_behind == 0


def test_a_warehouse_without_data_is_stale_and_says_so(tmp_path: Path) -> None:
    missing = Warehouse(tmp_path / "none.duckdb")
    state = freshness_state(missing, CURRENT)
    assert (state.data_through, state.days_behind, state.stale) == (None, None, True)
    assert state.message("zh") == "仓库里还没有数据（预期数据截至 2026-01-08）：先导入数据，今天才有可判断的依据。"
    assert state.message("en") == (
        "The warehouse holds no data yet (expected through 2026-01-08): load data before trusting any verdict."
    )
    assert not missing.exists()  # asking does not create it
    empty = Warehouse(tmp_path / "empty.duckdb")
    ensure_warehouse(empty, "Asia/Shanghai")
    made = freshness_state(empty, CURRENT)
    assert (made.tz, made.stale, made.message("en")) == ("Asia/Shanghai", True, state.message("en"))


# --- the exact words ----------------------------------------------------------------------------------------

FAILED = LoadFailure(
    at=dt.datetime(2026, 11, 29, 0, 0, tzinfo=dt.UTC),  # 08:00 in Shanghai
    table="events",
    source="/srv/exports/events_1129.csv",
    reason="events_1129.csv: line 7: column event_at: not a timestamp ('yesterday')",
)


def test_messages_in_both_languages() -> None:
    stale = Freshness(dt.date(2026, 3, 31), dt.date(2026, 11, 28), 242, True, None, "Asia/Shanghai")
    assert stale.message("zh") == "数据截至 2026-03-31，比预期的 2026-11-28 晚 242 天：今天的判断基于旧数据。"
    assert stale.message("en") == (
        "Data runs to 2026-03-31, 242 days behind the expected 2026-11-28: today's verdicts rest on old data."
    )
    failed = Freshness(dt.date(2026, 11, 28), dt.date(2026, 11, 28), 0, False, FAILED, "Asia/Shanghai")
    assert failed.needs_notice
    assert failed.message("zh") == (
        "最近一次导入失败（events，2026-11-29 08:00，原因：events_1129.csv: line 7: column event_at: "
        "not a timestamp ('yesterday')）：看板显示的是上一次成功导入的数据。"
    )
    assert failed.message("en") == (
        "The last load failed (events, 2026-11-29 08:00, reason: events_1129.csv: line 7: column event_at: "
        "not a timestamp ('yesterday')): the dashboard shows the data of the last successful load."
    )
    both = Freshness(dt.date(2026, 3, 31), dt.date(2026, 11, 28), 242, True, FAILED, "UTC")
    assert both.message("zh") == (
        "数据截至 2026-03-31，比预期的 2026-11-28 晚 242 天：今天的判断基于旧数据。"
        "最近一次导入失败（events，2026-11-29 00:00，原因：events_1129.csv: line 7: column event_at: "
        "not a timestamp ('yesterday')）：看板显示的是上一次成功导入的数据。"
    )
    assert both.message("en") == (
        "Data runs to 2026-03-31, 242 days behind the expected 2026-11-28: today's verdicts rest on old data. "
        "The last load failed (events, 2026-11-29 00:00, reason: events_1129.csv: line 7: column event_at: "
        "not a timestamp ('yesterday')): the dashboard shows the data of the last successful load."
    )
    nothing = Freshness(None, dt.date(2026, 11, 28), None, True, FAILED, "Asia/Shanghai")
    assert nothing.message("en") == (
        "The warehouse holds no data yet (expected through 2026-11-28): load data before trusting any verdict. "
        "The last load failed (events, 2026-11-29 08:00, reason: events_1129.csv: line 7: column event_at: "
        "not a timestamp ('yesterday'))."
    )


# --- failed loads -------------------------------------------------------------------------------------------


def _bad_users(tmp_path: Path) -> Path:
    rows = user_rows(5, first=900)
    rows[2] = (rows[2][0], "2026-13-45 25:61:00", *rows[2][2:])  # data row 3 = line 4
    return write_csv(tmp_path / "users_bad_time.csv", USERS_HEADER, rows)


def test_a_refused_load_changes_nothing_is_recorded_beside_and_a_later_good_load_clears_it(
    seeded_db: Path, tmp_path: Path
) -> None:
    wh = Warehouse(seeded_db)
    bad = _bad_users(tmp_path)
    before = fingerprint(seeded_db)
    start = dt.datetime.now(dt.UTC)
    with pytest.raises(LoadError) as refused:
        load(wh, "users", [bad])
    assert "line 4: column signup_at: not a timestamp" in str(refused.value)  # re-raised unchanged
    assert fingerprint(seeded_db) == before, "a refused load changed the warehouse"

    assert failures_path(wh) == seeded_db.with_name("warehouse.duckdb.failures.jsonl")
    [line] = failures_path(wh).read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["table"] == "users" and record["source"] == str(bad)
    assert record["at"].endswith("+00:00")

    state = freshness_state(wh, CURRENT)
    assert not state.stale and state.needs_notice  # current data, but the last load failed
    failure = state.last_failure
    assert failure is not None and failure.table == "users" and failure.source == str(bad)
    assert start <= failure.at <= dt.datetime.now(dt.UTC)
    reason = (
        "users_bad_time.csv: line 4: column signup_at: not a timestamp (e.g. 2026-01-05 08:30:00, with or "
        "without +08:00) ('2026-13-45 25:61:00')"
    )
    assert failure.reason == reason
    when = failure.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    assert (
        state.message("zh") == f"最近一次导入失败（users，{when}，原因：{reason}）：看板显示的是上一次成功导入的数据。"
    )
    assert list(recent_failures(wh)["table"]) == ["users"]

    # a good load of another table does not clear it; a good load of users does
    good_orders = write_csv(
        tmp_path / "orders.csv", ORDERS_HEADER, [("900001", "00100", "2026-01-08 10:00:00", "9.90", "月卡")]
    )
    load(wh, "orders", [good_orders])
    assert freshness_state(wh, CURRENT).last_failure == failure
    load(wh, "users", [write_csv(tmp_path / "users_good.csv", USERS_HEADER, user_rows(5, first=900))])
    state = freshness_state(wh, CURRENT)
    assert state.last_failure is None and not state.needs_notice
    assert len(read_failures(wh)) == 1  # the record stays; it is just no longer open


def test_an_older_unfixed_failure_is_not_hidden_by_a_newer_fixed_one(seeded_db: Path, tmp_path: Path) -> None:
    wh = Warehouse(seeded_db)
    bad_spend = write_csv(tmp_path / "spend.csv", AD_SPEND_HEADER, [("2026-01-08", "抖音", "C000", "-1", "10", "1")])
    with pytest.raises(LoadError):
        load(wh, "ad_spend", [bad_spend])
    with pytest.raises(LoadError):
        load(wh, "users", [_bad_users(tmp_path)])
    load(wh, "users", [write_csv(tmp_path / "users_good.csv", USERS_HEADER, user_rows(5, first=900))])
    failure = freshness_state(wh, CURRENT).last_failure
    assert failure is not None and failure.table == "ad_spend"
    assert failure.reason == "spend.csv: line 2: column spend: must not be negative ('-1')"


def test_an_unknown_table_is_recorded_but_not_reported(seeded_db: Path, tmp_path: Path) -> None:
    wh = Warehouse(seeded_db)
    with pytest.raises(KeyError):
        load(wh, "userz", [write_csv(tmp_path / "u.csv", USERS_HEADER, user_rows(2))])
    assert [f.table for f in read_failures(wh)] == ["userz"]
    assert freshness_state(wh, CURRENT).last_failure is None  # no load could ever clear it, and no data changed


def test_a_failed_query_load_never_records_the_password(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "w.duckdb")
    url = "mysql+nosuchdriver://me:s3cret-pw@db.internal/shop"
    with pytest.raises(LoadError):
        load_sql(wh, "orders", url, "SELECT * FROM orders")
    assert not wh.exists()
    text = failures_path(wh).read_text(encoding="utf-8")
    assert "s3cret-pw" not in text
    [failure] = read_failures(wh)
    assert failure.table == "orders"
    assert failure.source == "mysql+nosuchdriver://me:***@db.internal/shop [query]"
    assert failure.reason.startswith("mysql+nosuchdriver://me:***@db.internal/shop: cannot connect")
    state = freshness_state(wh, CURRENT)
    assert state.stale and state.last_failure == failure


def test_the_failures_file_keeps_the_last_200(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "w.duckdb")
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for i in range(KEEP_FAILURES + 5):
        record_failure(wh, "events", f"f{i}.csv", f"reason {i}\nsecond line not kept", at=t0 + dt.timedelta(minutes=i))
    kept = read_failures(wh)
    assert len(kept) == KEEP_FAILURES
    assert (kept[0].source, kept[-1].source, kept[-1].reason) == ("f5.csv", f"f{KEEP_FAILURES + 4}.csv", "reason 204")
    with open(failures_path(wh), "a", encoding="utf-8") as fh:
        fh.write('{"torn line\n')  # a torn or hand-edited line is skipped, not fatal
    assert len(read_failures(wh)) == KEEP_FAILURES


# --- the notice ---------------------------------------------------------------------------------------------

SCRIPT = """
from pathlib import Path
from opsplan.store.warehouse import Warehouse
from ui.freshness_view import stale_notice

stale_notice(Warehouse(Path({db!r})), {lang!r}, {demo!r})
"""


def _notice(tmp_path: Path, db: Path, lang: str, demo: bool) -> AppTest:
    script = tmp_path / f"notice_{lang}_{demo}.py"
    script.write_text(SCRIPT.format(db=str(db), lang=lang, demo=demo), encoding="utf-8")
    at = AppTest.from_file(str(script), default_timeout=30)
    at.run()
    assert not at.exception
    return at


def _unescaped(markdown: str) -> str:
    """What the reader sees: the notice escapes Markdown ('2026\\-01\\-08' shows as '2026-01-08')."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_the_notice_warns_on_stale_demo_data_and_says_nothing_when_current(
    seeded_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(NOW_ENV, "2026-01-12T09:00:00+08:00")
    at = _notice(tmp_path, seeded_db, "en", True)
    assert [_unescaped(w.value) for w in at.warning] == [
        "Data runs to 2026-01-08, 3 days behind the expected 2026-01-11: today's verdicts rest on old data. (demo data)"
    ]
    at = _notice(tmp_path, seeded_db, "zh", False)
    assert [_unescaped(w.value) for w in at.warning] == [
        "数据截至 2026-01-08，比预期的 2026-01-11 晚 3 天：今天的判断基于旧数据。"
    ]

    monkeypatch.setenv(NOW_ENV, CURRENT.isoformat())  # the expected day is in the cache key: the notice goes
    assert not _notice(tmp_path, seeded_db, "en", True).warning

    with pytest.raises(LoadError):
        load(Warehouse(seeded_db), "users", [_bad_users(tmp_path)])
    [warning] = _notice(tmp_path, seeded_db, "en", False).warning  # same data version: keyed on the failures
    assert _unescaped(warning.value).startswith("The last load failed (users, ")
    assert r"column signup\_at\: not a timestamp" in warning.value  # escaped: shows as written
