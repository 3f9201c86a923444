"""bench/clickhouse.py (ClickHouse / chdb beside DuckDB) runs end to end at tiny scale, and its checks can fail.

The run prints the figures of both engines and says that chdb's incremental refresh equals its full recompute
and that DuckDB's views equal chdb's; the negative controls change one row of a view (on DuckDB, on chdb) and
the fingerprint comparison must name that view. No timing is asserted here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from bench.clickhouse import ch_fingerprint, duck_fingerprint, fingerprint_differences
from opsplan.store import clickhouse, engine

pytest.importorskip("chdb", reason="chdb (embedded ClickHouse) is not installed: pip install -r requirements.txt")

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bench" / "clickhouse.py"
VIEWS = sorted(p.stem for p in (ROOT / "queries").glob("*.sql"))
FIGURES = (
    "fresh load of the base days (load_tables), wall",
    "fresh load, CPU time",
    "full refresh of every materialized view (compute), wall",
    "full refresh, CPU time",
    "one-day append (",
)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("bench-clickhouse")
    env = {k: v for k, v in os.environ.items() if k != engine.ENV}
    # 35 days: the appended day (02-05) comes after a month start, so the monthly views' incremental refresh
    # recomputes from 02-01 with January's rows before its cut (at 21 days it would recompute everything)
    args = ["--users", "1500", "--days", "35", "--runs", "1", "--out", str(out)]
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    )
    return out, proc


def test_runs_and_prints_both_engines_side_by_side(tiny_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, proc = tiny_run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.startswith("CLICKHOUSE (chdb) BESIDE DUCKDB"))
    assert lines[head + 1].split() == ["figure", "DuckDB", "chdb", "chdb", "/", "DuckDB"]
    table = lines[head + 3 : lines.index("", head)]
    for name in FIGURES:
        row = next(ln for ln in table if ln.startswith(name))
        # DuckDB's seconds, chdb's seconds, chdb / DuckDB
        assert re.search(r"\s\d[\d.,]* m?s\s+\d[\d.,]* m?s\s+\d[\d.]*x$", row), row
    text = proc.stdout
    assert "chdb: incremental == full recompute after the one-day append" in text
    assert f"{len(VIEWS)} views" in text
    checks = [ln for ln in lines if ln.startswith("check: ")]
    assert len(checks) == 3 and all(ln.endswith(": all equal") for ln in checks), checks
    assert any("DuckDB == chdb" in ln for ln in checks)
    results = json.loads((out / "clickhouse-results.json").read_text())
    assert all(c["equal"] for c in results["checks"].values() if isinstance(c, dict))
    assert set(results["fingerprints"]["chdb"]) == set(VIEWS)


def test_fingerprint_comparison_names_a_view_changed_by_one_row(
    tiny_run: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    out, proc = tiny_run
    assert proc.returncode == 0
    work = out / "clickhouse"
    # DuckDB: one row of a materialized view changed in a copy of the benchmark's warehouse file
    copy = tmp_path / "duckdb.duckdb"
    shutil.copyfile(work / "duckdb.duckdb", copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute(
            "UPDATE kpis_daily_parts SET active_users = active_users + 1 "
            "WHERE rowid = (SELECT min(rowid) FROM kpis_daily_parts)"
        )
        changed = duck_fingerprint(con, VIEWS)
    finally:
        con.close()
    client = engine.parse(f"chdb://{work / 'chdb'}").client()
    try:
        ch = ch_fingerprint(client, VIEWS)
        assert fingerprint_differences(ch, ch_fingerprint(client, VIEWS)) == {}
        differ = fingerprint_differences(changed, ch)
        assert "sum(active_users)" in differ["kpis_daily_parts"]
        assert "kpis_daily" in differ  # the plain view reading it
        assert "cohort_revenue" not in differ
        # chdb: one row of a materialized view duplicated
        client.command("INSERT INTO cohort_revenue SELECT * FROM cohort_revenue LIMIT 1")
        differ = fingerprint_differences(ch, ch_fingerprint(client, VIEWS))
        assert "rows" in differ["cohort_revenue"]
        assert "kpis_daily_parts" not in differ
    finally:
        clickhouse.close_embedded()


def test_fingerprint_differences_tolerates_float_order_not_a_change() -> None:
    base = {"v": {"rows": 3, "non_null": {"a": 3, "b": 2}, "sums": {"a": 10, "b": 0.1 + 0.2}}}
    same = {"v": {"rows": 3, "non_null": {"a": 3, "b": 2}, "sums": {"a": 10, "b": 0.3}}}
    assert fingerprint_differences(base, same) == {}
    for key, value in (("sums", {"a": 11, "b": 0.3}), ("sums", {"a": 10, "b": 0.31}), ("non_null", {"a": 3, "b": 3})):
        other = {"v": {**same["v"], key: value}}
        assert list(fingerprint_differences(base, other)) == ["v"], (key, value)
    assert list(fingerprint_differences(base, {"v": same["v"], "w": same["v"]})) == ["w"]
    null_sum = {"v": {**same["v"], "sums": {"a": None, "b": 0.3}}}
    assert list(fingerprint_differences(base, null_sum)) == ["v"]
