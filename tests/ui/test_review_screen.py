"""The Weekly review on screen is the HTML report itself (its sections, colours and charts), shown in an
iframe so its stylesheet stays inside; the page renders it once per data version, week and language, and
the Markdown only when its download button is clicked. On the hand-computed fixture (tests/views/fixture_data.py,
data 2026-01-05 .. 01-13) and the fixture plan; ISO week 2026-W02 is the last complete week."""

from __future__ import annotations

import os
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from opsplan.handle import load_plan
from opsplan.metrics.registry import get_metric
from opsplan.report.weekly import build_review, weekly_report
from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse
from opsplan.words import t
from tests.builders import write_csv
from tests.ui.conftest import FIXTURE_PLAN
from ui.data_view import lazy_report

App = Callable[..., AppTest]
#: the sections every review holds (a review may hold more, e.g. its conclusions first)
SECTIONS = {"kpis", "why", "actions", "targets", "flags", "channels", "initiatives", "cohorts", "budget"}
EVIL = "<img src=x onerror=alert(1)><script>alert(2)</script>"


class _Tables(HTMLParser):
    """Each table row's cell texts, the section ids and the tone classes of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.sections: list[str] = []
        self.classes: set[str] = set()
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.classes.update((found.get("class") or "").split())
        if tag == "section":
            self.sections.append(found.get("id") or "")
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parsed(page: str) -> _Tables:
    parser = _Tables()
    parser.feed(page)
    return parser


def shown_html(at: AppTest) -> str:
    """The HTML the review page shows (the srcdoc of its one iframe)."""
    frames = at.get("iframe")
    assert len(frames) == 1, "the review page shows its report in one iframe"
    return str(frames[0].proto.srcdoc)


def html_row(page: str, first_cell: str) -> list[str]:
    """The cells of the table row of ``page`` that starts with ``first_cell``."""
    for row in parsed(page).rows:
        if row and row[0] == first_cell:
            return row
    raise AssertionError(f"no row {first_cell!r} in the report")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_review_on_screen_is_the_html_report_with_its_charts(app: App, lang: str) -> None:
    at = app("pages/review.py", lang=lang)
    assert not at.exception
    page = shown_html(at)
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    plan = load_plan(str(FIXTURE_PLAN), wh).plan
    assert plan is not None
    assert page == weekly_report(wh, plan, "2026-W02", fmt="html", lang=lang)  # the same text as the download
    shown = parsed(page)
    built = build_review(wh, plan, "2026-W02", lang)
    assert shown.sections == [x.key for x in built.sections]  # every section of the review, in its order
    assert set(shown.sections) >= SECTIONS
    assert page.count("<svg") >= 2  # the new users and DAU trends at least, drawn inline
    assert "<script" not in page
    assert {"pill", "num"} <= shown.classes  # the status pill and right-aligned numbers: styled, not plain text
    assert html_row(page, get_metric("new_users").label(lang))[1] == "6"  # 2 + 3 + 0 + 1 + 0 + 0 + 0
    assert html_row(page, get_metric("revenue").label(lang))[1] == "¥180.00"  # 30 + 30 + 150 - 30
    assert t("report.trend", lang, label=get_metric("dau").label(lang)) in page  # a chart's caption, in lang
    assert not at.markdown or all("|---|" not in m.value for m in at.markdown)


def test_the_download_buttons_are_the_html_shown_and_a_lazy_markdown(app: App) -> None:
    at = app("pages/review.py", lang="en")
    markdown, html = at.get("download_button")
    assert [markdown.proto.label, html.proto.label] == [t("review.md", "en"), t("review.html", "en")]
    # the Markdown is a deferred file (made when clicked), the HTML the text already rendered for the screen
    assert markdown.proto.HasField("deferred_file_id") and not markdown.proto.url
    assert not html.proto.HasField("deferred_file_id") and html.proto.url.endswith(".html")
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    plan = load_plan(str(FIXTURE_PLAN), wh).plan
    assert plan is not None
    made = lazy_report(wh, "2026-W02", "md", "en")()  # what the click runs
    assert made == weekly_report(wh, plan, "2026-W02", fmt="md", lang="en")
    assert made.startswith("# ") and "|---|" in made


def test_a_campaign_name_cannot_add_markup_to_the_review(app: App, tmp_path: Path) -> None:
    app("pages/data.py")  # the app's own copy of the fixture warehouse
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    header = ("campaign_id", "channel", "name", "phase", "start_date", "end_date")
    rows = [("c1", "douyin", EVIL, "burst", "2026-01-05", "2026-01-12")]
    load(wh, "campaigns", [write_csv(tmp_path / "campaigns.csv", header, rows)])
    at = app("pages/review.py", lang="en")
    assert not at.exception
    page = shown_html(at)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the name is shown, as text
    assert "<img" not in page and "<script" not in page
