"""`opsplan report`: the weekly review of a demo week, through the real CLI, as Markdown and as an HTML file
that real headless Chromium opens with the network cut off.

The demo's xiaohongshu ROI rule (roi_floor, 3 days below 1.0) goes pending on 2026-02-21 (in W08) and firing
on 2026-02-23 (the Monday of W09). Expected numbers are computed here from the raw tables with SQL, in the
warehouse's zone (Asia/Shanghai) set on the test's own connection, so the machine's TZ plays no part.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import duckdb
import pytest
import yaml

from opsplan.metrics.registry import get_metric
from tests.conftest import DEMO_PLAN, Cli

WEEK, BEFORE = "2026-W09", "2026-W08"
ACTION = "暂停投放，优化素材后再测试"


def _days(week: str) -> tuple[dt.date, dt.date]:
    monday = dt.date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
    return monday, monday + dt.timedelta(days=6)


def _facts(db: Path, week: str) -> dict[str, float]:
    """The week's new users, revenue, paying users and spend from the raw tables (not the views)."""
    start, end = _days(week)
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'Asia/Shanghai'")
        new_users = con.execute(
            "SELECT count(*) FROM users WHERE CAST(signup_at AS DATE) BETWEEN ? AND ?", [start, end]
        ).fetchone()[0]
        revenue, payers = con.execute(
            "SELECT sum(amount), count(DISTINCT user_id) FILTER (WHERE amount > 0) FROM orders "
            "WHERE CAST(paid_at AS DATE) BETWEEN ? AND ?",
            [start, end],
        ).fetchone()
        spend = con.execute("SELECT sum(spend) FROM ad_spend WHERE date BETWEEN ? AND ?", [start, end]).fetchone()[0]
    finally:
        con.close()
    return {"new_users": new_users, "revenue": float(revenue), "paying_users": payers, "spend": float(spend)}


def _fmt(metric: str, value: float) -> str:
    return get_metric(metric).format(value)


def _sections(markdown: str) -> dict[str, str]:
    """'## title' → the text under it."""
    parts = re.split(r"^## (.+)$", markdown, flags=re.M)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row; '\\|' is a pipe inside a cell."""
    assert line.startswith("| ") and line.endswith(" |"), line
    return [c.strip() for c in re.split(r"(?<!\\)\|", line[1:-1])]


def _tables(markdown: str) -> list[list[list[str]]]:
    """Every Markdown table (header row first, separator row dropped), checked to be well formed."""
    tables, block = [], []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            header, rule, *rows = block
            width = len(_cells(header))
            assert re.fullmatch(r"\|(---\|)+", rule) and rule.count("---") == width, rule
            body = [_cells(r) for r in rows]
            assert all(len(r) == width for r in body), block
            tables.append([_cells(header), *body])
            block = []
    return tables


def _row(table: list[list[str]], *first: str) -> dict[str, str]:
    """The one row whose leading cells are ``first``, as {column: cell}."""
    rows = [dict(zip(table[0], r, strict=True)) for r in table[1:] if tuple(r[: len(first)]) == first]
    assert len(rows) == 1, (first, table)
    return rows[0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo quarter, built once for this module (the report only reads it)."""
    from opsplan.demo.dataset import load_demo
    from opsplan.store.warehouse import Warehouse

    wh = Warehouse(tmp_path_factory.mktemp("report") / "demo.duckdb")
    load_demo(wh)
    return wh.path


@pytest.fixture(scope="module")
def written(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`opsplan report` run through the CLI entry for W09 (md, html, en) and W08 (md), written to files."""
    from opsplan.cli.commands import main

    out = tmp_path_factory.mktemp("written")
    runs = {
        "md": (WEEK, "review.md", []),
        "html": (WEEK, "review.html", []),
        "en": (WEEK, "review-en.md", ["--lang", "en"]),
        "before": (BEFORE, "before.md", []),
    }
    paths = {}
    for key, (week, name, extra) in runs.items():
        paths[key] = out / name
        argv = ["--db", str(demo), "report", "--plan", str(DEMO_PLAN), "--week", week, "--out", str(paths[key])]
        assert main([*argv, *extra]) == 0
    return paths


def _targets(cli: Cli, demo: Path, day: str) -> dict[str, dict]:
    """`opsplan check --format json` on ``day``: the targets by id and the rules by (id, scope)."""
    result = cli("--db", demo, "check", "--plan", DEMO_PLAN, "--date", day, "--format", "json")
    assert result.code in (0, 1, 2), result.err
    payload = json.loads(result.out)
    return payload


def test_markdown_shows_the_weeks_kpis_against_last_week_and_the_targets(
    written: dict[str, Path], demo: Path, cli: Cli
) -> None:
    text = written["md"].read_text(encoding="utf-8")
    assert text.startswith("# 2026 Q1 增长计划 · 周报 2026-W09\n")
    assert "2026-02-23 – 2026-03-01" in text and "评估日 2026-03-01" in text
    sections = _sections(text)
    assert list(sections) == [
        "本周结论",
        "本周核心指标",
        "为什么变化",
        "下周行动",
        "目标进度",
        "止损规则（本周触发 / 恢复）",
        "渠道表现",
        "关键举措",
        "最新成熟同期群",
        "预算消耗",
    ]
    (verdict,) = _tables(sections["本周结论"])  # read off the sections below: the planted 小红书 flag is firing
    assert [r[0] for r in verdict[1:]] == ["目标", "止损", "变差", "下周行动"]
    assert "触发中：ROI 止损线 · 小红书" in _row(verdict, "止损")["结论"]
    (kpis,) = _tables(sections["本周核心指标"])
    assert kpis[0] == ["指标", "本周", "上周", "环比", "目标", "状态", "备注"]
    now, before = _facts(demo, WEEK), _facts(demo, BEFORE)
    for metric in ("new_users", "revenue", "paying_users", "spend"):
        row = _row(kpis, get_metric(metric).label("zh"))
        assert (row["本周"], row["上周"]) == (_fmt(metric, now[metric]), _fmt(metric, before[metric])), metric
    change = (now["new_users"] - before["new_users"]) / before["new_users"]
    users = _row(kpis, "新增用户")
    assert users["环比"].strip("*") == f"{change:+.1%}"
    # the week's targets are those of the check on the week's Sunday
    check = _targets(cli, demo, "2026-03-01")
    by_id = {t["id"]: t for t in check["targets"]}
    from opsplan.plan.evaluate import Status

    assert users["目标"] == _fmt("new_users", by_id["new_users"]["target"])
    assert users["状态"].strip("*") == Status(by_id["new_users"]["status"]).label("zh")
    (targets,) = _tables(sections["目标进度"])
    assert targets[0] == ["指标", "范围", "状态", "说明"]  # no target id: a reader sees the metric and its scope
    by_reason = {r[3]: dict(zip(targets[0], r, strict=True)) for r in targets[1:]}
    assert set(by_reason) == {t["reason"] for t in by_id.values()}
    for target_id, t in by_id.items():
        row = by_reason[t["reason"]]
        assert row["状态"].strip("*") == Status(t["status"]).label("zh"), target_id
    assert "**落后**" in sections["目标进度"]  # off track stands out when pasted


def test_markdown_flags_the_week_xiaohongshu_went_firing_with_the_plans_action(
    written: dict[str, Path], cli: Cli, demo: Path
) -> None:
    plan = yaml.safe_load(DEMO_PLAN.read_text(encoding="utf-8"))
    action = next(r["action"] for r in plan["stop_loss"] if r["id"] == "roi_floor")
    assert action == ACTION
    # the engine's own daily check: pending on Sunday 02-22, firing on Monday 02-23
    states = {}
    for day in ("2026-02-22", "2026-02-23"):
        rules = _targets(cli, demo, day)["rules"]
        states[day] = next(
            r["state"] for r in rules if r["id"] == "roi_floor" and r["scope"] == {"channel": "xiaohongshu"}
        )
    assert states == {"2026-02-22": "pending", "2026-02-23": "firing"}

    flags = _sections(written["md"].read_text(encoding="utf-8"))["止损规则（本周触发 / 恢复）"]
    (table,) = _tables(flags)
    row = _row(table, "ROI 止损线", "小红书")  # the plan's label_zh of roi_floor, the channel's label
    assert row["本周"] == "**02-23 触发**" and row["状态"] == "**触发**"
    assert row["应对动作"] == ACTION and row["级别"] == "严重"
    channels = _tables(_sections(written["md"].read_text(encoding="utf-8"))["渠道表现"])[0]
    assert _row(channels, "小红书")["止损"] == "**ROI 止损线 触发**"

    # the week before: the rule was watching xiaohongshu, nothing had fired yet
    before = _sections(written["before"].read_text(encoding="utf-8"))["止损规则（本周触发 / 恢复）"]
    (table,) = _tables(before)
    row = _row(table, "ROI 止损线", "小红书")
    assert row["本周"] == "观察中（自 02-21）" and row["状态"] == "观察中"
    assert "触发 0" in before and "触发" not in row["本周"]


def test_markdown_is_english_with_lang_en(written: dict[str, Path], demo: Path) -> None:
    text = written["en"].read_text(encoding="utf-8")
    assert text.startswith("# 2026 Q1 增长计划 · Weekly review 2026-W09\n")
    sections = _sections(text)
    assert list(sections) == [
        "This week's conclusions",
        "KPIs this week",
        "Why it moved",
        "Next week's actions",
        "Targets",
        "Stop-loss flags this week (fired / resolved)",
        "Channels",
        "Initiatives",
        "Newest mature cohorts",
        "Budget burn",
    ]
    tables = _tables(text)
    assert all(not re.search(r"[\u4e00-\u9fff]", cell) for table in tables for cell in table[0])  # English heads
    kpis = tables[1]  # after the conclusions
    now = _facts(demo, WEEK)
    assert _row(kpis, "New users")["this week"] == _fmt("new_users", now["new_users"])
    assert "off track" in text and "on track" in text
    row = _row(_tables(sections["Stop-loss flags this week (fired / resolved)"])[0], "ROI floor", "Xiaohongshu")
    assert row["this week"] == "**fired 02-23**" and row["action"] == ACTION  # the plan's words, as written


def test_the_newest_mature_cohorts_are_those_mature_on_the_weeks_sunday(written: dict[str, Path]) -> None:
    (cohorts,) = _tables(_sections(written["md"].read_text(encoding="utf-8"))["最新成熟同期群"])
    days = [r[0] for r in cohorts[1:]]
    # D7 retention of a cohort is known 7 days after signup: on Sunday 03-01 the newest is 02-22
    assert days == [str(dt.date(2026, 2, 22) - dt.timedelta(days=i)) for i in range(7)]
    assert all(cell != "—" for row in cohorts[1:] for cell in row)


def test_a_week_the_data_covers_only_in_part_says_so_and_makes_no_comparison(cli: Cli, demo: Path) -> None:
    result = cli("--db", demo, "report", "--plan", DEMO_PLAN, "--week", "2026-W14")  # data ends Tuesday 03-31
    assert result.code == 0, result.err
    assert "评估日 2026-03-31" in result.out and "数据未覆盖整周" in result.out
    users = _row(_tables(result.out)[1], "新增用户")  # the KPIs, after the conclusions
    assert users["上周"] == "—" and users["环比"] == "—"


@pytest.mark.parametrize(
    ("week", "says"),
    [("2026-W60", "2026-W60 is not an ISO week"), ("2026-W20", "no data for 2026-W20"), ("2025-W40", "no data")],
)
def test_a_week_that_does_not_exist_or_has_no_data_is_refused_in_one_line(
    cli: Cli, demo: Path, tmp_path: Path, week: str, says: str
) -> None:
    out = tmp_path / "review.md"
    result = cli("--db", demo, "report", "--plan", DEMO_PLAN, "--week", week, "--out", out)
    assert result.code != 0 and result.out == "" and not out.exists()
    assert len(result.err.strip().splitlines()) == 1 and says in result.err and result.err.startswith("opsplan report:")


def test_html_opens_offline_in_chromium_with_the_weeks_facts_and_charts(
    written: dict[str, Path],
    demo: Path,
    cli: Cli,
    browser,  # noqa: ANN001
) -> None:
    """``browser``: the session's headless /usr/bin/chromium (tests/conftest.py; skipped without it, failed on CI)."""
    from playwright.sync_api import Route

    source = written["html"].read_text(encoding="utf-8")
    assert "<script" not in source.lower()  # static: tables and inline SVG
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", source)
    attempted: list[str] = []

    def guard(route: Route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.route("**/*", guard)
        page.goto(written["html"].as_uri(), wait_until="load")
        body = page.inner_text("body")
        kpi_rows = page.locator("#kpis tbody tr").all_inner_texts()
        flag_rows = page.locator("#flags tbody tr").all_inner_texts()
        svgs = page.locator("figure svg")
        boxes = [svgs.nth(i).bounding_box() for i in range(svgs.count())]
        marks = page.locator("figure svg path, figure svg rect, figure svg line").count()
        worse = [r.split("\t")[0] for r in page.locator("#why tbody tr").all_inner_texts()]
        worse = [
            w
            for w, tone in zip(
                worse,
                page.locator("#why tbody tr td:nth-child(2)").evaluate_all("cells => cells.map(c => c.className)"),
                strict=True,
            )
            if "bad" in tone
        ]
        waterfalls = page.locator("#why figure figcaption").all_inner_texts()
    finally:
        context.close()
    assert attempted == []  # nothing outside the file was asked for

    assert "2026 Q1 增长计划 · 周报 2026-W09" in body and "总体状态：严重" in body
    # the why section's waterfalls: the first two KPIs that got worse, each from last week to this week by channel
    assert waterfalls == [f"{label}：上周 → 本周，按渠道" for label in worse[:2]] and len(waterfalls) == 2
    now, before = _facts(demo, WEEK), _facts(demo, BEFORE)
    cells = {r.split("\t")[0]: r.split("\t") for r in kpi_rows}
    for metric in ("new_users", "revenue", "paying_users", "spend"):
        label = get_metric(metric).label("zh")
        assert cells[label][1:3] == [_fmt(metric, now[metric]), _fmt(metric, before[metric])], metric
    from opsplan.plan.evaluate import Status

    for t in _targets(cli, demo, "2026-03-01")["targets"]:
        assert t["reason"] in body and Status(t["status"]).label("zh") in body
    xhs = [r.split("\t") for r in flag_rows if r.startswith("ROI 止损线\t小红书")]
    assert len(xhs) == 1 and xhs[0][2] == "02-23 触发" and xhs[0][3] == "触发" and xhs[0][-1] == ACTION
    # the charts rendered: new users and DAU trends, the worst targets' pace, channel ROI
    assert len(boxes) >= 5
    assert all(box is not None and box["width"] > 200 and box["height"] > 100 for box in boxes), boxes
    assert marks > 50


@pytest.mark.parametrize(
    ("now", "tz", "week"),
    [
        ("2026-03-02T08:00:00+08:00", "Asia/Shanghai", "2026-W09"),  # Monday morning: the week that just ended
        ("2026-03-08T23:59:00+08:00", "Asia/Shanghai", "2026-W09"),  # still Sunday of W10: last week is W09
        ("2026-03-01T20:00:00+00:00", "Asia/Shanghai", "2026-W09"),  # Monday 04:00 in Shanghai ...
        ("2026-03-01T20:00:00+00:00", "UTC", "2026-W08"),  # ... but Sunday in UTC
        ("2026-01-05T09:00:00+08:00", "Asia/Shanghai", "2026-W01"),  # across the year: W01 of 2026 began Dec 29
        ("2026-01-04T09:00:00+08:00", "Asia/Shanghai", "2025-W52"),
    ],
)
def test_last_week_is_the_week_before_today_in_the_warehouse_zone(now: str, tz: str, week: str) -> None:
    from opsplan.report.weekly import last_week

    assert last_week(tz, dt.datetime.fromisoformat(now)) == week


def test_report_week_last_is_the_review_of_the_week_that_just_ended(
    cli: Cli, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPSPLAN_NOW", "2026-03-02T08:00:00+08:00")  # a Monday cron in the demo's Shanghai zone
    last = cli("--db", demo_db, "report", "--plan", DEMO_PLAN, "--week", "last")
    named = cli("--db", demo_db, "report", "--plan", DEMO_PLAN, "--week", "2026-W09")
    assert last.code == named.code == 0, last.err
    assert last.out == named.out and "2026-W09" in last.out
    with pytest.raises(SystemExit) as refused:  # argparse's usage error, exit 2
        cli("--db", demo_db, "report", "--plan", DEMO_PLAN, "--week", "lastweek")
    assert refused.value.code == 2


def test_next_weeks_actions_come_from_the_plan_with_their_owners(written: dict[str, Path]) -> None:
    """W09 of the demo: 小红书's ROI floor fires, and 李四 owns the plan's 小红书 initiative on 7-day ROI; 微信朋友圈's
    fires too, and no initiative moves its ROI: the owner is said to be missing, not left blank or guessed from
    another channel; new users (plan-wide, at risk) belong to the owners of both new-user initiatives."""
    (table,) = _tables(_sections(written["md"].read_text(encoding="utf-8"))["下周行动"])
    assert table[0] == ["事项", "行动（来自计划）", "负责人"]
    rows = {r[0].strip("*"): r for r in table[1:]}
    assert rows["ROI 止损线 · 小红书"][1:] == ["暂停投放，优化素材后再测试", "李四"]
    assert rows["ROI 止损线 · 微信朋友圈"][2] == "未指定（计划中没有对应举措）"
    assert rows["新增用户 · 有风险"][1:] == [
        "转化层偏低：落地页或注册流程阻力大 — 简化落地页，缩短注册步骤",
        "张三、吴九",
    ]
