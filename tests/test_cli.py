"""`opsplan metrics …` as CLI.md says: columns named after metrics, immature values empty / null."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from opsplan.cli.commands import main
from opsplan.store.warehouse import Warehouse
from tests.views.conftest import build_fixture


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    wh: Warehouse = build_fixture(tmp_path_factory.mktemp("cli"), "Asia/Shanghai")
    return str(wh.path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_daily_csv(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--db", db, "metrics", "daily", "--from", "2026-01-09", "--to", "2026-01-11", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["date"] for r in rows] == ["2026-01-09", "2026-01-10", "2026-01-11"]
    assert rows[0]["dau"] == "1" and rows[1]["dau"] == "0"  # an empty day is a row of zeros
    assert rows[1]["ctr"] == ""  # no impressions: no rate, not 0
    assert {"new_users", "dau", "revenue", "paying_users", "ctr", "cac", "blended_cac"} <= set(rows[0])


def test_retention_json_has_null_for_immature(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "metrics", "retention", "--format", "json")
    assert code == 0
    rows = {r["cohort"]: r for r in json.loads(out)}
    assert rows["2026-01-05"]["retention_d1"] == 1.0
    assert rows["2026-01-05"]["retention_d7"] == 0.5
    assert rows["2026-01-05"]["retention_d30"] is None
    assert rows["2026-01-08"]["retention_d7"] is None
    assert rows["2026-01-06"]["cohort_size"] == 3


def test_monthly_has_the_columns_cli_md_names(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "metrics", "monthly", "--format", "json")
    (row,) = json.loads(out)
    assert {
        "month",
        "mau",
        "new_users",
        "revenue",
        "paying_users",
        "arppu",
        "paid_conversion",
        "repurchase_rate",
    } <= set(row)
    assert row["month"] == "2026-01" and row["mau"] == 7 and row["revenue"] == 200


def test_weekly_by_channel(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "metrics", "weekly", "--by", "channel", "--format", "json")
    rows = {(r["week"], r["channel"]): r for r in json.loads(out)}
    assert rows[("2026-W02", "douyin")]["wau"] == 3  # u1, u2, u6
    assert rows[("2026-W03", "kol")]["new_users"] == 1


def test_channels_report(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "metrics", "channels", "--format", "json")
    rows = {r["channel"]: r for r in json.loads(out)}
    assert set(rows["douyin"]) >= {
        "channel",
        "spend",
        "impressions",
        "clicks",
        "ctr",
        "new_users",
        "signup_cvr",
        "cac",
        "revenue_7d",
        "roi_7d",
    }
    assert rows["douyin"]["roi_7d"] == 0.15 and rows["kol"]["cac"] is None


def test_channels_by_campaign_shows_no_campaign_as_empty(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "metrics", "channels", "--by", "campaign", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert ("douyin", "c1") in {(r["channel"], r["campaign_id"]) for r in rows}
    assert ("organic", "") in {(r["channel"], r["campaign_id"]) for r in rows}


def test_funnel_table(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "metrics", "funnel")
    header = out.splitlines()[0].split()
    assert code == 0 and header[:5] == ["impressions", "clicks", "new_users", "activated", "paid_7d"]


def test_retention_by_week(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "metrics", "retention", "--grain", "week", "--format", "csv")
    header = out.splitlines()[0].split(",")
    assert header[:3] == ["cohort", "cohort_size", "retention_w1"] and header[-1] == "retention_w12"


def test_list_prints_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "metrics", "--list", "--format", "json")
    names = {m["name"] for m in json.loads(out)}
    assert {"dau", "retention_d1", "roi_7d", "cac"} <= names


def test_missing_warehouse_is_one_line_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(tmp_path / "none.duckdb"), "metrics", "daily")
    assert code != 0 and out == "" and len(err.strip().splitlines()) == 1 and "opsplan demo" in err


def test_bad_date_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["metrics", "daily", "--from", "2026-13-01"])
    assert exc.value.code == 2


def test_a_metrics_table_shows_each_metric_in_its_unit_and_csv_stays_raw(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from opsplan import fmt

    _, table, _ = run(capsys, "--db", db, "metrics", "funnel")
    _, text, _ = run(capsys, "--db", db, "metrics", "funnel", "--format", "csv")
    raw = next(csv.DictReader(io.StringIO(text)))
    header, _, first = table.splitlines()[:3]
    cells = dict(zip(header.split(), first.split(), strict=True))
    assert cells["ctr"] == fmt.value(fmt.PERCENT, float(raw["ctr"])) and cells["ctr"].endswith("%")
    assert cells["impressions"] == fmt.count(float(raw["impressions"]))
    assert "%" not in raw["ctr"] and float(raw["ctr"]) < 1
