"""Page tests: Streamlit's AppTest runs app.py (which owns navigation, login and filters) on a copy of the
hand-computed fixture warehouse and the fixture plan; each test switches to its page."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from opsplan.store.warehouse import Warehouse
from tests.conftest import FIXTURE_MORNING
from tests.views.conftest import build_fixture

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
FIXTURE_PLAN = Path(__file__).with_name("fixture_plan.yaml")


@pytest.fixture(scope="session")
def _ui_fixture(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    return build_fixture(tmp_path_factory.mktemp("ui"), "Asia/Shanghai")


@pytest.fixture
def app(_ui_fixture: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``app("pages/today.py", lang="en", channel="douyin", range=(d1, d2))``: the page run, ready to inspect.

    The global filters go in through session state (their widget keys: lang, range, channel, campaign):
    AppTest has no browser, so the URL binding of those widgets is tested end to end in a real one."""
    db = tmp_path / "fixture.duckdb"
    shutil.copyfile(_ui_fixture.path, db)
    monkeypatch.setenv("OPSPLAN_DB", str(db))
    monkeypatch.setenv("OPSPLAN_PLAN", str(FIXTURE_PLAN))
    # the morning after the fixture's last day (data through 01-13): the data is current, no stale notice
    monkeypatch.setenv("OPSPLAN_NOW", FIXTURE_MORNING)

    def run(page: str, **state: object) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        if page != "pages/today.py":
            at.switch_page(page)
            at.run()
        return at

    return run
