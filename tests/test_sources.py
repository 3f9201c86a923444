"""Every way rows arrive: GBK / UTF-8 BOM CSV, Excel, Parquet, and a query against the team's own
PostgreSQL or MariaDB. Text (Chinese, ids with leading zeros) must arrive exactly as it left."""

from __future__ import annotations

import datetime as dt
import decimal
import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from opsplan.store.sources import detect_encoding, mask_url, remove_stale_workdirs, text_value
from opsplan.store.warehouse import Warehouse, read_connection
from tests.builders import (
    CHANNELS,
    REGIONS,
    USERS_HEADER,
    fingerprint,
    user_rows,
    write_csv,
)
from tests.conftest import Cli

CST = dt.timezone(dt.timedelta(hours=8))


def stored_users(db: Path) -> list[tuple[object, ...]]:
    with read_connection(Warehouse(db)) as con:
        return con.execute(
            "SELECT user_id, channel, region, signup_day, epoch(signup_at) FROM users ORDER BY user_id"
        ).fetchall()


def expected_users(rows: list[tuple[str, ...]], offset_hours: int = 8) -> list[tuple[object, ...]]:
    """What ``user_rows`` must come back as in a warehouse ``offset_hours`` east of UTC."""
    zone = dt.timezone(dt.timedelta(hours=offset_hours))
    out = []
    for r in rows:
        t = dt.datetime.fromisoformat(r[1]).replace(tzinfo=zone)
        out.append((r[0], r[2] or "organic", r[4], t.date(), t.timestamp()))
    return sorted(out)


# --- CSV encodings --------------------------------------------------------------------------------------


def test_gbk_csv_with_chinese_channels_and_regions_round_trips(cli: Cli, tmp_path: Path) -> None:
    rows = user_rows(30)  # 00100 … 00129: every channel of CHANNELS, every region of REGIONS
    assert {r[2] for r in rows} >= set(CHANNELS) and {r[4] for r in rows} == set(REGIONS)
    f = write_csv(tmp_path / "users_gbk.csv", USERS_HEADER, rows, encoding="gbk")
    assert detect_encoding(f) == "gb18030"
    db = tmp_path / "w.duckdb"
    r = cli("--db", db, "--tz", "Asia/Shanghai", "load", "users", f)
    assert r.code == 0, r.err
    got = stored_users(db)
    assert got == expected_users(rows)
    assert ("00123", rows[23][2], rows[23][4]) == got[23][:3]


def test_utf8_bom_csv_round_trips_and_its_first_column_is_found(cli: Cli, tmp_path: Path) -> None:
    rows = user_rows(30)
    f = write_csv(tmp_path / "users_bom.csv", USERS_HEADER, rows, encoding="utf-8-sig")
    assert f.read_bytes()[:3] == b"\xef\xbb\xbf" and detect_encoding(f) == "utf-8-sig"
    db = tmp_path / "w.duckdb"
    r = cli("--db", db, "--tz", "Asia/Shanghai", "load", "users", f)
    assert r.code == 0, r.err
    assert "warning" not in r.out  # "\ufeffuser_id" would be an unknown column
    assert stored_users(db) == expected_users(rows)


def test_bytes_that_are_neither_utf8_nor_gbk_are_refused_with_their_line(
    cli: Cli, seeded_db: Path, tmp_path: Path
) -> None:
    f = tmp_path / "users_broken.csv"
    f.write_bytes(b"user_id,signup_at\n00123,2026-01-05\n00124\xff,2026-01-05\n")
    before = fingerprint(seeded_db)
    r = cli("--db", seeded_db, "load", "users", f)
    assert r.code == 1 and "Traceback" not in r.err
    assert f"{f}: line 3: neither UTF-8 nor GBK/GB18030 text" in r.err
    assert fingerprint(seeded_db) == before


def test_blank_lines_and_quoted_line_breaks_keep_line_numbers(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    f = tmp_path / "users_gaps.csv"
    f.write_text(
        "user_id,signup_at,region\n"  # 1
        "00901,2026-01-05 10:00:00,上海\n"  # 2
        "\n"  # 3: blank
        '00902,2026-01-05 10:00:00,"浦东\n新区"\n'  # 4-5: one record over two lines
        "00903,soon,北京\n",  # 6
        encoding="utf-8",
    )
    r = cli("--db", seeded_db, "load", "users", f)
    assert r.code == 1
    assert f"{f}: line 6: column signup_at: not a timestamp" in r.err


def test_detect_encoding(tmp_path: Path) -> None:
    cases = {"utf-8": "渠道,抖音\n", "utf-8-sig": "渠道,抖音\n", "gbk": "渠道,抖音\n"}
    expected = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gb18030"}
    for encoding, text in cases.items():
        f = tmp_path / f"{encoding}.csv"
        f.write_text(text, encoding=encoding)
        assert detect_encoding(f) == expected[encoding]


# --- Excel and Parquet ----------------------------------------------------------------------------------


def test_excel_round_trips_with_text_ids_and_date_cells(cli: Cli, tmp_path: Path) -> None:
    rows = user_rows(30)
    frame = pd.DataFrame(rows, columns=list(USERS_HEADER))
    # half the times as real Excel date cells, half as text, the way people fill in sheets
    frame["signup_at"] = [dt.datetime.fromisoformat(v) if i % 2 else v for i, v in enumerate(frame["signup_at"])]
    frame["channel"] = frame["channel"].replace("", None)
    f = tmp_path / "users.xlsx"
    frame.to_excel(f, index=False, engine="openpyxl")
    db = tmp_path / "w.duckdb"
    r = cli("--db", db, "--tz", "Asia/Shanghai", "load", "users", f)
    assert r.code == 0, r.err
    assert stored_users(db) == expected_users(rows)
    with read_connection(Warehouse(db)) as con:
        assert con.execute("SELECT city_tier FROM users WHERE user_id = '00123'").fetchall() == [("4",)]


def test_excel_blank_rows_are_skipped_and_rows_keep_their_numbers(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    frame = pd.DataFrame(
        [
            ["00901", "2026-01-05 10:00:00"],
            [None, None],
            ["00902", "2026-01-05 11:00:00"],
            ["00903", "later"],
        ],
        columns=["user_id", "signup_at"],
    )
    f = tmp_path / "users_gap.xlsx"
    frame.to_excel(f, index=False, engine="openpyxl")  # sheet rows: 1 header, 2, 3 blank, 4, 5
    r = cli("--db", seeded_db, "load", "users", f)
    assert r.code == 1
    assert f"{f}: row 5: column signup_at: not a timestamp" in r.err and "('later')" in r.err
    assert "row 3" not in r.err


def test_parquet_round_trips_text_ids_and_timestamps(cli: Cli, tmp_path: Path) -> None:
    rows = user_rows(30)
    frame = pd.DataFrame(rows, columns=list(USERS_HEADER))
    # an instant column (UTC in the file) must land on the Shanghai day of that instant
    frame["signup_at"] = pd.to_datetime(frame["signup_at"]).dt.tz_localize(CST).dt.tz_convert("UTC")
    frame["city_tier"] = frame["city_tier"].astype("int64")
    f = tmp_path / "users.parquet"
    frame.to_parquet(f, index=False)
    db = tmp_path / "w.duckdb"
    r = cli("--db", db, "--tz", "Asia/Shanghai", "load", "users", f)
    assert r.code == 0, r.err
    assert stored_users(db) == expected_users(rows)

    # naive timestamps in a Parquet file are wall-clock times of the warehouse's zone
    orders = pd.DataFrame(
        {
            "order_id": ["00042", "00043"],
            "user_id": ["00123", "00123"],
            "paid_at": pd.to_datetime(["2026-01-05 23:59:59", "2026-01-06 00:00:01"]),
            "amount": [199.0, -19.9],
        }
    )
    g = tmp_path / "orders.parquet"
    orders.to_parquet(g, index=False)
    assert cli("--db", db, "load", "orders", g).code == 0
    with read_connection(Warehouse(db)) as con:
        got = con.execute("SELECT order_id, user_id, paid_day, amount FROM orders ORDER BY order_id").fetchall()
    assert got == [
        ("00042", "00123", dt.date(2026, 1, 5), decimal.Decimal("199.00")),
        ("00043", "00123", dt.date(2026, 1, 6), decimal.Decimal("-19.90")),
    ]


# --- values from a database -----------------------------------------------------------------------------


def test_text_value_writes_values_as_a_person_would() -> None:
    assert text_value(123.0) == "123"  # an id through a nullable integer column
    assert text_value(float("nan")) is None and text_value(None) is None and text_value(pd.NaT) is None
    assert text_value(12.5) == "12.5" and text_value(decimal.Decimal("-19.90")) == "-19.90"
    assert text_value({"页面": "首页", "n": [1]}) == '{"页面": "首页", "n": [1]}'
    assert text_value(dt.datetime(2026, 1, 5, 23, 59, 59, tzinfo=CST)) == "2026-01-05 23:59:59+08:00"
    assert text_value(pd.Timestamp("2026-01-05 15:59:59", tz="UTC")) == "2026-01-05 15:59:59+00:00"
    assert text_value(dt.date(2026, 1, 5)) == "2026-01-05" and text_value(True) == "true"
    assert text_value(np.datetime64("2026-01-05T10:00:00.000000000")) == "2026-01-05 10:00:00"
    assert text_value(np.int64(123)) == "123" and text_value(np.datetime64("NaT")) is None


def test_mask_url_hides_the_password() -> None:
    assert mask_url("postgresql+psycopg://me:s3cr:et@db:5432/x") == "postgresql+psycopg://me:***@db:5432/x"
    assert mask_url("mysql+pymysql://root@127.0.0.1/test") == "mysql+pymysql://root@127.0.0.1/test"


def test_an_unreachable_database_is_refused_without_the_password(cli: Cli, seeded_db: Path) -> None:
    url = "postgresql+psycopg://someone:hunter2@127.0.0.1:1/nowhere"
    before = fingerprint(seeded_db)
    r = cli("--db", seeded_db, "load", "users", "--from-sql", url, "--query", "SELECT 1")
    assert r.code == 1 and "Traceback" not in r.err
    assert "postgresql+psycopg://someone:***@127.0.0.1:1/nowhere" in r.err and "hunter2" not in r.err
    assert fingerprint(seeded_db) == before


def test_staging_folders_of_killed_loads_are_removed_and_running_ones_kept(tmp_path: Path) -> None:
    killed = tmp_path / "opsplan-load-killed"  # its lock file is there, nobody holds the lock
    killed.mkdir()
    (killed / ".lock").touch()
    (killed / "stage.duckdb").write_bytes(b"x" * 1000)
    running = tmp_path / "opsplan-load-running"
    running.mkdir()
    held = os.open(running / ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)  # as a load in another process would
    half_made = tmp_path / "opsplan-load-new"  # just created, not locked yet: left alone
    half_made.mkdir()
    try:
        remove_stale_workdirs(tmp_path)
    finally:
        os.close(held)
    assert not killed.exists() and running.exists() and half_made.exists()


def test_a_file_database_is_refused_before_anything_runs(cli: Cli, seeded_db: Path, tmp_path: Path) -> None:
    """A SQLite URL reads (or creates) a file on this machine: refused before any engine exists (issue 8). The empty
    result, the DELETE and the missing table of a real server are in tests/test_sql_import.py."""
    sqlite = tmp_path / "team.sqlite"
    url = f"sqlite:///{sqlite}"
    before = fingerprint(seeded_db)
    r = cli("--db", seeded_db, "load", "users", "--from-sql", url, "--query", "SELECT * FROM users")
    assert r.code == 1 and "sqlite reads a local file, not a database server" in r.err
    assert not sqlite.exists()
    assert fingerprint(seeded_db) == before


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _reachable(what: str, candidates: list[str]) -> sa.Engine:
    """An engine on the first URL that answers; skip (fail under CI=true) when none does."""
    errors = []
    for url in candidates:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return engine
        except Exception as exc:  # any driver error means "not reachable here"
            errors.append(f"{mask_url(url)}: {str(exc).splitlines()[0]}")
            engine.dispose()
    reason = f"{what} not reachable ({'; '.join(errors)})"
    if _in_ci():
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def pg() -> Iterator[sa.Engine]:
    env = os.environ.get("OPSPLAN_TEST_PG_URL")
    engine = _reachable(
        "PostgreSQL",
        [env]
        if env
        else [
            "postgresql+psycopg://postgres@127.0.0.1:5432/test",
            "postgresql+psycopg://root@127.0.0.1:5432/test",
            "postgresql+psycopg://postgres@/test",
        ],
    )
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def mariadb() -> Iterator[sa.Engine]:
    env = os.environ.get("OPSPLAN_TEST_MYSQL_URL")
    engine = _reachable("MariaDB", [env] if env else ["mysql+pymysql://root@127.0.0.1:3306/test"])
    yield engine
    engine.dispose()


@pytest.fixture
def table_prefix(request: pytest.FixtureRequest) -> str:
    return f"opsplan_test_{uuid.uuid4().hex[:10]}"


def _run_sql(engine: sa.Engine, *statements: str) -> None:
    with engine.begin() as conn:
        for s in statements:
            conn.execute(sa.text(s))


def _url(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _check_round_trip(db: Path) -> None:
    """What both databases' users and orders must look like in the Asia/Shanghai warehouse."""
    with read_connection(Warehouse(db)) as con:
        users = con.execute(
            "SELECT user_id, channel, region, referrer_id, signup_day, epoch(signup_at) FROM users ORDER BY 1"
        ).fetchall()
        orders = con.execute(
            "SELECT order_id, user_id, paid_day, epoch(paid_at), amount, product FROM orders ORDER BY 1"
        ).fetchall()
    late = dt.datetime(2026, 1, 5, 23, 59, 59, tzinfo=CST).timestamp()
    early = dt.datetime(2026, 1, 6, 0, 0, 1, tzinfo=CST).timestamp()
    assert users == [
        ("00123", "抖音", "上海浦东", None, dt.date(2026, 1, 5), late),
        ("00124", "小红书", "北京", "77", dt.date(2026, 1, 6), early),
        ("00125", "organic", None, None, dt.date(2026, 1, 6), early),
    ]
    assert orders == [
        ("000042", "00123", dt.date(2026, 1, 5), late, decimal.Decimal("199.00"), "年卡会员"),
        ("000043", "00123", dt.date(2026, 1, 6), early, decimal.Decimal("-19.90"), "退款·月卡"),
    ]


@pytest.mark.pg
def test_postgresql_users_and_orders_round_trip(pg: sa.Engine, table_prefix: str, cli: Cli, tmp_path: Path) -> None:
    users, orders, events = f"{table_prefix}_users", f"{table_prefix}_orders", f"{table_prefix}_events"
    try:
        _run_sql(
            pg,
            # referrer_id is a bigint with NULLs: 77 must stay "77", not become "77.0" on the way
            f"""CREATE TABLE {users} (user_id varchar(10), signup_at timestamptz, channel text, region text,
                                      referrer_id bigint)""",
            f"""INSERT INTO {users} VALUES
                ('00123', '2026-01-05 23:59:59+08', '抖音', '上海浦东', NULL),
                ('00124', '2026-01-05 16:00:01+00', '小红书', '北京', 77),
                ('00125', '2026-01-06 00:00:01+08', NULL, NULL, NULL)""",
            # paid_at is a naive timestamp: a wall-clock time in the warehouse's zone
            f"""CREATE TABLE {orders} (order_id varchar(10), user_id varchar(10), paid_at timestamp,
                                       amount numeric(12, 2), product text)""",
            f"""INSERT INTO {orders} VALUES
                ('000042', '00123', '2026-01-05 23:59:59', 199.00, '年卡会员'),
                ('000043', '00123', '2026-01-06 00:00:01', -19.90, '退款·月卡')""",
            f"""CREATE TABLE {events} (user_id varchar(10), event_at timestamptz, event_name text,
                                       properties jsonb)""",
            f"""INSERT INTO {events} VALUES ('00123', '2026-01-05 23:59:59+08', 'open', '{{"页面": "首页"}}'),
                                            ('00123', '2026-01-06 00:00:01+08', 'pay', NULL)""",
        )
        db = tmp_path / "w.duckdb"
        for table in ("users", "orders", "events"):
            query = f"SELECT * FROM {table_prefix}_{table}"
            r = cli("--db", db, "--tz", "Asia/Shanghai", "load", table, "--from-sql", _url(pg), "--query", query)
            assert r.code == 0, r.err
        _check_round_trip(db)
        with read_connection(Warehouse(db)) as con:
            props = con.execute("SELECT event_day, properties FROM events ORDER BY event_at").fetchall()
            (source,) = con.execute("SELECT source FROM _loads WHERE load_id = 1").fetchall()[0]
        assert props[0][0] == dt.date(2026, 1, 5) and json.loads(props[0][1]) == {"页面": "首页"}
        assert props[1] == (dt.date(2026, 1, 6), None)
        assert source == f"{mask_url(_url(pg))} [query]"
    finally:
        _run_sql(pg, *(f"DROP TABLE IF EXISTS {t}" for t in (users, orders, events)))


@pytest.mark.pg
def test_mariadb_users_and_orders_round_trip(mariadb: sa.Engine, table_prefix: str, cli: Cli, tmp_path: Path) -> None:
    users, orders = f"{table_prefix}_users", f"{table_prefix}_orders"
    try:
        _run_sql(
            mariadb,
            f"""CREATE TABLE {users} (user_id VARCHAR(10), signup_at DATETIME, channel VARCHAR(20),
                region VARCHAR(20), referrer_id BIGINT) CHARACTER SET utf8mb4""",
            f"""INSERT INTO {users} VALUES
                ('00123', '2026-01-05 23:59:59', '抖音', '上海浦东', NULL),
                ('00124', '2026-01-06 00:00:01', '小红书', '北京', 77),
                ('00125', '2026-01-06 00:00:01', NULL, NULL, NULL)""",
            f"""CREATE TABLE {orders} (order_id VARCHAR(10), user_id VARCHAR(10), paid_at DATETIME,
                amount DECIMAL(12, 2), product VARCHAR(20)) CHARACTER SET utf8mb4""",
            f"""INSERT INTO {orders} VALUES
                ('000042', '00123', '2026-01-05 23:59:59', 199.00, '年卡会员'),
                ('000043', '00123', '2026-01-06 00:00:01', -19.90, '退款·月卡')""",
        )
        db = tmp_path / "w.duckdb"
        for table in ("users", "orders"):
            query = f"SELECT * FROM {table_prefix}_{table}"
            r = cli(
                "--db",
                db,
                "--tz",
                "Asia/Shanghai",
                "load",
                table,
                "--from-sql",
                _url(mariadb),
                "--query",
                query,
            )
            assert r.code == 0, r.err
        _check_round_trip(db)
    finally:
        _run_sql(mariadb, *(f"DROP TABLE IF EXISTS {t}" for t in (users, orders)))
