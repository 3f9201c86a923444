"""The query files stay portable: each renders for ClickHouse with sqlglot at unsupported_level=RAISE and uses
none of the constructs measured to break or differ there (issue 11). Trino, Spark, BigQuery and StarRocks
are reported, not required."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from opsplan.store import portable
from opsplan.store.views import load_view_defs

QUERIES = sorted((Path(__file__).resolve().parents[1] / "queries").glob("*.sql"))


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_every_query_file_is_portable(path: Path) -> None:
    assert portable.problems(path.read_text(encoding="utf-8")) == [], path


def test_other_dialects_are_reported_as_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    report = {p.stem: portable.warnings(p.read_text(encoding="utf-8")) for p in QUERIES}
    with capsys.disabled():
        for name, found in sorted(report.items()):
            for dialect, why in found.items():
                print(f"\n  portability warning: {name}.sql on {dialect}: {why}")
    assert set(report) == {p.stem for p in QUERIES}


@pytest.mark.parametrize(
    ("sql", "said"),
    [
        ("SELECT * FROM t WHERE d >= getvariable('opsplan_cut')", "getvariable"),
        ("SELECT range FROM range(0, 31)", "range()"),
        ("SELECT * FROM generate_series(1, 3)", "generate_series"),
        ("SELECT d + to_months(1) FROM t", "to_months"),
        ("SELECT datediff('day', a, b) FROM t", "date_diff"),
        ("SELECT bool_or(a) FROM t", "bool_or"),
        ("SELECT lag(d) OVER (ORDER BY d) FROM t", "lag / lead"),
        ("SELECT a FROM t QUALIFY row_number() OVER () = 1 PIVOT", "ClickHouse cannot take it"),
    ],
)
def test_the_lint_refuses_what_does_not_port(sql: str, said: str) -> None:
    found = portable.problems(sql)
    assert any(said in p for p in found), found


def test_the_cut_is_bound_as_a_literal_every_engine_folds() -> None:
    sql = "SELECT * FROM events WHERE ($cut IS NULL OR event_day >= $cut)"
    assert portable.bind_cut(sql, None) == (
        "SELECT * FROM events WHERE (CAST(NULL AS DATE) IS NULL OR event_day >= CAST(NULL AS DATE))"
    )
    bound = portable.bind_cut(sql, dt.date(2026, 1, 15))
    assert "CAST('2026-01-15' AS DATE)" in bound and "$cut" not in bound
    assert "toDate" in portable.to_clickhouse(bound) or "CAST('2026-01-15' AS" in portable.to_clickhouse(bound)


def test_only_materialized_queries_read_the_cut() -> None:
    """A plain view is never recomputed from a cut: a $cut in it would silently mean "everything"."""
    for d in load_view_defs():
        if "$cut" in d.sql:
            assert d.materialized and not d.full, d.path


def test_clickhouse_names_a_qualified_column_as_duckdb_does() -> None:
    rendered = portable.to_clickhouse("SELECT d.date, d.user_key AS k FROM days AS d")
    assert 'd.date AS "date"' in rendered and "d.user_key AS k" in rendered
