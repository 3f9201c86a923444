"""`opsplan report` for a demo week writes Markdown and a self-contained HTML file; real headless Chromium
opens the HTML with the network cut off and finds the week's KPIs, the target statuses and the flag.

Week 2026-W09 (02-23 .. 03-01) is the week the demo's xiaohongshu ROI rule turns firing (02-23)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DEMO_PLAN, Cli

WEEK = "2026-W09"


def _new_users(db: Path, start: str, end: str) -> int:
    """New users of the week straight from the raw users table, in the warehouse's zone."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'Asia/Shanghai'")
        return con.execute(
            "SELECT count(*) FROM users WHERE CAST(signup_at AS DATE) BETWEEN ? AND ?", [start, end]
        ).fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def reports(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from opsplan.cli import main

    out = tmp_path_factory.mktemp("report")
    db = out / "demo.duckdb"
    shutil.copyfile(demo_db, db)
    paths = {"md": out / "review.md", "html": out / "review.html", "en": out / "review-en.md", "db": db}
    assert main(["--db", str(db), "report", "--plan", str(DEMO_PLAN), "--week", WEEK, "--out", str(paths["md"])]) == 0
    assert main(["--db", str(db), "report", "--plan", str(DEMO_PLAN), "--week", WEEK, "--out", str(paths["html"])]) == 0
    assert (
        main(
            [
                "--db",
                str(db),
                "report",
                "--plan",
                str(DEMO_PLAN),
                "--week",
                WEEK,
                "--lang",
                "en",
                "--out",
                str(paths["en"]),
            ]
        )
        == 0
    )
    return paths


def test_markdown_has_the_kpis_statuses_and_flags(reports: dict[str, Path]) -> None:
    text = reports["md"].read_text(encoding="utf-8")
    week_users = _new_users(reports["db"], "2026-02-23", "2026-03-01")
    previous = _new_users(reports["db"], "2026-02-16", "2026-02-22")
    assert f"| 新增用户 | {week_users:,} | {previous:,} |" in text
    assert "## 目标进度" in text and "有风险" in text and "落后" in text
    assert "roi_floor" in text and "xiaohongshu" in text and "暂停投放，优化素材后再测试" in text
    for line in text.splitlines():  # every table row has the column count of its header
        if line.startswith("|"):
            assert line.endswith("|")
    english = reports["en"].read_text(encoding="utf-8")
    assert f"| New users | {week_users:,} | {previous:,} |" in english and "off track" in english


def test_html_opens_offline_in_chromium_with_kpis_statuses_flags_and_charts(reports: dict[str, Path], browser) -> None:  # noqa: ANN001
    html = reports["html"].read_text(encoding="utf-8")
    external = re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", html)
    assert external == []  # no script, style, font or image from elsewhere
    attempted: list[str] = []
    context = browser.new_context(offline=True)
    try:
        page = context.new_page()

        def guard(route) -> None:  # noqa: ANN001
            if route.request.url.startswith(("file:", "data:")):
                route.continue_()
            else:
                attempted.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        page.goto(reports["html"].as_uri())
        page.wait_for_load_state("load")
        body = page.inner_text("body")
        charts = page.locator("svg")
        sizes = [charts.nth(i).bounding_box() for i in range(charts.count())]
    finally:
        context.close()
    assert attempted == []  # nothing outside the file was asked for
    week_users = _new_users(reports["db"], "2026-02-23", "2026-03-01")
    assert "2026 Q1 增长计划" in body and WEEK in body
    assert "新增用户" in body and f"{week_users:,}" in body
    assert "有风险" in body and "落后" in body and "正常" in body
    assert "roi_floor" in body and "暂停投放，优化素材后再测试" in body
    assert len(sizes) >= 3 and all(box and box["width"] > 100 and box["height"] > 50 for box in sizes)


def test_a_week_outside_the_plan_or_malformed_is_refused(cli: Cli, demo_db: Path) -> None:
    bad = cli("--db", demo_db, "report", "--plan", DEMO_PLAN, "--week", "2026-W60")
    assert bad.code != 0 and bad.out == "" and len(bad.err.strip().splitlines()) == 1
