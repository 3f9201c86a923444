"""Today's "needs attention" links in a real browser (issue 12): the demo's firing ROI floor on 小红书 opens the
Channels page on 小红书 (the sidebar's channel chosen, the dates of the link kept), a target opens Goals."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsplan.words import channel_label, t
from tests.e2e.conftest import Server, demo_server, settle
from tests.e2e.test_browser import _no_error

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def today_server(tmp_path_factory: pytest.TempPathFactory, demo_db: Path) -> Iterator[Server]:
    yield from demo_server(tmp_path_factory, demo_db, "e2e-today")


def _param(url: str, name: str) -> str | None:
    found = re.search(rf"[?&]{name}=([^&]+)", url)
    return found.group(1) if found else None


def _follow(page, text: str):  # noqa: ANN001, ANN202 - Playwright's page
    """Click the attention item whose link starts with ``text``; the page it opens (a new tab), settled."""
    link = page.get_by_test_id("stMain").locator("li a").filter(has_text=text).first
    href = link.get_attribute("href")
    with page.context.expect_page() as opened:
        link.click()
    new = opened.value
    settle(new)
    return href, new


def test_a_flag_opens_channels_on_its_channel_and_a_target_opens_goals(browser, today_server: Server) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1440, "height": 1800})
    try:
        page.goto(f"{today_server.url}/?lang=zh&from=2026-03-04&to=2026-03-31")
        settle(page)
        _no_error(page)
        xhs = channel_label("xiaohongshu", "zh")
        href, channels = _follow(page, f"🔴 {t('state.firing', 'zh')}")
        try:
            assert href.startswith("channels?") and _param(href, "channel") == "xiaohongshu"
            _no_error(channels)
            # the Channels page at its campaign level for 小红书, the sidebar's channel set, the link's dates kept
            heading = channels.get_by_test_id("stMain").locator("h3").first.inner_text()
            assert heading == t("channels.by_campaign", "zh", channel=xhs)
            select = channels.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").nth(0)
            assert select.get_by_role("combobox").input_value() == xhs
            assert _param(channels.url, "channel") == "xiaohongshu"
            assert (_param(channels.url, "from"), _param(channels.url, "to")) == ("2026-03-04", "2026-03-31")
        finally:
            channels.close()
        href, goals = _follow(page, f"❌ {t('status.missed', 'zh')}")
        try:
            assert href.startswith("goals?") and _param(href, "channel") is None
            _no_error(goals)
            assert goals.locator("h1").first.inner_text().startswith(t("nav.goals", "zh"))
        finally:
            goals.close()
    finally:
        page.close()
