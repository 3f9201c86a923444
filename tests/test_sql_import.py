"""A database import is not a shell: a connection the admin named (or the admin's --from-sql URL), never a file
URL, exactly one SELECT, run in a read-only transaction with a row and a time limit, and no password in the load
history, `opsplan status`, an error or the failures file.

The servers are the real local PostgreSQL and MariaDB (tests marked ``pg``: one skip line each when a server is
down, a failure under CI=true). A refused import must leave the warehouse's row counts and file bytes as they
were, and the team's database as it was.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from opsplan.store.connections import (
    Connection,
    ConnectionSettingsError,
    QueryRefused,
    check_select,
    connection_from_url,
    mask_url,
    parse_connections,
    read_connections_file,
    scrub,
)
from opsplan.store.freshness import failures_path
from opsplan.store.loading import LoadError, load_sql, row_counts
from opsplan.store.status import recent_loads
from opsplan.store.warehouse import Warehouse
from tests.builders import fingerprint
from tests.conftest import Cli

PG_URL = os.environ.get("OPSPLAN_TEST_PG_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MARIADB_URL = os.environ.get("OPSPLAN_TEST_MYSQL_URL") or "mysql+pymysql://root@127.0.0.1:3306/test"
#: a password that must appear nowhere but in the URL it was given in (the local PostgreSQL trusts, so it is
#: sent along and ignored; the MariaDB tests make a user that has it)
SECRET = "Pw-7f3c9-s3cret"
QUERY_SECRET = "Qp-81d2e-s3cret"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def reachable(what: str, url: str) -> sa.Engine:
    """An engine on ``url``; skip with a one-line reason when the server is down (fail under CI=true)."""
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3}, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:  # any driver error means "not reachable here"
        engine.dispose()
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        reason = f"{what} not reachable at {mask_url(url)}: {first}"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return engine


def with_password(url: str, password: str, user: str | None = None) -> str:
    parsed = sa.make_url(url).set(password=password)
    return (parsed.set(username=user) if user else parsed).render_as_string(hide_password=False)


def scratch_name() -> str:
    return f"opsplan_sql_{uuid.uuid4().hex[:10]}"


#: users rows the warehouse (Asia/Shanghai) accepts, from any PostgreSQL
PG_USERS = (
    "SELECT 'sql' || lpad(n::text, 4, '0') AS user_id, '2026-01-05 10:00:00+08' AS signup_at, 'douyin' AS channel "
    "FROM generate_series(1, {n}) AS n ORDER BY n"
)


@pytest.fixture(scope="module")
def pg() -> Iterator[sa.Engine]:
    engine = reachable("PostgreSQL", PG_URL)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def mariadb() -> Iterator[sa.Engine]:
    engine = reachable("MariaDB", MARIADB_URL)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def pg_scratch(pg: sa.Engine) -> Iterator[str]:
    """A schema with a table of three rows, a sequence, a log and a function that writes to it."""
    s = scratch_name()
    with pg.begin() as conn:
        for sql in (
            f"CREATE SCHEMA {s}",
            f"CREATE TABLE {s}.t (n int)",
            f"INSERT INTO {s}.t VALUES (1), (2), (3)",
            f"CREATE SEQUENCE {s}.seq",
            f"CREATE TABLE {s}.log (n int)",
            f"CREATE FUNCTION {s}.bump() RETURNS int LANGUAGE sql VOLATILE AS "
            f"$$ INSERT INTO {s}.log VALUES (1) RETURNING n $$",
            f"CREATE PROCEDURE {s}.p() LANGUAGE sql AS $$ DELETE FROM {s}.t $$",
        ):
            conn.exec_driver_sql(sql)
    yield s
    with pg.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {s} CASCADE")


def pg_state(pg: sa.Engine, s: str) -> tuple[object, ...]:
    """What a refused statement must leave as it was in the team's database."""
    with pg.connect() as conn:
        rows = conn.exec_driver_sql(f"SELECT n FROM {s}.t ORDER BY n").scalars().all()
        seq = tuple(conn.exec_driver_sql(f"SELECT last_value, is_called FROM {s}.seq").one())
        log = conn.exec_driver_sql(f"SELECT count(*) FROM {s}.log").scalar()
        tables = conn.exec_driver_sql(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %(s)s ORDER BY 1", {"s": s}
        ).scalars().all()  # fmt: skip
    return tuple(rows), seq, log, tuple(tables)


# --- connections: parsed without Streamlit, file URLs refused --------------------------------------------------

SECRETS_TOML = f"""
opsplan_password_hash = "not-used-here"

[connections.team]
url = "{with_password(PG_URL, SECRET)}"
max_rows = 50
timeout_seconds = 5

[connections.team.queries]
users = "SELECT 'q1' AS user_id, '2026-01-05 10:00:00+08' AS signup_at"

[connections.local]
url = "sqlite:///tmp/opsplan-never.db"

[connections.typo]
url = "{with_password(PG_URL, SECRET)}"
max_row = 10
"""


def test_connections_are_parsed_from_toml_and_file_urls_refused(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text(SECRETS_TOML, encoding="utf-8")
    conns = read_connections_file(path)
    assert conns.names == ("team",)
    team = conns.get("team")
    assert (team.max_rows, team.timeout_seconds, team.query_names, team.dialect) == (50, 5, ("users",), "postgres")
    assert team.label == "connection team" and SECRET not in repr(team) and SECRET not in repr(conns)
    refused = dict(conns.refused)
    assert "reads a local file" in refused["local"] and "sqlite" in refused["local"]
    assert "unknown setting(s) max_row" in refused["typo"]
    for name in ("local", "typo", "nowhere"):
        with pytest.raises(ConnectionSettingsError) as err:
            conns.get(name)
        assert SECRET not in str(err.value) and "sqlite:///" not in str(err.value)
    with pytest.raises(ConnectionSettingsError, match="no saved query 'orders'"):
        team.saved("orders")
    assert not Path("/tmp/opsplan-never.db").exists()


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///{tmp}/x.db",
        "sqlite+pysqlite:///{tmp}/x.db",
        "sqlite://",  # in memory: still SQLite, whose ATTACH / VACUUM INTO write files
        "duckdb:///{tmp}/x.db",
        "sqlite:///tmp/x.db",
    ],
)
def test_a_file_url_is_refused_and_no_file_is_created(cli: Cli, seeded_db: Path, tmp_path: Path, url: str) -> None:
    url = url.format(tmp=tmp_path)
    existed = Path("/tmp/x.db").exists()
    before = fingerprint(seeded_db)
    r = cli("--db", seeded_db, "load", "users", "--from-sql", url, "--query", "SELECT 1 AS user_id")
    assert r.code == 1 and "Traceback" not in r.err
    assert "reads a local file, not a database server" in r.err
    assert not (tmp_path / "x.db").exists() and Path("/tmp/x.db").exists() == existed
    assert fingerprint(seeded_db) == before
    with pytest.raises(ConnectionSettingsError, match="reads a local file"):
        connection_from_url(url)
    assert parse_connections({"f": {"url": url}}).names == ()


def test_limits_and_names_of_a_connection_are_checked() -> None:
    good = {"url": "postgresql+psycopg://u@db.internal/shop"}
    for bad, why in (
        ({**good, "max_rows": 0}, "max_rows must be between 1"),
        ({**good, "max_rows": "10"}, "max_rows must be a whole number"),
        ({**good, "timeout_seconds": 0}, "timeout_seconds must be above 0"),
        ({**good, "timeout_seconds": 7200}, "at most 3600"),
        ({"url": "postgresql+psycopg://u@/shop"}, "without a host"),
        ({"url": "nosuchdb://u@h/x"}, "unknown kind of database 'nosuchdb'"),
        ({"url": "not a url"}, "not a SQLAlchemy URL"),
        ({**good, "queries": {"x": 1}}, "queries must be"),
        ({"max_rows": 3}, "no url"),
    ):
        assert why in dict(parse_connections({"c": bad}).refused)["c"]
    conn = Connection("c", good["url"], max_rows=100, timeout_seconds=10)
    assert conn.limited(1000, 60) == conn and conn.limited(5, 1).max_rows == 5  # a caller may only lower them


# --- only SELECT ---------------------------------------------------------------------------------------------

PG_REFUSED = [
    ("INSERT INTO {s}.t VALUES (9)", "not INSERT"),
    ("UPDATE {s}.t SET n = 0", "not UPDATE"),
    ("DELETE FROM {s}.t", "not DELETE"),
    ("CREATE TABLE {s}.made (n int)", "not CREATE"),
    ("DROP TABLE {s}.t", "not DROP"),
    ("COPY {s}.t TO '/tmp/{s}.csv'", "not COPY"),
    ("VACUUM {s}.t", "not VACUUM"),
    ("ATTACH DATABASE '/tmp/{s}.db' AS x", "not ATTACH"),
    ("PRAGMA writable_schema = 1", "not PRAGMA"),
    ("SET default_transaction_read_only = off", "not SET"),
    ("CALL {s}.p()", "not CALL"),
    ("DO $$ BEGIN DELETE FROM {s}.t; END $$", "not DO"),
    ("SELECT 1; DELETE FROM {s}.t", "2 statements (SELECT, DELETE)"),
    ("SELECT n FROM {s}.t; SELECT n FROM {s}.t", "2 statements"),
    ("SELECT n INTO {s}.copied FROM {s}.t", "SELECT … INTO"),
    ("WITH gone AS (DELETE FROM {s}.t RETURNING n) SELECT n FROM gone", "holds DELETE"),
    ("EXPLAIN ANALYZE DELETE FROM {s}.t", "not EXPLAIN"),
    ("SELECT n FROM {s}.t FOR UPDATE", "FOR UPDATE"),
    ("TRUNCATE {s}.t", "not TRUNCATE"),
    ("SELECT pg_read_file('/etc/hostname')", "pg_read_file() may not be called"),
    ("SELECT pg_catalog.pg_read_file('/etc/hostname')", "pg_read_file() may not be called"),
    ("SELECT \"pg_read_file\"('/etc/hostname')", "pg_read_file() may not be called"),
    ("SELECT * FROM pg_read_file('/etc/hostname') AS f", "pg_read_file() may not be called"),
    ("SELECT U&\"pg\\005fread_file\"('/etc/hostname')", "not a plain name"),
    ("SELECT pg_read_binary_file('/etc/hostname')", "pg_read_binary_file() may not be called"),
    ("SELECT * FROM pg_ls_dir('/etc') AS f", "pg_ls_dir() may not be called"),
    ("SELECT lo_import('/etc/hostname')", "lo_import() may not be called"),
    ("SELECT lo_export(1, '/tmp/{s}.out')", "lo_export() may not be called"),
    ("SELECT dblink_exec('dbname=test', 'DELETE FROM {s}.t')", "dblink_exec() may not be called"),
    ("SELECT query_to_xml('DELETE FROM {s}.t', true, true, '')", "query_to_xml() may not be called"),
    ("SELECT ts_stat('SELECT pg_read_file(''/etc/hostname'')::tsvector')", "ts_stat() may not be called"),
    ("SELECT set_config('statement_timeout', '0', false)", "set_config() may not be called"),
    ("SELECT pg_terminate_backend(1)", "pg_terminate_backend() may not be called"),
    ("VALUES (1)", "not VALUES"),
    ("", "the query is empty"),
]


@pytest.mark.pg
@pytest.mark.parametrize(("sql", "why"), PG_REFUSED, ids=[w for _, w in PG_REFUSED])
def test_anything_but_one_plain_select_is_refused_and_nothing_changes(
    cli: Cli, seeded_db: Path, pg: sa.Engine, pg_scratch: str, sql: str, why: str
) -> None:
    s = pg_scratch
    before, team_before = fingerprint(seeded_db), pg_state(pg, s)
    url = with_password(PG_URL, SECRET)
    r = cli("--db", seeded_db, "load", "users", "--from-sql", url, "--query", sql.format(s=s))
    assert r.code == 1 and "Traceback" not in r.err
    assert why in r.err, r.err
    assert SECRET not in r.err and SECRET not in r.out
    assert fingerprint(seeded_db) == before  # row counts and the file's bytes
    assert pg_state(pg, s) == team_before  # and the team's database
    assert not list(Path("/tmp").glob(f"{s}*"))


def test_selects_pass_and_run_as_checked() -> None:
    """WITH … SELECT, UNION, VALUES in FROM, casts and '%' pass; what runs is sqlglot's rendering with a LIMIT."""
    for sql in (
        "SELECT 1",
        "select 1;",
        "WITH a AS (SELECT 1 AS n) SELECT n FROM a",
        "SELECT 1 UNION SELECT 2",
        "(SELECT 1)",
        "SELECT * FROM (VALUES (1), (2)) AS v(n)",
        "SELECT '10:30'::time, 'a%' LIKE 'a%', 'x :y' AS c",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r ORDER BY n",
        "SELECT n FROM t ORDER BY n LIMIT 5",
        "SELECT nextval('s')",  # passes the parser: the read-only transaction stops it (test below)
        "SELECT 1 /* a comment */ -- and another",
    ):
        checked = check_select(sql, "postgres", max_rows=10)
        assert checked.endswith("LIMIT 11") and "/*" not in checked and "--" not in checked
    assert check_select("SELECT a FROM t ORDER BY a LIMIT 3", "postgres", 10) == (
        "SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 3) AS opsplan_rows LIMIT 11"
    )


MYSQL_REFUSED = [
    ("SELECT load_file('/etc/hostname')", "load_file() may not be called"),
    ("SELECT `load_file`('/etc/hostname')", "load_file() may not be called"),
    ("SELECT n FROM {s}_t INTO OUTFILE '/tmp/{s}.out'", "could not be read as one MySQL/MariaDB SELECT"),
    ("SELECT n INTO @x FROM {s}_t LIMIT 1", "SELECT … INTO"),
    ("SELECT /*!50000 load_file('/etc/hostname') AS f, */ 1", "executable comments"),
    ("LOAD DATA INFILE '/etc/hostname' INTO TABLE {s}_t", "not LOAD"),
    ("HANDLER {s}_t OPEN", "not HANDLER"),
    ("DO sleep(1)", "not DO"),
    ("SET @x = 1", "not SET"),
    ("SELECT sys_exec('touch /tmp/{s}.sh')", "sys_exec() may not be called"),
    ("SELECT n FROM {s}_t LOCK IN SHARE MODE", "FOR SHARE"),
    ("DELETE FROM {s}_t", "not DELETE"),
    ("SELECT 1; DELETE FROM {s}_t", "2 statements"),
]


@pytest.fixture(scope="module")
def maria_scratch(mariadb: sa.Engine) -> Iterator[str]:
    """Tables ``<p>_t`` (three rows) and ``<p>_log``, a function that writes to the log, and a user ``<p>`` with
    the password SECRET allowed to read them."""
    p = scratch_name()
    with mariadb.begin() as conn:
        for sql in (
            f"CREATE TABLE {p}_t (n INT)",
            f"INSERT INTO {p}_t VALUES (1), (2), (3)",
            f"CREATE TABLE {p}_log (n INT)",
            f"CREATE FUNCTION {p}_bump() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO {p}_log VALUES (1); "
            "RETURN 1; END",
            f"CREATE USER '{p}'@'%' IDENTIFIED BY '{SECRET}'",
            f"CREATE USER '{p}'@'localhost' IDENTIFIED BY '{SECRET}'",
            f"GRANT SELECT, EXECUTE ON test.* TO '{p}'@'%'",
            f"GRANT SELECT, EXECUTE ON test.* TO '{p}'@'localhost'",
        ):
            conn.execute(sa.text(sql))  # text(): its '%' is not a placeholder
    yield p
    with mariadb.begin() as conn:
        for sql in (
            f"DROP USER IF EXISTS '{p}'@'%'",
            f"DROP USER IF EXISTS '{p}'@'localhost'",
            f"DROP FUNCTION IF EXISTS {p}_bump",
            f"DROP TABLE IF EXISTS {p}_t, {p}_log",
        ):
            conn.execute(sa.text(sql))


def maria_state(mariadb: sa.Engine, p: str) -> tuple[object, ...]:
    with mariadb.connect() as conn:
        rows = conn.exec_driver_sql(f"SELECT n FROM {p}_t ORDER BY n").scalars().all()
        log = conn.exec_driver_sql(f"SELECT count(*) FROM {p}_log").scalar()
    return tuple(rows), log


@pytest.mark.pg
@pytest.mark.parametrize(("sql", "why"), MYSQL_REFUSED, ids=[w for _, w in MYSQL_REFUSED])
def test_mariadb_refuses_file_functions_outfile_and_writes(
    cli: Cli, seeded_db: Path, mariadb: sa.Engine, maria_scratch: str, sql: str, why: str
) -> None:
    p = maria_scratch
    before, team_before = fingerprint(seeded_db), maria_state(mariadb, p)
    url = with_password(MARIADB_URL, SECRET, user=p)
    r = cli("--db", seeded_db, "load", "users", "--from-sql", url, "--query", sql.format(s=p))
    assert r.code == 1 and why in r.err, r.err
    assert SECRET not in r.err
    assert fingerprint(seeded_db) == before and maria_state(mariadb, p) == team_before
    assert not list(Path("/tmp").glob(f"{p}*"))


@pytest.mark.pg
def test_pg_read_file_is_refused_by_the_parser_before_the_server_sees_it(
    cli: Cli, seeded_db: Path, pg: sa.Engine
) -> None:
    with pg.connect() as conn:  # as superuser the server itself would read the file
        hostname = str(conn.exec_driver_sql("SELECT pg_read_file('/etc/hostname')").scalar()).strip()
    assert hostname
    sql = "SELECT pg_read_file('/etc/hostname') AS user_id, now() AS signup_at"
    with pytest.raises(QueryRefused, match=r"pg_read_file\(\) may not be called"):
        check_select(sql, "postgres")
    r = cli("--db", seeded_db, "load", "users", "--from-sql", PG_URL, "--query", sql)
    assert r.code == 1 and "pg_read_file() may not be called" in r.err
    assert hostname not in r.err and hostname not in r.out


# --- the read-only transaction is real --------------------------------------------------------------------------


@pytest.mark.pg
def test_postgresql_writes_the_parser_lets_through_fail_in_the_read_only_transaction(
    cli: Cli, seeded_db: Path, pg: sa.Engine, pg_scratch: str
) -> None:
    s = pg_scratch
    with pg.connect() as conn:  # outside OpsPlan's transaction the function does write (then rolled back)
        conn.exec_driver_sql(f"SELECT {s}.bump()")
        assert conn.exec_driver_sql(f"SELECT count(*) FROM {s}.log").scalar() == 1
        conn.rollback()
    before, team_before = fingerprint(seeded_db), pg_state(pg, s)
    for sql, what in ((f"SELECT nextval('{s}.seq')", "nextval()"), (f"SELECT {s}.bump()", "INSERT")):
        check_select(sql, "postgres")  # the parser lets it through: only the transaction stops it
        r = cli("--db", seeded_db, "load", "users", "--from-sql", PG_URL, "--query", sql)
        assert r.code == 1, r.err
        assert f"cannot execute {what} in a read-only transaction" in r.err
    assert pg_state(pg, s) == team_before  # the sequence did not move, the log is empty
    assert fingerprint(seeded_db) == before


@pytest.mark.pg
def test_mariadb_writes_the_parser_lets_through_fail_in_the_read_only_transaction(
    cli: Cli, seeded_db: Path, mariadb: sa.Engine, maria_scratch: str
) -> None:
    p = maria_scratch
    sql = f"SELECT {p}_bump() AS user_id"
    check_select(sql, "mysql")
    before, team_before = fingerprint(seeded_db), maria_state(mariadb, p)
    r = cli("--db", seeded_db, "load", "users", "--from-sql", MARIADB_URL, "--query", sql)
    assert r.code == 1 and "read only transaction" in r.err.lower(), r.err
    assert maria_state(mariadb, p) == team_before
    assert fingerprint(seeded_db) == before


@pytest.mark.pg
def test_an_empty_result_and_a_missing_table_are_refused(cli: Cli, seeded_db: Path, pg: sa.Engine) -> None:
    before = fingerprint(seeded_db)
    r = cli("--db", seeded_db, "load", "users", "--from-sql", PG_URL, "--query", PG_USERS.format(n=0))
    assert r.code == 1 and f"{PG_URL} [query]: no rows" in r.err
    r = cli("--db", seeded_db, "load", "users", "--from-sql", PG_URL, "--query", "SELECT * FROM opsplan_nowhere")
    assert r.code == 1 and 'query failed ((psycopg.errors.UndefinedTable) relation "opsplan_nowhere"' in r.err
    assert fingerprint(seeded_db) == before


# --- row and time limits ---------------------------------------------------------------------------------------


@pytest.mark.pg
def test_the_row_limit_refuses_a_larger_result_and_names_the_limit(
    cli: Cli, seeded_db: Path, pg: sa.Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fingerprint(seeded_db)
    r = cli(
        "--db", seeded_db, "load", "users", "--from-sql", PG_URL, "--query", PG_USERS.format(n=11), "--max-rows", 10
    )
    assert r.code == 1 and "more than the row limit of 10 rows (max_rows)" in r.err
    assert fingerprint(seeded_db) == before
    # a named connection's own limit holds, and a caller cannot raise it
    conf = tmp_path / "connections.toml"
    conf.write_text(f'[connections.team]\nurl = "{PG_URL}"\nmax_rows = 10\n', encoding="utf-8")
    monkeypatch.setenv("OPSPLAN_CONNECTIONS", str(conf))
    r = cli("--db", seeded_db, "load", "users", "--connection", "team", "--query", PG_USERS.format(n=11),
            "--max-rows", 1000)  # fmt: skip
    assert r.code == 1 and "connection team: the query returns more than the row limit of 10 rows" in r.err
    assert fingerprint(seeded_db) == before
    r = cli("--db", seeded_db, "load", "users", "--connection", "team", "--query", PG_USERS.format(n=10))
    assert r.code == 0, r.err
    assert row_counts(Warehouse(seeded_db))["users"] == before[0]["users"] + 10


@pytest.mark.pg
def test_mariadb_row_limit(cli: Cli, seeded_db: Path, mariadb: sa.Engine) -> None:
    sql = "SELECT concat('m', seq) AS user_id, '2026-01-05 10:00:00' AS signup_at FROM seq_1_to_11"
    before = fingerprint(seeded_db)
    r = cli("--db", seeded_db, "load", "users", "--from-sql", MARIADB_URL, "--query", sql, "--max-rows", 10)
    assert r.code == 1 and "more than the row limit of 10 rows (max_rows)" in r.err
    assert fingerprint(seeded_db) == before


@pytest.mark.pg
@pytest.mark.parametrize(
    ("which", "sql"),
    [("PostgreSQL", "SELECT pg_sleep(5) AS user_id"), ("MariaDB", "SELECT sleep(5) AS user_id")],
)
def test_the_time_limit_stops_a_slow_query_and_says_so(
    cli: Cli, seeded_db: Path, request: pytest.FixtureRequest, which: str, sql: str
) -> None:
    request.getfixturevalue("pg" if which == "PostgreSQL" else "mariadb")
    url = PG_URL if which == "PostgreSQL" else MARIADB_URL
    before = fingerprint(seeded_db)
    started = time.monotonic()
    r = cli("--db", seeded_db, "load", "users", "--from-sql", url, "--query", sql, "--timeout", 1)
    assert time.monotonic() - started < 4  # stopped by the server after 1 s, not after 5
    assert r.code == 1 and "ran longer than the time limit of 1 s (timeout_seconds)" in r.err, r.err
    assert fingerprint(seeded_db) == before


def test_a_host_that_does_not_answer_is_given_up_after_the_connect_timeout(cli: Cli, seeded_db: Path) -> None:
    url = f"postgresql+psycopg://ops:{SECRET}@10.255.255.1:5432/shop"  # not routed: no answer, or refused at once
    started = time.monotonic()
    r = cli("--db", seeded_db, "load", "users", "--from-sql", url, "--query", "SELECT 1", "--timeout", 2)
    assert time.monotonic() - started < 10
    assert r.code == 1 and "cannot connect" in r.err and SECRET not in r.err


# --- credentials are never stored, logged or shown --------------------------------------------------------------


@pytest.mark.pg
def test_a_password_is_never_in_the_history_status_errors_or_failures(cli: Cli, pg: sa.Engine, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    in_url = with_password(PG_URL, SECRET)
    in_query = f"{PG_URL}?password={QUERY_SECRET}"
    for url in (in_url, in_query):
        r = cli(
            "--db", db, "--tz", "Asia/Shanghai", "load", "users", "--from-sql", url, "--query", PG_USERS.format(n=2)
        )
        assert r.code == 0, r.err
        assert SECRET not in r.out + r.err and QUERY_SECRET not in r.out + r.err
    sources = recent_loads(Warehouse(db))["source"].tolist()
    assert sources == [f"{mask_url(in_query)} [query]", f"{mask_url(in_url)} [query]"]
    assert sources[0].endswith("/test?password=*** [query]") and ":***@127.0.0.1" in sources[1]
    status = cli("--db", db, "status")
    assert status.code == 0 and "[query]" in status.out
    for secret in (SECRET, QUERY_SECRET):
        assert secret not in status.out + status.err
    for url in (in_url, in_query):  # a failing query, and the failures file it leaves
        r = cli("--db", db, "load", "users", "--from-sql", url, "--query", "SELECT * FROM opsplan_nowhere")
        assert r.code == 1 and 'relation "opsplan_nowhere" does not exist' in r.err
        assert SECRET not in r.err and QUERY_SECRET not in r.err
    failures = failures_path(Warehouse(db)).read_text(encoding="utf-8")
    assert "opsplan_nowhere" in failures and SECRET not in failures and QUERY_SECRET not in failures


@pytest.mark.parametrize(
    "typed",
    [
        "postgresql+psycopg:/ops:{secret}@127.0.0.1/team",  # one slash
        "postgresql+psycopg//ops:{secret}@127.0.0.1/team",  # no colon
        "postgresq+psycopg://ops:{secret}@127.0.0.1/team",  # no such database
        "postgresql+nosuchdriver://ops:{secret}@127.0.0.1/team",
        "postgresql+psycopg://ops@127.0.0.1:1/team?password={secret}",  # nothing listens on port 1
        "postgresql+psycopg://ops:{secret}@127.0.0.1:port/team",  # a port that is not a number
        "ops:{secret}@127.0.0.1/team",
    ],
)
def test_a_mistyped_url_is_echoed_masked(cli: Cli, seeded_db: Path, typed: str) -> None:
    url = typed.format(secret=SECRET)
    before = fingerprint(seeded_db)
    r = cli("--db", seeded_db, "load", "users", "--from-sql", url, "--query", "SELECT 1 AS user_id")
    assert r.code == 1 and "Traceback" not in r.err
    assert SECRET not in r.err and "***" in r.err, r.err
    assert SECRET not in failures_path(Warehouse(seeded_db)).read_text(encoding="utf-8")
    r = cli("--db", seeded_db, "load", "users", url)  # the URL where a file goes
    assert r.code == 2 and SECRET not in r.err, r.err
    assert fingerprint(seeded_db) == before


def test_scrub_masks_every_spelling_of_the_password() -> None:
    url = "postgresql+psycopg://me:p%40ss%3Aw0rd@db/x?sslpassword=k3y-s3cret"
    text = f"failed: p@ss:w0rd / p%40ss%3Aw0rd / k3y-s3cret at {url}; also password=hunter2, PWD=hunter3;"
    clean = scrub(text, url)
    for secret in ("p@ss:w0rd", "p%40ss%3Aw0rd", "k3y-s3cret", "hunter2", "hunter3"):
        assert secret not in clean
    assert "postgresql+psycopg://me:***@db/x?sslpassword=***" in clean


@pytest.mark.pg
def test_mariadb_password_never_shows(cli: Cli, mariadb: sa.Engine, maria_scratch: str, tmp_path: Path) -> None:
    p = maria_scratch
    db = tmp_path / "w.duckdb"
    url = with_password(MARIADB_URL, SECRET, user=p)
    sql = "SELECT concat('m', seq) AS user_id, '2026-01-05 10:00:00' AS signup_at FROM seq_1_to_3"
    r = cli("--db", db, "--tz", "Asia/Shanghai", "load", "users", "--from-sql", url, "--query", sql)
    assert r.code == 0, r.err
    assert recent_loads(Warehouse(db))["source"].tolist() == [f"mysql+pymysql://{p}:***@127.0.0.1:3306/test [query]"]
    status = cli("--db", db, "status")
    assert SECRET not in status.out + status.err
    wrong = with_password(MARIADB_URL, "Wr0ng-" + SECRET, user=p)
    r = cli("--db", db, "load", "users", "--from-sql", wrong, "--query", sql)
    assert r.code == 1 and "Access denied" in r.err and SECRET not in r.err


# --- named connections through the CLI ------------------------------------------------------------------------


@pytest.mark.pg
def test_the_cli_loads_a_saved_query_of_a_named_connection(
    cli: Cli, pg: sa.Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "w.duckdb"
    project = tmp_path / "project"
    (project / ".streamlit").mkdir(parents=True)
    (project / ".streamlit" / "secrets.toml").write_text(SECRETS_TOML, encoding="utf-8")
    monkeypatch.chdir(project)  # no $OPSPLAN_CONNECTIONS: .streamlit/secrets.toml of the working directory
    monkeypatch.delenv("OPSPLAN_CONNECTIONS", raising=False)
    r = cli("--db", db, "--tz", "Asia/Shanghai", "load", "users", "--connection", "team", "--saved-query", "users")
    assert r.code == 0, r.err
    assert recent_loads(Warehouse(db))["source"].tolist() == ["connection team [query users]"]
    for argv, why in (
        (("--connection", "local", "--query", "SELECT 1"), "connection local cannot be used: sqlite reads a local"),
        (("--connection", "nope", "--query", "SELECT 1"), "no connection named 'nope' (connections: team)"),
        (("--connection", "team", "--saved-query", "orders"), "no saved query 'orders' (saved: users)"),
        (("--connection", "team"), "need --query SQL"),
        (("--connection", "team", "--from-sql", PG_URL, "--query", "SELECT 1"), "not both"),
        (("--from-sql", PG_URL, "--saved-query", "users"), "--saved-query NAME needs --connection NAME"),
        (("--query", "SELECT 1"), "go with --connection or --from-sql"),
    ):
        r = cli("--db", db, "load", "users", *argv)
        assert r.code == 2 and why in r.err, r.err
        assert SECRET not in r.err
    monkeypatch.setenv("OPSPLAN_CONNECTIONS", str(tmp_path / "missing.toml"))
    r = cli("--db", db, "load", "users", "--connection", "team", "--query", "SELECT 1")
    assert r.code == 2 and "missing.toml does not exist" in r.err


@pytest.mark.pg
def test_load_sql_takes_a_connection_and_records_its_name(pg: sa.Engine, tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "w.duckdb")
    team = Connection("team", with_password(PG_URL, SECRET), max_rows=5, timeout_seconds=5)
    result = load_sql(wh, "users", team, PG_USERS.format(n=3), tz="Asia/Shanghai", query_name="signups")
    assert result.sources == ("connection team [query signups]",)
    with pytest.raises(LoadError) as err:
        load_sql(wh, "users", team, PG_USERS.format(n=6))
    assert "connection team: the query returns more than the row limit of 5 rows" in str(err.value)
    text = failures_path(wh).read_text(encoding="utf-8")
    assert "connection team [query]" in text and SECRET not in text and "127.0.0.1" not in text


def test_a_refused_query_reads_in_both_languages() -> None:
    with pytest.raises(QueryRefused) as info:
        check_select("DELETE FROM orders", "postgres")
    assert (
        str(info.value)
        == info.value.text("en")
        == "only a SELECT may run, not DELETE (imports never change the database)"
    )
    assert info.value.text("zh") == "只能运行 SELECT，不能运行 DELETE（导入从不修改数据库）"
    with pytest.raises(ConnectionSettingsError) as unknown:
        parse_connections({}).get("shop")
    assert str(unknown.value) == "no connection named 'shop' (connections: none is configured)"
    assert unknown.value.text("zh") == "没有名为 'shop' 的连接（可用连接：未配置任何连接）"
