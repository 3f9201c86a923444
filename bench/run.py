"""The OpsPlan benchmark: ``python bench/run.py [--users 1000000] [--runs 5] [--write-readme]``.

Generates (or finds cached) the demo data set, loads it into a fresh warehouse ``bench/out/bench.duckdb``
and reports medians (min, max) over ``--runs`` runs of: the full refresh of every materialized view, each
materialized view rebuilt alone, a one-day incremental append at several history lengths, the page
queries, peak memory, and the same metric set computed by ``bench/pandas_metrics.py`` (checked against
the SQL on the same data). See bench/README.md for what each figure means.

``python bench/run.py --big-csv-gb 2`` measures one thing alone instead: a fresh load of a ~2 GB events CSV
in its own process, its peak RSS against DuckDB's memory_limit.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402

import opsplan.store.loading  # noqa: E402
from bench import data as bdata  # noqa: E402
from bench.compare import cells, compare, max_relative_difference, sql_frames  # noqa: E402
from bench.pandas_metrics import compute  # noqa: E402
from opsplan.metrics.exports import CHANNELS_COHORT, DAILY, RETENTION, report  # noqa: E402
from opsplan.metrics.registry import COHORT, WEEK  # noqa: E402
from opsplan.metrics.rollup import query_metrics, window  # noqa: E402
from opsplan.store.loading import load  # noqa: E402
from opsplan.store.views import load_view_defs, refresh  # noqa: E402
from opsplan.store.warehouse import Warehouse, _configure, memory_limit, read_connection  # noqa: E402
from opsplan.store.writing import write_session  # noqa: E402

OUT = ROOT / "bench" / "out"
README = ROOT / "README.md"
BENCH_README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

#: plain (not materialized) views the page queries read: each is computed at query time
PAGE_VIEWS = (
    "data_through",
    "calendar",
    "period_days",
    "spend_daily",
    "kpis_daily",
    "kpis_periodic",
    "cohort_daily",
    "funnel_daily",
    "retention_periodic",
)

#: the aims README.md states
AIM_FULL_REFRESH_S = 4.0
AIM_PANDAS_RATIO = 5.0
AIM_INCREMENTAL_S = 0.5
AIM_INCREMENTAL_GROWTH = 1.5  # "does not grow with history": at the longest history at most 1.5x the shortest
AIM_PAGE_S = 0.100
AIM_MEMORY_MB = 2048.0


# ------------------------------------------------------------------------------------------- figures


@dataclass
class Figure:
    """One measured quantity: its samples (seconds, or MB for memory), and the aim it is held against."""

    section: str
    name: str
    samples: list[float]
    unit: str = "s"
    aim: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def low(self) -> float:
        return min(self.samples) if self.samples else float("nan")

    @property
    def high(self) -> float:
        return max(self.samples) if self.samples else float("nan")


@dataclass
class Results:
    command: str
    started: str
    machine: dict[str, str] = field(default_factory=dict)
    data: dict[str, object] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    checks: dict[str, object] = field(default_factory=dict)

    def add(self, section: str, name: str, samples: list[float], **kw: object) -> Figure:
        fig = Figure(section, name, list(samples), **kw)  # type: ignore[arg-type]
        self.figures.append(fig)
        return fig

    def get(self, section: str, name: str) -> Figure:
        for f in self.figures:
            if f.section == section and f.name == name:
                return f
        raise KeyError((section, name))


def _fmt(value: float, unit: str) -> str:
    if value != value:  # NaN
        return "—"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "x":
        return f"{value:.1f}x"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def _say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _maxrss_mb() -> float:
    """RSS high-water mark of this process: VmHWM of /proc/self/status.

    Not ``getrusage``: Linux carries ``ru_maxrss`` over fork and exec, so a child started by a big parent
    would report the parent's peak. VmHWM belongs to the process's own address space.
    """
    with contextlib.suppress(OSError), open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------------------- instruments


@contextlib.contextmanager
def instrument() -> Iterator[dict[str, list[float]]]:
    """Time the refresh calls of ``opsplan.store.loading.load`` and the file copies of ``write_session``."""
    timings: dict[str, list[float]] = {"refresh": [], "copy": []}
    real_refresh = opsplan.store.loading.refresh
    real_copy = shutil.copyfile

    def timed_refresh(
        con: duckdb.DuckDBPyConnection, since: dt.date | None, tables: Iterable[str] | None = None
    ) -> list[str]:
        t0 = time.perf_counter()
        try:
            return real_refresh(con, since, tables)
        finally:
            timings["refresh"].append(time.perf_counter() - t0)

    def timed_copy(src: str | os.PathLike[str], dst: str | os.PathLike[str], **kw: bool) -> object:
        t0 = time.perf_counter()
        try:
            return real_copy(src, dst, **kw)
        finally:
            timings["copy"].append(time.perf_counter() - t0)

    opsplan.store.loading.refresh = timed_refresh  # type: ignore[assignment]
    shutil.copyfile = timed_copy  # type: ignore[assignment]
    try:
        yield timings
    finally:
        opsplan.store.loading.refresh = real_refresh  # type: ignore[assignment]
        shutil.copyfile = real_copy  # type: ignore[assignment]


_TARGET = re.compile(r'(?:TABLE|FROM|INTO)\s+"([^"]+)"')


class TimedConnection:
    """Passes every ``execute`` through to a connection and adds its time to the view it writes."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self.per_view: dict[str, float] = {}

    def execute(self, sql: str, params: object = None) -> duckdb.DuckDBPyConnection:
        t0 = time.perf_counter()
        result = self._con.execute(sql) if params is None else self._con.execute(sql, params)  # type: ignore[arg-type]
        match = _TARGET.search(sql)
        name = match.group(1) if match else "(other)"
        self.per_view[name] = self.per_view.get(name, 0.0) + time.perf_counter() - t0
        return result

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)


def timed_refresh(con: duckdb.DuckDBPyConnection, since: dt.date | None) -> tuple[float, dict[str, float]]:
    """``refresh(con, since)``: (seconds, seconds per materialized view)."""
    proxy = TimedConnection(con)
    t0 = time.perf_counter()
    refresh(proxy, since)  # type: ignore[arg-type]
    return time.perf_counter() - t0, proxy.per_view


def _medians(runs: list[dict[str, float]]) -> dict[str, float]:
    names = {n for r in runs for n in r}
    return {n: statistics.median([r.get(n, 0.0) for r in runs]) for n in names}


def _remove_db(path: Path) -> None:
    for p in (path, Path(str(path) + ".wal"), Path(str(path) + ".lock")):
        p.unlink(missing_ok=True)
    for stale in path.parent.glob(path.name + ".tmp-*"):
        stale.unlink(missing_ok=True)


def load_tables(wh: Warehouse, files: dict[str, Path], tz: str, tables: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Load each table with ``opsplan.store.loading.load``; per table: wall, refresh and copy seconds, rows."""
    out: dict[str, dict[str, float]] = {}
    for name in tables:
        with instrument() as t:
            t0 = time.perf_counter()
            result = load(wh, name, [files[name]], tz=tz)
            wall = time.perf_counter() - t0
        out[name] = {
            "wall": wall,
            "refresh": sum(t["refresh"]),
            "copy": sum(t["copy"]),
            "rows": float(result.rows_stored),
        }
    return out


# ------------------------------------------------------------------------------------ child processes


def child_refresh(db: Path, runs: int) -> dict[str, object]:
    """``runs`` full refreshes of the live warehouse, each in its own write session (this process alone)."""
    wh = Warehouse(db)
    samples = []
    per_view = []
    for _ in range(runs):
        with instrument() as t:
            t0 = time.perf_counter()
            with write_session(wh) as con:
                t1 = time.perf_counter()
                seconds, views = timed_refresh(con, None)
                t2 = time.perf_counter()
            t3 = time.perf_counter()
        samples.append(
            {"refresh": seconds, "copy": sum(t["copy"]), "session": t3 - t0, "open": t1 - t0, "close": t3 - t2}
        )
        per_view.append(views)
    return {"runs": samples, "per_view": _medians(per_view), "maxrss_mb": _maxrss_mb()}


def child_load(db: Path, files: dict[str, Path], tz: str) -> dict[str, object]:
    """Load every table into a fresh warehouse (this process alone)."""
    return {"loads": build_warehouse(db, files, tz), "maxrss_mb": _maxrss_mb()}


def child_pandas(files: dict[str, Path], tz: str, runs: int, result_path: Path) -> dict[str, object]:
    """Read the Parquet files and compute the metric set ``runs`` times (this process alone)."""
    t0 = time.perf_counter()
    frames = bdata.read_frames(files)
    read_s = time.perf_counter() - t0
    rss_read = _maxrss_mb()
    samples = []
    result: dict[str, pd.DataFrame] = {}
    for _ in range(runs):
        t0 = time.perf_counter()
        result = compute(frames["users"], frames["events"], frames["orders"], frames["ad_spend"], tz=tz)
        samples.append(time.perf_counter() - t0)
    pd.to_pickle(result, result_path)
    return {
        "read": read_s,
        "compute": samples,
        "maxrss_read_mb": rss_read,
        "maxrss_mb": _maxrss_mb(),
        "rows": {k: len(v) for k, v in frames.items()},
    }


def _run_child(args: list[str]) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[:2]} failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------ sections


def machine_facts(db: Path | None = None) -> dict[str, str]:
    mem_kb = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    con = duckdb.connect()
    _configure(con, "UTC")  # the settings every warehouse connection gets (memory_limit)
    threads, mem_limit = con.execute("SELECT current_setting('threads'), current_setting('memory_limit')").fetchone()  # type: ignore[misc]
    con.close()
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "duckdb threads / memory_limit": f"{threads} / {mem_limit}",
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "pyarrow": pa.__version__,
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def page_queries(first: dt.date, last: dt.date) -> list[tuple[str, Callable[[duckdb.DuckDBPyConnection], object]]]:
    """What the pages and the CLI ask: the six reports over the whole range, and 30-day slices."""
    s30 = max(first, last - dt.timedelta(days=29))
    return [
        ("report daily", lambda c: report(c, "daily")),
        ("report weekly", lambda c: report(c, "weekly")),
        ("report monthly", lambda c: report(c, "monthly")),
        ("report retention (day cohorts)", lambda c: report(c, "retention")),
        ("report retention (week cohorts)", lambda c: report(c, "retention", grain=WEEK)),
        ("report channels", lambda c: report(c, "channels")),
        ("report funnel", lambda c: report(c, "funnel")),
        ("daily KPIs by channel, 30 days", lambda c: query_metrics(c, DAILY, start=s30, by="channel")),
        ("daily KPIs by campaign, 30 days", lambda c: query_metrics(c, DAILY, start=s30, by="campaign")),
        (
            "cohort metrics by channel, 30 days",
            lambda c: query_metrics(c, RETENTION, grain=COHORT, start=s30, by="channel"),
        ),
        (
            "ROI by campaign, 30 days",
            lambda c: query_metrics(c, CHANNELS_COHORT, grain="total", start=s30, by="campaign"),
        ),
        (
            "lifecycle by channel, 30 days",
            lambda c: query_metrics(
                c, ["returning_users", "resurrected_users", "dormant_users"], start=s30, by="channel"
            ),
        ),
    ]


def _times(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def build_warehouse(path: Path, files: dict[str, Path], tz: str) -> dict[str, dict[str, float]]:
    _remove_db(path)
    return load_tables(Warehouse(path), files, tz, bdata.TABLE_ORDER)


def incremental(
    template: Path, cut: bdata.Cut, tz: str, runs: int, scratch: Path
) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Append one day (users, events, orders, ad_spend) to a copy of ``template``, ``runs`` times."""
    out: dict[str, list[float]] = {"load_wall": [], "load_refresh": [], "load_copy": [], "refresh_once": []}
    per_view: list[dict[str, float]] = []
    for t in bdata.APPEND_TABLES:
        out[f"{t}_wall"] = []
        out[f"{t}_refresh"] = []
    for _ in range(runs):
        _remove_db(scratch)
        shutil.copyfile(template, scratch)
        wh = Warehouse(scratch)
        per = load_tables(wh, cut.day, tz, bdata.APPEND_TABLES)
        for t, v in per.items():
            out[f"{t}_wall"].append(v["wall"])
            out[f"{t}_refresh"].append(v["refresh"])
        out["load_wall"].append(sum(v["wall"] for v in per.values()))
        out["load_refresh"].append(sum(v["refresh"] for v in per.values()))
        out["load_copy"].append(sum(v["copy"] for v in per.values()))
        # the same day refreshed once, as one load of all four tables would: the clean "one-day refresh"
        with write_session(wh) as con:
            seconds, views = timed_refresh(con, cut.day_date)
            out["refresh_once"].append(seconds)
            per_view.append(views)
    _remove_db(scratch)
    return out, _medians(per_view)


def run(args: argparse.Namespace) -> Results:
    res = Results(
        command=" ".join(["python bench/run.py", *sys.argv[1:]]),
        started=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    )
    res.machine = machine_facts()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    histories = tuple(sorted({h for h in args.histories if h < args.days} | {args.days}))
    runs = args.runs

    _say(f"data set: {args.users:,} users, {args.days} days (+1 appended day), seed {args.seed}")
    ds = bdata.prepare(out, seed=args.seed, users=args.users, days=args.days, histories=histories)
    base_rows = ds.rows()
    res.data = {
        "seed": ds.seed,
        "users": ds.users,
        "days": ds.days,
        "tz": ds.tz,
        "files": str(ds.root),
        "generated_seconds": ds.generate_seconds,
        "rows": base_rows,
        "appended_day_rows": ds.day_rows(),
    }
    if ds.generate_seconds is not None:
        res.add("data", "generate (opsplan.demo.dataset.generate, days + 1)", [ds.generate_seconds])
    _say(f"rows: {base_rows}")

    # --- fresh load -----------------------------------------------------------------------------
    db = out / "bench.duckdb"
    _say(f"loading into a fresh {db}")
    files_arg = json.dumps({k: str(v) for k, v in ds.cuts[args.days].base.items()})
    lch = _run_child(["--child", "load", "--db", str(db), "--files", files_arg, "--tz", ds.tz])
    loads = lch["loads"]
    assert isinstance(loads, dict)
    load_rss = float(lch["maxrss_mb"])  # type: ignore[arg-type]
    for t, v in loads.items():
        res.add(
            "load",
            f"load {t} ({int(v['rows']):,} rows)",
            [v["wall"]],
            note=f"refresh {_fmt(v['refresh'], 's')}, copy {_fmt(v['copy'], 's')}",
        )
    res.add("load", "load all tables", [sum(v["wall"] for v in loads.values())])
    res.data["warehouse_mb"] = round(db.stat().st_size / 1e6, 1)
    with read_connection(Warehouse(db)) as con:
        first, last = window(con)
    res.data["first_day"], res.data["data_through"] = str(first), str(last)
    assert first is not None and last is not None

    # --- full refresh (separate process: its own memory high-water mark) --------------------------
    _say(f"full refresh x{runs} (subprocess)")
    child = _run_child(["--child", "refresh", "--db", str(db), "--runs", str(runs)])
    samples = child["runs"]
    assert isinstance(samples, list)
    full = res.add(
        "refresh",
        "full refresh of every materialized view",
        [s["refresh"] for s in samples],
        aim=f"< {AIM_FULL_REFRESH_S:g} s",
    )
    full.met = full.median < AIM_FULL_REFRESH_S
    res.add(
        "refresh",
        "  write_session file copy (before the refresh)",
        [s["copy"] for s in samples],
        note=f"warehouse file {res.data['warehouse_mb']} MB",
    )
    res.add("refresh", "  whole write_session (copy + refresh + checkpoint + swap)", [s["session"] for s in samples])
    refresh_rss = float(child["maxrss_mb"])  # type: ignore[arg-type]
    res.data["warehouse_mb_after_full_refreshes"] = round(db.stat().st_size / 1e6, 1)
    res.data["full_refresh_per_view"] = child["per_view"]

    # --- each materialized view alone -----------------------------------------------------------
    _say(f"each materialized view alone x{runs}")
    defs = [d for d in load_view_defs() if d.materialized]
    per_view: dict[str, list[float]] = {d.name: [] for d in defs}
    with write_session(Warehouse(db)) as con:
        for _ in range(runs):
            for d in defs:
                t0 = time.perf_counter()
                con.execute(f'CREATE OR REPLACE TABLE "{d.name}" AS {d.sql}')
                per_view[d.name].append(time.perf_counter() - t0)
        view_rows = {d.name: con.execute(f'SELECT count(*) FROM "{d.name}"').fetchone()[0] for d in defs}  # type: ignore[index]
    res.data["warehouse_mb_after_view_rebuilds"] = round(db.stat().st_size / 1e6, 1)
    total_alone = sum(statistics.median(v) for v in per_view.values())
    for name, s in sorted(per_view.items(), key=lambda kv: -statistics.median(kv[1])):
        share = statistics.median(s) / total_alone if total_alone else 0.0
        res.add("views", f"rebuild {name}", s, note=f"{view_rows[name]:,} rows, {share:.0%} of the sum")

    # --- incremental one-day append at several history lengths ----------------------------------
    template_dir = out / "templates"
    template_dir.mkdir(exist_ok=True)
    inc_per_view: dict[str, dict[str, float]] = {}
    for h in histories:
        cut = ds.cuts[h]
        if h == args.days:
            template = db
        else:
            template = template_dir / f"h{h}.duckdb"
            _say(f"building the {h}-day warehouse")
            build_warehouse(template, cut.base, ds.tz)
        _say(f"one-day append after {h} days of history x{runs}")
        inc, inc_views = incremental(template, cut, ds.tz, runs, out / "incremental.duckdb")
        for name, seconds in inc_views.items():
            inc_per_view.setdefault(name, {})[str(h)] = seconds
        f = res.add(
            "incremental",
            f"one-day refresh after {h} days (refresh(con, {cut.day_date}))",
            inc["refresh_once"],
            aim=f"< {AIM_INCREMENTAL_S:g} s",
        )
        f.met = f.median < AIM_INCREMENTAL_S
        res.add("incremental", f"  refresh inside the 4 loads after {h} days (sum)", inc["load_refresh"])
        res.add(
            "incremental",
            f"  load of the day, 4 tables, wall after {h} days",
            inc["load_wall"],
            note=f"of which file copies {_fmt(statistics.median(inc['load_copy']), 's')}",
        )
        for t in bdata.APPEND_TABLES:
            res.add(
                "incremental",
                f"    load {t} after {h} days",
                inc[f"{t}_wall"],
                note=f"refresh {_fmt(statistics.median(inc[f'{t}_refresh']), 's')}",
            )
        if template != db:
            _remove_db(template)
    res.data["incremental_per_view"] = inc_per_view
    if len(histories) > 1:
        lo = res.get(
            "incremental", f"one-day refresh after {histories[0]} days (refresh(con, {ds.cuts[histories[0]].day_date}))"
        ).median
        hi = res.get(
            "incremental",
            f"one-day refresh after {histories[-1]} days (refresh(con, {ds.cuts[histories[-1]].day_date}))",
        ).median
        g = res.add(
            "incremental",
            f"growth: one-day refresh at {histories[-1]} / at {histories[0]} days",
            [hi / lo if lo else float("nan")],
            unit="x",
            aim=f"<= {AIM_INCREMENTAL_GROWTH:g}x (flat)",
        )
        g.met = g.median <= AIM_INCREMENTAL_GROWTH

    # --- page queries ---------------------------------------------------------------------------
    _say(f"page queries x{runs}")
    wh = Warehouse(db)

    def open_close() -> None:
        with read_connection(wh):
            pass

    res.add("pages", "open a read connection", _times(open_close, runs))
    with read_connection(wh) as con:
        for name, fn in page_queries(first, last):
            fn(con)  # warm-up: the first query of a connection reads the catalog
            f = res.add("pages", name, _times(lambda fn=fn: fn(con), runs), aim=f"< {AIM_PAGE_S * 1000:g} ms")  # type: ignore[misc]
            f.met = f.median < AIM_PAGE_S
        for view in PAGE_VIEWS:
            sql = f"SELECT count(*) FROM {view}"
            con.execute(sql).fetchall()
            samples = _times(lambda sql=sql: con.execute(sql).fetchall(), runs)  # type: ignore[misc]
            res.add("page views", sql, samples, note="plain view, computed at query time")
        _say(f"SQL metric set (query_metrics) x{runs}")
        sql_times = _times(lambda: sql_frames(con), runs)
        want = sql_frames(con)

    # --- pandas ---------------------------------------------------------------------------------
    _say(f"pandas metric set x{runs} (subprocess)")
    pickle_path = out / "pandas_result.pkl"
    pch = _run_child(
        ["--child", "pandas", "--files", files_arg, "--tz", ds.tz, "--runs", str(runs), "--result", str(pickle_path)]
    )
    got: dict[str, pd.DataFrame] = pd.read_pickle(pickle_path)
    pickle_path.unlink(missing_ok=True)
    problems = compare(got, want)
    res.checks = {
        "pandas_vs_sql_agree": not problems,
        "problems": problems[:20],
        "values_compared": cells(want),
        "max_relative_difference": max_relative_difference(got, want),
    }
    pandas_compute = pch["compute"]
    assert isinstance(pandas_compute, list)
    res.add("pandas", "read the Parquet files into DataFrames", [float(pch["read"])])  # type: ignore[arg-type]
    pd_fig = res.add("pandas", "pandas: metric set from the DataFrames", pandas_compute)
    sql_q = res.add("pandas", "SQL: metric set via query_metrics (after refresh)", sql_times)
    sql_total = full.median + sql_q.median
    res.add("pandas", "SQL: full refresh + metric set", [sql_total])
    ratio = res.add(
        "pandas",
        "SQL speed-up over pandas (pandas time / (SQL refresh + metric set))",
        [pd_fig.median / sql_total],
        unit="x",
        aim=f">= {AIM_PANDAS_RATIO:g}x",
    )
    ratio.met = ratio.median >= AIM_PANDAS_RATIO
    res.add(
        "pandas",
        "SQL speed-up over pandas, metric set alone (pandas time / SQL metric set)",
        [pd_fig.median / sql_q.median],
        unit="x",
    )
    agree = "agree" if not problems else f"DISAGREE ({len(problems)} problems)"
    res.checks["summary"] = (
        f"pandas and SQL {agree} on {cells(want):,} values "
        f"(max relative difference {res.checks['max_relative_difference']:.1e})"
    )

    # --- memory ---------------------------------------------------------------------------------
    aim_mem = f"< {AIM_MEMORY_MB / 1024:g} GB"
    m = res.add("memory", "peak RSS: full refresh process", [refresh_rss], unit="MB", aim=aim_mem)
    m.met = refresh_rss < AIM_MEMORY_MB
    m = res.add("memory", "peak RSS: fresh load process (all six tables)", [load_rss], unit="MB", aim=aim_mem)
    m.met = load_rss < AIM_MEMORY_MB
    own = _maxrss_mb()
    m = res.add(
        "memory",
        "peak RSS: bench process (30/60-day loads, view rebuilds, appends, queries)",
        [own],
        unit="MB",
        aim=aim_mem,
    )
    m.met = own < AIM_MEMORY_MB
    res.machine["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    res.add(
        "memory",
        "peak RSS: pandas process (Parquet read + metric set)",
        [float(pch["maxrss_mb"])],  # type: ignore[arg-type]
        unit="MB",
        note=f"{float(pch['maxrss_read_mb']):,.0f} MB after reading",
    )  # type: ignore[arg-type]
    return res


# ------------------------------------------------------------------------------------------- big CSV

#: bytes per row of the big events CSV (measured: id, user, time, name and a small JSON property: 69)
_BIG_CSV_ROW_BYTES = 69


def write_big_events_csv(folder: Path, gb: float) -> Path:
    """About ``gb`` GB of keyed events over 30 days and 50,000 users, written by DuckDB (kept for a rerun)."""
    rows = max(1000, int(gb * 1e9 / _BIG_CSV_ROW_BYTES))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"big-events-{rows}.csv"
    if path.exists():
        return path
    part = path.with_name(path.name + ".part")
    con = duckdb.connect()
    try:
        con.execute(
            f"""COPY (
                SELECT 'E' || lpad(CAST(i AS VARCHAR), 10, '0') AS event_id,
                       'u' || lpad(CAST(i % 50000 AS VARCHAR), 6, '0') AS user_id,
                       strftime(TIMESTAMP '2026-01-05' + to_seconds(i % (86400 * 30)), '%Y-%m-%d %H:%M:%S')
                           AS event_at,
                       'view_' || CAST(i % 7 AS VARCHAR) AS event_name,
                       '{{"page": "p' || CAST(i % 97 AS VARCHAR) || '"}}' AS properties
                FROM range({rows}) t(i)) TO '{part}' (HEADER, DELIMITER ',')"""
        )
    finally:
        con.close()
    part.rename(path)
    return path


def _bytes(text: str) -> float:
    """DuckDB's size words (1GB, 953.6 MiB) in bytes."""
    m = re.fullmatch(r"\s*([\d.]+)\s*([KMGT]?i?B)?\s*", text, re.I)
    if not m:
        return float("nan")
    unit = (m.group(2) or "B").upper()
    base = 1024 if "I" in unit else 1000
    return float(m.group(1)) * base ** "BKMGT".index(unit[0])


def _num(value: object) -> float:
    return float(value) if isinstance(value, int | float | str) else float("nan")


def _folder_bytes(folders: Iterable[Path]) -> int:
    total = 0
    for folder in folders:
        with contextlib.suppress(OSError):
            total += sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    return total


def child_big_csv(db: Path, csv: Path) -> dict[str, object]:
    """Load one big events CSV into a fresh warehouse (this process alone), watching its spill folders."""
    wh = Warehouse(db)
    peak_spill = [0]
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.25):
            spills = [*db.parent.glob(db.name + ".stage-*"), *db.parent.glob(db.name + ".tmp-*.tmp")]
            peak_spill[0] = max(peak_spill[0], _folder_bytes(spills))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    t0 = time.perf_counter()
    try:
        result = load(wh, "events", [csv], tz="Asia/Shanghai")
    finally:
        stop.set()
        watcher.join()
    return {
        "rows": result.rows_stored,
        "wall": time.perf_counter() - t0,
        "maxrss_mb": _maxrss_mb(),
        "memory_limit": memory_limit(),
        "peak_spill_mb": peak_spill[0] / 2**20,
    }


def big_csv(gb: float, out: Path) -> int:
    """``--big-csv-gb``: the peak RSS of a fresh load of a ~``gb`` GB events CSV against the memory limit."""
    _say(f"writing (or finding) a ~{gb:g} GB events CSV under {out / 'data'}")
    csv = write_big_events_csv(out / "data", gb)
    db = out / "big-csv.duckdb"
    _remove_db(db)
    _say(f"loading {csv.name} ({csv.stat().st_size / 1e9:.2f} GB) into a fresh {db} (subprocess)")
    child = _run_child(["--child", "big-csv", "--db", str(db), "--files", str(csv)])
    warehouse_mb = db.stat().st_size / 1e6
    _remove_db(db)
    db.with_name(db.name + ".failures.jsonl").unlink(missing_ok=True)
    rss, limit, spill = _num(child["maxrss_mb"]), str(child["memory_limit"]), _num(child["peak_spill_mb"])
    limit_mb = _bytes(limit) / 2**20
    result = {
        "csv": str(csv),
        "csv_gb": round(csv.stat().st_size / 1e9, 3),
        "warehouse_mb": round(warehouse_mb, 1),
        **child,
        "memory_limit_mb": round(limit_mb, 1),
        "rss_over_limit": round(rss / limit_mb, 2),
    }
    (out / "big_csv.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(
        f"big CSV: {result['csv_gb']} GB, {_num(child['rows']):,.0f} events loaded in {_num(child['wall']):.1f} s "
        f"(warehouse {warehouse_mb:,.0f} MB); peak RSS {rss:,.0f} MB against memory_limit {limit} "
        f"({rss / limit_mb:.2f}x); spilled up to {spill:,.0f} MB beside the warehouse"
    )
    print(f"results: {out / 'big_csv.json'}")
    return 0


# ---------------------------------------------------------------------------------------- reporting


def table(res: Results, *, markdown: bool, sections: tuple[str, ...] | None = None) -> str:
    rows = [f for f in res.figures if sections is None or f.section in sections]
    head = ["section", "measurement", "median", "min", "max", "aim", "met?", "note"]
    body = []
    for f in rows:
        met = "" if f.met is None else ("yes" if f.met else "**no**" if markdown else "NO")
        single = len(f.samples) == 1
        body.append(
            [
                f.section,
                f.name.strip() if markdown else f.name,
                _fmt(f.median, f.unit),
                "" if single else _fmt(f.low, f.unit),
                "" if single else _fmt(f.high, f.unit),
                f.aim,
                met,
                f.note,
            ]
        )
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in body]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:{'<' if i < 2 or i > 4 else '>'}{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*r) for r in body]
    return "\n".join(lines)


def view_table(res: Results, *, markdown: bool) -> str:
    """Per materialized view: rebuilt alone, inside the full refresh, and in the one-day refresh per history."""
    alone = {f.name.removeprefix("rebuild "): f.median for f in res.figures if f.section == "views"}
    full = res.data.get("full_refresh_per_view") or {}
    inc = res.data.get("incremental_per_view") or {}
    assert isinstance(full, dict) and isinstance(inc, dict)
    histories = sorted({h for v in inc.values() for h in v}, key=int)
    head = ["materialized view", "rebuild alone", "in full refresh"] + [f"one-day refresh, {h} days" for h in histories]
    body = []
    for name in sorted(alone, key=lambda n: -alone[n]):
        row = [name, _fmt(alone[name], "s"), _fmt(float(full.get(name, float("nan"))), "s")]
        row += [_fmt(float(inc.get(name, {}).get(h, float("nan"))), "s") for h in histories]
        body.append(row)
    total = ["(sum)", _fmt(sum(alone.values()), "s"), _fmt(sum(float(v) for v in full.values()), "s")]
    total += [_fmt(sum(float(v.get(h, 0.0)) for v in inc.values()), "s") for h in histories]
    body.append(total)
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in body])
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    return "\n".join([fmt.format(*head), fmt.format(*("-" * w for w in widths)), *(fmt.format(*r) for r in body)])


def facts(res: Results, markdown: bool) -> str:
    m, d = res.machine, res.data
    rows = d.get("rows", {})
    assert isinstance(rows, dict)
    data_line = (
        f"{d['users']:,} users requested, {d['days']} days ({d.get('first_day')} – {d.get('data_through')}), "
        + ", ".join(f"{t} {n:,}" for t, n in rows.items())
        + f"; warehouse file {d.get('warehouse_mb')} MB after the load, "
        f"{d.get('warehouse_mb_after_full_refreshes')} MB after the full refreshes, "
        f"{d.get('warehouse_mb_after_view_rebuilds')} MB after the view rebuilds"
    )
    machine_line = (
        f"{m['cores']} cores ({m['cpu']}), {m['memory']} RAM, {m['os']}; Python {m['python']}, "
        f"DuckDB {m['duckdb']} (threads / memory_limit {m['duckdb threads / memory_limit']}), "
        f"pandas {m['pandas']}, numpy {m['numpy']}, pyarrow {m['pyarrow']}; load average (1/5/15 min) "
        f"{m.get('load average at start')} at start, {m.get('load average at end', '?')} at end"
    )
    b = "- " if markdown else "  "
    return "\n".join(
        [
            f"{b}run {res.started}: `{res.command}`" if markdown else f"{b}run {res.started}: {res.command}",
            f"{b}machine: {machine_line}",
            f"{b}data: {data_line}",
            f"{b}check: {res.checks.get('summary', 'not run')}",
        ]
    )


def aims_summary(res: Results) -> list[tuple[str, str, bool | None]]:
    out = []
    for f in res.figures:
        if f.aim:
            out.append((f"{f.name.strip()}: {_fmt(f.median, f.unit)}", f.aim, f.met))
    return out


def write_readmes(res: Results) -> None:
    summary_sections = ("refresh", "incremental", "pages", "pandas", "memory")
    keep = [
        f
        for f in res.figures
        if f.section in summary_sections and (f.aim or f.section == "pandas") and not f.name.startswith("    ")
    ]
    short = Results(res.command, res.started, res.machine, res.data, keep, res.checks)
    block = "\n".join(
        [
            BEGIN,
            f"Figures of {res.started[:10]} (medians of the runs; details and every view in "
            "[bench/README.md](bench/README.md)):",
            "",
            facts(res, markdown=True),
            "",
            table(short, markdown=True),
            END,
        ]
    )
    _replace_block(README, block)
    full_block = "\n".join(
        [
            BEGIN,
            facts(res, markdown=True),
            "",
            table(res, markdown=True),
            "",
            "Seconds per materialized view (medians):",
            "",
            view_table(res, markdown=True),
            END,
        ]
    )
    _replace_block(BENCH_README, full_block)


def _replace_block(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    else:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--users", type=int, default=1_000_000)
    p.add_argument("--days", type=int, default=90)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument(
        "--histories",
        type=lambda s: tuple(int(x) for x in s.split(",") if x),
        default=(30, 60),
        help="history lengths (days) to append one day to, besides --days (default 30,60)",
    )
    p.add_argument("--out", default=str(OUT))
    p.add_argument("--write-readme", action="store_true", help="write the figures into README.md and bench/README.md")
    p.add_argument(
        "--big-csv-gb",
        type=float,
        metavar="GB",
        help="only this: load a fresh ~GB-sized events CSV in a subprocess, report its peak RSS against memory_limit",
    )
    p.add_argument("--child", choices=("load", "refresh", "pandas", "big-csv"), help=argparse.SUPPRESS)
    p.add_argument("--db", help=argparse.SUPPRESS)
    p.add_argument("--files", help=argparse.SUPPRESS)
    p.add_argument("--tz", help=argparse.SUPPRESS)
    p.add_argument("--result", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child == "refresh":
        print(json.dumps(child_refresh(Path(args.db), args.runs)))
        return 0
    if args.child == "load":
        files = {k: Path(v) for k, v in json.loads(args.files).items()}
        print(json.dumps(child_load(Path(args.db), files, args.tz)))
        return 0
    if args.child == "pandas":
        files = {k: Path(v) for k, v in json.loads(args.files).items()}
        print(json.dumps(child_pandas(files, args.tz, args.runs, Path(args.result))))
        return 0
    if args.child == "big-csv":
        print(json.dumps(child_big_csv(Path(args.db), Path(args.files))))
        return 0
    if args.big_csv_gb is not None:
        if args.big_csv_gb <= 0:
            p.error("--big-csv-gb must be more than 0")
        return big_csv(args.big_csv_gb, Path(args.out))
    if args.runs < 1:
        p.error("--runs must be at least 1")
    res = run(args)
    print()
    print(facts(res, markdown=False))
    print()
    print(table(res, markdown=False))
    print()
    print(view_table(res, markdown=False))
    print()
    print("aims:")
    for what, aim, met in aims_summary(res):
        print(f"  {'MET ' if met else 'MISS'}  {aim:>14}  {what}")
    if res.checks.get("problems"):
        print("pandas / SQL differences:")
        for line in res.checks["problems"]:  # type: ignore[union-attr]
            print("  " + str(line))
    results_path = Path(args.out) / "results.json"
    results_path.write_text(json.dumps({**asdict(res)}, indent=2, default=str), encoding="utf-8")
    print(f"\nresults: {results_path}")
    if args.write_readme:
        write_readmes(res)
        print(f"figures written into {README} and {BENCH_README}")
    return 0 if res.checks.get("pandas_vs_sql_agree") else 1


if __name__ == "__main__":
    raise SystemExit(main())
