"""Every CLI error is one line on stderr with its cause and the documented exit code (check: 3, could not run;
the others 1), never a traceback unless ``--debug``, whatever raised it."""

from __future__ import annotations

import argparse
import errno
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

import opsplan.cli.commands
from opsplan.cli.commands import main
from opsplan.store.warehouse import Warehouse, WarehouseError
from tests.builders import run_opsplan, sha256
from tests.conftest import DEMO_PLAN, Cli


@pytest.fixture
def not_duckdb(tmp_path: Path) -> Path:
    """A "warehouse" that is not a DuckDB file (a CSV saved under the wrong name)."""
    path = tmp_path / "warehouse.duckdb"
    path.write_text("user_id,signup_at\nu1,2026-01-05\n", encoding="utf-8")
    return path


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["status"], 1),
        (["metrics", "daily"], 1),
        (["load", "users", "users.csv"], 1),
        (["check", "--plan", str(DEMO_PLAN)], 3),
    ],
)
def test_a_file_that_is_not_duckdb_is_one_line_with_the_exit_code(
    argv: list[str], code: int, not_duckdb: Path, cli: Cli
) -> None:
    before = sha256(not_duckdb)
    users = not_duckdb.with_name("users.csv")
    users.write_text("user_id,signup_at\nu1,2026-01-05\n", encoding="utf-8")
    r = cli("--db", not_duckdb, *[str(users) if a == "users.csv" else a for a in argv])
    line = _one_line(r.err)
    assert r.code == code and r.out == ""
    assert line.startswith(f"opsplan {argv[0]}: cannot open the warehouse {not_duckdb}: "), line
    assert "not a valid DuckDB database file" in line
    assert sha256(not_duckdb) == before


def test_as_a_process_there_is_no_traceback_and_debug_shows_it(not_duckdb: Path) -> None:
    plain = run_opsplan("--db", str(not_duckdb), "check", "--plan", str(DEMO_PLAN))
    assert plain.returncode == 3 and plain.stdout == ""
    assert _one_line(plain.stderr).startswith("opsplan check: cannot open the warehouse")

    debug = run_opsplan("--debug", "--db", str(not_duckdb), "status")
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert "WarehouseError: cannot open the warehouse" in debug.stderr


def test_debug_reraises_in_process(not_duckdb: Path) -> None:
    with pytest.raises(WarehouseError, match="cannot open the warehouse"):
        main(["--debug", "--db", str(not_duckdb), "status"])


def _raises(exc: BaseException) -> Callable[[argparse.Namespace, Warehouse], int]:
    """A command that fails with ``exc``."""

    def command(args: argparse.Namespace, wh: Warehouse) -> int:
        raise exc

    return command


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (RuntimeError("boom\n  at line 2"), "unexpected error RuntimeError: boom (run with --debug for the traceback)"),
        (ZeroDivisionError(), "unexpected error ZeroDivisionError (run with --debug for the traceback)"),
        (
            duckdb.BinderException('Binder Error: column "x" not found\n\nLINE 1: SELECT x\n               ^'),
            'Binder Error: column "x" not found',
        ),
        (
            PermissionError(errno.EACCES, "Permission denied", "/srv/opsplan.duckdb"),
            "permission denied: /srv/opsplan.duckdb",
        ),
        (OSError(errno.EIO, "Input/output error", "/srv/x"), "Input/output error: /srv/x"),
        (OSError(errno.ENOSPC, "No space left on device", "/srv/a", None, "/srv/b"), "disk full: no space left"),
        (duckdb.IOException('IO Error: Could not write file "/x": No space left on device'), "disk full: IO Error"),
        (MemoryError(), "out of memory: DuckDB's memory_limit is "),
        (duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate"), "out of memory (Out of Memory Error"),
        (KeyError("no such report"), "no such report"),
        (ValueError("first\nsecond"), "first; second"),
        (WarehouseError("another load has held x.lock too long"), "another load has held x.lock too long"),
        (KeyboardInterrupt(), "interrupted"),
    ],
)
@pytest.mark.parametrize("command", ["status", "check"])
def test_any_exception_is_one_line_and_check_is_always_3(
    command: str, exc: BaseException, expected: str, cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(opsplan.cli.commands, f"_cmd_{command}", _raises(exc))
    argv = ["check", "--plan", str(DEMO_PLAN)] if command == "check" else ["status"]
    r = cli("--db", tmp_path / "w.duckdb", *argv)
    line = _one_line(r.err)
    assert line.startswith(f"opsplan {command}: {expected}"), line
    if command == "check":
        assert r.code == 3
    else:
        assert r.code == (130 if isinstance(exc, KeyboardInterrupt) else 1)


def test_a_broken_pipe_is_quiet(cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(opsplan.cli.commands, "_cmd_metrics", _raises(BrokenPipeError(errno.EPIPE, "Broken pipe")))
    monkeypatch.setattr(opsplan.cli.commands, "_cmd_check", _raises(BrokenPipeError(errno.EPIPE, "Broken pipe")))
    monkeypatch.setattr(opsplan.cli.commands, "_silence_stdout", lambda: None)
    r = cli("--db", tmp_path / "w.duckdb", "metrics", "daily")
    assert (r.code, r.err) == (0, "")
    r = cli("--db", tmp_path / "w.duckdb", "check", "--plan", str(DEMO_PLAN))
    assert (r.code, r.err) == (3, "")  # a check that could not finish is never "ok"


def test_a_refused_load_still_lists_every_problem(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "users.csv"
    bad.write_text("user_id,signup_at\nu1,not a time\nu2,\n", encoding="utf-8")
    r = cli("--db", tmp_path / "w.duckdb", "load", "users", bad)
    lines = r.err.strip().splitlines()
    assert r.code == 1 and lines[0] == "opsplan load: load into users refused, nothing was written:"
    assert len(lines) >= 3 and "Traceback" not in r.err
