"""The SQL layer: ``queries/<name>.sql`` holds one SELECT that becomes the view ``<name>``.

A file whose header says ``-- materialize: <column> [day|week|month] [lookback N]`` becomes a table instead,
rebuilt in full when the SQL changes and refreshed incrementally after each load: rows whose
``<column>`` falls on or after the first changed day (truncated to the unit) are deleted and
recomputed, so the work grows with the new days, not with the history. While it recomputes them the
query's ``$cut`` is bound to that first day (``portable.bind_cut``), so the query can skip older input rows
itself (``WHERE ($cut IS NULL OR e.event_day >= $cut)``: the engine folds the literal and prunes row
groups with it); bound to NULL, the query computes everything.
``-- materialize: full`` makes a small table rebuilt in full whenever its inputs change.

A load refreshes only the tables that read, directly or through other views, the table it loaded.

The same plan runs on DuckDB and on ClickHouse: ``refresh`` talks to a ``Target`` (``DuckDBTarget`` here,
``clickhouse.ClickHouseTarget`` there), which knows how its engine replaces a table or a range of rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Protocol

import duckdb

from opsplan.resources import project_path
from opsplan.store.contract import TABLES
from opsplan.store.portable import bind_cut
from opsplan.store.warehouse import get_meta, set_meta

logger = logging.getLogger(__name__)

QUERIES_DIR = Path(os.environ.get("OPSPLAN_QUERIES") or project_path("queries"))

# "-- materialize: cohort_date day lookback 29": refresh rows whose cohort_date >= first changed day - 29
_MATERIALIZE = re.compile(r"^--\s*materialize:\s*(\w+)(?:\s+(day|week|month))?(?:\s+lookback\s+(\d+))?\s*$", re.M)
_IDENT = re.compile(r"\b[a-z_][a-z0-9_]*\b")
#: ``-- materialize: full``: no refresh column, rebuilt in full on every refresh that concerns it
_FULL = "full"
#: tables a view may read besides other views: the contract's and the plan-driven bookkeeping
_BASE_TABLES = frozenset(TABLES) | {"_meta", "_event_roles", "_user_keys", "_event_names", "_segments"}
#: the view that says which days are reported; views reading it move when it moves
_THROUGH = "data_through"


class ViewError(RuntimeError):
    """A query file that cannot become a view; the message names the file."""


@dataclass(frozen=True)
class ViewDef:
    name: str
    path: Path
    sql: str
    #: column that incremental refresh filters on, or None for a plain view
    refresh_column: str | None
    refresh_unit: str
    #: days before the first changed day whose rows may change too (a 30-day revenue window: 29)
    lookback: int
    depends_on: frozenset[str]
    #: contract / bookkeeping tables the query reads directly
    tables: frozenset[str] = frozenset()
    #: materialized without a refresh column: rebuilt in full (a small table)
    full: bool = False

    @property
    def materialized(self) -> bool:
        return self.refresh_column is not None or self.full


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def load_view_defs(queries_dir: Path = QUERIES_DIR) -> list[ViewDef]:
    """Every query file, ordered so that each comes after the views it reads."""
    paths = sorted(queries_dir.glob("*.sql"))
    if not paths:  # an install without its SQL must say so, not build a warehouse with no views
        raise ViewError(f"{queries_dir}: no query files (*.sql) here; OPSPLAN_QUERIES or the install is wrong")
    names = {p.stem for p in paths}
    raw: dict[str, ViewDef] = {}
    for path in paths:
        sql = path.read_text(encoding="utf-8").strip().rstrip(";")
        if re.search(r"^\s*create\b", _strip_comments(sql), re.I | re.M):
            raise ViewError(f"{path}: holds a CREATE; a query file holds one SELECT (the loader creates the view)")
        match = _MATERIALIZE.search(sql)
        idents = set(_IDENT.findall(_strip_comments(sql).lower()))
        refs = idents & names - {path.stem}
        full = bool(match) and match.group(1) == _FULL
        raw[path.stem] = ViewDef(
            name=path.stem,
            path=path,
            sql=sql,
            refresh_column=match.group(1) if match and not full else None,
            refresh_unit=(match.group(2) or "day") if match else "day",
            lookback=int(match.group(3) or 0) if match else 0,
            depends_on=frozenset(refs),
            tables=frozenset(idents & _BASE_TABLES),
            full=full,
        )
    try:
        order = list(TopologicalSorter({n: v.depends_on for n, v in raw.items()}).static_order())
    except CycleError as exc:
        cycle = " -> ".join(f"{queries_dir / n}.sql" for n in exc.args[1])
        raise ViewError(f"views reference each other in a cycle: {cycle}") from None
    return [raw[n] for n in order]


def views_hash(defs: list[ViewDef]) -> str:
    digest = hashlib.sha256()
    for d in sorted(defs, key=lambda d: d.name):
        digest.update(d.name.encode() + b"\0" + d.sql.encode() + b"\0")
    return digest.hexdigest()[:16]


def views_are_current(con: duckdb.DuckDBPyConnection, defs: list[ViewDef] | None = None) -> bool:
    return get_meta(con, "views_hash") == views_hash(defs or load_view_defs())


def sync_views(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> bool:
    """(Re)create every view and materialized table when the query files changed. True if rebuilt."""
    defs = load_view_defs()
    if not force and views_are_current(con, defs):
        return False
    old = (get_meta(con, "views") or "").split()
    for name in reversed(old):
        kind = con.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'",
            [name],
        ).fetchone()
        if kind:
            con.execute(f'DROP {"VIEW" if kind[0] == "VIEW" else "TABLE"} IF EXISTS "{name}"')
    for d in defs:
        verb = "CREATE OR REPLACE TABLE" if d.materialized else "CREATE OR REPLACE VIEW"
        try:
            con.execute(f'{verb} "{d.name}" AS {bind_cut(d.sql, None)}')
        except duckdb.Error as exc:
            raise ViewError(f"{d.path}: {str(exc).splitlines()[0]}") from exc
    set_meta(con, "views", " ".join(d.name for d in defs))
    set_meta(con, "views_hash", views_hash(defs))
    logger.info("rebuilt %d views", len(defs))
    return True


def _cutoff(since: dt.date, unit: str) -> dt.date:
    """First period start to recompute: 2026-01-15 → week 2026-01-12 (Monday), month 2026-01-01."""
    if unit == "week":
        return since - dt.timedelta(days=since.weekday())
    if unit == "month":
        return since.replace(day=1)
    return since


def reaching(defs: list[ViewDef], roots: Iterable[str]) -> set[str]:
    """Names of the views that read any of ``roots`` (tables or views), directly or through other views."""
    hit = set(roots)
    for d in defs:  # defs are in dependency order
        if d.tables & hit or d.depends_on & hit:
            hit.add(d.name)
    return hit


class Target(Protocol):
    """What ``refresh`` needs of an engine: read a row, replace a table, replace its rows from a cut, atomically."""

    def fetch(self, sql: str) -> list[tuple]: ...

    def replace_table(self, d: ViewDef, sql: str) -> None: ...

    def replace_rows(self, d: ViewDef, cut: dt.date, sql: str) -> None: ...

    def transaction(self) -> contextlib.AbstractContextManager[None]: ...


class DuckDBTarget:
    """The warehouse's own engine: one transaction around the whole refresh (no half-refreshed tables)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def fetch(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def replace_table(self, d: ViewDef, sql: str) -> None:
        self.con.execute(f'CREATE OR REPLACE TABLE "{d.name}" AS {sql}')

    def replace_rows(self, d: ViewDef, cut: dt.date, sql: str) -> None:
        col = d.refresh_column
        self.con.execute(f'DELETE FROM "{d.name}" WHERE "{col}" >= ?', [cut])
        self.con.execute(f'INSERT INTO "{d.name}" SELECT * FROM ({sql}) AS v WHERE v."{col}" >= ?', [cut])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
            self.con.execute("COMMIT")
        except BaseException:
            # a failed COMMIT has already ended the transaction: its ROLLBACK error must not hide the real one
            with contextlib.suppress(duckdb.Error):
                self.con.execute("ROLLBACK")
            raise


def _through(target: Target) -> dt.date | None:
    rows = target.fetch(f'SELECT data_through FROM "{_THROUGH}"')
    return rows[0][0] if rows else None


def refresh(
    con: duckdb.DuckDBPyConnection | Target, since: dt.date | None, tables: Iterable[str] | None = None
) -> list[str]:
    """Bring materialized tables up to date after a load that changed days ``since`` and later.

    ``since=None`` rebuilds them in full. ``tables`` names the tables the load changed: only the
    materialized views that read one of them (directly or through other views) are refreshed; None
    means all. When data_through moves, the views reading it are recomputed from the earlier of
    ``since`` and the day after the old or new data_through, whichever is first. On DuckDB it runs as
    one transaction of its own: call it outside one. Returns the names refreshed, in order.
    """
    # a Target has replace_table; anything else is a DuckDB connection (or a wrapper of one, as the bench's timer)
    target = con if hasattr(con, "replace_table") else DuckDBTarget(con)  # type: ignore[arg-type]
    defs = load_view_defs()
    wanted = reaching(defs, tables) if tables is not None else {d.name for d in defs}
    after_through = reaching(defs, [_THROUGH]) - {_THROUGH}
    done = []
    moved: dt.date | None = None  # the day after the earlier of the old and new data_through, if it moved
    with target.transaction():
        for d in defs:
            if not d.materialized or d.name not in wanted:
                continue
            start = since
            if start is not None and d.name in after_through and moved is not None:
                start = min(start, moved) if moved is not dt.date.min else None
            if start is None or d.full:
                old = _through(target) if d.name == _THROUGH and start is not None else None
                target.replace_table(d, bind_cut(d.sql, None))
                if d.name == _THROUGH and start is not None:
                    new = _through(target)
                    if old != new:  # rows up to the later of the two may appear / vanish
                        moved = dt.date.min if old is None or new is None else min(old, new) + dt.timedelta(days=1)
            else:
                cut = _cutoff(start - dt.timedelta(days=d.lookback), d.refresh_unit)
                target.replace_rows(d, cut, bind_cut(d.sql, cut))
            done.append(d.name)
    return done
