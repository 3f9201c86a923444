"""Faults around the warehouse file, each with its stated outcome and the warehouse's rows and bytes unchanged:
a ``.wal`` left beside it by a direct writer (real, truncated, garbled) or any file we do not own stops every
command with one line; a full disk during a write says so and leaves no partial copy; the loader's scratch
connection gets the memory limit and spills beside the warehouse."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from opsplan.store.loading import row_counts
from opsplan.store.warehouse import Warehouse, WarehouseError, configure_staging, is_disk_full, read_connection
from opsplan.store.writing import write_session
from tests.builders import (
    USERS_HEADER,
    big_events,
    fingerprint,
    run_opsplan,
    sha256,
    user_rows,
    write_csv,
)
from tests.conftest import DEMO_PLAN, Cli

# ------------------------------------------------------------------------------------------ a .wal beside it

#: a process that writes to the live file directly (as a notebook or the duckdb shell would) and is killed
#: before DuckDB checkpoints: its committed row is only in ``<warehouse>.wal``
_DIRECT_WRITER = textwrap.dedent(
    """
    import sys, time
    import duckdb

    con = duckdb.connect(sys.argv[1])
    con.execute("INSERT INTO campaigns (campaign_id, channel, name) VALUES ('wal-row', 'direct', 'in the log only')")
    print("committed", flush=True)
    time.sleep(120)
    """
)


def _leave_a_wal(db: Path) -> Path:
    """Commit one campaign row to ``db`` from another process and SIGKILL it before any checkpoint."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _DIRECT_WRITER, str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "committed", proc.stderr.read() if proc.stderr else line
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    wal = db.with_name(db.name + ".wal")
    assert wal.exists() and wal.stat().st_size > 0, "the killed writer left no .wal"
    return wal


def _damage(wal: Path, how: str) -> None:
    data = bytearray(wal.read_bytes())
    if how == "truncated":
        wal.write_bytes(bytes(data[: len(data) // 2]))
    elif how == "garbled":
        wal.write_bytes(bytes(data[:16]) + bytes(b ^ 0x5A for b in data[16:]))


def _files(directory: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in sorted(directory.iterdir()) if p.is_file() and not p.name.endswith(".lock")}


@pytest.mark.parametrize("how", ["replayable", "truncated", "garbled"])
def test_a_wal_beside_the_warehouse_stops_every_command(how: str, seeded_db: Path, tmp_path: Path, cli: Cli) -> None:
    counts, _ = fingerprint(seeded_db)
    wal = _leave_a_wal(seeded_db)
    _damage(wal, how)
    before = {seeded_db.name: sha256(seeded_db), wal.name: sha256(wal)}
    more = write_csv(tmp_path / "more.csv", USERS_HEADER, user_rows(3, first=90_000))

    for argv, code in [
        (["status"], 1),
        (["load", "users", str(more)], 1),
        (["check", "--plan", str(DEMO_PLAN)], 3),
        (["metrics", "daily"], 1),
        (["demo", "--users", "100", "--days", "14"], 1),
    ]:
        r = cli("--db", seeded_db, *argv)
        assert r.code == code, (argv, r)
        assert r.out == "" and len(r.err.strip().splitlines()) == 1, (argv, r.err)
        assert r.err.startswith(f"opsplan {argv[0]}: {wal} is a write-ahead log"), r.err
        assert "replay it" in r.err and "opsplan status" in r.err and "move it away" in r.err
        assert "Traceback" not in r.err
    # the dashboard reads through read_connection: the same refusal, as a WarehouseError
    with pytest.raises(WarehouseError, match="write-ahead log"), read_connection(Warehouse(seeded_db)):
        pass
    assert {n: h for n, h in _files(seeded_db.parent).items() if n in before} == before
    assert not list(seeded_db.parent.glob(f"{seeded_db.name}.tmp-*"))

    # recovery as the message says: replay (a damaged log stays and is moved away), then everything works
    duckdb.connect(str(seeded_db)).close()
    if how == "replayable":
        assert not wal.exists()
        expected = {**counts, "campaigns": counts["campaigns"] + 1}  # the committed row was not dropped
    else:
        assert wal.exists(), "DuckDB removed a damaged log it could not replay"
        wal.rename(tmp_path / "moved-away.wal")
        expected = counts
    assert cli("--db", seeded_db, "status").code == 0
    r = cli("--db", seeded_db, "load", "users", str(more))
    assert r.code == 0, r.err
    assert row_counts(Warehouse(seeded_db)) == {**expected, "users": expected["users"] + 3}


def test_an_unknown_file_beside_the_warehouse_stops_reads_and_writes(seeded_db: Path, cli: Cli) -> None:
    before = fingerprint(seeded_db)
    # ours (the lock, a killed writer's copy and log, DuckDB's spill folder, the failed-load record) are fine
    for name in (".lock", ".tmp-999999", ".tmp-999999.wal", ".failures.jsonl"):
        seeded_db.with_name(seeded_db.name + name).write_bytes(b"")
    seeded_db.with_name(seeded_db.name + ".tmp").mkdir()
    assert cli("--db", seeded_db, "status").code == 0

    stranger = seeded_db.with_name(seeded_db.name + ".bak")
    stranger.write_bytes(b"someone's backup")
    for argv, code in [(["status"], 1), (["metrics", "weekly"], 1), (["check", "--plan", str(DEMO_PLAN)], 3)]:
        r = cli("--db", seeded_db, *argv)
        assert r.code == code and r.out == "" and len(r.err.strip().splitlines()) == 1, (argv, r)
        assert f"{stranger} beside the warehouse is not a file opsplan makes" in r.err and "move it away" in r.err
    with pytest.raises(WarehouseError, match=r"\.bak beside the warehouse"), write_session(Warehouse(seeded_db)):
        pytest.fail("a write session opened beside an unknown file")
    stranger.unlink()
    assert fingerprint(seeded_db) == before


def test_a_wal_that_appears_during_a_write_is_not_orphaned(seeded_db: Path) -> None:
    before = fingerprint(seeded_db)
    wal = seeded_db.with_name(seeded_db.name + ".wal")
    with pytest.raises(WarehouseError, match="write-ahead log"), write_session(Warehouse(seeded_db)) as con:
        con.execute("DELETE FROM users")
        wal.write_bytes(b"a direct writer's log")  # a process wrote to the live file meanwhile
    wal.unlink()
    assert fingerprint(seeded_db) == before
    assert [p.name for p in seeded_db.parent.iterdir() if ".tmp-" in p.name] == []


def test_a_write_session_removes_spill_folders_left_by_killed_processes(seeded_db: Path) -> None:
    stale = [seeded_db.with_name(seeded_db.name + s) for s in (".tmp-999999.tmp", ".stage-999999")]
    for folder in stale:
        folder.mkdir()
        (folder / "duckdb_temp_storage-0.tmp").write_bytes(b"spilled")
    live = Warehouse(seeded_db).spill_path()  # this process's loader spill folder is in use: kept
    live.mkdir()
    with write_session(Warehouse(seeded_db)) as con:
        con.execute("SELECT 1").fetchall()
    assert not any(p.exists() for p in stale) and live.exists()


# ------------------------------------------------------------------------------------------------- full disk


@pytest.fixture
def small_disk(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A 32 MB tmpfs of this test's own (root only: skipped elsewhere, but a failure in CI)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    try:
        proc = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mnt)], capture_output=True, text=True, timeout=30
        )
        why = (proc.stderr.strip() or f"exit {proc.returncode}") if proc.returncode else ""
    except (OSError, subprocess.SubprocessError) as exc:
        why = str(exc)
    if why:
        reason = f"cannot mount a small tmpfs for the full-disk case (needs root): {why}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    request.addfinalizer(lambda: subprocess.run(["umount", "-l", str(mnt)], check=False))
    return mnt


def _fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` until ``leave`` bytes are free."""
    st = os.statvfs(disk)
    size = st.f_bavail * st.f_frsize - leave
    assert size > 0, "the disk is too small for this case"
    with open(disk / "filler", "wb") as fh:
        chunk = b"\0" * 2**20
        while size > 0:
            size -= fh.write(chunk[: min(size, len(chunk))])


def _assert_disk_full_outcome(
    done: subprocess.CompletedProcess[str], db: Path, before: tuple[dict[str, int], str]
) -> None:
    err = done.stderr.strip()
    assert done.returncode == 1, done
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith(f"opsplan load: disk full: no space left in {db.parent}"), err
    assert "the warehouse is unchanged and the partial copy was removed" in err
    left = sorted(p.name for p in db.parent.iterdir())
    assert left == sorted([db.name, f"{db.name}.lock", f"{db.name}.failures.jsonl", "filler"]), left
    assert '"reason": "disk full' in db.with_name(f"{db.name}.failures.jsonl").read_text(encoding="utf-8")
    (db.parent / "filler").unlink()  # reading must not need space, but be sure nothing else interferes
    assert fingerprint(db) == before


def test_a_full_disk_during_the_copy_says_so_and_changes_nothing(
    seeded_db: Path, small_disk: Path, tmp_path: Path
) -> None:
    db = small_disk / "warehouse.duckdb"
    shutil.copyfile(seeded_db, db)
    before = fingerprint(db)
    _fill(small_disk, leave=db.stat().st_size // 2)  # the private copy cannot be made
    more = write_csv(tmp_path / "more.csv", USERS_HEADER, user_rows(3, first=90_000))
    done = run_opsplan("--db", str(db), "load", "users", str(more))
    _assert_disk_full_outcome(done, db, before)


def test_a_full_disk_during_the_data_write_or_commit_says_so_and_changes_nothing(
    seeded_db: Path, small_disk: Path, tmp_path: Path
) -> None:
    db = small_disk / "warehouse.duckdb"
    shutil.copyfile(seeded_db, db)
    before = fingerprint(db)
    big = big_events(tmp_path / "events.parquet", 300_000)  # about 8 MB more in the warehouse
    _fill(small_disk, leave=db.stat().st_size + 2 * 2**20)  # the copy fits, the rows do not
    done = run_opsplan("--db", str(db), "load", "events", str(big), timeout=300)
    _assert_disk_full_outcome(done, db, before)


def test_disk_full_is_recognised_from_python_and_from_duckdb() -> None:
    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert is_disk_full(duckdb.IOException('IO Error: Could not write file "x": No space left on device'))
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not is_disk_full(duckdb.IOException("IO Error: Cannot open file"))


# ------------------------------------------------------------------------------------------------- staging


def test_the_staging_connection_gets_the_memory_limit_and_spills_beside_the_warehouse(
    seeded_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import opsplan.store.landing
    import opsplan.store.loading

    monkeypatch.setenv("OPSPLAN_MEMORY_LIMIT", "300MB")
    wh = Warehouse(seeded_db)
    seen: list[tuple[str, str, str]] = []

    def spy(con: duckdb.DuckDBPyConnection, wh_: Warehouse, tz: str) -> None:
        configure_staging(con, wh_, tz)
        row = con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory'), current_setting('TimeZone')"
        ).fetchall()[0]
        seen.append((str(row[0]), str(row[1]), str(row[2])))

    monkeypatch.setattr(opsplan.store.landing, "configure_staging", spy)  # prepare() stages the rows
    more = write_csv(tmp_path / "more.csv", USERS_HEADER, user_rows(3, first=90_000))
    opsplan.store.loading.load(wh, "users", [more])
    ((limit, spill, zone),) = seen
    assert limit in ("286.1 MiB", "300.0 MB") or limit.startswith(("286", "300")), limit
    assert Path(spill) == wh.spill_path() and Path(spill).parent == seeded_db.parent
    assert zone == "Asia/Shanghai"
    assert not wh.spill_path().exists()  # DuckDB makes it only to spill and removes it on close
