"""The dashboard on a ClickHouse warehouse (issue 11): the demo loaded into embedded ClickHouse (chdb), the
pages served from the warehouse file's copy of the views, every page rendered in a real browser in both
languages, and the Today and Goals pages saying word for word what they say on the DuckDB demo."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsplan.demo.dataset import load_demo
from opsplan.store import clickhouse
from opsplan.store.status import engine_label, freshness
from opsplan.store.warehouse import Warehouse
from opsplan.words import t
from tests.e2e.conftest import ROOT, Server, demo_server, settle, start_server
from tests.e2e.test_browser import KEY_LABELS, PAGES, SHOTS, _no_error
from tests.engines import on_engine

pytest.importorskip("chdb", reason="chdb (embedded ClickHouse) is not installed: pip install -r requirements.txt")
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def ch_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("e2e-ch")
    shutil.copytree(ROOT / ".streamlit", workdir / ".streamlit")
    wh = Warehouse(workdir / "ch.duckdb")
    with on_engine(f"chdb://{workdir / 'chdb'}"):
        load_demo(wh)
    clickhouse.close_embedded()  # the pages read the file; nothing else may hold the chdb folder
    assert engine_label(wh).startswith("ClickHouse (embedded chdb")
    yield from start_server(workdir, wh.path)


@pytest.fixture(scope="module")
def duck_server(tmp_path_factory: pytest.TempPathFactory, demo_db: Path) -> Iterator[Server]:
    yield from demo_server(tmp_path_factory, demo_db, "e2e-duck")


def _text(browser, server: Server, name: str, lang: str, shot: Path | None = None) -> str:  # noqa: ANN001
    """The page's text (the default page, Today, lives at the root URL)."""
    page = browser.new_page(viewport={"width": 1440, "height": 1800})
    try:
        page.goto(f"{server.url}/{'' if name == 'today' else name}?lang={lang}")
        settle(page)
        _no_error(page)
        if shot is not None:
            page.screenshot(path=str(shot), full_page=True)
        main = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
        return "\n".join([main] + [f.inner_text("body") for f in page.frames if f is not page.main_frame])  # review
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_on_clickhouse(browser, ch_server: Server, lang: str, tmp_path: Path) -> None:  # noqa: ANN001
    for name in PAGES:
        text = _text(browser, ch_server, name, lang, tmp_path / f"{name}-{lang}.png")
        assert KEY_LABELS[lang][name] in text, f"{name} ({lang}) on ClickHouse:\n{text[:1500]}"


#: times of day (a load's, a render's) differ between the two servers; the numbers must not
_CLOCK = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")


@pytest.mark.parametrize("name", ["today", "goals", "channels"])
def test_the_pages_say_the_same_on_both_engines(browser, ch_server: Server, duck_server: Server, name: str) -> None:  # noqa: ANN001
    on_ch = _CLOCK.sub("…", _text(browser, ch_server, name, "zh"))
    on_duck = _CLOCK.sub("…", _text(browser, duck_server, name, "zh"))
    assert on_ch == on_duck


def test_the_data_page_says_clickhouse_and_counts_its_events(browser, ch_server: Server, tmp_path: Path) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    try:
        page.goto(f"{ch_server.url}/data?lang=zh")
        settle(page)
        page.get_by_role("tab", name=t("data.fresh", "zh")).click()
        time.sleep(1.5)
        _no_error(page)
        body = page.inner_text("body")
        assert "计算引擎：ClickHouse（嵌入式 chdb" in body
        page.screenshot(path=str(tmp_path / "data-fresh-zh.png"), full_page=True)
        shutil.copyfile(tmp_path / "data-fresh-zh.png", SHOTS / "data-clickhouse-zh.png")
    finally:
        page.close()
    rows = freshness(Warehouse(ch_server.db)).set_index("table")["rows"]
    assert rows["events"] == 338_502 and rows["orders"] > 0  # what ClickHouse holds, not the file's empty tables
