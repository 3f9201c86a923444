"""The Weekly review in a real browser (issue 12): the HTML report shows on screen, sized to its content and
with its own style kept inside its frame; the HTML download is that page, and the Markdown one is made when
clicked (a deferred download) and arrives complete."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from opsplan.words import t
from tests.e2e.conftest import Server, demo_server, settle
from tests.e2e.test_browser import _no_error

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def review_server(tmp_path_factory: pytest.TempPathFactory, demo_db: Path) -> Iterator[Server]:
    yield from demo_server(tmp_path_factory, demo_db, "e2e-review")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_review_shows_its_html_and_downloads_both_formats(browser, review_server: Server, lang: str) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1440, "height": 1800}, accept_downloads=True)
    try:
        page.goto(f"{review_server.url}/review?lang={lang}")
        settle(page)
        _no_error(page)
        frame = page.frame_locator("iframe").first
        frame.locator("section#budget").wait_for(timeout=60_000)
        shown = frame.locator("section").count()
        assert shown >= 9  # KPIs, why, actions, targets, flags, channels, initiatives, cohorts, budget
        assert frame.locator("figure svg").count() >= 2  # the KPI trends at least, drawn
        sizes = page.evaluate(
            "() => { const f = document.querySelector('iframe');"
            " return [f.getBoundingClientRect().height, f.contentDocument.documentElement.scrollHeight]; }"
        )
        assert sizes[0] >= sizes[1] - 2 > 1000  # the frame is as tall as the report: no inner scroll bar
        # the report's stylesheet stays in its frame: the app's own headings keep Streamlit's font size
        size = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontSize")
        assert size != "24px"  # the report's h1 is 1.5rem = 24px; the app's title is larger
        texts = {}
        for key, suffix in (("review.md", ".md"), ("review.html", ".html")):
            with page.expect_download(timeout=120_000) as got:
                page.get_by_role("button", name=t(key, lang)).click()
            assert got.value.suggested_filename.endswith(f"-{lang}{suffix}")
            texts[suffix] = Path(got.value.path()).read_text(encoding="utf-8")
        assert texts[".md"].startswith("# ") and "|---|" in texts[".md"]
        assert texts[".html"].startswith("<!doctype html>") and texts[".html"].count("<section") == shown
        title = frame.locator("h1").inner_text()
        assert title in texts[".md"].splitlines()[0]  # one report, two formats
    finally:
        page.close()
