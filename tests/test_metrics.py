"""The metric registry, checked against the views and the glossary (datasette's test_docs habit)."""

from __future__ import annotations

import re

import duckdb
import pytest

from opsplan.docs import DOCS
from opsplan.metrics.registry import METRICS, Metric, MetricRegistry, Unit, UnknownMetricError, get_metric
from opsplan.store.views import load_view_defs, sync_views
from opsplan.store.warehouse import create_schema


@pytest.fixture(scope="module")
def empty() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    create_schema(con, "UTC")
    sync_views(con, force=True)
    return con


def _columns(con: duckdb.DuckDBPyConnection, view: str) -> set[str]:
    return {r[0] for r in con.execute(f'DESCRIBE SELECT * FROM "{view}"').fetchall()}


def test_every_metric_column_exists_in_each_of_its_views(
    empty: duckdb.DuckDBPyConnection, subtests: pytest.Subtests
) -> None:
    for metric in METRICS.values():
        for view in metric.views:
            with subtests.test(metric=metric.name, view=view):
                cols = _columns(empty, view)
                assert metric.column in cols
                if metric.denominator:
                    assert metric.denominator in cols


def test_every_metric_has_both_labels_and_a_definition(subtests: pytest.Subtests) -> None:
    for metric in METRICS.values():
        with subtests.test(metric=metric.name):
            assert metric.label_zh and metric.label_en and metric.definition
            assert re.search(r"[\u4e00-\u9fff]|^[A-Z]", metric.label_zh), "zh label should read as Chinese"


def test_glossary_lists_exactly_the_registry() -> None:
    text = (DOCS / "glossary.md").read_text(encoding="utf-8")
    named = set(re.findall(r"^\| `([a-z0-9_]+)` \|", text, flags=re.M))
    assert named == set(METRICS)


def test_every_view_is_used_by_a_metric_another_view_or_the_engine() -> None:
    defs = load_view_defs()
    used = {v for m in METRICS.values() for v in m.views}
    used |= {dep for d in defs for dep in d.depends_on}
    engine = " ".join(p.read_text(encoding="utf-8") for p in (DOCS.parent / "opsplan").rglob("*.py"))
    used |= {d.name for d in defs if re.search(rf"\b(FROM|JOIN) {d.name}\b", engine)}
    assert {d.name for d in defs} - used == set()


def test_duplicate_names_are_refused() -> None:
    m = METRICS["dau"]
    with pytest.raises(ValueError, match="registered twice"):
        MetricRegistry([m, m])


def test_unknown_metric_suggests_close_names() -> None:
    with pytest.raises(UnknownMetricError, match="retention_d1"):
        get_metric("retension_d1")


def test_formats_come_from_the_unit() -> None:
    assert get_metric("revenue").format(1234.5) == "¥1,234.50"
    assert get_metric("revenue").format(-30) == "-¥30.00"
    assert get_metric("retention_d1").format(0.41234) == "41.2%"
    assert get_metric("roi_7d").format(1.3456) == "1.35"
    assert get_metric("dau").format(12345) == "12,345"
    assert get_metric("retention_d7").format(None) == "—"


def test_sql_is_a_ratio_of_sums() -> None:
    ctr: Metric = get_metric("ctr")
    assert ctr.unit is Unit.PERCENT
    assert ctr.sql() == 'CAST(sum(v."clicks") AS DOUBLE) / nullif(sum(v."impressions"), 0)'
    assert get_metric("net_roi_7d").sql().endswith("- 1")
