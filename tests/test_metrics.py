"""The metric registry, checked against the views and the glossary (datasette's test_docs habit)."""

from __future__ import annotations

import ast
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


CATALOGS = sorted((DOCS.parent / "opsplan" / "metrics").glob("catalog_*.py"))


def test_every_metric_is_one_literal_entry_found_by_its_name() -> None:
    """`grep 'name="retention_d7"'` finds the one entry: no metric is minted by a loop or an f-string."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in CATALOGS)
    counts = {name: source.count(f'name="{name}"') for name in METRICS}
    assert {name: n for name, n in counts.items() if n != 1} == {}
    assert len(re.findall(r'^\s+name="', source, flags=re.M)) == len(METRICS)


def test_catalogs_hold_no_loops_or_f_strings() -> None:
    for path in CATALOGS:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bad = [type(n).__name__ for n in ast.walk(tree) if isinstance(n, (ast.JoinedStr, ast.For, ast.comprehension))]
        assert bad == [], path.name


def test_entries_once_minted_by_loops_keep_their_values() -> None:
    """Pinned from the loop-built registry before it became literal entries (fields and SQL)."""
    d7 = get_metric("retention_d7")
    assert (d7.label_zh, d7.label_en, d7.column, d7.denominator, d7.lag) == (
        "7日留存率",
        "D7 retention",
        "retained_d7",
        "size_d7",
        7,
    )
    assert get_metric("net_roi_30d").sql() == (
        '(CAST(sum(v."paid_revenue_30d") AS DOUBLE) / nullif(sum(v."spend_30d"), 0)) - 1'
    )
    assert (get_metric("revenue_1d").gated, get_metric("revenue_1d").lag) == (True, 0)
    w12 = get_metric("retention_w12")
    assert (w12.label_zh, w12.grains, w12.views) == ("第12周留存率", ("week",), ("retention_periodic",))
    assert get_metric("roas_7d").definition == "the same number as roi_7d under the ad platforms' name"
    assert list(METRICS)[22:25] == ["retention_d1", "retention_d7", "retention_d30"]
    assert len(METRICS) == 77
