"""The dashboard on a ClickHouse warehouse (issue 11): the demo loaded into embedded ClickHouse (chdb), the
pages served from the warehouse file's copy of the views, every page rendered in a real browser in both
languages, and the Today and Goals pages saying word for word what they say on the DuckDB demo."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsplan.demo.dataset import load_demo
from opsplan.store import clickhouse
from opsplan.store.status import engine_label
from opsplan.store.warehouse import Warehouse
from tests.e2e.conftest import ROOT, Server, settle, start_server
from tests.e2e.test_browser import KEY_LABELS, PAGES, _no_error
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
    workdir = tmp_path_factory.mktemp("e2e-duck")
    shutil.copytree(ROOT / ".streamlit", workdir / ".streamlit")
    shutil.copyfile(demo_db, workdir / "demo.duckdb")
    yield from start_server(workdir, workdir / "demo.duckdb")


def _text(browser, url: str) -> str:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1440, "height": 1800})
    try:
        page.goto(url)
        settle(page)
        _no_error(page)
        return page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_on_clickhouse(browser, ch_server: Server, lang: str) -> None:  # noqa: ANN001
    for name in PAGES:
        text = _text(browser, f"{ch_server.url}/{name}?lang={lang}")
        assert KEY_LABELS[lang][name] in text, f"{name} ({lang}) on ClickHouse:\n{text[:1500]}"


#: times of day (a load's, a render's) differ between the two servers; the numbers must not
_CLOCK = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")


@pytest.mark.parametrize("name", ["today", "goals", "channels"])
def test_the_pages_say_the_same_on_both_engines(browser, ch_server: Server, duck_server: Server, name: str) -> None:  # noqa: ANN001
    on_ch = _CLOCK.sub("…", _text(browser, f"{ch_server.url}/{name}?lang=zh"))
    on_duck = _CLOCK.sub("…", _text(browser, f"{duck_server.url}/{name}?lang=zh"))
    assert on_ch == on_duck
