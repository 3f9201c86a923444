"""Fixtures shared across the suite. Keep this small: data builders live in tests/builders.py."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from opsplan.cli.commands import main
from tests.builders import seed_warehouse


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


Cli = Callable[..., CliResult]


#: the morning after the last day of the hand-computed fixtures (data through 2026-01-13, Asia/Shanghai)
FIXTURE_MORNING = "2026-01-14T09:00:00+08:00"


@pytest.fixture(autouse=True, scope="session")
def _no_engine_from_the_shell() -> None:
    """A ``$OPSPLAN_ENGINE_URL`` in the developer's shell must not move every test warehouse to ClickHouse: the
    ClickHouse tests set it themselves (tests/engines.py, ``on_engine``)."""
    os.environ.pop("OPSPLAN_ENGINE_URL", None)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """``cli("--db", db, "load", "users", path)``: ``opsplan`` in this process; its code and output.

    The clock is pinned to the morning after the fixtures' last day, so a check without --date judges current
    data (a test of stale data sets $OPSPLAN_NOW itself)."""
    monkeypatch.setenv("OPSPLAN_NOW", FIXTURE_MORNING)

    def run(*argv: str | Path) -> CliResult:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_warehouse(tmp_path_factory.mktemp("seeded"), tz="Asia/Shanghai").path


@pytest.fixture
def seeded_db(_seeded_template: Path, tmp_path: Path) -> Path:
    """A private copy of a warehouse (Asia/Shanghai) holding rows in every table of the contract."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(_seeded_template, db)
    return db


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo quarter (seed 7, 20k users, 2026-01-01 .. 03-31), built once; copy it before writing."""
    from opsplan.demo.dataset import load_demo
    from opsplan.store.warehouse import Warehouse

    wh = Warehouse(tmp_path_factory.mktemp("demo") / "demo.duckdb")
    load_demo(wh)
    return wh.path


DEMO_PLAN = Path(__file__).resolve().parents[1] / "data" / "demo_plan.yaml"


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201
    """Debian's headless Chromium through Playwright, one per test session (Playwright's sync API allows one)."""
    import os

    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs /usr/bin/chromium (Debian's chromium package); .ci/run installs it")
        pytest.skip("no /usr/bin/chromium here (apt-get install chromium) — the browser tests need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
