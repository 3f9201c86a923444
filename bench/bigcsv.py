"""``python bench/run.py --big-csv-gb 2``: a fresh load of a ~2 GB events CSV in its own process, its peak RSS
against DuckDB's memory_limit (see bench/README.md, "A big CSV")."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import duckdb

from bench.appends import remove_db
from bench.children import run_child
from bench.data import maxrss_mib
from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse, memory_limit


def _say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


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
        "maxrss_mib": maxrss_mib(),
        "memory_limit": memory_limit(),
        "peak_spill_mb": peak_spill[0] / 2**20,
    }


def big_csv(gb: float, out: Path) -> int:
    """``--big-csv-gb``: the peak RSS of a fresh load of a ~``gb`` GB events CSV against the memory limit."""
    _say(f"writing (or finding) a ~{gb:g} GB events CSV under {out / 'data'}")
    csv = write_big_events_csv(out / "data", gb)
    db = out / "big-csv.duckdb"
    remove_db(db)
    _say(f"loading {csv.name} ({csv.stat().st_size / 1e9:.2f} GB) into a fresh {db} (subprocess)")
    child = run_child(["--child", "big-csv", "--db", str(db), "--files", str(csv)])
    warehouse_mb = db.stat().st_size / 1e6
    remove_db(db)
    rss, limit, spill = _num(child["maxrss_mib"]), str(child["memory_limit"]), _num(child["peak_spill_mb"])
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
        f"(warehouse {warehouse_mb:,.0f} MB); peak RSS {rss:,.0f} MiB against memory_limit {limit} "
        f"({rss / limit_mb:.2f}x); spilled up to {spill:,.0f} MB beside the warehouse"
    )
    print(f"results: {out / 'big_csv.json'}")
    return 0
