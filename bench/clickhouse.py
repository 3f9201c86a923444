"""ClickHouse (embedded chdb) beside DuckDB, measured in one run on the same data set.

``python bench/clickhouse.py [--users 1000000] [--days 90] [--runs 3] [--out DIR] [--write-readme]``

Uses the data set of ``bench/run.py`` (``bench.data.prepare``, the same ``--out``, seed and histories, so a
cached 1M set is reused and the appended day is the one ``bench/run.py`` appends after ``--days`` days), and
measures, for DuckDB and for chdb side by side (work files under ``<out>/clickhouse/``):

1. the fresh load of the base days: one ``opsplan.store.loading.load_tables`` call with every table into a new
   warehouse file, in a process of its own (wall, CPU time, peak RSS); for chdb with ``$OPSPLAN_ENGINE_URL``
   set to ``chdb://<out>/clickhouse/chdb``, so the new file computes on it (and remembers it);
2. the full refresh of every materialized view, ``--runs`` times, each engine's run in a process of its own,
   the two engines alternating: DuckDB ``refresh(con, None)`` inside a ``write_session``; chdb
   ``refresh(ClickHouseTarget(client), None)`` (compute only) and, apart, the copy-back of every served view
   into the warehouse file (``clickhouse_load.serve(client, con, None)`` inside a ``write_session``);
3. the one-day append: ``load_tables`` of the appended day's files into each warehouse (its incremental
   refresh included; for chdb also the rows shipped to ClickHouse and the served copy), once each;
4. the checks (exit 1 if any fails, naming the views): on chdb, every view's fingerprint after the append
   (incremental) equals the one after ``refresh(ClickHouseTarget(client), None)`` (a full recompute); DuckDB's
   fingerprint of every view equals chdb's; the views served into the chdb warehouse file equal DuckDB's.

A view's fingerprint (``ch_fingerprint``, ``duck_fingerprint``) is computed in SQL by the engine that holds it:
its row count, each column's count of non-NULL values, and the sum of each numeric column (booleans as 0 / 1,
dates as day numbers); integer sums are compared exactly, the others (decimals, floats; kept rounded to 6
decimals) to a relative 1e-9, as a float sum's last bits depend on the order the threads add it in
(``fingerprint_differences``). Ratios are chdb / DuckDB of the medians of this run: above 1, chdb took longer.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

import opsplan.store.clickhouse_load as ch_load  # noqa: E402
from bench import data as bdata  # noqa: E402
from bench.appends import instrument, remove_db  # noqa: E402
from bench.figures import _grid, fmt  # noqa: E402
from bench.run import OUT, machine_facts  # noqa: E402
from opsplan.store import clickhouse, engine  # noqa: E402
from opsplan.store.clickhouse import ClickHouseTarget  # noqa: E402
from opsplan.store.loading import load_tables  # noqa: E402
from opsplan.store.views import DuckDBTarget, Target, ViewDef, load_view_defs, refresh  # noqa: E402
from opsplan.store.warehouse import Warehouse, read_connection  # noqa: E402
from opsplan.store.writing import write_session  # noqa: E402

BENCH_README = ROOT / "bench" / "README.md"
README = ROOT / "README.md"
START, END = "<!-- clickhouse-bench:start -->", "<!-- clickhouse-bench:end -->"
ENGINES = ("duckdb", "chdb")
LABEL = {"duckdb": "DuckDB", "chdb": "chdb"}
#: sums of columns other than integers are compared to this relative tolerance (and 1e-6 absolute)
REL_TOL = 1e-9
#: how a non-integer sum is kept in a fingerprint: rounded to this many decimals
DECIMALS = 6
#: the per-view time of a refresh's BEGIN and COMMIT (DuckDB; ClickHouse has no transactions)
TRANSACTION = "(transaction)"

Fingerprint = dict[str, dict[str, Any]]


def _say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _maxrss() -> float:
    return bdata.maxrss_mib()


# --------------------------------------------------------------------------------------- fingerprints


_CH_NUMERIC = re.compile(r"^(U?Int\d+|Float\d+|Decimal\w*)\b")
_DUCK_NUMERIC = re.compile(r"^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|DECIMAL|DOUBLE|FLOAT|REAL)\b", re.I)


def _ch_base_type(t: str) -> str:
    """``Nullable(LowCardinality(Int64))`` → ``Int64``."""
    while True:
        m = re.fullmatch(r"(?:Nullable|LowCardinality)\((.*)\)", t)
        if not m:
            return t
        t = m.group(1)


def _ch_summand(col: str, ch_type: str) -> str | None:
    """What ClickHouse sums of a column: a number itself, a boolean as 0 / 1, a date as its day number."""
    base, q = _ch_base_type(ch_type), f'"{col}"'
    if _CH_NUMERIC.match(base):
        return q
    if base == "Bool":
        return f"toInt64({q})"
    if base in ("Date", "Date32"):
        return f"toInt64(toInt32({q}))"
    return None


def _duck_summand(col: str, duck_type: str) -> str | None:
    """What DuckDB sums of a column (the same quantities as ``_ch_summand``)."""
    t, q = duck_type.upper(), f'"{col}"'
    if _DUCK_NUMERIC.match(t):
        return q
    if t == "BOOLEAN":
        return f"CAST({q} AS BIGINT)"
    if t == "DATE":
        return f"CAST({q} - DATE '1970-01-01' AS BIGINT)"
    return None


def _numeric_value(value: object) -> int | float | None:
    """An integer sum stays exact; any other sum (decimal, float) rounded to ``DECIMALS`` places."""
    if value is None or isinstance(value, int):
        return value
    return round(float(value), DECIMALS)  # type: ignore[arg-type]


def _fingerprint(fetch: Callable[[str], tuple], name: str, cols: list[tuple[str, str | None]], count: str) -> dict:
    """One view's fingerprint from the engine's ``fetch`` (one row): ``cols`` is (column, what to sum or None)."""
    summed = [(c, e) for c, e in cols if e is not None]
    picks = [count] + [f'count("{c}")' for c, _ in cols] + [f"sum({e})" for _, e in summed]
    row = fetch(f'SELECT {", ".join(picks)} FROM "{name}"')
    n = len(cols)
    return {
        "rows": int(row[0]),
        "non_null": {c: int(v) for (c, _), v in zip(cols, row[1 : 1 + n], strict=True)},
        "sums": {c: _numeric_value(v) for (c, _), v in zip(summed, row[1 + n :], strict=True)},
    }


def ch_fingerprint(client: clickhouse.Client, names: list[str]) -> Fingerprint:
    """Each view's fingerprint, computed in SQL on ClickHouse: its rows, each column's non-NULL values, and the sum
    of each numeric column (booleans as 0 / 1, dates as day numbers)."""

    def fetch(sql: str) -> tuple:
        return clickhouse.rows(client, sql)[0]

    out: Fingerprint = {}
    for name in names:
        described = clickhouse.rows(client, f'DESCRIBE TABLE "{name}"')
        cols = [(str(r[0]), _ch_summand(str(r[0]), str(r[1]))) for r in described]
        out[name] = _fingerprint(fetch, name, cols, "count()")
    return out


def duck_fingerprint(con: duckdb.DuckDBPyConnection, names: list[str]) -> Fingerprint:
    """Each view's fingerprint, computed in SQL on DuckDB (the same quantities as ``ch_fingerprint``)."""

    def fetch(sql: str) -> tuple:
        row = con.execute(sql).fetchone()
        assert row is not None
        return row

    out: Fingerprint = {}
    for name in names:
        described = con.execute(f'DESCRIBE SELECT * FROM "{name}"').fetchall()
        cols = [(str(r[0]), _duck_summand(str(r[0]), str(r[1]))) for r in described]
        out[name] = _fingerprint(fetch, name, cols, "count(*)")
    return out


def _same_sum(a: int | float | None, b: int | float | None) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=10.0**-DECIMALS)


def fingerprint_differences(a: Fingerprint, b: Fingerprint) -> dict[str, str]:
    """View → what differs between two fingerprints (empty: equal); a view missing on one side differs too."""
    found: dict[str, str] = {}
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            found[name] = "missing on one side"
            continue
        x, y = a[name], b[name]
        what = []
        if x["rows"] != y["rows"]:
            what.append(f"rows {x['rows']:,} vs {y['rows']:,}")
        if list(x["non_null"]) != list(y["non_null"]):
            what.append(f"columns {list(x['non_null'])} vs {list(y['non_null'])}")
        else:
            what += [
                f"non-NULL {c} {x['non_null'][c]:,} vs {y['non_null'][c]:,}"
                for c in x["non_null"]
                if x["non_null"][c] != y["non_null"][c]
            ]
        if set(x["sums"]) != set(y["sums"]):
            what.append(f"numeric columns {sorted(x['sums'])} vs {sorted(y['sums'])}")
        else:
            what += [
                f"sum({c}) {x['sums'][c]} vs {y['sums'][c]}"
                for c in x["sums"]
                if not _same_sum(x["sums"][c], y["sums"][c])
            ]
        if what:
            found[name] = "; ".join(what)
    return found


# --------------------------------------------------------------------------------------- children


class TimedTarget:
    """A ``views.refresh`` target passing every call to ``inner`` and adding its wall time to the view it writes."""

    def __init__(self, inner: Target) -> None:
        self.inner = inner
        self.per_view: dict[str, float] = {}

    def _add(self, name: str, t0: float) -> None:
        self.per_view[name] = self.per_view.get(name, 0.0) + time.perf_counter() - t0

    def fetch(self, sql: str) -> list[tuple]:
        return self.inner.fetch(sql)

    def replace_table(self, d: ViewDef, sql: str) -> None:
        t0 = time.perf_counter()
        self.inner.replace_table(d, sql)
        self._add(d.name, t0)

    def replace_rows(self, d: ViewDef, cut: dt.date, sql: str) -> None:
        t0 = time.perf_counter()
        self.inner.replace_rows(d, cut, sql)
        self._add(d.name, t0)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """The inner target's transaction, its BEGIN and COMMIT timed as ``(transaction)`` (none on ClickHouse)."""
        cm = self.inner.transaction()
        t0 = time.perf_counter()
        cm.__enter__()
        self._add(TRANSACTION, t0)
        try:
            yield
        except BaseException:
            if not cm.__exit__(*sys.exc_info()):
                raise
        else:
            t0 = time.perf_counter()
            cm.__exit__(None, None, None)
            self._add(TRANSACTION, t0)


def timed_refresh(target: Target) -> tuple[float, float, dict[str, float]]:
    """``refresh(target, None)``: wall and CPU seconds (``time.process_time``: every thread of this process, chdb's
    too), and wall seconds per materialized view."""
    timed = TimedTarget(target)
    c0, t0 = time.process_time(), time.perf_counter()
    refresh(timed, None)
    return time.perf_counter() - t0, time.process_time() - c0, timed.per_view


@contextlib.contextmanager
def ch_parts() -> Iterator[dict[str, float]]:
    """Time the steps of a load on ClickHouse (``clickhouse_load.land_all``): ship, land, refresh, serve."""
    parts = {"ship": 0.0, "land": 0.0, "refresh": 0.0, "serve": 0.0}
    real = {name: getattr(ch_load, name) for name in parts}

    def timed(name: str) -> Callable[..., object]:
        def call(*args: object, **kw: object) -> object:
            t0 = time.perf_counter()
            try:
                return real[name](*args, **kw)
            finally:
                parts[name] += time.perf_counter() - t0

        return call

    for name in parts:
        setattr(ch_load, name, timed(name))
    try:
        yield parts
    finally:
        for name, fn in real.items():
            setattr(ch_load, name, fn)


def child_load(db: Path, files: Mapping[str, Path], tz: str) -> dict[str, object]:
    """One ``load_tables`` call with every table into the new warehouse ``db`` (the engine from the environment)."""
    with instrument() as t, ch_parts() as parts:
        c0, t0 = time.process_time(), time.perf_counter()
        results = load_tables(Warehouse(db), {name: [path] for name, path in files.items()}, tz=tz)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    clickhouse.close_embedded()
    return {
        "wall": wall,
        "cpu": cpu,
        "duckdb_refresh": sum(t["refresh"]),
        "copy": sum(t["copy"]),
        "chdb_parts": parts,
        "rows": {r.table: r.rows_stored for r in results},
        "maxrss_mib": _maxrss(),
    }


def child_refresh(kind: str, db: Path, url: str) -> dict[str, object]:
    """One full refresh: DuckDB's in a write session; chdb's computed on ClickHouse, then served into ``db``."""
    if kind == "duckdb":
        with instrument() as t:
            t0 = time.perf_counter()
            with write_session(Warehouse(db)) as con:
                wall, cpu, per_view = timed_refresh(DuckDBTarget(con))
            session = time.perf_counter() - t0
        return {
            "refresh": wall,
            "cpu": cpu,
            "session": session,
            "copy": sum(t["copy"]),
            "per_view": per_view,
            "maxrss_mib": _maxrss(),
        }
    client = engine.parse(url).client()
    wall, cpu, per_view = timed_refresh(ClickHouseTarget(client))
    per_view.pop(TRANSACTION, None)  # ClickHouse has none
    rss_refresh = _maxrss()
    with instrument() as t:
        s0 = time.perf_counter()
        with write_session(Warehouse(db)) as con:
            c1, t1 = time.process_time(), time.perf_counter()
            served = ch_load.serve(client, con, None)
            serve_wall, serve_cpu = time.perf_counter() - t1, time.process_time() - c1
        session = time.perf_counter() - s0
    clickhouse.close_embedded()
    return {
        "refresh": wall,
        "cpu": cpu,
        "serve": serve_wall,
        "serve_cpu": serve_cpu,
        "serve_session": session,
        "copy": sum(t["copy"]),
        "served_views": len(served),
        "per_view": per_view,
        "maxrss_refresh_mib": rss_refresh,
        "maxrss_mib": _maxrss(),
    }


def run_child(args: list[str], env: Mapping[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        capture_output=True,
        text=True,
        check=False,
        env=dict(env),
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {' '.join(args[:4])} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------- the run


def _du_mb(path: Path) -> float:
    if path.is_file():
        return round(path.stat().st_size / 1e6, 1)
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def code_state() -> str:
    """The code measured: the checkout's commit, and the files of opsplan/ and queries/ changed since."""
    try:
        git = ["git", "-C", str(ROOT)]
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "opsplan", "queries"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    changed = [line[3:] for line in dirty.stdout.splitlines() if line.strip()]
    return f"commit {head.stdout.strip()}" + (f" with uncommitted changes to {', '.join(changed)}" if changed else "")


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.out = Path(args.out).resolve()
        self.work = self.out / "clickhouse"
        self.db = {"duckdb": self.work / "duckdb.duckdb", "chdb": self.work / "chdb.duckdb"}
        self.chdb_dir = self.work / "chdb"
        self.url = f"chdb://{self.chdb_dir}"
        base_env = {k: v for k, v in os.environ.items() if k != engine.ENV}
        self.env = {"duckdb": base_env, "chdb": {**base_env, engine.ENV: self.url}}
        os.environ.pop(engine.ENV, None)  # this process loads the day into both files: each remembers its engine
        self.res: dict[str, Any] = {
            "command": " ".join(["python bench/clickhouse.py", *sys.argv[1:]]),
            "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "code": code_state(),
            "figures": {},
            "checks": {},
        }

    def figure(self, key: str, name: str, unit: str, duck: list[float] | None, ch: list[float] | None) -> None:
        self.res["figures"][key] = {"name": name, "unit": unit, "duckdb": duck, "chdb": ch}

    def prepare(self) -> None:
        a = self.args
        machine = machine_facts()
        import chdb

        machine["chdb"] = chdb.__version__
        self.res["machine"] = machine
        histories = tuple(sorted({h for h in a.histories if h < a.days} | {a.days}))
        _say(f"data set: {a.users:,} users, {a.days} days (+1 appended day), seed {a.seed}")
        ds = bdata.prepare(self.out, seed=a.seed, users=a.users, days=a.days, histories=histories)
        self.tz = ds.tz
        self.cut = ds.cuts[a.days]
        self.res["data"] = {
            "seed": ds.seed,
            "users": ds.users,
            "days": ds.days,
            "tz": ds.tz,
            "files": str(ds.root),
            "rows": ds.rows(),
            "appended_day": str(self.cut.day_date),
            "appended_day_rows": ds.day_rows(),
        }
        _say(f"rows: {ds.rows()}; appended day {self.cut.day_date}: {ds.day_rows()}")
        for path in self.db.values():
            remove_db(path)
        shutil.rmtree(self.chdb_dir, ignore_errors=True)
        self.work.mkdir(parents=True, exist_ok=True)

    def fresh_load(self) -> None:
        files = json.dumps({k: str(v) for k, v in self.cut.base.items()})
        loads = {}
        for kind in ENGINES:
            _say(f"fresh load into {self.db[kind].name} on {LABEL[kind]} (subprocess)")
            args = ["--child", "load", "--engine", kind, "--db", str(self.db[kind]), "--files", files, "--tz", self.tz]
            loads[kind] = run_child(args, self.env[kind])
            _say(f"  {loads[kind]['wall']:.1f} s")
        self.res["loads"] = loads
        self.figure(
            "load_wall", "fresh load of the base days (load_tables), wall", "s", *([loads[k]["wall"]] for k in ENGINES)
        )
        self.figure("load_cpu", "fresh load, CPU time", "s", *([loads[k]["cpu"]] for k in ENGINES))
        self.figure(
            "load_rss", "fresh load, peak RSS of its process", "MiB", *([loads[k]["maxrss_mib"]] for k in ENGINES)
        )
        self.res["data"]["duckdb_file_mb_after_load"] = _du_mb(self.db["duckdb"])
        self.res["data"]["chdb_file_mb_after_load"] = _du_mb(self.db["chdb"])
        self.res["data"]["chdb_folder_mb_after_load"] = _du_mb(self.chdb_dir)

    def full_refresh(self) -> None:
        runs: dict[str, list[dict[str, Any]]] = {k: [] for k in ENGINES}
        for i in range(self.args.runs):
            for kind in ENGINES:
                _say(f"full refresh on {LABEL[kind]}, run {i + 1} of {self.args.runs} (subprocess)")
                args = ["--child", "refresh", "--engine", kind, "--db", str(self.db[kind]), "--url", self.url]
                runs[kind].append(run_child(args, self.env["duckdb"]))
        self.res["refresh_runs"] = runs
        d, c = runs["duckdb"], runs["chdb"]
        self.figure(
            "refresh_wall",
            "full refresh of every materialized view (compute), wall",
            "s",
            [r["refresh"] for r in d],
            [r["refresh"] for r in c],
        )
        self.figure("refresh_cpu", "full refresh, CPU time", "s", [r["cpu"] for r in d], [r["cpu"] for r in c])
        self.figure("serve", "copy-back of the served views into the file (serve)", "s", None, [r["serve"] for r in c])
        self.figure(
            "refresh_and_serve",
            "full refresh + copy-back (the file up to date), wall",
            "s",
            [r["refresh"] for r in d],
            [r["refresh"] + r["serve"] for r in c],
        )
        self.figure(
            "refresh_rss",
            "full refresh, peak RSS of its process",
            "MiB",
            [max(r["maxrss_mib"] for r in d)],
            [max(r["maxrss_mib"] for r in c)],
        )
        self.res["per_view"] = {
            kind: {
                name: statistics.median([r["per_view"].get(name, 0.0) for r in runs[kind]])
                for name in {n for r in runs[kind] for n in r["per_view"]}
            }
            for kind in ENGINES
        }

    def append(self) -> None:
        day = {name: [path] for name, path in self.cut.day.items()}
        appended = {}
        for kind in ENGINES:
            _say(f"one-day append of {self.cut.day_date} on {LABEL[kind]} (load_tables)")
            with instrument() as t, ch_parts() as parts:
                c0, t0 = time.process_time(), time.perf_counter()
                load_tables(Warehouse(self.db[kind]), day, tz=self.tz)
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            appended[kind] = {
                "wall": wall,
                "cpu": cpu,
                "duckdb_refresh": sum(t["refresh"]),
                "copy": sum(t["copy"]),
                "chdb_parts": dict(parts),
            }
        self.res["append"] = appended
        rows = sum(self.res["data"]["appended_day_rows"].values())
        self.figure(
            "append_wall",
            f"one-day append ({self.cut.day_date}, {rows:,} rows; load_tables), wall",
            "s",
            *([appended[k]["wall"]] for k in ENGINES),
        )
        self.figure("append_cpu", "one-day append, CPU time", "s", *([appended[k]["cpu"]] for k in ENGINES))

    def checks(self) -> bool:
        defs = load_view_defs()
        names = [d.name for d in defs]
        n_mat = sum(1 for d in defs if d.materialized)
        client = engine.parse(self.url).client()
        try:
            limits = clickhouse.rows(client, "SELECT getSetting('max_threads'), getSetting('max_memory_usage')")[0]
            self.res["machine"]["chdb max_threads"] = str(limits[0])
            self.res["machine"]["chdb max_memory_usage"] = str(limits[1])
            _say(f"fingerprints of {len(names)} views on chdb (incremental), full recompute, fingerprints again")
            incremental = ch_fingerprint(client, names)
            t0 = time.perf_counter()
            refresh(ClickHouseTarget(client), None)
            recompute = time.perf_counter() - t0
            rebuilt = ch_fingerprint(client, names)
        finally:
            clickhouse.close_embedded()
        with read_connection(Warehouse(self.db["duckdb"])) as con:
            duck = duck_fingerprint(con, names)
        served_names = [n for n in names if n not in ch_load.UNSERVED]
        with read_connection(Warehouse(self.db["chdb"])) as con:
            served = duck_fingerprint(con, served_names)
        what = f"{len(names)} views ({n_mat} materialized, {len(names) - n_mat} plain)"
        results = {
            "incremental_equals_rebuild": (
                f"chdb: incremental == full recompute after the one-day append, {what}",
                fingerprint_differences(incremental, rebuilt),
            ),
            "duckdb_equals_chdb": (
                f"DuckDB == chdb after the same loads, {what}",
                fingerprint_differences(duck, incremental),
            ),
            "served_equals_duckdb": (
                f"the chdb warehouse file's served copy == DuckDB, {len(served_names)} served views",
                fingerprint_differences({n: duck[n] for n in served_names}, served),
            ),
        }
        ok = True
        for key, (label, differ) in results.items():
            ok = ok and not differ
            summary = f"{label}: {'all equal' if not differ else 'DIFFER: ' + ', '.join(differ)}"
            self.res["checks"][key] = {"equal": not differ, "summary": summary, "differ": differ}
        self.res["checks"]["chdb_full_recompute_seconds"] = recompute
        self.res["fingerprints"] = {"duckdb": duck, "chdb": incremental}
        self.res["data"]["duckdb_file_mb_at_end"] = _du_mb(self.db["duckdb"])
        self.res["data"]["chdb_file_mb_at_end"] = _du_mb(self.db["chdb"])
        self.res["data"]["chdb_folder_mb_at_end"] = _du_mb(self.chdb_dir)
        self.res["machine"]["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        return ok


# --------------------------------------------------------------------------------------- output


def _med(samples: list[float] | None) -> float:
    return statistics.median(samples) if samples else float("nan")


def _spread(samples: list[float] | None, unit: str) -> str:
    if not samples:
        return "—"
    if len(samples) == 1:
        return fmt(samples[0], unit)
    return f"{fmt(_med(samples), unit)} ({fmt(min(samples), unit)} – {fmt(max(samples), unit)})"


def figures_table(res: dict[str, Any], *, markdown: bool, spread: bool = False) -> str:
    head = ["figure", "DuckDB", "chdb", "chdb / DuckDB"]
    body = []
    for f in res["figures"].values():
        d, c = f["duckdb"], f["chdb"]
        ratio = _med(c) / _med(d) if d and c and _med(d) else float("nan")
        cells = [_spread(s, f["unit"]) if spread else (fmt(_med(s), f["unit"]) if s else "—") for s in (d, c)]
        body.append([f["name"], *cells, fmt(ratio, "x")])
    return _grid(head, body, markdown=markdown, right={1, 2, 3})


def per_view_table(res: dict[str, Any], *, markdown: bool) -> str:
    duck, ch = res["per_view"]["duckdb"], res["per_view"]["chdb"]
    names = sorted(set(duck) | set(ch), key=lambda n: -max(duck.get(n, 0.0), ch.get(n, 0.0)))
    body = []
    for n in names:
        d, c = duck.get(n), ch.get(n)
        ratio = c / d if c is not None and d else float("nan")
        label = "(BEGIN / COMMIT, DuckDB)" if n == "(other)" else n
        body.append(
            [label, fmt(d, "s") if d is not None else "—", fmt(c, "s") if c is not None else "—", fmt(ratio, "x")]
        )
    body.append(["(sum)", fmt(sum(duck.values()), "s"), fmt(sum(ch.values()), "s"), ""])
    return _grid(
        ["in the full refresh (median)", "DuckDB", "chdb", "chdb / DuckDB"], body, markdown=markdown, right={1, 2, 3}
    )


def _parts(d: Mapping[str, Any]) -> str:
    p = d["chdb_parts"]
    return (
        f"ship {fmt(p['ship'], 's')}, land {fmt(p['land'], 's')}, refresh {fmt(p['refresh'], 's')}, "
        f"serve {fmt(p['serve'], 's')}, file copy {fmt(d['copy'], 's')}"
    )


def facts(res: dict[str, Any], *, markdown: bool) -> list[str]:
    m, d = res["machine"], res["data"]
    b = "- " if markdown else "  "
    cmd = f"`{res['command']}`" if markdown else res["command"]
    rows = ", ".join(f"{t} {n:,}" for t, n in d["rows"].items())
    day = ", ".join(f"{t} {n:,}" for t, n in d["appended_day_rows"].items())
    return [
        f"{b}run {res['started']}: {cmd}; code: {res.get('code', '?')}",
        f"{b}machine: {m['cores']} cores ({m['cpu']}, shared and noisy: other work ran beside it), {m['memory']} RAM; "
        f"Python {m['python']}, DuckDB {m['duckdb']} (threads / memory_limit {m['duckdb threads / memory_limit']}), "
        f"chdb {m['chdb']} (max_threads {m.get('chdb max_threads', '?')}, no memory limit set by OpsPlan); "
        f"load average {m['load average at start']} at start, {m.get('load average at end', '?')} at end",
        f"{b}data: {d['users']:,} users requested, {d['days']} days, {rows}; appended day {d['appended_day']}: {day}",
        f"{b}sizes: DuckDB warehouse file {d['duckdb_file_mb_after_load']} MB after the load; chdb warehouse file "
        f"(served copy) {d['chdb_file_mb_after_load']} MB, chdb folder {d['chdb_folder_mb_after_load']} MB "
        f"({d.get('chdb_folder_mb_at_end', '?')} MB at the end)",
    ]


def details(res: dict[str, Any], *, markdown: bool) -> list[str]:
    b = "- " if markdown else "  "
    loads, app, runs = res["loads"], res["append"], res["refresh_runs"]
    dl, dr = loads["duckdb"], runs["duckdb"]
    return [
        f"{b}fresh load, DuckDB: its refresh {fmt(dl['duckdb_refresh'], 's')}; chdb: {_parts(loads['chdb'])}",
        f"{b}one-day append, DuckDB: its refresh {fmt(app['duckdb']['duckdb_refresh'], 's')}, file copy "
        f"{fmt(app['duckdb']['copy'], 's')}; chdb: {_parts(app['chdb'])}",
        f"{b}full refresh, DuckDB: whole write_session {_spread([r['session'] for r in dr], 's')} (file copy "
        f"{_spread([r['copy'] for r in dr], 's')}); chdb serve: {runs['chdb'][0]['served_views']} views, CPU "
        f"{_spread([r['serve_cpu'] for r in runs['chdb']], 's')}, its whole write_session "
        f"{_spread([r['serve_session'] for r in runs['chdb']], 's')}; chdb peak RSS after the compute, before "
        f"serve: {fmt(max(r['maxrss_refresh_mib'] for r in runs['chdb']), 'MiB')}",
        f"{b}CPU time is time.process_time() of the process: chdb runs ClickHouse's threads inside it, so they "
        "are counted (checked: a 2-thread chdb query reports about twice its wall time)",
        f"{b}chdb full recompute in the check: {fmt(res['checks']['chdb_full_recompute_seconds'], 's')}",
    ]


def check_lines(res: dict[str, Any], *, markdown: bool) -> list[str]:
    b = "- check: " if markdown else "check: "
    return [f"{b}{c['summary']}" for c in res["checks"].values() if isinstance(c, dict) and "summary" in c]


def report(res: dict[str, Any]) -> None:
    print()
    print("CLICKHOUSE (chdb) BESIDE DUCKDB (medians; chdb / DuckDB above 1: chdb took longer)")
    print(figures_table(res, markdown=False))
    print()
    for line in check_lines(res, markdown=False):
        print(line)
    print()
    print("every figure, median (min – max) of the runs; one value where it ran once")
    print(figures_table(res, markdown=False, spread=True))
    print()
    for line in facts(res, markdown=False) + details(res, markdown=False):
        print(line)
    print()
    print(per_view_table(res, markdown=False))


def replace_block(path: Path, block: str, *, section: str | None = None) -> None:
    """Replace the text between START and END in ``path``; without them, add the block at the end of ``section``
    (before the next ``## `` heading) or of the file. Nothing else of the file changes."""
    text = path.read_text(encoding="utf-8")
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    elif section is not None and f"\n{section}\n" in text:
        head, rest = text.split(f"\n{section}\n", 1)
        nxt = rest.find("\n## ")
        body, tail = (rest, "") if nxt < 0 else (rest[: nxt + 1], rest[nxt + 1 :])
        text = f"{head}\n{section}\n{body.rstrip(chr(10))}\n\n{block}\n" + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def write_readmes(res: dict[str, Any]) -> None:
    day = res["started"][:10]
    about = (
        "`python bench/clickhouse.py [--users 1000000] [--runs 3] [--write-readme]` measures, in one run on the data"
        " set of `bench/run.py`, the fresh load of the base days (one `load_tables` call with every table, once per"
        " engine), the full refresh of every materialized view (`--runs` times, the engines alternating) and the"
        " one-day append (`load_tables` of the appended day, once per engine) on DuckDB and on embedded ClickHouse"
        " (chdb); each load and each refresh runs in a process of its own (its peak RSS is its own). chdb's full"
        " refresh is the compute on ClickHouse alone; the copy of the served views back into the warehouse file"
        ' (`serve`) is measured apart and added in the row "full refresh + copy-back". The one-day append'
        " includes its incremental refresh and, on chdb, shipping the day's rows to ClickHouse and the served copy."
        " Then every view's fingerprint (rows, non-NULL values per column, the sum of each numeric column, dates as"
        " day numbers; computed in SQL by the engine) after the append must equal, on chdb, the one after a full"
        " recompute, and DuckDB's must equal chdb's; the run exits 1 otherwise. Results in"
        " `<out>/clickhouse-results.json`."
    )
    full = [
        START,
        "## ClickHouse (chdb) beside DuckDB",
        "",
        textwrap.fill(about, width=112, break_long_words=False, break_on_hyphens=False),
        "",
        f"Figures of {day} (medians, min – max of the `--runs` runs; chdb / DuckDB above 1: chdb took longer):",
        "",
        *facts(res, markdown=True),
        *check_lines(res, markdown=True),
        "",
        figures_table(res, markdown=True, spread=True),
        "",
        *details(res, markdown=True),
        "",
        per_view_table(res, markdown=True),
        END,
    ]
    replace_block(BENCH_README, "\n".join(full))
    d = res["data"]
    short = [
        START,
        f"ClickHouse (embedded chdb) beside DuckDB, {day}, `{res['command']}` on 2 shared, noisy cores"
        f" ({d['users']:,} users, {d['rows']['events']:,} events; details in"
        " [bench/README.md](bench/README.md#clickhouse-chdb-beside-duckdb)):",
        "",
        figures_table(res, markdown=True),
        "",
        *check_lines(res, markdown=True),
        END,
    ]
    replace_block(README, "\n".join(short), section="## Benchmark")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--users", type=int, default=1_000_000)
    p.add_argument("--days", type=int, default=90)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--runs", type=int, default=3, help="runs of the full refresh: median, min and max (3)")
    p.add_argument(
        "--histories",
        type=lambda s: tuple(int(x) for x in s.split(",") if x),
        default=(30, 60),
        help="as bench/run.py's (30,60): the appended day is cut to the size of these histories' days",
    )
    p.add_argument("--out", default=str(OUT), help=f"as bench/run.py's ({OUT}): the data set is cached under it")
    p.add_argument("--write-readme", action="store_true", help="write the figures into bench/README.md and README.md")
    p.add_argument("--child", choices=("load", "refresh"), help=argparse.SUPPRESS)
    p.add_argument("--engine", choices=ENGINES, help=argparse.SUPPRESS)
    p.add_argument("--db", help=argparse.SUPPRESS)
    p.add_argument("--files", help=argparse.SUPPRESS)
    p.add_argument("--tz", help=argparse.SUPPRESS)
    p.add_argument("--url", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child == "load":
        files = {k: Path(v) for k, v in json.loads(args.files).items()}
        print(json.dumps(child_load(Path(args.db), files, args.tz)))
        return 0
    if args.child == "refresh":
        print(json.dumps(child_refresh(args.engine, Path(args.db), args.url)))
        return 0
    if args.runs < 1:
        p.error("--runs must be at least 1")
    run = Run(args)
    run.prepare()
    run.fresh_load()
    run.full_refresh()
    run.append()
    ok = run.checks()
    res = run.res
    report(res)
    path = run.out / "clickhouse-results.json"
    path.write_text(json.dumps(res, indent=2, default=str), encoding="utf-8")
    print(f"\nresults: {path}")
    if args.write_readme:
        write_readmes(res)
        print(f"figures written into {BENCH_README} and {README}")
    if not ok:
        print("a check failed (see above): exit 1")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
