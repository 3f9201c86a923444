"""The Channels drill by click in a real browser (issue 12): a row of the table, then a row, then a day opens that
day's cohort; a point of the ROI-by-cohort-day chart opens its cohort; each step is a URL, so a shared link reopens
the same view and the browser's Back steps up again, one level per step."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsplan import fmt
from opsplan.screens import cohort as ch
from opsplan.store.warehouse import Warehouse, read_connection
from opsplan.words import channel_label, t
from tests.e2e.conftest import Server, demo_server, settle
from tests.e2e.test_browser import SHOTS, _no_error

pytestmark = pytest.mark.e2e

RANGE = "from=2026-03-04&to=2026-03-31"  # the demo's data runs through 2026-03-31
ROW = 35  # the height of a header and of a row of st.dataframe's grid, in CSS pixels


@pytest.fixture(scope="module")
def drill_server(tmp_path_factory: pytest.TempPathFactory, demo_db: Path) -> Iterator[Server]:
    yield from demo_server(tmp_path_factory, demo_db, "e2e-drill")


def _heading(page) -> str:  # noqa: ANN001
    """The page's current level: the first subheader of the main area."""
    return page.get_by_test_id("stMain").locator("h3").first.inner_text()


def _click_row(page, row: int) -> None:  # noqa: ANN001
    """Click a cell of the first table's ``row`` (0 = the first data row): the grid is a canvas, so by position.
    A click that lands while the grid is still drawing (a busy machine) does nothing: clicked again, at most 3
    times, until the URL changes."""
    before = page.url
    for _ in range(3):
        grid = page.get_by_test_id("stDataFrame").first
        grid.wait_for(state="visible")
        page.wait_for_timeout(1500)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 120, box["y"] + ROW * (row + 1) + ROW / 2)
        settle(page)
        if page.url != before:
            return


def _param(page, name: str) -> str | None:  # noqa: ANN001
    found = re.search(rf"[?&]{name}=([^&]+)", page.url)
    return found.group(1) if found else None


def _roi_to_date(db: Path, day: dt.date, channel: str, campaign: str | None) -> str:
    """The cohort's 'ROI to date' card as the engine computes it (opsplan.screens.cohort over the warehouse)."""
    where, params = ch.cohort_where(day, channel, campaign)
    with read_connection(Warehouse(db)) as con:
        head = con.execute(ch.spend_sql(where), params * 2).fetchdf()
        curve = con.execute(ch.curve_sql(where), params * 2).fetchdf()
        through = con.execute("SELECT data_through FROM data_through").fetchone()[0]
    c = ch.cohort(day, through, curve, float(head["spend"].iloc[0]), int(head["payers"].iloc[0]))
    return fmt.value("ratio", c.roi)


def test_rows_drill_down_to_a_cohort_a_link_reopens_it_and_back_steps_up(browser, drill_server: Server) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    try:
        page.goto(f"{drill_server.url}/channels?{RANGE}")
        settle(page)
        assert _heading(page) == t("channels.by_channel", "zh")
        _click_row(page, 0)  # the biggest spender first: 小红书 in the demo
        channel = _param(page, "channel")
        assert channel == "xiaohongshu"
        assert _heading(page) == t("channels.by_campaign", "zh", channel=channel_label("xiaohongshu", "zh"))
        _click_row(page, 0)  # its biggest campaign
        campaign = _param(page, "campaign")
        assert campaign and _heading(page).startswith("活动 ")
        campaign_heading = _heading(page)
        _click_row(page, 2)  # the days, the latest first: the third is 2026-03-29
        assert _param(page, "day") == "2026-03-29" and _param(page, "channel") == "xiaohongshu"
        cohort_heading = _heading(page)
        assert cohort_heading.startswith("2026-03-29 的新用户 · 小红书 · ")
        body = page.inner_text("body")
        assert "累计ROI" in body and "这批用户" in body and "按注册后天数的累计 ROI" in body
        roi = _roi_to_date(drill_server.db, dt.date(2026, 3, 29), "xiaohongshu", campaign)
        card = page.get_by_test_id("stMetric").filter(has_text="累计ROI").first.inner_text()
        assert card.split("\n")[-1] == roi
        _no_error(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "channels-cohort-zh.png"), full_page=True)

        # the link of this step, opened afresh, is the same view
        shared = browser.new_page(viewport={"width": 1440, "height": 1400})
        try:
            shared.goto(page.url)
            settle(shared)
            assert _heading(shared) == cohort_heading
            assert shared.get_by_test_id("stMetric").filter(has_text="累计ROI").first.inner_text() == card
        finally:
            shared.close()

        # Back steps up one level per step: the days, the campaigns, every channel
        page.go_back()
        settle(page)
        assert _param(page, "day") is None and _heading(page) == campaign_heading
        page.go_back()
        settle(page)
        assert _param(page, "campaign") is None and _param(page, "channel") == "xiaohongshu"
        assert _heading(page) == t("channels.by_campaign", "zh", channel=channel_label("xiaohongshu", "zh"))
        page.go_back()
        settle(page)
        assert _param(page, "channel") is None and _heading(page) == t("channels.by_channel", "zh")
        _no_error(page)
    finally:
        page.close()


def test_a_point_of_the_roi_chart_opens_its_cohort_and_back_returns(browser, drill_server: Server) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    try:
        page.goto(f"{drill_server.url}/channels?channel=douyin&campaign=douyin_feed&{RANGE}&lang=en")
        settle(page)
        days_heading = _heading(page)
        chart = page.get_by_test_id("stVegaLiteChart").first
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        page.mouse.click(box["x"] + box["width"] - 12, box["y"] + 100)  # the nearest point to the click is picked
        settle(page)
        day = _param(page, "day")
        assert day is not None, page.url
        picked = dt.date.fromisoformat(day)
        # a mature 7-day cohort of the range: 03-04 .. 03-25 (data through 03-31); the click was at the right end
        assert dt.date(2026, 3, 18) <= picked <= dt.date(2026, 3, 25)
        assert _heading(page).startswith(f"Cohort of {day} · Douyin · ")
        card = page.get_by_test_id("stMetric").filter(has_text="ROI to date").first.inner_text()
        assert card.split("\n")[-1] == _roi_to_date(drill_server.db, picked, "douyin", "douyin_feed")
        _no_error(page)
        page.go_back()
        settle(page)
        assert _param(page, "day") is None and _heading(page) == days_heading
    finally:
        page.close()
