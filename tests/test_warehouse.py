"""The warehouse file under real processes: a killed loader leaves it as it was, readers never block a
writer (nor see a lock error), and a write that fails changes nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from opsplan.store.loading import row_counts
from opsplan.store.warehouse import Warehouse, WarehouseError, check_timezone, get_meta, read_connection
from opsplan.store.writing import write_session
from tests.builders import (
    USERS_HEADER,
    big_events,
    fingerprint,
    opsplan_cmd,
    run_opsplan,
    user_rows,
    write_csv,
)

#: events to load: the kill needs a write phase long enough to land in (about a second on 2 CPUs), the
#: readers a load long enough to overlap many reads
KILL_ROWS = 600_000
READ_ROWS = 300_000


def _wait(predicate: object, proc: subprocess.Popen[str], what: str, timeout: float = 120) -> None:
    """Poll ``predicate`` until true; fail if ``proc`` ends first or it takes too long."""
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the loader ended (code {proc.returncode}) before {what}:\n{out}\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.002)


@pytest.mark.slow
def test_sigkill_in_the_middle_of_a_load_leaves_the_warehouse_as_it_was(seeded_db: Path, tmp_path: Path) -> None:
    big = big_events(tmp_path / "events_big.parquet", KILL_ROWS)
    scratch = tmp_path / "scratch"  # the loader's TMPDIR: its staging folder must be cleaned up too
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    before = fingerprint(seeded_db)
    live_size = seeded_db.stat().st_size

    proc = subprocess.Popen(
        opsplan_cmd("--db", str(seeded_db), "load", "events", str(big)),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    copy = seeded_db.with_name(f"{seeded_db.name}.tmp-{proc.pid}")
    # validated and staged; the private copy is complete and the rows are going in: kill it now
    _wait(lambda: copy.exists() and copy.stat().st_size >= live_size, proc, "it started writing")
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert copy.exists(), "the loader had already swapped its copy in: it was not killed mid-load"

    assert fingerprint(seeded_db) == before
    assert list(scratch.glob("opsplan-load-*")), "expected the killed loader's staging folder to be left over"

    more = write_csv(tmp_path / "more_users.csv", USERS_HEADER, user_rows(5, first=70_000))
    done = run_opsplan("--db", str(seeded_db), "load", "users", str(more), env=env)
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.glob(f"{seeded_db.name}.tmp-*")), "a stale copy was left behind"
    assert not list(scratch.glob("opsplan-load-*")), "a stale staging folder was left behind"
    counts = row_counts(Warehouse(seeded_db))
    assert counts == {**before[0], "users": before[0]["users"] + 5}


_READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from opsplan.store.warehouse import Warehouse, read_connection

    wh, stop = Warehouse(Path(sys.argv[1])), Path(sys.argv[2])
    log = []
    while not stop.exists():
        try:
            with read_connection(wh) as con:
                n = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
                con.execute("SELECT channel, count(*) FROM users GROUP BY ALL").fetchall()
            log.append([time.monotonic(), n, None])
        except Exception as exc:
            log.append([time.monotonic(), None, repr(exc)])
        time.sleep(0.03)
    print(json.dumps(log))
    """
)


@pytest.mark.slow
def test_readers_run_while_another_process_loads(seeded_db: Path, tmp_path: Path) -> None:
    big = big_events(tmp_path / "events_big.parquet", READ_ROWS)
    events_before = row_counts(Warehouse(seeded_db))["events"]
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", _READER, str(seeded_db), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.0)  # the reader is looping
        started = time.monotonic()
        writer = subprocess.run(
            opsplan_cmd("--db", str(seeded_db), "load", "events", str(big)),
            capture_output=True,
            text=True,
            timeout=180,
        )
        finished = time.monotonic()
        time.sleep(0.5)  # a few reads after the swap
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=60)

    assert writer.returncode == 0, writer.stderr
    assert "lock" not in (writer.stderr + err).lower()
    assert reader.returncode == 0, err
    log = json.loads(out)
    errors = [e for _, _, e in log if e]
    assert not errors, errors[:3]
    during = [n for t, n, _ in log if started < t < finished]
    assert len(during) >= 10, f"only {len(during)} reads overlapped the load"
    assert {n for _, n, _ in log} <= {events_before, events_before + READ_ROWS}
    assert log[-1][1] == events_before + READ_ROWS  # the new data is visible
    assert row_counts(Warehouse(seeded_db))["events"] == events_before + READ_ROWS


def test_an_open_read_connection_does_not_block_a_writer(seeded_db: Path, tmp_path: Path) -> None:
    wh = Warehouse(seeded_db)
    users = row_counts(wh)["users"]
    more = write_csv(tmp_path / "more.csv", USERS_HEADER, user_rows(3, first=80_000))
    with read_connection(wh) as con:
        done = run_opsplan("--db", str(seeded_db), "load", "users", str(more), timeout=60)
        assert done.returncode == 0, done.stderr
        # the open connection keeps reading the file as it was when it opened
        assert con.execute("SELECT count(*) FROM users").fetchall() == [(users,)]
    assert row_counts(wh)["users"] == users + 3


def test_a_failed_write_session_changes_nothing(seeded_db: Path) -> None:
    wh = Warehouse(seeded_db)
    before = fingerprint(seeded_db)
    with pytest.raises(RuntimeError, match="changed my mind"), write_session(wh) as con:
        con.execute("DELETE FROM users")
        raise RuntimeError("changed my mind")
    assert fingerprint(seeded_db) == before
    assert [p.name for p in seeded_db.parent.iterdir() if ".tmp-" in p.name] == []


def test_a_write_session_removes_copies_left_by_killed_writers(seeded_db: Path) -> None:
    wh = Warehouse(seeded_db)
    stale = [seeded_db.with_name(f"{seeded_db.name}.tmp-999999{s}") for s in ("", ".wal")]
    for p in stale:
        p.write_bytes(b"half a database")
    with write_session(wh) as con:
        con.execute("SELECT 1").fetchall()
    assert not any(p.exists() for p in stale)


def test_connections_handed_out_have_no_unfinished_result(seeded_db: Path) -> None:
    # DuckDB 2.0: con.sql() after a half-read execute() raises "unfinished result"
    wh = Warehouse(seeded_db)
    with read_connection(wh) as con:
        assert get_meta(con, "timezone") == "Asia/Shanghai"
        assert con.sql("SELECT count(*) FROM users").fetchall()[0][0] > 0
    with write_session(wh) as con:
        assert get_meta(con, "timezone") == "Asia/Shanghai"
        assert con.sql("SELECT 1").fetchall() == [(1,)]


def test_unknown_time_zones_are_named() -> None:
    assert check_timezone("Asia/Shanghai") == "Asia/Shanghai"
    with pytest.raises(WarehouseError, match="unknown time zone 'Asia/Shangai'.*Asia/Shanghai"):
        check_timezone("Asia/Shangai")
