"""Loading: validate every value of every row first, then land the rows in one step or not at all.

A load is staged in a scratch DuckDB file as text, checked against the data contract (all problems
at once, each naming file, rows and column), cast to its types there, and only then written to the
warehouse inside one write session (see ``warehouse.py``), which also refreshes the materialized
views. A refused or interrupted load leaves the warehouse byte for byte as it was; the attempt is
recorded outside it, in ``<warehouse>.failures.jsonl`` (``opsplan.store.freshness``), so the pages can say so.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from opsplan.store import clickhouse_load, engine, sources
from opsplan.store.connections import Connection, scrub
from opsplan.store.contract import (
    TABLES,
    get_table,
)
from opsplan.store.engine import Engine
from opsplan.store.freshness import record_failure
from opsplan.store.landing import Prepared, land, lookup_table, prepare
from opsplan.store.refusals import LoadError, Problem, UnknownTableError
from opsplan.store.staging import SourceError
from opsplan.store.views import load_view_defs, refresh, sync_views
from opsplan.store.warehouse import (
    DEFAULT_TZ,
    Warehouse,
    WarehouseError,
    bump_data_version,
    check_timezone,
    get_meta,
    one_row,
    read_connection,
    warehouse_timezone,
)
from opsplan.store.writing import write_session

#: Problem, LoadError and UnknownTableError live in ``refusals``; callers keep importing them from here
__all__ = [
    "LoadError",
    "LoadResult",
    "Problem",
    "UnknownTableError",
    "load",
    "load_sql",
    "load_tables",
    "row_counts",
    "set_event_roles",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadResult:
    table: str
    sources: tuple[str, ...]
    load_id: int
    rows_in: int
    rows_stored: int
    rows_replaced: int
    rows_rejected: int = 0
    warnings: tuple[str, ...] = field(default_factory=tuple)
    refreshed: tuple[str, ...] = field(default_factory=tuple)


def load(
    wh: Warehouse,
    table_name: str,
    files: Sequence[str | Path] = (),
    *,
    frame: pd.DataFrame | None = None,
    frame_label: str = "dataframe",
    tz: str | None = None,
) -> LoadResult:
    """Validate and land rows from files and/or a DataFrame into one contract table.

    Raises ``LoadError`` (every problem, nothing written); for an unknown table an ``UnknownTableError``,
    which is a ``LoadError`` naming the inputs and, for older callers, a ``KeyError``. An unknown ``tz``
    raises ``WarehouseError``; an existing warehouse keeps its zone (a different ``tz`` is a warning).
    Any failure is recorded beside the warehouse (``freshness.record_failure``), then re-raised unchanged.
    """
    labels = [str(f) for f in files] + ([frame_label] if frame is not None else [])
    try:
        return _load(wh, table_name, files, frame=frame, frame_label=frame_label, tz=tz)
    except Exception as exc:
        _record_failure(wh, table_name, labels, exc)
        raise


def _failure_reason(exc: Exception, labels: Sequence[str]) -> str:
    """The first line of why, for the failures file: the first problem of a refusal (files by their name, the
    full path is in the record's source), else the exception's own first line."""
    if isinstance(exc, LoadError) and exc.problems:
        reason = str(exc.problems[0]) + (f" (+{len(exc.problems) - 1})" if len(exc.problems) > 1 else "")
        for label in labels:
            name = Path(label).name
            if name and name != label and "://" not in label:
                reason = reason.replace(label, name)
        return reason
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _record_failure(
    wh: Warehouse, table_name: str, labels: Sequence[str], exc: Exception, secret: str | None = None
) -> None:
    """Keep the failed attempt outside the warehouse (a refusal must leave the file as it was); ``secret`` (a
    database URL) is masked wherever it shows."""
    try:
        table = get_table(table_name).name
    except KeyError:
        table = str(table_name)
    source = _recorded_source("; ".join(labels) or "(no input)")
    reason = _failure_reason(exc, labels)
    if secret:  # the URL masked, its password (also ?password=, also percent-encoded) replaced by ***
        source, reason = scrub(source, secret), scrub(reason, secret)
    record_failure(wh, table, source, reason)


def _recorded_source(text: str) -> str:
    """A source as the load history and the failures file keep it: a URL in it with its password masked."""
    return sources.mask_url(text) if "://" in text else text


def _zone(wh: Warehouse, tz: str | None, warnings: list[str]) -> str:
    """The warehouse's zone (an existing warehouse keeps its own: a different ``tz`` becomes a warning)."""
    if wh.exists():
        zone = warehouse_timezone(wh)
        if tz and check_timezone(tz) != zone:
            warnings.append(f"the warehouse keeps the zone it was made with ({zone}); --tz {tz} is ignored")
        return zone
    return check_timezone(tz or DEFAULT_TZ)


def _load(
    wh: Warehouse,
    table_name: str,
    files: Sequence[str | Path],
    *,
    frame: pd.DataFrame | None,
    frame_label: str,
    tz: str | None,
) -> LoadResult:
    """``load`` without the failure record (``load_sql`` records its own)."""
    labels = [str(f) for f in files] + ([frame_label] if frame is not None else [])
    table = lookup_table(table_name, labels)
    warnings: list[str] = []
    zone = _zone(wh, tz, warnings)
    with sources.new_workdir() as workdir:
        framed = (frame, frame_label) if frame is not None else None
        prep = prepare(wh, table, [Path(f) for f in files], framed, zone, Path(workdir), warnings)
        return _write(wh, zone, [prep])[0]


def load_tables(wh: Warehouse, files: Mapping[str, Sequence[str | Path]], *, tz: str | None = None) -> list[LoadResult]:
    """Load several tables at once, all or nothing: a day's users, events, orders and ad_spend from cron.

    Every table is checked first (a refusal of any lands none: one ``LoadError`` with the problems of every
    refused table); then all are written in one write session with one refresh, so the day costs one
    copy of the warehouse and one refresh instead of one per table. Each table gets its own load id and
    record. A failure is recorded beside the warehouse for each table, then re-raised.
    """
    try:
        return _load_tables(wh, files, tz)
    except Exception as exc:
        for name, paths in files.items():
            _record_failure(wh, name, [str(p) for p in paths], exc)
        raise


#: the file names ``folder_files`` recognises: ``<table><suffix>``
FOLDER_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".pq", ".xlsx", ".xlsm", ".xls")


def folder_files(folder: Path) -> dict[str, list[Path]]:
    """The contract table each file of ``folder`` is named after (``users.csv``, ``events.parquet``, …), in the
    contract's order; ``ValueError`` names a folder that is missing or holds no such file, or two for one table."""
    if not folder.is_dir():
        raise ValueError(f"{folder}: not a folder")
    found: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in FOLDER_SUFFIXES and path.stem.lower() in TABLES:
            found.setdefault(path.stem.lower(), []).append(path)
    twice = {t: ps for t, ps in found.items() if len(ps) > 1}
    if twice:
        table, paths = next(iter(twice.items()))
        raise ValueError(f"{folder}: two files for {table} ({', '.join(p.name for p in paths)}); keep one")
    if not found:
        names = ", ".join(f"{t}.csv" for t in TABLES)
        raise ValueError(f"{folder}: no file named after a table ({names}, or .parquet / .xlsx)")
    return {t: found[t] for t in TABLES if t in found}


def _load_tables(wh: Warehouse, files: Mapping[str, Sequence[str | Path]], tz: str | None) -> list[LoadResult]:
    tables = [lookup_table(name, [str(p) for p in paths]) for name, paths in files.items()]
    if len({t.name for t in tables}) != len(tables):
        raise ValueError("load_tables: a table is named twice")
    warnings: list[str] = []
    zone = _zone(wh, tz, warnings)
    with sources.new_workdir() as workdir:
        preps, refusals = [], []
        for table, paths in zip(tables, files.values(), strict=True):
            try:
                preps.append(prepare(wh, table, [Path(p) for p in paths], None, zone, Path(workdir), list(warnings)))
            except LoadError as exc:
                refusals.append(exc)
        if len(refusals) == 1:
            raise refusals[0]
        if refusals:  # every refused file's problems at once, so one fix-and-retry is enough
            raise LoadError(", ".join(r.table for r in refusals), [p for r in refusals for p in r.problems])
        return _write(wh, zone, preps)


def _engine(con: duckdb.DuckDBPyConnection) -> Engine:
    """The engine this warehouse computes on (``engine.for_warehouse``), recorded in the file on first use."""
    has_rows = bool(one_row(con, "SELECT count(*) FROM _loads")[0])
    return engine.for_warehouse(get_meta(con, "engine"), has_rows)


def _write(wh: Warehouse, zone: str, preps: list[Prepared]) -> list[LoadResult]:
    """Land prepared tables in one write session and one transaction, then one refresh for all of them."""
    with write_session(wh, zone) as con:
        if (get_meta(con, "timezone") or DEFAULT_TZ) != zone:  # made by a concurrent first load
            raise WarehouseError(f"{wh.path}: was just created in another zone; load again")
        labels = [_recorded_source("; ".join(s.label for s in p.staged)) for p in preps]
        eng = _engine(con)
        if eng.is_clickhouse:  # the rows go to ClickHouse; the file gets the served views (clickhouse_load)
            landed, refreshed = clickhouse_load.land_all(eng, con, preps, labels)
        else:
            for prep in preps:
                con.execute(f"ATTACH ? AS {prep.alias} (READ_ONLY)", [str(prep.stage_path)])
            con.execute("BEGIN TRANSACTION")
            landed = [land(con, p, label) for p, label in zip(preps, labels, strict=True)]
            con.execute("COMMIT")
            # as for one table: a table that says "rebuild everything" (replaced users, no days) says it for all
            days = [x.since for x in landed]
            since = None if None in days else min(d for d in days if d is not None)
            refreshed = refresh(con, since, [p.table.name for p in preps])
            for prep in preps:
                con.execute(f"DETACH {prep.alias}")
    results = []
    for prep, x in zip(preps, landed, strict=True):
        logger.info("loaded %d rows into %s (load %d)", prep.rows_in, prep.table.name, x.load_id)
        results.append(
            LoadResult(
                table=prep.table.name,
                sources=tuple(s.label for s in prep.staged),
                load_id=x.load_id,
                rows_in=prep.rows_in,
                rows_stored=prep.rows_in,
                rows_replaced=x.rows_replaced,
                warnings=tuple(prep.warnings),
                refreshed=tuple(refreshed),
            )
        )
    return results


def load_sql(
    wh: Warehouse,
    table_name: str,
    source: str | Connection,
    query: str,
    *,
    tz: str | None = None,
    query_name: str | None = None,
    max_rows: int | None = None,
    timeout: float | None = None,
) -> LoadResult:
    """Read rows with one SELECT on a database server and load them exactly like a file (rows count from 1).

    ``source`` is a named ``Connection`` (the pages, ``--connection``), recorded as ``connection NAME [query]``,
    or the admin's ``--from-sql`` URL, recorded masked; ``query_name`` names a saved query in that record. The
    rules (no file URLs, one SELECT, read-only, row and time limits) are ``sources.read_sql``'s. A failure is
    recorded beside the warehouse with every password masked, then re-raised unchanged."""
    base = source.label if isinstance(source, Connection) else sources.mask_url(source)
    label = f"{base} [query {query_name}]" if query_name else f"{base} [query]"
    secret = source.url if isinstance(source, Connection) else source
    try:
        return _load_sql(wh, table_name, source, query, label, tz, max_rows, timeout)
    except Exception as exc:
        _record_failure(wh, table_name, [label], exc, secret=secret)
        raise


def _load_sql(
    wh: Warehouse,
    table_name: str,
    source: str | Connection,
    query: str,
    label: str,
    tz: str | None,
    max_rows: int | None,
    timeout: float | None,
) -> LoadResult:
    try:
        get_table(table_name)
    except KeyError as exc:
        raise UnknownTableError(repr(table_name), [Problem(label, (), None, str(exc.args[0]))]) from None
    try:
        df = sources.read_sql(source, query, max_rows=max_rows, timeout=timeout)
    except SourceError as exc:
        problem = Problem(exc.source, (), None, exc.message, message_zh=exc.message_zh)
        raise LoadError(get_table(table_name).name, [problem]) from None
    return _load(wh, table_name, (), frame=df, frame_label=label, tz=tz)


def row_counts(wh: Warehouse) -> dict[str, int]:
    """Rows per contract table (what the refusal tests compare before and after)."""
    if not wh.exists():
        return {t: 0 for t in TABLES}
    with read_connection(wh) as con:
        return {t: int(one_row(con, f"SELECT count(*) FROM {t}")[0]) for t in TABLES}


def set_event_roles(wh: Warehouse, active_events: Sequence[str] = (), activation_event: str | None = None) -> None:
    """Which events make a user active / activated (from the plan); rebuilds what depends on it."""
    with write_session(wh) as con:
        old = con.execute("SELECT role, event_name FROM _event_roles ORDER BY ALL").fetchall()
        new = sorted(
            [("active", e) for e in active_events] + ([("activation", activation_event)] if activation_event else [])
        )
        if old == new:
            return
        con.execute("DELETE FROM _event_roles")
        for role, name in new:
            con.execute("INSERT INTO _event_roles VALUES (?, ?)", [role, name])
        bump_data_version(con)
        eng = _engine(con)
        if eng.is_clickhouse:
            clickhouse_load.set_roles(eng, con, new)
        else:
            refresh(con, None, ["_event_roles"])


def rebuild_views(wh: Warehouse) -> list[str]:
    """Every view recomputed from the stored rows, on the warehouse's engine (``opsplan refresh``): the repair
    after a load interrupted half way on ClickHouse, which has no transactions. Returns the tables rebuilt."""
    with write_session(wh) as con:
        eng = _engine(con)
        if eng.is_clickhouse:
            return clickhouse_load.rebuild(eng, con)
        sync_views(con, force=True)  # builds every table in full: no refresh after it
        bump_data_version(con)
        return [d.name for d in load_view_defs() if d.materialized]
