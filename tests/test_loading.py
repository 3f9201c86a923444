"""The loader as a team meets it through `opsplan load`: refusals that point at the row, idempotent
re-loads, local days in the warehouse's zone, lineage, and warnings for columns the contract lacks."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from opsplan.store.loading import LoadError, UnknownTableError, load, row_counts
from opsplan.store.warehouse import Warehouse, read_connection
from tests.builders import (
    AD_SPEND_HEADER,
    EVENTS_HEADER,
    ORDERS_HEADER,
    SAMPLES,
    USERS_HEADER,
    ad_spend_rows,
    event_rows,
    fingerprint,
    order_rows,
    sha256,
    user_rows,
    write_csv,
)
from tests.conftest import Cli, CliResult


def refused(cli: Cli, db: Path, table: str, *files: Path, named: Sequence[Path] | None = None) -> CliResult:
    """Run a load that must be refused; the warehouse must hold exactly what it held before.

    The message must name the files (``named``: the ones at fault, default all).
    """
    before = fingerprint(db)
    result = cli("--db", db, "load", table, *files)
    assert result.code != 0, result.out
    assert "Traceback" not in result.err
    for f in files if named is None else named:
        assert str(f) in result.err, f"the message does not name {f}:\n{result.err}"
    assert fingerprint(db) == before, "a refused load changed the warehouse"
    return result


# --- refusals, one reason each ------------------------------------------------------------------------


def test_refuses_a_file_missing_a_required_column(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    rows = [(r[0], r[2], r[4]) for r in user_rows(3)]
    f = write_csv(tmp_path / "users_no_signup.csv", ("user_id", "channel", "region"), rows)
    r = refused(cli, seeded_db, "users", f)
    assert "line 1: column signup_at: required column missing" in r.err


def test_refuses_an_unparseable_timestamp(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    rows = user_rows(5, first=900)
    rows[2] = (rows[2][0], "2026-13-45 25:61:00", *rows[2][2:])  # data row 3 = line 4
    f = write_csv(tmp_path / "users_bad_time.csv", USERS_HEADER, rows)
    r = refused(cli, seeded_db, "users", f)
    assert "line 4: column signup_at: not a timestamp" in r.err
    assert "'2026-13-45 25:61:00'" in r.err


def test_refuses_negative_spend(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    rows = ad_spend_rows(days=1)
    rows[1] = (*rows[1][:3], "-300.00", *rows[1][4:])  # line 3
    f = write_csv(tmp_path / "spend_negative.csv", AD_SPEND_HEADER, rows)
    r = refused(cli, seeded_db, "ad_spend", f)
    assert "line 3: column spend: must not be negative ('-300.00')" in r.err


def test_refuses_a_duplicate_key_inside_one_file(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    rows = order_rows(6)
    rows[4] = (rows[1][0], *rows[4][1:])  # line 6 repeats the order_id of line 3
    f = write_csv(tmp_path / "orders_dup.csv", ORDERS_HEADER, rows)
    r = refused(cli, seeded_db, "orders", f)
    assert f"lines 3, 6: column order_id: duplicate key order_id={rows[1][0]}" in r.err


def test_refuses_clicks_over_impressions(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    rows = ad_spend_rows(days=1)
    rows[3] = (*rows[3][:4], "100", "250")  # line 5
    f = write_csv(tmp_path / "spend_clicks.csv", AD_SPEND_HEADER, rows)
    r = refused(cli, seeded_db, "ad_spend", f)
    assert "line 5: column clicks: clicks exceed impressions ('250 > 100')" in r.err


def test_refuses_a_header_only_file(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "users_header_only.csv", USERS_HEADER, [])
    r = refused(cli, seeded_db, "users", f)
    assert "line 1: only a header, no data rows" in r.err


def test_refuses_a_zero_byte_file(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    f = tmp_path / "events_empty.csv"
    f.write_bytes(b"")
    r = refused(cli, seeded_db, "events", f)
    assert "line 1: the file is empty (0 bytes" in r.err


def test_refuses_an_unknown_table(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "users.csv", USERS_HEADER, user_rows(3))
    r = refused(cli, seeded_db, "userz", f)
    assert "unknown table 'userz'" in r.err and "users, events, orders" in r.err
    with pytest.raises(KeyError):  # still a KeyError for callers of the API
        load(Warehouse(seeded_db), "userz", [f])


def test_finds_a_bad_value_at_data_row_30002_of_a_large_csv(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    rows = user_rows(40_000, first=10_000)
    rows[30_001] = (rows[30_001][0], "not a time", *rows[30_001][2:])  # data row 30,002 = line 30,003
    f = write_csv(tmp_path / "users_large.csv", USERS_HEADER, rows)
    r = refused(cli, seeded_db, "users", f)
    assert "line 30003: column signup_at: not a timestamp" in r.err
    assert "line 30002:" not in r.err and "lines" not in r.err  # the only bad one


def test_finds_a_ragged_line_30003_of_a_large_csv(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    rows: list[tuple[str, ...]] = list(user_rows(40_000, first=10_000))
    rows[30_001] = (*rows[30_001], "an extra field")
    f = write_csv(tmp_path / "users_ragged.csv", USERS_HEADER, rows)
    r = refused(cli, seeded_db, "users", f)
    assert "line 30003: expected 7 fields, found 8" in r.err


def test_lists_every_problem_of_a_refused_load_at_once(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    rows = order_rows(8)
    rows[0] = (rows[0][0], rows[0][1], "yesterday", *rows[0][3:])  # line 2
    rows[5] = (*rows[5][:3], "¥12.3.4", rows[5][4])  # line 7
    rows[6] = (rows[6][0], "", *rows[6][2:])  # line 8
    f = write_csv(tmp_path / "orders_many.csv", ORDERS_HEADER, rows)
    r = refused(cli, seeded_db, "orders", f)
    assert "line 2: column paid_at: not a timestamp" in r.err
    assert "line 7: column amount: not a number ('¥12.3.4')" in r.err
    assert "line 8: column user_id: required value is empty" in r.err


def test_refuses_a_whole_number_too_large_for_its_column(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    rows = ad_spend_rows(days=1)
    rows[0] = (*rows[0][:4], "1e30", rows[0][5])
    f = write_csv(tmp_path / "spend_huge.csv", AD_SPEND_HEADER, rows)
    r = refused(cli, seeded_db, "ad_spend", f)
    assert "line 2: column impressions: not a whole number ('1e30')" in r.err


def test_refuses_a_duplicate_key_across_files_naming_both(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    a = write_csv(tmp_path / "orders_a.csv", ORDERS_HEADER, order_rows(3))
    b = write_csv(tmp_path / "orders_b.csv", ORDERS_HEADER, order_rows(3)[1:2])
    r = refused(cli, seeded_db, "orders", a, b)
    assert f"{a}: line 3: column order_id: duplicate key order_id=000002 (also {b} line 2)" in r.err


def test_refuses_duplicate_event_ids_even_when_another_file_has_none(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    keyed = event_rows(4)
    keyed[3] = (keyed[0][0], *keyed[3][1:])
    a = write_csv(tmp_path / "events_keyed.csv", EVENTS_HEADER, keyed)
    b = write_csv(tmp_path / "events_no_id.csv", EVENTS_HEADER[1:], [r[1:] for r in event_rows(3)])
    r = refused(cli, seeded_db, "events", a, b, named=[a])
    assert "lines 2, 5: column event_id: duplicate key event_id=E0000000" in r.err


def test_refuses_an_unknown_time_zone_without_a_traceback(cli: Cli, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "users.csv", USERS_HEADER, user_rows(3))
    db = tmp_path / "new.duckdb"
    r = cli("--db", db, "--tz", "Asia/Shangai", "load", "users", f)
    assert r.code == 1 and "unknown time zone 'Asia/Shangai'" in r.err and "Asia/Shanghai" in r.err
    assert not db.exists()


# --- idempotent re-loads --------------------------------------------------------------------------------

RELOADS = [*SAMPLES, "events_without_id"]


@pytest.mark.parametrize("kind", RELOADS)
def test_loading_the_same_file_twice_gives_the_same_counts(kind: str, cli: Cli, tmp_path: Path) -> None:
    if kind == "events_without_id":
        table, header, rows = "events", EVENTS_HEADER[1:], [r[1:] for r in event_rows(60)]
    else:
        table, (header, rows) = kind, SAMPLES[kind]
    f = write_csv(tmp_path / f"{kind}.csv", header, rows)
    db = tmp_path / "w.duckdb"
    assert cli("--db", db, "--tz", "Asia/Shanghai", "load", table, f).code == 0
    first = row_counts(Warehouse(db))
    assert first[table] == len(rows)
    r = cli("--db", db, "load", table, f)
    assert r.code == 0
    assert f"{len(rows)} rows read, {len(rows)} stored ({len(rows)} replaced)" in r.out
    assert row_counts(Warehouse(db)) == first


def test_events_without_id_replace_exactly_the_days_they_bring(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "w.duckdb")
    no_id = [r[1:] for r in event_rows(30, with_id=False, days=3)]  # 10 a day on 01-05 .. 01-07
    load(wh, "events", [write_csv(tmp_path / "a.csv", EVENTS_HEADER[1:], no_id)], tz="UTC")
    keyed = event_rows(8, days=1, first_day=dt.date(2026, 1, 9))  # 8 keyed on 01-09
    load(wh, "events", [write_csv(tmp_path / "k.csv", EVENTS_HEADER, keyed)])

    # a corrected export of 01-06 with 4 events, plus one keyed event (a re-sent id) on 01-09
    fix = [("", "00100", "2026-01-06 09:00:00", "open", "")] * 4 + [keyed[0]]
    result = load(wh, "events", [write_csv(tmp_path / "fix.csv", EVENTS_HEADER, fix)])
    assert result.rows_replaced == 10 + 1

    with read_connection(wh) as con:
        per_day = dict(con.execute("SELECT event_day, count(*) FROM events GROUP BY ALL").fetchall())
    d = dt.date
    # 01-06 replaced; 01-05 and 01-07 untouched; on 01-09 only the re-sent id was replaced
    assert per_day == {d(2026, 1, 5): 10, d(2026, 1, 6): 4, d(2026, 1, 7): 10, d(2026, 1, 9): 8}


def test_a_refused_reload_keeps_the_earlier_load(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    header, rows = SAMPLES["users"]
    bad = [*rows, ("00100", "2026-01-06 10:00:00", "抖音", "", "", "", "")]  # 00100 twice
    refused(cli, seeded_db, "users", write_csv(tmp_path / "users_again.csv", header, bad))


# --- time zones -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("zone", "hours"), [("Asia/Shanghai", 8), ("UTC", 0)])
def test_one_instant_written_three_ways_lands_on_its_local_day(zone: str, hours: int, cli: Cli, tmp_path: Path) -> None:
    local = dt.timezone(dt.timedelta(hours=hours))
    cst = dt.timezone(dt.timedelta(hours=8))
    instants = {
        "late": dt.datetime(2026, 1, 5, 23, 59, 59, tzinfo=local),  # last second of 01-05, local
        "early": dt.datetime(2026, 1, 6, 0, 0, 1, tzinfo=local),  # first second of 01-06, local
    }
    rows = []
    for name, t in instants.items():
        rows += [
            (f"{name}-z", "00123", t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "open", ""),
            (f"{name}-plus8", "00123", t.astimezone(cst).isoformat(sep=" "), "open", ""),
            (f"{name}-naive", "00123", t.replace(tzinfo=None).isoformat(sep=" "), "open", ""),
        ]
    f = write_csv(tmp_path / "events_tz.csv", EVENTS_HEADER, rows)
    db = tmp_path / f"{zone.replace('/', '_')}.duckdb"
    assert cli("--db", db, "--tz", zone, "load", "events", f).code == 0
    with read_connection(Warehouse(db)) as con:
        got = {
            r[0]: (r[1], r[2])
            for r in con.execute("SELECT event_id, event_day, epoch(event_at) FROM events").fetchall()
        }
    for name, t in instants.items():
        for form in ("z", "plus8", "naive"):
            day, epoch = got[f"{name}-{form}"]
            assert day == t.date(), (zone, name, form)
            assert epoch == t.timestamp(), (zone, name, form)


# --- lineage and status ---------------------------------------------------------------------------------


def test_each_load_records_its_lineage_and_status_shows_it(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    users = write_csv(tmp_path / "users.csv", USERS_HEADER, user_rows(25))
    orders = write_csv(tmp_path / "orders.csv", ORDERS_HEADER, order_rows(12))
    for args in (("users", users), ("orders", orders), ("users", users)):
        assert cli("--db", db, "--tz", "Asia/Shanghai", "load", *args).code == 0

    with read_connection(Warehouse(db)) as con:
        loads = con.execute(
            """SELECT load_id, table_name, source, rows_in, rows_stored, rows_replaced, rows_rejected,
                      checksum, CAST(min_day AS VARCHAR), CAST(max_day AS VARCHAR), loaded_at IS NOT NULL
               FROM _loads ORDER BY load_id"""
        ).fetchall()
    assert loads == [
        (1, "users", str(users), 25, 25, 0, 0, sha256(users)[:16], "2026-01-05", "2026-01-07", True),
        (2, "orders", str(orders), 12, 12, 0, 0, sha256(orders)[:16], "2026-01-05", "2026-01-09", True),
        (3, "users", str(users), 25, 25, 25, 0, sha256(users)[:16], "2026-01-05", "2026-01-07", True),
    ]

    r = cli("--db", db, "status", "--format", "json")
    assert r.code == 0
    status = {row["table"]: row for row in json.loads(r.out)}
    assert status["users"]["rows"] == 25 and status["users"]["latest_day"] == "2026-01-07"
    assert status["orders"]["rows"] == 12 and status["orders"]["latest_day"] == "2026-01-09"
    assert status["users"]["last_load"] == 3
    assert status["events"]["rows"] == 0 and status["events"]["latest_day"] is None

    r = cli("--db", db, "status")
    assert r.code == 0
    lines = {line.split()[0]: line.split() for line in r.out.splitlines() if line.strip()}
    assert lines["users"][1:4] == ["25", "2026-01-05", "2026-01-07"]
    assert lines["orders"][1:4] == ["12", "2026-01-05", "2026-01-09"]
    assert str(users) in r.out  # the recent loads, with their source


# --- warnings -------------------------------------------------------------------------------------------


def test_columns_outside_the_contract_are_reported_as_warnings(cli: Cli, tmp_path: Path) -> None:
    rows = [(*r, "spring_sale", "老客推荐") for r in user_rows(5)]
    f = write_csv(tmp_path / "users_extra.csv", (*USERS_HEADER, "UTM_Source", "备注"), rows)
    db = tmp_path / "w.duckdb"
    r = cli("--db", db, "load", "users", f)
    assert r.code == 0, r.err
    warning = [line for line in r.out.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1, r.out
    assert str(f) in warning[0] and "utm_source" in warning[0] and "备注" in warning[0]
    with read_connection(Warehouse(db)) as con:
        (notes,) = con.execute("SELECT notes FROM _loads").fetchall()[0]
    assert "utm_source" in notes and "备注" in notes


def test_a_different_tz_for_an_existing_warehouse_is_a_warning(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "users.csv", USERS_HEADER, user_rows(2, first=500))
    r = cli("--db", seeded_db, "--tz", "UTC", "load", "users", f)
    assert r.code == 0
    assert "warning: the warehouse keeps the zone it was made with (Asia/Shanghai); --tz UTC is ignored" in r.out


def test_load_error_lists_problems_for_the_api(seeded_db: Path, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "o.csv", ORDERS_HEADER, [("1", "00100", "2026-01-05 10:00:00", "abc", "")])
    with pytest.raises(LoadError) as info:
        load(Warehouse(seeded_db), "orders", [f])
    (problem,) = info.value.problems
    assert (problem.source, problem.rows, problem.column) == (str(f), (2,), "amount")
    assert not isinstance(info.value, UnknownTableError)


# --- a refusal in the reader's language (the Data page) -----------------------------------------------


def test_a_refusal_reads_in_chinese_and_english_with_the_same_place(seeded_db: Path, tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "users_bad_time.csv", USERS_HEADER, [(r[0], "2026-13-45", *r[2:]) for r in user_rows(2)])
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    refusals = []
    for source in (bad, empty):
        with pytest.raises(LoadError) as info:
            load(Warehouse(seeded_db), "users", [source])
        refusals.append(info.value)
    exc = refusals[0]
    assert exc.headline("en") == str(exc).splitlines()[0] == "load into users refused, nothing was written:"
    assert exc.headline("zh") == "导入 users 被拒绝，没有写入任何数据："
    [time_problem], [empty_problem] = refusals[0].problems, refusals[1].problems
    assert empty_problem.text("en") == empty_problem.message == "the file is empty (0 bytes, not even a header line)"
    assert empty_problem.text("zh") == "文件是空的（0 字节，连表头都没有）"
    assert time_problem.text("en").startswith("not a timestamp (e.g. 2026-01-05 08:30:00")
    assert time_problem.text("zh").startswith("不是时间戳") and "'2026-13-45'" in time_problem.text("zh")
    assert time_problem.rows == (2, 3) and time_problem.column == "signup_at"
