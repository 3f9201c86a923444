"""The SQL layer: ``queries/<name>.sql`` holds one SELECT that becomes the view ``<name>``.

A file whose header says ``-- materialize: <column> [day|week|month] [lookback N]`` becomes a table instead,
rebuilt in full when the SQL changes and refreshed incrementally after each load: rows whose
``<column>`` falls on or after the first changed day (truncated to the unit) are deleted and
recomputed, so the work grows with the new days, not with the history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import duckdb

logger = logging.getLogger(__name__)

QUERIES_DIR = Path(os.environ.get("OPSPLAN_QUERIES", Path(__file__).resolve().parents[1] / "queries"))

# "-- materialize: cohort_date day lookback 29": refresh rows whose cohort_date >= first changed day - 29
_MATERIALIZE = re.compile(r"^--\s*materialize:\s*(\w+)(?:\s+(day|week|month))?(?:\s+lookback\s+(\d+))?\s*$", re.M)
_IDENT = re.compile(r"\b[a-z_][a-z0-9_]*\b")


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

    @property
    def materialized(self) -> bool:
        return self.refresh_column is not None


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def load_view_defs(queries_dir: Path = QUERIES_DIR) -> list[ViewDef]:
    """Every query file, ordered so that each comes after the views it reads."""
    paths = sorted(queries_dir.glob("*.sql"))
    names = {p.stem for p in paths}
    raw: dict[str, ViewDef] = {}
    for path in paths:
        sql = path.read_text(encoding="utf-8").strip().rstrip(";")
        if re.search(r"^\s*create\b", _strip_comments(sql), re.I | re.M):
            raise ViewError(f"{path}: holds a CREATE; a query file holds one SELECT (the loader creates the view)")
        match = _MATERIALIZE.search(sql)
        refs = set(_IDENT.findall(_strip_comments(sql).lower())) & names - {path.stem}
        raw[path.stem] = ViewDef(
            name=path.stem,
            path=path,
            sql=sql,
            refresh_column=match.group(1) if match else None,
            refresh_unit=(match.group(2) or "day") if match else "day",
            lookback=int(match.group(3) or 0) if match else 0,
            depends_on=frozenset(refs),
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
    from opsplan.warehouse import get_meta

    return get_meta(con, "views_hash") == views_hash(defs or load_view_defs())


def sync_views(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> bool:
    """(Re)create every view and materialized table when the query files changed. True if rebuilt."""
    from opsplan.warehouse import get_meta, set_meta

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
            con.execute(f'{verb} "{d.name}" AS {d.sql}')
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


def refresh(con: duckdb.DuckDBPyConnection, since: dt.date | None) -> list[str]:
    """Bring materialized tables up to date after a load that changed days ``since`` and later.

    ``since=None`` rebuilds them in full. Returns the names refreshed, in order.
    """
    done = []
    for d in load_view_defs():
        if not d.materialized:
            continue
        if since is None:
            con.execute(f'CREATE OR REPLACE TABLE "{d.name}" AS {d.sql}')
        else:
            cut = _cutoff(since - dt.timedelta(days=d.lookback), d.refresh_unit)
            col = d.refresh_column
            con.execute(f'DELETE FROM "{d.name}" WHERE "{col}" >= ?', [cut])
            con.execute(f'INSERT INTO "{d.name}" SELECT * FROM ({d.sql}) AS v WHERE v."{col}" >= ?', [cut])
        done.append(d.name)
    return done
