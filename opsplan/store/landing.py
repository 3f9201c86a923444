"""The two halves of a load: ``prepare`` (stage, check, cast; outside the warehouse) and ``land`` (write).

Split so that one write session can land several tables: the daily cron load of a day's users, events,
orders and spend checks all four first, then writes them with one copy of the warehouse and one refresh
(``loading.load_tables``), instead of four of each. ``loading.load`` is the one-table case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from opsplan.store import event_names, segments, sources, user_keys
from opsplan.store.casting import typed_select
from opsplan.store.contract import Table, get_table
from opsplan.store.refusals import LoadError, Problem, UnknownTableError
from opsplan.store.staging import SourceError, StagedSource
from opsplan.store.validation import ContractChecker
from opsplan.store.warehouse import Warehouse, bump_data_version, configure_staging, one_row
from opsplan.words import both


@dataclass
class Prepared:
    """One table's rows, checked and typed in a scratch DuckDB file, ready to land."""

    table: Table
    stage_path: Path
    staged: list[StagedSource]
    warnings: list[str]
    rows_in: int
    new_first: dt.date | None
    #: events without an event_id replace the stored events of their days
    day_replace: bool
    alias: str = field(default="stage")


def lookup_table(table_name: str, labels: Sequence[str]) -> Table:
    try:
        return get_table(table_name)
    except KeyError as exc:
        problems = [Problem(label, (), None, str(exc.args[0])) for label in labels or ["(no input)"]]
        raise UnknownTableError(repr(table_name), problems) from None


def prepare(
    wh: Warehouse,
    table: Table,
    files: Sequence[Path],
    frame: tuple[pd.DataFrame, str] | None,
    zone: str,
    workdir: Path,
    warnings: list[str],
) -> Prepared:
    """Stage, check (every problem at once: ``LoadError``) and cast one table's input in ``workdir``."""
    if not files and frame is None:
        zh, en = both("load.no_input")
        raise LoadError(table.name, [Problem("(no input)", (), None, en, message_zh=zh)])
    stage_path = workdir / f"stage-{table.name}.duckdb"
    stage_con = duckdb.connect(str(stage_path))
    try:
        configure_staging(stage_con, wh, zone)  # the zone, memory_limit, and spilling beside the warehouse
        staged = _stage(stage_con, table, files, frame, workdir)
        checker = ContractChecker(stage_con, table, staged)
        checker.check()
        checker.warnings[:0] = warnings
        if checker.problems:
            raise LoadError(table.name, checker.problems)
        selects = " UNION ALL ".join(typed_select(table, s, checker.marks.get(s.table)) for s in staged)
        stage_con.execute(f"CREATE TABLE typed AS {selects}")
        new_first = one_row(stage_con, f"SELECT min({table.day_column}) FROM typed")[0]
        day_replace = table.name == "events" and bool(
            one_row(stage_con, "SELECT count(*) FILTER (WHERE event_id IS NULL) FROM typed")[0]
        )
        stage_con.execute("CHECKPOINT")
    finally:
        stage_con.close()
    return Prepared(
        table=table,
        stage_path=stage_path,
        staged=staged,
        warnings=checker.warnings,
        rows_in=sum(s.rows for s in staged),
        new_first=new_first,
        day_replace=day_replace,
        alias=f"stage_{table.name}",
    )


def _stage(
    stage_con: duckdb.DuckDBPyConnection,
    table: Table,
    files: Sequence[Path],
    frame: tuple[pd.DataFrame, str] | None,
    workdir: Path,
) -> list[StagedSource]:
    staged: list[StagedSource] = []
    problems: list[Problem] = []
    inputs: list[Path | tuple[pd.DataFrame, str]] = list(files) + ([frame] if frame is not None else [])
    for i, item in enumerate(inputs):
        try:
            if isinstance(item, tuple):
                staged.append(sources.stage_frame(stage_con, item[0], f"raw{i}", item[1]))
            else:
                staged.append(sources.stage_file(stage_con, Path(item), f"raw{i}", workdir))
        except SourceError as exc:
            problems.append(Problem(exc.source, exc.rows, None, exc.message, exc.row_word, message_zh=exc.message_zh))
    if problems:
        raise LoadError(table.name, problems)
    return staged


@dataclass(frozen=True)
class Landed:
    load_id: int
    rows_replaced: int
    #: the first day whose derived numbers may have changed; None: rebuild everything
    since: dt.date | None


def land(con: duckdb.DuckDBPyConnection, prep: Prepared, recorded_source: str) -> Landed:
    """Write one prepared table (its stage file attached as ``prep.alias``) inside the caller's transaction.

    Replaces the overlapped rows, inserts the new ones with their user keys in day order (row groups stay
    clustered by day, so day filters prune) and records the load.
    """
    table, typed = prep.table, f"{prep.alias}.typed"
    replaced, old_first = _replace_existing(con, table, typed, prep.day_replace)
    load_id = int(one_row(con, "SELECT coalesce(max(load_id), 0) + 1 FROM _loads")[0])
    names = stored_names(table)
    if table.name in user_keys.KEY_COLUMNS:
        user_keys.assign(con, table.name, typed)
    lookups: tuple[tuple[str, str], ...] = ()
    if table.name == "events":
        event_names.assign(con, typed)
        lookups = (event_names.bit_select("s"),)
    if table.name == "users":
        segments.assign(con, typed)
        lookups = (segments.segment_select("s"),)
    select, keys = user_keys.keyed_select(table.name, typed, names, "? AS _load_id", lookups)
    cols = ", ".join(f'"{c}"' for c in [*names, "_load_id", *keys])
    con.execute(f"INSERT INTO {table.name} ({cols}) {select} ORDER BY s.{table.day_column}", [load_id])
    lo, hi = one_row(con, f"SELECT min({table.day_column}), max({table.day_column}) FROM {typed}")
    con.execute(
        "INSERT INTO _loads VALUES (?, ?, ?, now(), ?, ?, ?, 0, ?, ?, ?, ?)",
        [
            load_id,
            table.name,
            recorded_source,
            prep.rows_in,
            prep.rows_in,
            replaced,
            ",".join(s.checksum[:16] for s in prep.staged),
            lo,
            hi,
            "; ".join(prep.warnings) or None,
        ],
    )
    bump_data_version(con)
    return Landed(load_id, replaced, _refresh_from(table, prep.new_first, old_first, replaced))


def _replace_existing(
    con: duckdb.DuckDBPyConnection, table: Table, typed: str, day_replace: bool
) -> tuple[int, dt.date | None]:
    """Delete stored rows the new load overlaps; returns (rows deleted, their earliest day).

    Keyed rows are replaced by key. Events without an event_id are replaced by day: a load that
    brings id-less events for a day replaces every stored event of that day (and only those days).
    """
    if table.name == "events":
        cond = f"events.event_id IN (SELECT event_id FROM {typed} WHERE event_id IS NOT NULL)"
        if day_replace:
            days = f"SELECT DISTINCT event_day FROM {typed} WHERE event_id IS NULL"
            cond = f"({cond} OR events.event_day IN ({days}))"
    elif getattr(con, "dialect", "duckdb") == "clickhouse":  # no correlated EXISTS there: NULL-safe tuple IN
        keys = ", ".join(f'"{k}"' for k in table.key)
        cond = f"({keys}) IN (SELECT {keys} FROM {typed})"
    else:
        match = " AND ".join(f's."{k}" IS NOT DISTINCT FROM {table.name}."{k}"' for k in table.key)
        cond = f"EXISTS (SELECT 1 FROM {typed} s WHERE {match})"
    n, first = one_row(con, f"SELECT count(*), min({table.day_column}) FROM {table.name} WHERE {cond}")
    if n:
        con.execute(f"DELETE FROM {table.name} WHERE {cond}")
    return n, first


def stored_names(table: Table) -> list[str]:
    """The contract's columns and their derived local days, as the loader writes them."""
    names = []
    for col in table.columns:
        names.append(col.name)
        if col.day_column:
            names.append(col.day_column)
    return names


def _refresh_from(table: Table, new_first: dt.date | None, old_first: dt.date | None, replaced: int) -> dt.date | None:
    """The first day whose derived numbers may have changed; None means rebuild everything.

    Replacing existing users can move their whole history to another channel, so it rebuilds all.
    """
    if table.name == "users" and replaced:
        return None
    days = [d for d in (new_first, old_first) if d is not None]
    return min(days) if days else None
