"""The one formatter: literal cases for every unit, empties, the mean-of-a-count rule and changes; and a scan
that no other module turns a number into text with its own format spec."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from opsplan import fmt
from opsplan.metrics.registry import Unit, get_metric

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("unit", "x", "text"),
    [
        (Unit.CURRENCY, 1234.5, "¥1,234.50"),
        (Unit.CURRENCY, 300, "¥300.00"),
        (Unit.CURRENCY, 123.456, "¥123.46"),
        (Unit.CURRENCY, -30, "-¥30.00"),
        (Unit.CURRENCY, -1234567.891, "-¥1,234,567.89"),
        (Unit.CURRENCY, -0.001, "¥0.00"),
        ("money", 0, "¥0.00"),
        (Unit.PERCENT, 0.412, "41.2%"),
        (Unit.PERCENT, 0.005, "0.5%"),
        (Unit.PERCENT, 1, "100.0%"),
        (Unit.PERCENT, -0.05, "-5.0%"),
        (Unit.PERCENT, -0.00001, "0.0%"),
        (Unit.RATIO, 1.35, "1.35"),
        (Unit.RATIO, 0.98, "0.98"),
        (Unit.RATIO, 1234.5, "1,234.50"),
        (Unit.RATIO, -0.2, "-0.20"),
        (Unit.COUNT, 12345, "12,345"),
        (Unit.COUNT, 12345.0, "12,345"),
        (Unit.COUNT, 0, "0"),
        (Unit.COUNT, -1234, "-1,234"),
        ("count", 7, "7"),
    ],
)
def test_every_unit(unit: object, x: float, text: str) -> None:
    assert fmt.value(unit, x) == text


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0.9, "0.9"),  # 7-day-average DAU 0.9 is not 1
        (45.3, "45.3"),  # the same 45.3 new users on every page
        (2.04, "2"),  # whole once rounded to one decimal
        (99.96, "100"),
        (99.94, "99.9"),
        (1234.57, "1,235"),  # from 100 up the decimal is noise
        (100.4, "100"),
        (-0.9, "-0.9"),
        (-0.04, "0"),
    ],
)
def test_a_mean_of_a_count_keeps_one_decimal_below_100(x: float, text: str) -> None:
    assert fmt.value(Unit.COUNT, x) == text


@pytest.mark.parametrize("empty", [None, math.nan, float("nan"), pd.NA, pd.NaT])
@pytest.mark.parametrize("unit", list(Unit))
def test_empty_is_a_dash_for_every_unit(unit: Unit, empty: object) -> None:
    assert fmt.is_empty(empty)
    assert fmt.value(unit, empty) == fmt.EMPTY == "—"


def test_zero_is_not_empty() -> None:
    assert not fmt.is_empty(0) and not fmt.is_empty(0.0) and fmt.value(Unit.COUNT, 0.0) == "0"


def test_the_currency_symbol_is_a_parameter() -> None:
    assert fmt.value(Unit.CURRENCY, -12.5, currency="$") == "-$12.50"


def test_an_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown unit"):
        fmt.value("euros", 1)


@pytest.mark.parametrize(
    ("x", "signed", "text"),
    [
        (0.1, True, "+10.0%"),
        (-0.75, True, "-75.0%"),
        (1, True, "+100.0%"),
        (0, True, "+0.0%"),
        (-0.00001, True, "+0.0%"),  # no '-0.0%'
        (0.15, False, "15.0%"),
        (0.1234, True, "+12.3%"),
        (None, True, "—"),
        (math.nan, True, "—"),
    ],
)
def test_change(x: float | None, signed: bool, text: str) -> None:
    assert fmt.change(x, signed=signed) == text


@pytest.mark.parametrize(("x", "text"), [(0.005, "+0.5pp"), (-0.012, "-1.2pp"), (-0.00001, "+0.0pp"), (None, "—")])
def test_points(x: float | None, text: str) -> None:
    assert fmt.points(x) == text


@pytest.mark.parametrize(("x", "text"), [(0.45, "45%"), (1.35, "135%"), (0, "0%"), (None, "—")])
def test_share(x: float | None, text: str) -> None:
    assert fmt.share(x) == text


@pytest.mark.parametrize(
    ("unit", "d3"), [(Unit.COUNT, ",.0f"), (Unit.CURRENCY, ",.0f"), (Unit.PERCENT, ".1~%"), (Unit.RATIO, ",.2f")]
)
def test_axis_format(unit: Unit, d3: str) -> None:
    assert fmt.axis_format(unit) == d3


def test_the_registry_and_the_judgement_format_alike() -> None:
    """Metric.format and evaluate.fmt are the one formatter: 45.3 new users read '45.3' on both."""
    from opsplan.metrics.measure import metric_info
    from opsplan.plan.evaluate import fmt as info_format

    for name, x in [("new_users", 45.3), ("spend", 300), ("ctr", 0.005), ("roi_7d", 0.98), ("cac", 123.456)]:
        assert (
            get_metric(name).format(x) == info_format(metric_info(name, None), x) == fmt.value(get_metric(name).unit, x)
        )
    assert get_metric("new_users").format(45.3) == "45.3"


# --- no module but opsplan/fmt.py formats a number itself ---------------------------------------------------

#: a format spec that turns a number into display text: thousands separators, fixed decimals, a percent
_NUMBER_SPEC = re.compile(r"^[<>=^]?[-+ ]?#?0?\d*,?(\.\d+)?[f%]$|^[-+ ]?\d*,$|,")

#: (file, the spec's source text) that may stay, each with why
ALLOWED = {
    ("opsplan/cli/output.py", "{value:.2f}"): "CLI table cell of a raw query column: no unit is known there",
    ("opsplan/store/sql_read.py", "{ms / 1000:.3f}"): "an SQL literal (seconds) for the database, not for a person",
    ("opsplan/store/writing.py", "{size:.0f}"): "megabytes in a disk-space message, not a metric value",
    ("opsplan/plan/alert_log.py", "{wait:.0f}"): "seconds waited in a log line, not a metric value",
}


def _specs(path: Path) -> list[tuple[int, str]]:
    """(line, source text) of every f-string field whose format spec formats a number."""
    source = path.read_text(encoding="utf-8")
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr)):
            continue
        spec = "".join(v.value for v in node.format_spec.values if isinstance(v, ast.Constant))
        if _NUMBER_SPEC.search(spec):
            found.append((node.lineno, "{" + ast.unparse(node.value) + ":" + spec + "}"))
    return found


def test_no_module_formats_a_number_outside_fmt() -> None:
    offenders, used = [], set()
    for path in sorted([*(ROOT / "opsplan").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "opsplan/fmt.py":
            continue
        for line, text in _specs(path):
            if (rel, text) in ALLOWED:
                used.add((rel, text))
            else:
                offenders.append(f"{rel}:{line}: {text}")
    assert not offenders, "format numbers with opsplan.fmt:\n" + "\n".join(offenders)
    assert used == set(ALLOWED), f"allow-list entries no longer needed: {set(ALLOWED) - used}"


def test_the_scan_sees_a_number_spec(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text('x = f"{a:,.2f} {b:.1%} {c:+.0%} {d:,} {e:%m-%d} {f:g} {g!r} {h:>8}"\n', encoding="utf-8")
    assert [text for _, text in _specs(path)] == ["{a:,.2f}", "{b:.1%}", "{c:+.0%}", "{d:,}"]
