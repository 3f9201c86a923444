"""Cached reads of the engine for the pages. Every cache key holds the warehouse path and its data version
(and the plan file's modification time), so a new load or an edited plan shows on the next rerun, and
nothing is computed twice. Read connections live no longer than one script run: a load replaces the file
(it never writes the live one), so a reader never blocks it."""

from __future__ import annotations

import datetime as dt
import functools
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from opsplan.demo.dataset import load_demo
from opsplan.handle import PlanState, apply_settings, event_roles, load_plan, not_judged, roles_of
from opsplan.metrics.exports import campaign_list, silent_users
from opsplan.metrics.rollup import query_metrics, window
from opsplan.plan.check import CheckResult, evaluate_plan, rule_history
from opsplan.plan.model import Issue, Plan
from opsplan.resources import project_path
from opsplan.store.engine import Engine
from opsplan.store.status import freshness, recent_loads, warehouse_engine
from opsplan.store.warehouse import Warehouse, data_version, read_connection, resolve_db

P = ParamSpec("P")
R = TypeVar("R")

DEMO_PLAN = project_path("data", "demo_plan.yaml")
TTL = 3600


def current_warehouse() -> Warehouse:
    return resolve_db(None)


def plan_path() -> Path:
    return Path(os.environ.get("OPSPLAN_PLAN") or DEMO_PLAN)


Stamp = tuple[tuple[str, int, int, int, int], ...]

#: path → (the files' stamp, when read, the data version read with it): one read of the version per change of
#: the files, not one read connection per cached call (each open costs 30–100 ms, a page asks 10–20 times)
_VERSIONS: dict[str, tuple[Stamp, float, str]] = {}
#: a stamp is trusted only once the files have been quiet this long: a second write within the file system's
#: clock tick could leave the same mtime, but not after the tick has passed
_QUIET_NS = 2_000_000_000
#: and read again after this long all the same (a bound on any surprise, e.g. a reader of the replaced file)
_RECHECK_S = 30.0
#: this script run's own read-only connection, held while the run lasts (its thread): with it open, DuckDB
#: reuses the open database for every other read of the run (3 ms instead of 30–100 ms per open). Only the
#: run's thread holds it, and it is dropped as soon as the files change, so no writer waits on it (writers
#: replace the file; they never write the live one) and no read of a new file goes to the old one.
_RUN = threading.local()


def _stamp(wh: Warehouse) -> Stamp:
    """Name, inode, mtime, ctime and size of the warehouse and of every file beside it (a .wal, a lock, a
    foreign file): a load replaces the file (new inode), an in-place write changes its mtime."""
    try:
        entries = [e for e in os.scandir(wh.path.parent) if e.name.startswith(wh.path.name)]
    except (FileNotFoundError, NotADirectoryError):
        return ()
    out = []
    for e in entries:
        try:
            info = e.stat()
        except FileNotFoundError:  # gone between the listing and the stat (a lock released)
            continue
        out.append((e.name, info.st_ino, info.st_mtime_ns, info.st_ctime_ns, info.st_size))
    return tuple(sorted(out))


def _hold(wh: Warehouse, stamp: Stamp) -> None:
    """This run reads the files as stamped: a connection to older files is closed now, and one to these is
    opened by the first read the cache cannot answer (a warm run opens none)."""
    _RUN.want = (str(wh.path), stamp)
    held = getattr(_RUN, "held", None)
    if held is not None and held[0] != _RUN.want:
        release()


def _open_held() -> None:
    want = getattr(_RUN, "want", None)
    held = getattr(_RUN, "held", None)
    if want is None or (held is not None and held[0] == want):
        return
    try:
        con = duckdb.connect(want[0], read_only=True)
    except duckdb.Error:  # a writer's lock, a damaged file: each read opens its own and says why
        return
    _RUN.held = (want, con)


def reads(func: Callable[P, R]) -> Callable[P, R]:
    """Under ``st.cache_data``: a read the cache could not answer first makes sure this run holds its
    connection, so that the reads after it (the engine opens one per batch) reuse the open database."""

    @functools.wraps(func)
    def read(*args: P.args, **kwargs: P.kwargs) -> R:
        _open_held()
        return func(*args, **kwargs)

    return read


def release() -> None:
    """Close this run's connection now (it also closes when the run's thread ends)."""
    held = getattr(_RUN, "held", None)
    _RUN.held = None
    _RUN.want = None
    if held is not None:
        held[1].close()


def _version(wh: Warehouse) -> str:
    """``data_version`` read once per change of the files: unchanged files (same names, inodes, times and sizes,
    quiet for two seconds) hold the same data. Any new file beside the warehouse changes the stamp, so a .wal or
    a foreign file is still refused by the next real read (``read_connection`` checks them)."""
    if not wh.exists():
        release()
        return "none"
    key = str(wh.path)
    stamp = _stamp(wh)
    known = _VERSIONS.get(key)
    if known is not None and known[0] == stamp and time.monotonic() - known[1] < _RECHECK_S:
        _hold(wh, stamp)
        return known[2]
    release()  # the files changed: no read of this run may reach the old file any more
    version = data_version(wh)  # checks the files beside it first (a .wal, a foreign file: WarehouseError)
    _hold(wh, stamp)
    changed = max((max(m, c) for _, _, m, c, _ in stamp), default=0)
    if time.time_ns() - changed > _QUIET_NS and _stamp(wh) == stamp:
        _VERSIONS[key] = (stamp, time.monotonic(), version)
    return version


def version(wh: Warehouse) -> str:
    """The warehouse's data version, the part of every cache key that changes with a load."""
    return _version(wh)


def bootstrap(wh: Warehouse) -> bool:
    """An empty warehouse gets the demo data (and the demo plan is the default plan). True when it just did."""
    if wh.exists() and data_window(wh)[1] is not None:  # cached: every run asks, only a new version reads
        return False
    load_demo(wh)
    st.cache_data.clear()
    return True


@st.cache_data(ttl=TTL, show_spinner=False)
@reads
def _window(path: str, version: str) -> tuple[dt.date | None, dt.date | None]:
    with read_connection(Warehouse(Path(path))) as con:
        return window(con)


def data_window(wh: Warehouse) -> tuple[dt.date | None, dt.date | None]:
    """(first day, data through) of the warehouse."""
    return _window(str(wh.path), _version(wh))


@st.cache_data(ttl=TTL, show_spinner=False)
@reads
def _source(path: str, version: str) -> str | None:
    with read_connection(Warehouse(Path(path))) as con:
        row = con.execute("SELECT value FROM _meta WHERE key = 'source'").fetchone()
    return row[0] if row else None


def is_demo(wh: Warehouse) -> bool:
    return _source(str(wh.path), _version(wh)) == "demo"


@st.cache_data(ttl=TTL, show_spinner=False)
@reads
def _metrics(
    path: str,
    version: str,
    names: tuple[str, ...],
    grain: str,
    start: dt.date | None,
    end: dt.date | None,
    by: str | None,
    channels: tuple[str, ...] | None,
    campaigns: tuple[str, ...] | None,
) -> pd.DataFrame:
    with read_connection(Warehouse(Path(path))) as con:
        return query_metrics(
            con, names, grain=grain, start=start, end=end, by=by, channels=channels, campaigns=campaigns
        )


def metrics(
    wh: Warehouse,
    names: Sequence[str],
    grain: str = "day",
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str | None = None,
    channels: Sequence[str] | None = None,
    campaigns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """``rollup.query_metrics`` through the cache: one row per period (and channel / campaign with ``by``)."""
    return _metrics(
        str(wh.path),
        _version(wh),
        tuple(names),
        grain,
        start,
        end,
        by,
        tuple(channels) if channels else None,
        tuple(campaigns) if campaigns else None,
    )


@st.cache_data(ttl=TTL, show_spinner=False)
@reads
def _campaigns(path: str, version: str) -> pd.DataFrame:
    with read_connection(Warehouse(Path(path))) as con:
        return campaign_list(con)


def campaigns(wh: Warehouse) -> pd.DataFrame:
    """campaign_id, channel, name, phase, start_date, end_date, … — every campaign the data knows."""
    return _campaigns(str(wh.path), _version(wh))


def campaign_owners(wh: Warehouse) -> dict[str, tuple[str, str]]:
    """campaign_id → (its channel, its name; the id when the data gives none): what splits a channel by campaign."""
    frame = campaigns(wh)
    names = frame["name"].fillna(frame["campaign_id"])
    return dict(zip(frame["campaign_id"], zip(frame["channel"], names, strict=True), strict=True))


def campaign_names(wh: Warehouse) -> dict[str, str]:
    """campaign_id → its name (the id when the data gives none): a campaign shows by its name, not its code."""
    frame = campaigns(wh)
    return {
        str(c): str(n) if isinstance(n, str) and n else str(c)
        for c, n in zip(frame["campaign_id"], frame["name"], strict=True)
    }


@st.cache_data(ttl=TTL, show_spinner=False)
@reads
def _channels(path: str, version: str) -> list[str]:
    with read_connection(Warehouse(Path(path))) as con:
        rows = con.execute("SELECT DISTINCT channel FROM kpis_daily WHERE channel IS NOT NULL ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def channels(wh: Warehouse) -> list[str]:
    """Every channel the data knows (users, spend or campaigns), the data's own codes."""
    return _channels(str(wh.path), _version(wh))


@st.cache_data(ttl=TTL, show_spinner=False)
@reads
def _sql(path: str, version: str, sql: str, params: tuple[object, ...]) -> pd.DataFrame:
    with read_connection(Warehouse(Path(path))) as con:
        return con.execute(sql, list(params)).df()


def sql(wh: Warehouse, query: str, params: Sequence[object] = ()) -> pd.DataFrame:
    """A read of a view the registry does not cover (e.g. the 0..30 retention curve), cached like the rest."""
    return _sql(str(wh.path), _version(wh), query, tuple(params))


@st.cache_data(ttl=TTL, show_spinner=False)
@reads
def _silent(path: str, version: str, k: int) -> pd.DataFrame:
    with read_connection(Warehouse(Path(path))) as con:
        return silent_users(con, k)


def silent(wh: Warehouse, k: int = 14) -> pd.DataFrame:
    return _silent(str(wh.path), _version(wh), k)


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_data(ttl=TTL, show_spinner=False)
@reads
def _plan(path: str, mtime: float, db: str, version: str) -> PlanState:
    return load_plan(path, Warehouse(Path(db)))


def plan_state(wh: Warehouse | None = None) -> PlanState:
    """The plan file as the handle reads it: validated against this warehouse's data, with every problem."""
    wh = wh or current_warehouse()
    p = plan_path()
    return _plan(str(p), _mtime(p), str(wh.path), _version(wh))


def plan() -> tuple[Plan | None, list[Issue]]:
    """The plan (None when it has errors) and its problems."""
    state = plan_state()
    return state.plan, list(state.issues)


@st.cache_data(ttl=TTL, show_spinner=False)
@reads
def _roles(path: str, version: str) -> list[tuple[str, str]]:
    return event_roles(Warehouse(Path(path)))


def ensure_plan_settings(wh: Warehouse) -> bool:
    """Apply the plan's event roles to the warehouse before any page reads it (writes only when they differ,
    so a plan edit reaches DAU, retention and the funnel on the next run). True when the data changed."""
    state = plan_state(wh)
    if state.plan is None or not wh.exists():
        return False
    if _roles(str(wh.path), _version(wh)) == roles_of(state.plan):  # every run asks: no extra read once cached
        return False
    changed = apply_settings(wh, state.plan)
    if changed:
        st.cache_data.clear()
    return changed


#: results held as they are (st.cache_resource), not copied through pickle on every read: a check result is
#: 0.6 MB at 20k users (its targets' daily series), 20–40 ms to unpickle per call and more to pickle. They are
#: frozen dataclasses, read-only for every page (shared by all sessions: never change one in place).
SHARED = st.cache_resource(ttl=TTL, max_entries=64, show_spinner=False)


@SHARED
@reads
def _check(path: str, version: str, plan_file: str, mtime: float, as_of: dt.date | None) -> CheckResult:
    state = _plan(plan_file, mtime, path, version)
    if state.plan is None:
        return not_judged(state, as_of)
    with read_connection(Warehouse(Path(path))) as con:
        return evaluate_plan(con, state.plan, as_of)


def check(wh: Warehouse, as_of: dt.date | None = None) -> CheckResult:
    """The daily check of the plan on ``as_of`` (default: the last complete day), read-only; for a plan with
    errors an unknown result carrying them (never an absence a page could read as "all clear")."""
    p = plan_path()
    return _check(str(wh.path), _version(wh), str(p), _mtime(p), as_of)


@st.cache_data(ttl=TTL, show_spinner=False)
@reads
def _history(path: str, version: str) -> pd.DataFrame:
    return rule_history(Warehouse(Path(path)))


def kept_history(wh: Warehouse) -> pd.DataFrame:
    """Evaluations kept by `opsplan check` runs (cron), with the notes on what was done."""
    return _history(str(wh.path), _version(wh))


@st.cache_data(ttl=TTL, show_spinner=False)
@reads
def _freshness(path: str, version: str) -> pd.DataFrame:
    return freshness(Warehouse(Path(path)))


def table_freshness(wh: Warehouse) -> pd.DataFrame:
    return _freshness(str(wh.path), _version(wh))


@st.cache_data(ttl=TTL, show_spinner=False)
@reads
def _engine(path: str, version: str) -> Engine:
    return warehouse_engine(Warehouse(Path(path)))


def engine_of(wh: Warehouse) -> Engine:
    """The engine the warehouse computes on (the Data page says which)."""
    return _engine(str(wh.path), _version(wh))


@st.cache_data(ttl=TTL, show_spinner=False)
@reads
def _loads(path: str, version: str) -> pd.DataFrame:
    return recent_loads(Warehouse(Path(path)), 50)


def load_history(wh: Warehouse) -> pd.DataFrame:
    return _loads(str(wh.path), _version(wh))
