"""Loading: validate every value of every row first, then land the rows in one step or not at all.

A load is staged in a scratch DuckDB file as text, checked against the data contract (all problems
at once, each naming file, rows and column), cast to its types there, and only then written to the
warehouse inside one write session (see ``warehouse.py``), which also refreshes the materialized
views. A refused or interrupted load leaves the warehouse byte for byte as it was; the attempt is
recorded outside it, in ``<warehouse>.failures.jsonl`` (``opsplan.store.freshness``), so the pages can say so.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from opsplan.store import sources
from opsplan.store.casting import typed_select
from opsplan.store.connections import Connection, scrub
from opsplan.store.contract import (
    TABLES,
    Table,
    get_table,
)
from opsplan.store.freshness import record_failure
from opsplan.store.refusals import LoadError, Problem, UnknownTableError
from opsplan.store.staging import SourceError, StagedSource
from opsplan.store.validation import ContractChecker
from opsplan.store.views import refresh
from opsplan.store.warehouse import (
    DEFAULT_TZ,
    Warehouse,
    WarehouseError,
    bump_data_version,
    check_timezone,
    configure_staging,
    get_meta,
    one_row,
    read_connection,
    warehouse_timezone,
)
from opsplan.store.writing import write_session
from opsplan.words import both

#: Problem, LoadError and UnknownTableError live in ``refusals``; callers keep importing them from here
__all__ = [
    "LoadError",
    "LoadResult",
    "Problem",
    "UnknownTableError",
    "load",
    "load_sql",
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


def _replace_existing(con: duckdb.DuckDBPyConnection, table: Table, day_replace: bool) -> tuple[int, dt.date | None]:
    """Delete stored rows the new load overlaps; returns (rows deleted, their earliest day).

    Keyed rows are replaced by key. Events without an event_id are replaced by day: a load that
    brings id-less events for a day replaces every stored event of that day (and only those days).
    """
    if table.name == "events":
        cond = "events.event_id IN (SELECT event_id FROM stage.typed WHERE event_id IS NOT NULL)"
        if day_replace:
            days = "SELECT DISTINCT event_day FROM stage.typed WHERE event_id IS NULL"
            cond = f"({cond} OR events.event_day IN ({days}))"
    else:
        match = " AND ".join(f's."{k}" IS NOT DISTINCT FROM {table.name}."{k}"' for k in table.key)
        cond = f"EXISTS (SELECT 1 FROM stage.typed s WHERE {match})"
    n, first = one_row(con, f"SELECT count(*), min({table.day_column}) FROM {table.name} WHERE {cond}")
    if n:
        con.execute(f"DELETE FROM {table.name} WHERE {cond}")
    return n, first


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
    try:
        table = get_table(table_name)
    except KeyError as exc:
        problems = [Problem(label, (), None, str(exc.args[0])) for label in labels or ["(no input)"]]
        raise UnknownTableError(repr(table_name), problems) from None
    if not files and frame is None:
        zh, en = both("load.no_input")
        raise LoadError(table.name, [Problem("(no input)", (), None, en, message_zh=zh)])
    warnings: list[str] = []
    if wh.exists():
        zone = warehouse_timezone(wh)
        if tz and check_timezone(tz) != zone:
            warnings.append(f"the warehouse keeps the zone it was made with ({zone}); --tz {tz} is ignored")
    else:
        zone = check_timezone(tz or DEFAULT_TZ)
    with sources.new_workdir() as workdir:
        stage_path = Path(workdir) / "stage.duckdb"
        stage_con = duckdb.connect(str(stage_path))
        try:
            configure_staging(stage_con, wh, zone)  # the zone, memory_limit, and spilling beside the warehouse
            staged = _stage(
                stage_con,
                table,
                [Path(f) for f in files],
                (frame, frame_label) if frame is not None else None,
                Path(workdir),
            )
            checker = ContractChecker(stage_con, table, staged)
            checker.check()
            checker.warnings[:0] = warnings
            if checker.problems:
                raise LoadError(table.name, checker.problems)
            selects = " UNION ALL ".join(typed_select(table, s, checker.marks.get(s.table)) for s in staged)
            stage_con.execute(f"CREATE TABLE typed AS {selects}")
            rows_in = sum(s.rows for s in staged)
            new_first = one_row(stage_con, f"SELECT min({table.day_column}) FROM typed")[0]
            day_replace = table.name == "events" and bool(
                one_row(stage_con, "SELECT count(*) FILTER (WHERE event_id IS NULL) FROM typed")[0]
            )
            stage_con.execute("CHECKPOINT")
        finally:
            stage_con.close()
        with write_session(wh, zone) as con:
            if (get_meta(con, "timezone") or DEFAULT_TZ) != zone:  # made by a concurrent first load
                raise WarehouseError(f"{wh.path}: was just created in another zone; load again")
            con.execute("ATTACH ? AS stage (READ_ONLY)", [str(stage_path)])
            con.execute("BEGIN TRANSACTION")
            replaced, old_first = _replace_existing(con, table, day_replace)
            cols = ", ".join(f'"{c}"' for c in _stored_names(table))
            load_id = int(one_row(con, "SELECT coalesce(max(load_id), 0) + 1 FROM _loads")[0])
            con.execute(f"INSERT INTO {table.name} ({cols}, _load_id) SELECT {cols}, ? FROM stage.typed", [load_id])
            lo, hi = one_row(con, f"SELECT min({table.day_column}), max({table.day_column}) FROM stage.typed")
            checksum = ",".join(s.checksum[:16] for s in staged)
            con.execute(
                "INSERT INTO _loads VALUES (?, ?, ?, now(), ?, ?, ?, 0, ?, ?, ?, ?)",
                [
                    load_id,
                    table.name,
                    _recorded_source("; ".join(s.label for s in staged)),
                    rows_in,
                    rows_in,
                    replaced,
                    checksum,
                    lo,
                    hi,
                    "; ".join(checker.warnings) or None,
                ],
            )
            bump_data_version(con)
            con.execute("COMMIT")
            since = _refresh_from(table, new_first, old_first, replaced)
            refreshed = refresh(con, since, [table.name])
            con.execute("DETACH stage")
    logger.info("loaded %d rows into %s (load %d)", rows_in, table.name, load_id)
    return LoadResult(
        table=table.name,
        sources=tuple(s.label for s in staged),
        load_id=load_id,
        rows_in=rows_in,
        rows_stored=rows_in,
        rows_replaced=replaced,
        warnings=tuple(checker.warnings),
        refreshed=tuple(refreshed),
    )


def _stored_names(table: Table) -> list[str]:
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
        refresh(con, None, ["_event_roles"])
