"""What the benchmark measures in a process of its own, so that its peak memory (VmHWM) is its own.

``run_child`` starts ``bench/run.py --child <kind> …`` and reads the JSON line it prints last.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from bench import data as bdata
from bench.appends import build_warehouse, instrument, medians, timed_refresh
from opsplan.store.warehouse import Warehouse
from opsplan.store.writing import write_session

RUN_PY = Path(__file__).resolve().with_name("run.py")
#: the yardsticks: the same metric set outside the warehouse, by module (``compute`` gives what
#: ``bench.compare.sql_frames`` gives); pandas reads with ``bench.data.read_frames``, polars with its own ``read``
YARDSTICKS = {"pandas": "bench.pandas_metrics", "polars": "bench.polars_metrics"}


def run_child(args: list[str]) -> dict[str, object]:
    proc = subprocess.run([sys.executable, str(RUN_PY), *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"child {' '.join(args[:2])} failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def child_refresh(db: Path, runs: int) -> dict[str, object]:
    """``runs`` full refreshes of the live warehouse, each in its own write session: wall and CPU seconds."""
    wh = Warehouse(db)
    samples = []
    per_view = []
    for _ in range(runs):
        with instrument() as t:
            t0 = time.perf_counter()
            with write_session(wh) as con:
                t1 = time.perf_counter()
                wall, cpu, views = timed_refresh(con, None)
                t2 = time.perf_counter()
            t3 = time.perf_counter()
        samples.append(
            {"refresh": wall, "cpu": cpu, "copy": sum(t["copy"]), "session": t3 - t0, "open": t1 - t0, "close": t3 - t2}
        )
        per_view.append(views)
    return {"runs": samples, "per_view": medians(per_view), "maxrss_mib": bdata.maxrss_mib()}


def child_load(db: Path, files: Mapping[str, Path], tz: str) -> dict[str, object]:
    """Load every table into a fresh warehouse, table by table."""
    return {"loads": build_warehouse(db, files, tz), "maxrss_mib": bdata.maxrss_mib()}


def child_yardstick(kind: str, files: Mapping[str, Path], tz: str, runs: int, result_path: Path) -> dict[str, object]:
    """Read the Parquet files and compute the metric set ``runs`` times with pandas or polars; the last
    result is pickled to ``result_path`` (a dict of pandas DataFrames, as ``bench.pandas_metrics.compute``)."""
    module = importlib.import_module(YARDSTICKS[kind])
    c0, t0 = time.process_time(), time.perf_counter()
    frames = bdata.read_frames(files) if kind == "pandas" else module.read(files)
    read_s, read_cpu = time.perf_counter() - t0, time.process_time() - c0
    rss_read = bdata.maxrss_mib()
    samples, cpu = [], []
    result: dict[str, pd.DataFrame] = {}
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        result = module.compute(frames["users"], frames["events"], frames["orders"], frames["ad_spend"], tz=tz)
        samples.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    pd.to_pickle(result, result_path)
    return {
        "read": read_s,
        "read_cpu": read_cpu,
        "compute": samples,
        "compute_cpu": cpu,
        "maxrss_read_mib": rss_read,
        "maxrss_mib": bdata.maxrss_mib(),
        "rows": {k: len(v) for k, v in frames.items()},
    }
