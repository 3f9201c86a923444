"""Partial weeks and months (opsplan.metrics.periods), hand-computed, and the ``partial`` column of query_metrics on the
view fixture (tests/views/fixture_data.py: data from Monday 2026-01-05 to Tuesday 2026-01-13, so W02 is whole,
W03 holds 2 of its 7 days and January, which starts before the data, 9 of its 31)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import duckdb
import pytest

from opsplan.metrics.exports import report
from opsplan.metrics.periods import Coverage, coverage, last_complete, period_bounds
from opsplan.metrics.rollup import query_metrics
from opsplan.store.views import sync_views
from opsplan.store.warehouse import create_schema, read_connection
from tests.views.conftest import build_fixture

D = dt.date


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """The view fixture in an Asia/Shanghai warehouse, read-only."""
    with read_connection(build_fixture(tmp_path_factory.mktemp("periods"), "Asia/Shanghai")) as c:
        yield c


def test_period_bounds_of_weeks_and_months() -> None:
    assert period_bounds("2026-W13", "week") == (D(2026, 3, 23), D(2026, 3, 29))
    assert period_bounds("2026-W01", "week") == (D(2025, 12, 29), D(2026, 1, 4))  # ISO: the week of the 1st Thursday
    assert period_bounds("2026-W53", "week") == (D(2026, 12, 28), D(2027, 1, 3))  # 2026 starts on a Thursday
    assert period_bounds("2026-02", "month") == (D(2026, 2, 1), D(2026, 2, 28))
    assert period_bounds("2024-02", "month") == (D(2024, 2, 1), D(2024, 2, 29))


@pytest.mark.parametrize(
    ("key", "grain"),
    [("2025-W53", "week"), ("2026-13", "month"), ("2026-W09", "month"), ("2026-02", "week"), ("2026-02", "day")],
)
def test_period_bounds_refuses_what_is_not_a_period(key: str, grain: str) -> None:
    with pytest.raises(ValueError):
        period_bounds(key, grain)


def test_a_week_ending_after_data_through_is_partial() -> None:
    cov = coverage("2026-W13", "week", D(2026, 1, 1), D(2026, 3, 24))  # data through Tuesday 03-24: 03-23, 03-24
    assert cov == Coverage("2026-W13", "week", 2, 7)
    assert cov.partial
    assert cov.short("zh") == "2/7 天" and cov.short("en") == "2 of 7 days"
    assert cov.label("zh") == "2026-W13（部分：2/7 天）"
    assert cov.label("en") == "2026-W13 (partial: 2 of 7 days)"


def test_a_whole_week_is_labelled_by_its_key_alone() -> None:
    cov = coverage("2026-W12", "week", D(2026, 1, 1), D(2026, 3, 24))  # 03-16 .. 03-22
    assert (cov.days, cov.total, cov.partial) == (7, 7, False)
    assert cov.label("zh") == cov.label("en") == "2026-W12"
    # the last day of data on the Sunday: whole
    assert not coverage("2026-W13", "week", D(2026, 1, 1), D(2026, 3, 29)).partial


def test_a_month_starting_before_the_first_day_is_partial() -> None:
    cov = coverage("2026-01", "month", D(2026, 1, 5), D(2026, 3, 24))  # 01-05 .. 01-31
    assert (cov.days, cov.total, cov.partial) == (27, 31, True)
    assert cov.label("en") == "2026-01 (partial: 27 of 31 days)"
    assert not coverage("2026-02", "month", D(2026, 1, 5), D(2026, 3, 24)).partial  # 28 of 28
    assert coverage("2026-03", "month", D(2026, 1, 5), D(2026, 3, 24)).short("zh") == "24/31 天"


def test_periods_without_data_cover_nothing() -> None:
    assert coverage("2026-04", "month", D(2026, 1, 5), D(2026, 3, 24)) == Coverage("2026-04", "month", 0, 30)
    assert coverage("2025-W52", "week", D(2026, 1, 5), D(2026, 3, 24)).days == 0
    assert coverage("2026-W02", "week", None, None) == Coverage("2026-W02", "week", 0, 7)


def test_last_complete() -> None:
    first, through = D(2026, 1, 5), D(2026, 3, 24)
    assert last_complete(["2026-W11", "2026-W13", "2026-W12"], "week", first, through) == "2026-W12"
    assert last_complete(["2026-01", "2026-02", "2026-03"], "month", first, through) == "2026-02"
    assert last_complete(["2026-W13"], "week", first, through) is None
    assert last_complete(["2026-01", "2026-03"], "month", first, through) is None
    assert last_complete([], "week", first, through) is None
    # across a year: 2026-W01 (2025-12-29 .. 2026-01-04) is the later one
    assert last_complete(["2026-W01", "2025-W52"], "week", D(2025, 12, 1), D(2026, 1, 6)) == "2026-W01"


# ── query_metrics on the fixture ─────────────────────────────────────────────────────────────────────────────


def test_weekly_and_monthly_rows_end_with_partial(con: duckdb.DuckDBPyConnection) -> None:
    weekly = query_metrics(con, ["wau", "new_users"], grain="week")
    assert list(weekly.columns) == ["week", "wau", "new_users", "partial"]
    assert weekly[["week", "partial"]].values.tolist() == [["2026-W02", False], ["2026-W03", True]]
    assert weekly["partial"].dtype == bool
    monthly = query_metrics(con, ["mau", "stickiness"], grain="month")
    assert list(monthly.columns) == ["month", "mau", "stickiness", "partial"]
    assert monthly[["month", "partial"]].values.tolist() == [["2026-01", True]]  # starts 01-01, data from 01-05


def test_partial_is_about_the_data_not_the_range(con: duckdb.DuckDBPyConnection) -> None:
    # a range from Wednesday 01-07 cuts W02 but the data covers all of it; one ending 01-12 does not make W03 whole
    weekly = query_metrics(con, ["wau"], grain="week", start=D(2026, 1, 7), end=D(2026, 1, 12))
    assert weekly[["week", "partial"]].values.tolist() == [["2026-W02", False], ["2026-W03", True]]


def test_partial_by_channel_and_not_for_other_grains(con: duckdb.DuckDBPyConnection) -> None:
    by = query_metrics(con, ["wau"], grain="week", by="channel")
    assert list(by.columns) == ["week", "channel", "wau", "partial"]
    assert by.groupby("week")["partial"].agg(set).to_dict() == {"2026-W02": {False}, "2026-W03": {True}}
    assert "partial" not in query_metrics(con, ["dau"], grain="day").columns
    assert "partial" not in query_metrics(con, ["retention_d1"], grain="cohort").columns
    assert "partial" not in query_metrics(con, ["dau"], grain="total").columns


def test_the_weekly_report_tells_the_last_week_is_partial(con: duckdb.DuckDBPyConnection) -> None:
    weekly = report(con, "weekly")
    assert weekly.columns[-1] == "partial" and weekly["partial"].tolist() == [False, True]
    assert report(con, "monthly")["partial"].tolist() == [True]
    assert "partial" not in report(con, "daily").columns


def test_an_empty_warehouse_has_the_partial_column_too() -> None:
    empty = duckdb.connect()
    create_schema(empty, "UTC")
    sync_views(empty, force=True)
    assert list(query_metrics(empty, ["wau"], grain="week").columns) == ["week", "wau", "partial"]
    assert list(query_metrics(empty, ["dau"], grain="day").columns) == ["date", "dau"]
