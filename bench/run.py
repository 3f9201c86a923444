"""The OpsPlan benchmark: ``python bench/run.py [--users 1000000] [--runs 5] [--write-readme]``.

Generates (or finds cached) the demo data set, loads it into a fresh warehouse ``bench/out/bench.duckdb``
and prints first the aims of issue 10, each with what was measured and met / not met:

a. the full refresh of every materialized view (wall and CPU time), against 1 s per 10M events;
b. pandas and polars computing the same metric set from the Parquet files, against the full refresh + the
   SQL metric set (both checked against the SQL value for value);
c. the one-day refresh after 30, 60 and 90 days of history, days of equal size, and its growth;
d. the daily load of one day's files end to end (``opsplan.store.loading.load_tables``), and its growth;
e. the peak memory of the fresh load's and of the full refresh's own processes;
f. every page query;
g. incremental == rebuild: after each one-day append, every materialized table and view row for row
   against a full rebuild (the run exits 1 if any differs, or if pandas or polars disagree with the SQL).

then every figure (medians, min and max over ``--runs`` runs) and the seconds of each materialized view.
See bench/README.md for what each figure means.

``python bench/run.py --big-csv-gb 2`` measures one thing alone instead: a fresh load of a ~2 GB events CSV
in its own process, its peak RSS against DuckDB's memory_limit.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402

from bench import appends  # noqa: E402
from bench import data as bdata  # noqa: E402
from bench.bigcsv import big_csv, child_big_csv  # noqa: E402
from bench.children import YARDSTICKS, child_load, child_refresh, child_yardstick, run_child  # noqa: E402
from bench.compare import cells, compare, max_relative_difference, sql_frames  # noqa: E402
from bench.figures import (  # noqa: E402
    AIM_DAILY_LOAD_S,
    AIM_GROWTH,
    AIM_MEMORY_MIB,
    AIM_ONE_DAY_REFRESH_S,
    AIM_PAGE_S,
    AIM_PANDAS_RATIO,
    AIM_POLARS_RATIO,
    AIM_REFRESH_S_PER_10M_EVENTS,
    BENCH_README,
    README,
    Figure,
    Results,
    at_most,
    facts,
    fmt,
    spread,
    summary_table,
    table,
    view_table,
    write_readmes,
)
from opsplan.metrics.exports import CHANNELS_COHORT, DAILY, RETENTION, report  # noqa: E402
from opsplan.metrics.registry import COHORT, WEEK  # noqa: E402
from opsplan.metrics.rollup import query_metrics, window  # noqa: E402
from opsplan.store.portable import bind_cut  # noqa: E402
from opsplan.store.views import load_view_defs  # noqa: E402
from opsplan.store.warehouse import Warehouse, _configure, read_connection  # noqa: E402
from opsplan.store.writing import write_session  # noqa: E402

OUT = ROOT / "bench" / "out"

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


def _say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def machine_facts() -> dict[str, str]:
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
    try:
        polars = importlib.metadata.version("polars")
    except importlib.metadata.PackageNotFoundError:
        polars = "not installed"
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "duckdb threads / memory_limit": f"{threads} / {mem_limit}",
        "pandas": pd.__version__,
        "polars": polars,
        "numpy": np.__version__,
        "pyarrow": pa.__version__,
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def page_queries(first: dt.date, last: dt.date) -> list[tuple[str, Callable[[duckdb.DuckDBPyConnection], object]]]:
    """What the pages and the CLI ask: the six reports over the whole range, and 30-day slices."""
    s30 = max(first, last - dt.timedelta(days=29))
    lifecycle = ["returning_users", "resurrected_users", "dormant_users"]
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
        ("lifecycle by channel, 30 days", lambda c: query_metrics(c, lifecycle, start=s30, by="channel")),
    ]


def _times(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _num(value: object) -> float:
    return float(value) if isinstance(value, int | float | str) else float("nan")


def _floats(value: object) -> list[float]:
    return [_num(v) for v in value] if isinstance(value, list) else []


class Bench:
    """One run: each section adds its figures to ``res``; ``summarize`` turns them into the aims."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.runs: int = args.runs
        self.out = Path(args.out)
        self.db = self.out / "bench.duckdb"
        self.histories = tuple(sorted({h for h in args.histories if h < args.days} | {args.days}))
        self.res = Results(
            command=" ".join(["python bench/run.py", *sys.argv[1:]]),
            started=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        )
        self.figs: dict[str, Figure] = {}  # the figures the aims are read from
        self.appends: dict[int, appends.Append] = {}
        self.yardsticks: dict[str, dict[str, object]] = {}
        self.want: dict[str, pd.DataFrame] = {}

    # ------------------------------------------------------------------------------------- sections

    def prepare(self) -> None:
        a, res = self.args, self.res
        res.machine = machine_facts()
        self.out.mkdir(parents=True, exist_ok=True)
        _say(f"data set: {a.users:,} users, {a.days} days (+1 appended day), seed {a.seed}")
        ds = self.ds = bdata.prepare(self.out, seed=a.seed, users=a.users, days=a.days, histories=self.histories)
        self.tz = ds.tz
        self.files_arg = json.dumps({k: str(v) for k, v in ds.cuts[a.days].base.items()})
        res.data = {
            "seed": ds.seed,
            "users": ds.users,
            "days": ds.days,
            "tz": ds.tz,
            "files": str(ds.root),
            "generated": ds.generated,
            "rows": ds.rows(),
            "appended_day_rows": ds.day_rows(),
            "appended_day_rows_as_generated": {str(h): ds.day_whole_rows(h) for h in self.histories},
        }
        self.events = ds.rows()["events"]
        self.aim_refresh_s = AIM_REFRESH_S_PER_10M_EVENTS * self.events / 1e7
        gen_s, gen_mib = _num(ds.generated.get("generate_seconds")), _num(ds.generated.get("generate_peak_mib"))
        cached = (
            "" if ds.generate_seconds is not None else f"cached (generated {ds.generated.get('generated_at', '?')})"
        )
        res.add("data", "generate (opsplan.demo.dataset.generate, days + 1, own process)", [gen_s], note=cached)
        res.add("data", "  generator's peak RSS (own process; not an aim)", [gen_mib], unit="MiB")
        _say(f"rows: {res.data['rows']}; each appended day: {res.data['appended_day_rows']}")

    def fresh_load(self) -> None:
        res = self.res
        _say(f"loading into a fresh {self.db} (subprocess)")
        lch = run_child(["--child", "load", "--db", str(self.db), "--files", self.files_arg, "--tz", self.tz])
        loads = lch["loads"]
        assert isinstance(loads, dict)
        for t, v in loads.items():
            res.add(
                "load",
                f"load {t} ({int(v['rows']):,} rows)",
                [v["wall"]],
                note=f"refresh {fmt(v['refresh'], 's')}, copy {fmt(v['copy'], 's')}",
            )
        res.add("load", "load all tables (one load call each)", [sum(v["wall"] for v in loads.values())])
        self.figs["load_rss"] = res.add(
            "memory", "peak RSS: fresh load of the whole data set (own process)", [_num(lch["maxrss_mib"])], unit="MiB"
        )
        res.data["warehouse_mb"] = round(self.db.stat().st_size / 1e6, 1)
        with read_connection(Warehouse(self.db)) as con:
            first, last = window(con)
        assert first is not None and last is not None
        self.first, self.last = first, last
        res.data["first_day"], res.data["data_through"] = str(first), str(last)

    def full_refresh(self) -> None:
        res = self.res
        _say(f"full refresh x{self.runs} (subprocess)")
        child = run_child(["--child", "refresh", "--db", str(self.db), "--runs", str(self.runs)])
        samples = child["runs"]
        assert isinstance(samples, list)
        aim = at_most(self.aim_refresh_s)
        self.figs["refresh"] = res.add(
            "refresh", "full refresh of every materialized view, wall", [s["refresh"] for s in samples], aim=aim
        )
        self.figs["refresh_cpu"] = res.add(
            "refresh",
            "full refresh, CPU time (process_time: all its threads)",
            [s["cpu"] for s in samples],
            aim=aim,
        )
        for f in (self.figs["refresh"], self.figs["refresh_cpu"]):
            f.met = f.median <= self.aim_refresh_s
        res.add(
            "refresh",
            "  write_session file copy (before the refresh)",
            [s["copy"] for s in samples],
            note=f"warehouse file {res.data['warehouse_mb']} MB",
        )
        res.add(
            "refresh", "  whole write_session (copy + refresh + checkpoint + swap)", [s["session"] for s in samples]
        )
        self.figs["refresh_rss"] = res.add(
            "memory", "peak RSS: full refresh (own process)", [_num(child["maxrss_mib"])], unit="MiB"
        )
        res.data["warehouse_mb_after_full_refreshes"] = round(self.db.stat().st_size / 1e6, 1)
        res.data["full_refresh_per_view"] = child["per_view"]

    def views_alone(self) -> None:
        res = self.res
        _say(f"each materialized view alone x{self.runs}")
        defs = [d for d in load_view_defs() if d.materialized]
        per_view: dict[str, list[float]] = {d.name: [] for d in defs}
        with write_session(Warehouse(self.db)) as con:
            for _ in range(self.runs):
                for d in defs:
                    t0 = time.perf_counter()
                    con.execute(f'CREATE OR REPLACE TABLE "{d.name}" AS {bind_cut(d.sql, None)}')
                    per_view[d.name].append(time.perf_counter() - t0)
            view_rows = {d.name: con.execute(f'SELECT count(*) FROM "{d.name}"').fetchone()[0] for d in defs}  # type: ignore[index]
        res.data["warehouse_mb_after_view_rebuilds"] = round(self.db.stat().st_size / 1e6, 1)
        total = sum(statistics.median(v) for v in per_view.values())
        for name, s in sorted(per_view.items(), key=lambda kv: -statistics.median(kv[1])):
            share = statistics.median(s) / total if total else 0.0
            res.add("views", f"rebuild {name}", s, note=f"{view_rows[name]:,} rows, {share:.0%} of the sum")

    def one_day_appends(self) -> None:
        res, ds = self.res, self.ds
        template_dir = self.out / "templates"
        template_dir.mkdir(exist_ok=True)
        per_view: dict[str, dict[str, float]] = {}
        via = "load_tables" if appends.has_load_tables() else "4 load calls: opsplan.store.loading has no load_tables"
        res.data["daily_load_via"] = via
        for h in self.histories:
            cut = ds.cuts[h]
            template = self.db
            if h != self.args.days:
                template = template_dir / f"h{h}.duckdb"
                _say(f"building the {h}-day warehouse")
                appends.build_warehouse(template, cut.base, self.tz)
            _say(f"one-day append after {h} days of history x{self.runs} (+ incremental == rebuild check)")
            app = self.appends[h] = appends.append_day(
                template, cut, self.tz, self.runs, self.out / "incremental.duckdb"
            )
            for name, seconds in app.per_view.items():
                per_view.setdefault(name, {})[str(h)] = seconds
            day = f"{cut.day_date}, {sum(app.rows.values()):,} rows"
            f = self.figs[f"one_day_{h}"] = res.add(
                "one-day",
                f"one-day refresh after {h} days (refresh(con, {cut.day_date})), wall",
                app.refresh_wall,
                aim=at_most(AIM_ONE_DAY_REFRESH_S),
            )
            f.met = f.median <= AIM_ONE_DAY_REFRESH_S
            res.add("one-day", f"  CPU time of that refresh after {h} days", app.refresh_cpu)
            f = self.figs[f"daily_{h}"] = res.add(
                "one-day",
                f"daily load of day {day} after {h} days ({via.split(':')[0]}), wall",
                app.daily_wall,
                aim=at_most(AIM_DAILY_LOAD_S),
            )
            f.met = f.median <= AIM_DAILY_LOAD_S
            res.add("one-day", f"  refresh inside that daily load after {h} days", app.daily_refresh)
            res.add("one-day", f"  write_session file copies inside that daily load after {h} days", app.daily_copy)
            if template != self.db:
                appends.remove_db(template)
        res.data["one_day_refresh_per_view"] = per_view
        lo, hi = self.histories[0], self.histories[-1]
        for key, what in (("one_day", "one-day refresh"), ("daily", "daily load")):
            a, b = self.figs[f"{key}_{lo}"].median, self.figs[f"{key}_{hi}"].median
            g = self.figs[f"{key}_growth"] = res.add(
                "one-day",
                f"growth of the {what}: at {hi} / at {lo} days",
                [b / a if a else float("nan")],
                unit="x",
                aim=f"<= {AIM_GROWTH:g}x (flat)",
            )
            g.met = g.median <= AIM_GROWTH
        checks = {str(h): app.check for h, app in self.appends.items()}
        equal = all(c.get("equal") for c in checks.values())
        first = next(iter(checks.values()))
        n_mat, n_views = _num(first.get("materialized")), _num(first.get("views"))
        if equal:
            summary = (
                f"incremental == rebuild: {n_mat + n_views:.0f} tables ({n_mat:.0f} materialized, {n_views:.0f} views) "
                f"after the one-day append at {', '.join(checks)} days, all equal"
            )
        else:
            parts = []
            for h, c in checks.items():
                differ = c.get("differ")
                assert isinstance(differ, dict)
                for name, d in differ.items():
                    rounded = d.get("only_incremental_floats_rounded")
                    also = "" if rounded is None else f"; {rounded:,} with floating-point columns rounded to 1e-9"
                    parts.append(
                        f"{name} at {h} days ({d['only_incremental']:,} rows only incremental, "
                        f"{d['only_rebuild']:,} only rebuilt{also})"
                    )
            summary = "incremental == rebuild: DIFFER: " + "; ".join(parts)
        res.checks["incremental_equals_rebuild"] = {"equal": equal, "summary": summary, "histories": checks}

    def pages(self) -> None:
        res = self.res
        _say(f"page queries x{self.runs}")
        wh = Warehouse(self.db)

        def open_close() -> None:
            with read_connection(wh):
                pass

        res.add("pages", "open a read connection", _times(open_close, self.runs))
        with read_connection(wh) as con:
            for name, fn in page_queries(self.first, self.last):
                fn(con)  # warm-up: the first query of a connection reads the catalog
                f = res.add("pages", name, _times(lambda fn=fn: fn(con), self.runs), aim=f"<= {AIM_PAGE_S * 1000:g} ms")  # type: ignore[misc]
                f.met = f.median <= AIM_PAGE_S
            for view in PAGE_VIEWS:
                sql = f"SELECT count(*) FROM {view}"
                con.execute(sql).fetchall()
                samples = _times(lambda sql=sql: con.execute(sql).fetchall(), self.runs)  # type: ignore[misc]
                res.add("page views", sql, samples, note="plain view, computed at query time")
            _say(f"SQL metric set (query_metrics) x{self.runs}")
            self.figs["sql"] = res.add(
                "yardsticks",
                "SQL: metric set via query_metrics (after refresh)",
                _times(lambda: sql_frames(con), self.runs),
            )
            self.want = sql_frames(con)

    def yardstick(self, kind: str) -> None:
        """pandas or polars: the metric set from the Parquet files in a child process, checked against the SQL."""
        res = self.res
        module = YARDSTICKS[kind]
        if importlib.util.find_spec(module) is None:
            why = f"{module.replace('.', '/')}.py is missing"
            self.yardsticks[kind] = {"ran": False, "why": why}
            res.checks[kind] = {"agree": False, "ran": False, "summary": f"{kind}: not run ({why})"}
            return
        _say(f"{kind} metric set x{self.runs} (subprocess)")
        pickle_path = self.out / f"{kind}_result.pkl"
        args = ["--child", kind, "--files", self.files_arg, "--tz", self.tz, "--runs", str(self.runs)]
        try:
            child = run_child([*args, "--result", str(pickle_path)])
            got: dict[str, pd.DataFrame] = pd.read_pickle(pickle_path)
        except Exception as exc:  # a broken yardstick is reported; the rest of the run is kept
            why = f"failed: {str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__}"
            self.yardsticks[kind] = {"ran": False, "why": why}
            res.checks[kind] = {"agree": False, "ran": False, "summary": f"{kind}: {why}", "error": str(exc)[-4000:]}
            return
        finally:
            pickle_path.unlink(missing_ok=True)
        problems = compare(got, self.want)
        worst = max_relative_difference(got, self.want)
        agree = "agree" if not problems else f"DISAGREE ({len(problems)} problems)"
        res.checks[kind] = {
            "agree": not problems,
            "ran": True,
            "problems": problems[:20],
            "values_compared": cells(self.want),
            "max_relative_difference": worst,
            "summary": f"{kind} and SQL {agree} on {cells(self.want):,} values (max relative difference {worst:.1e})",
        }
        self.yardsticks[kind] = {"ran": True, **child}
        compute_cpu = statistics.median(_floats(child["compute_cpu"]))
        res.add(
            "yardsticks",
            f"{kind}: read the Parquet files",
            [_num(child["read"])],
            note=f"CPU {fmt(_num(child['read_cpu']), 's')}",
        )
        self.figs[kind] = res.add(
            "yardsticks",
            f"{kind}: metric set from the frames",
            _floats(child["compute"]),
            note=f"CPU {fmt(compute_cpu, 's')}",
        )
        res.add(
            "memory",
            f"peak RSS: {kind} process (read + metric set; not an aim)",
            [_num(child["maxrss_mib"])],
            unit="MiB",
            note=f"{_num(child['maxrss_read_mib']):,.0f} MiB after reading",
        )

    def ratios(self) -> None:
        res = self.res
        sql_total = self.figs["refresh"].median + self.figs["sql"].median
        res.add("yardsticks", "SQL: full refresh (wall) + metric set", [sql_total])
        for kind, aim in (("pandas", AIM_PANDAS_RATIO), ("polars", AIM_POLARS_RATIO)):
            word = ">=" if kind == "pandas" else ">"
            if kind not in self.figs:
                f = res.add(
                    "yardsticks", f"{kind} / (full refresh + SQL metric set)", [], unit="x", aim=f"{word} {aim:g}x"
                )
                f.note = f"not measured: {self.yardsticks.get(kind, {}).get('why', '?')}"
                self.figs[f"{kind}_ratio"] = f
                continue
            f = self.figs[f"{kind}_ratio"] = res.add(
                "yardsticks",
                f"{kind} / (full refresh + SQL metric set)",
                [self.figs[kind].median / sql_total],
                unit="x",
                aim=f"{word} {aim:g}x",
            )
            f.met = f.median >= aim if kind == "pandas" else f.median > aim
            res.add(
                "yardsticks",
                f"  {kind} / SQL metric set alone (after a refresh)",
                [self.figs[kind].median / self.figs["sql"].median],
                unit="x",
            )

    def memory(self) -> None:
        res = self.res
        for key in ("load_rss", "refresh_rss"):
            f = self.figs[key]
            f.aim, f.met = f"<= {AIM_MEMORY_MIB:,.0f} MiB", f.median <= AIM_MEMORY_MIB
        res.add(
            "memory",
            "peak RSS: bench process (30/60-day loads, appends, checks, queries; not an aim)",
            [bdata.maxrss_mib()],
            unit="MiB",
        )
        res.machine["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

    # ------------------------------------------------------------------------------------- the aims

    def summarize(self) -> None:
        res, f = self.res, self.figs
        ev = f"1 s per 10M events x {self.events / 1e6:.2f}M"
        res.aim(
            "a",
            "full refresh of every materialized view, wall",
            spread(f["refresh"]),
            f["refresh"].aim,
            f["refresh"].met,
            ev,
        )
        res.aim(
            "a",
            "full refresh, CPU time (all threads)",
            spread(f["refresh_cpu"]),
            f["refresh_cpu"].aim,
            f["refresh_cpu"].met,
            ev,
        )
        sql_total = f["refresh"].median + f["sql"].median
        for kind in ("pandas", "polars"):
            r = f[f"{kind}_ratio"]
            value = fmt(r.median, "x") if r.samples else "—"
            note = (
                f"{kind} {fmt(f[kind].median, 's')} / (refresh {fmt(f['refresh'].median, 's')} + metric set "
                f"{fmt(f['sql'].median, 's')} = {fmt(sql_total, 's')})"
                if kind in f
                else r.note
            )
            res.aim("b", f"{kind} / (full refresh + SQL metric set)", value, r.aim, r.met if r.samples else None, note)
            check = res.checks.get(kind)
            assert isinstance(check, dict)
            ran = bool(check.get("ran"))
            res.aim(
                "b",
                f"{kind} agrees with the SQL value for value",
                "agree" if check.get("agree") else ("not run" if not ran else "DISAGREE"),
                "agree",
                bool(check.get("agree")) if ran else None,
                str(check.get("summary", "")) if ran else "",
            )
        for key, label, unit_aim in (("one_day", "one-day refresh", "c"), ("daily", "daily load, end to end", "d")):
            for h in self.histories:
                fig = f[f"{key}_{h}"]
                note = "refresh(con, day) in a write session" if key == "one_day" else res.data["daily_load_via"]
                res.aim(
                    unit_aim,
                    f"{label} after {h} days",
                    spread(fig),
                    fig.aim,
                    fig.met,
                    str(note) if h == self.histories[0] else "",
                )
            g = f[f"{key}_growth"]
            lo, hi = self.histories[0], self.histories[-1]
            res.aim(unit_aim, f"{label}: growth {hi} / {lo} days", fmt(g.median, "x"), g.aim, g.met)
        for key, what in (("load_rss", "fresh load of the whole data set"), ("refresh_rss", "full refresh")):
            fig = f[key]
            res.aim("e", f"peak memory: {what} (own process)", fmt(fig.median, "MiB"), fig.aim, fig.met)
        pages = [x for x in res.figures if x.section == "pages" and x.aim]
        slowest = max(pages, key=lambda x: x.median)
        res.aim(
            "f",
            f"each of {len(pages)} page queries",
            f"slowest {fmt(slowest.median, 's')}",
            f"<= {AIM_PAGE_S * 1000:g} ms each",
            all(x.met for x in pages),
            f"slowest: {slowest.name}; {sum(1 for x in pages if not x.met)} over",
        )
        check = res.checks["incremental_equals_rebuild"]
        assert isinstance(check, dict)
        res.aim(
            "g",
            "incremental == rebuild after each one-day append (every table and view, row for row)",
            "all equal" if check["equal"] else "DIFFER",
            "all equal",
            bool(check["equal"]),
            str(check["summary"]).removeprefix("incremental == rebuild: "),
        )

    def ok(self) -> bool:
        """The checks (not the aims): pandas and polars agree with the SQL, incremental equals rebuild."""
        return all(
            isinstance(c, dict) and bool(c.get(k))
            for c, k in (
                (self.res.checks.get("pandas"), "agree"),
                (self.res.checks.get("polars"), "agree"),
                (self.res.checks.get("incremental_equals_rebuild"), "equal"),
            )
        )


def run(args: argparse.Namespace) -> Bench:
    b = Bench(args)
    b.prepare()
    b.fresh_load()
    b.full_refresh()
    b.views_alone()
    b.one_day_appends()
    b.pages()
    b.yardstick("pandas")
    b.yardstick("polars")
    b.ratios()
    b.memory()
    b.summarize()
    return b


def _report(b: Bench) -> None:
    res = b.res
    print()
    print(f"AIMS OF ISSUE 10 ({sum(1 for a in res.aims if a.met)} of {len(res.aims)} met)")
    print(summary_table(res, markdown=False))
    print()
    for name in ("incremental_equals_rebuild", "pandas", "polars"):
        check = res.checks.get(name)
        if isinstance(check, dict):
            print(check.get("summary"))
            for line in check.get("problems", []) or []:
                print("  " + str(line))
    print()
    print(facts(res, markdown=False))
    print()
    print(table(res, markdown=False))
    print()
    print(view_table(res, markdown=False))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        "--users", type=int, default=1_000_000, help="users in the --days days (1000000; 3000000 for the 3M set)"
    )
    p.add_argument("--days", type=int, default=90)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--runs", type=int, default=5, help="runs of each timed figure: median, min and max (5)")
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
    p.add_argument("--child", choices=("load", "refresh", "pandas", "polars", "big-csv"), help=argparse.SUPPRESS)
    p.add_argument("--db", help=argparse.SUPPRESS)
    p.add_argument("--files", help=argparse.SUPPRESS)
    p.add_argument("--tz", help=argparse.SUPPRESS)
    p.add_argument("--result", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        files = (
            {k: Path(v) for k, v in json.loads(args.files).items()} if args.child != "big-csv" and args.files else {}
        )
        if args.child == "refresh":
            out = child_refresh(Path(args.db), args.runs)
        elif args.child == "load":
            out = child_load(Path(args.db), files, args.tz)
        elif args.child == "big-csv":
            out = child_big_csv(Path(args.db), Path(args.files))
        else:
            out = child_yardstick(args.child, files, args.tz, args.runs, Path(args.result))
        print(json.dumps(out))
        return 0
    if args.big_csv_gb is not None:
        if args.big_csv_gb <= 0:
            p.error("--big-csv-gb must be more than 0")
        return big_csv(args.big_csv_gb, Path(args.out))
    if args.runs < 1:
        p.error("--runs must be at least 1")
    b = run(args)
    _report(b)
    results_path = b.out / "results.json"
    results_path.write_text(json.dumps(asdict(b.res), indent=2, default=str), encoding="utf-8")
    print(f"\nresults: {results_path}")
    if args.write_readme:
        write_readmes(b.res)
        print(f"figures written into {README} and {BENCH_README}")
    if not b.ok():
        print("a check failed (see above): exit 1")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
