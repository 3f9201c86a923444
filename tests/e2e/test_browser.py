"""The dashboard in a real browser: `streamlit run app.py` on an empty warehouse (it loads the demo by itself),
every page in both languages, a filter carried in the URL (the drill by click: test_drill.py), a bad
upload refused, and the login guarding a page opened by its direct URL. Screenshots go to docs/screenshots/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from opsplan.store.loading import row_counts
from opsplan.store.warehouse import Warehouse
from opsplan.words import channel_label, t
from tests.e2e.conftest import ROOT, Server, page_text, settle, start_server
from ui.auth import hash_password

pytestmark = pytest.mark.e2e

PAGES = ["today", "goals", "channels", "retention", "users", "budget", "initiatives", "alerts", "review", "data"]
#: a label from the metric registry or the page's own words that each page must show
KEY_LABELS = {
    "zh": {
        "today": "昨日核心指标",
        "goals": "目标一览",
        "channels": "转化漏斗",
        "retention": "次日留存率",
        "users": "月活(MAU)",
        "budget": "计划与实际",
        "initiatives": "已结束 → ",  # the quarter is over: every finished initiative is final
        "alerts": "逐日历史",
        "review": "本周结论",  # the report's own heading (inside its iframe), not the page's sentence
        "data": "上传文件",
    },
    "en": {
        "today": "Yesterday's KPIs",
        "goals": "All targets",
        "channels": "Funnel",
        "retention": "D1 retention",
        "users": "MAU",
        "budget": "Planned vs actual",
        "initiatives": "is over → ",
        "alerts": "Day by day",
        "review": "This week's conclusions",
        "data": "Upload files",
    },
}
SHOTS = ROOT / "docs" / "screenshots"
FRIENDLY = ("这个页面出错了", "Something went wrong")


def _open(browser, url: str):  # noqa: ANN001, ANN202
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page.goto(url)
    settle(page)
    return page


def _no_error(page) -> None:  # noqa: ANN001
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.inner_text("body")
    assert not any(f in body for f in FRIENDLY), body[:2000]
    assert "Page not found" not in body


def test_first_visit_loads_the_demo_and_says_so(browser, server: Server) -> None:  # noqa: ANN001
    page = _open(browser, server.url)
    try:
        _no_error(page)
        assert t("app.demo_loaded", "zh")[:20] in page.inner_text("body")
        assert row_counts(Warehouse(server.db))["users"] == 20_000
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_in_both_languages(browser, server: Server, lang: str) -> None:  # noqa: ANN001
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 1800})
    try:
        for name in PAGES:
            path = "" if name == "today" else name  # the default page lives at the root URL
            page.goto(f"{server.url}/{path}?lang={lang}")
            settle(page)
            _no_error(page)
            title = page.locator("h1").first.inner_text()
            assert title.startswith(t(f"nav.{name}", lang)), (name, title)
            body = page_text(page)  # the review's report is in an iframe
            assert KEY_LABELS[lang][name] in body, (name, lang)
            page.screenshot(path=str(SHOTS / f"{name}-{lang}.png"), full_page=True)
    finally:
        page.close()


def test_a_channel_in_the_url_is_the_channel_selected(browser, server: Server) -> None:  # noqa: ANN001
    page = _open(browser, f"{server.url}/channels?channel=xiaohongshu")
    try:
        _no_error(page)
        chosen = page.get_by_test_id("stSidebar").get_by_role("combobox", name=t("app.channel", "zh"), exact=True)
        assert chosen.input_value() == channel_label("xiaohongshu", "zh")
        assert "channel=xiaohongshu" in page.url  # the app keeps it in the URL: the link can be shared
    finally:
        page.close()


def test_a_bad_link_says_what_it_ignored_and_every_link_pins_its_dates(browser, server: Server) -> None:  # noqa: ANN001
    page = _open(browser, f"{server.url}/channels?channel=nonexistent&from=2026-03-31&to=2026-03-01")
    try:
        _no_error(page)
        body = page.inner_text("body")
        assert "链接里有无法打开的部分，已改用默认" in body
        assert "渠道 nonexistent（数据中没有这个渠道）" in body
        assert "日期 2026-03-31 至 2026-03-01" in body
        # the default range it fell back to is in the URL now: a link copied from here reopens these days
        assert "from=2026-03-04" in page.url and "to=2026-03-31" in page.url and "nonexistent" not in page.url
    finally:
        page.close()


def test_a_filter_in_the_url_opens_the_same_view(browser, server: Server) -> None:  # noqa: ANN001
    page = _open(browser, f"{server.url}/channels?channel=douyin&lang=en&from=2026-02-01&to=2026-02-28")
    try:
        body = page.inner_text("body")
        assert "Campaigns of Douyin" in body
        assert "2026-01-04 – 2026-01-31" in body  # the previous period of the same length as February
        assert "channel=douyin" in page.url and "from=2026-02-01" in page.url
    finally:
        page.close()


def test_a_bad_upload_is_refused_with_row_and_column_and_changes_nothing(
    browser,
    server: Server,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    bad = tmp_path / "投放数据.csv"
    bad.write_text(
        "date,channel,campaign_id,spend,impressions,clicks\n2026-04-01,douyin,douyin_feed,-50,1000,10\n",
        encoding="gbk",
    )
    before = row_counts(Warehouse(server.db))
    page = _open(browser, f"{server.url}/data")
    try:
        page.get_by_test_id("stSelectbox").filter(has_text="导入到哪张表").first.click()
        page.get_by_role("option", name=t("table.ad_spend", "zh"), exact=True).click()  # 广告花费: tables by label
        page.locator('[data-testid="stFileUploader"] input[type=file]').first.set_input_files(str(bad))
        page.wait_for_timeout(1000)
        page.get_by_role("button", name="校验并导入").click()
        settle(page)
        body = page.inner_text("body")
        assert "导入被拒绝，仓库没有任何改动" in body
        table = page.get_by_test_id("stDataFrame").last
        assert table.count() == 1
        page.screenshot(path=str(SHOTS / "data-upload-refused.png"), full_page=True)
    finally:
        page.close()
    assert row_counts(Warehouse(server.db)) == before


def test_a_database_import_that_fails_masks_the_password_and_changes_nothing(
    browser,  # noqa: ANN001
    server: Server,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The import box offers the admin's named connections only; one whose server does not answer says so without
    its URL, password or host, and the warehouse is unchanged."""
    workdir = tmp_path_factory.mktemp("connections")
    shutil.copytree(ROOT / ".streamlit", workdir / ".streamlit")
    (workdir / ".streamlit" / "secrets.toml").write_text(
        'opsplan_auth = "none"\n[connections.team]\nurl = "postgresql+psycopg://ops:s3cret@127.0.0.1:1/team"\n'
        "timeout_seconds = 3\n",
        encoding="utf-8",
    )
    db = workdir / "opsplan.duckdb"
    shutil.copyfile(server.db, db)
    before = row_counts(Warehouse(db))
    for team in start_server(workdir, db):
        page = _open(browser, f"{team.url}/data?lang=en")
        try:
            page.get_by_role("tab", name=t("data.sql", "en")).click()
            settle(page)
            body = page.inner_text("body")
            assert "team" in body and "postgresql" not in body  # picked by name; no URL field, no URL shown
            page.get_by_label(t("data.query", "en"), exact=True).fill("SELECT * FROM spend")
            page.get_by_role("button", name=t("data.run", "en")).click()
            settle(page)
            body = page.inner_text("body")
            assert "connection team: the load was refused and nothing was written" in body
            assert "s3cret" not in body and "127.0.0.1:1" not in body
            log = team.log.read_text(encoding="utf-8")  # the reason (shown in the refusal table) is logged too
            assert "cannot connect" in log and "s3cret" not in log
            _no_error(page)
        finally:
            page.close()
    assert row_counts(Warehouse(db)) == before


def test_with_a_password_a_direct_url_shows_only_the_login(
    browser,
    server: Server,
    tmp_path_factory: pytest.TempPathFactory,  # noqa: ANN001
) -> None:
    workdir = tmp_path_factory.mktemp("locked")
    shutil.copytree(ROOT / ".streamlit", workdir / ".streamlit")
    (workdir / ".streamlit" / "secrets.toml").write_text(
        f'opsplan_password_hash = "{hash_password("运营2026")}"\n', encoding="utf-8"
    )
    db = workdir / "opsplan.duckdb"
    shutil.copyfile(server.db, db)
    for locked in start_server(workdir, db):
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        try:
            page.goto(f"{locked.url}/goals")  # the very first request of a fresh server, by direct URL
            settle(page)
            body = page.inner_text("body")
            assert "登录 OpsPlan" in body and "目标一览" not in body and "今日" not in body
            page.fill("input[type=password]", "wrong")
            page.get_by_role("button", name="登录", exact=True).click()
            settle(page)
            assert "密码不正确" in page.inner_text("body")
            page.fill("input[type=password]", "运营2026")
            page.get_by_role("button", name="登录", exact=True).click()
            settle(page)
            body = page.inner_text("body")
            assert "目标一览" in body and "登录 OpsPlan" not in body
        finally:
            page.close()
