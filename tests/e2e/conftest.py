"""End-to-end fixtures: a real `streamlit run app.py` on a free port, and real headless Chromium (Debian's
/usr/bin/chromium driven by Playwright; `playwright install` cannot download here)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    url: str
    db: Path
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workdir: Path, db: Path, timeout: float = 120, port: int | None = None) -> Iterator[Server]:
    """`streamlit run app.py` with ``workdir`` as its working directory (where .streamlit/ is read), on ``port``
    (a free one unless a test had to name it beforehand, e.g. in an OIDC redirect_uri)."""
    port = port or _free_port()
    log = workdir / "streamlit.log"
    env = {**os.environ, "OPSPLAN_DB": str(db), "PYTHONPATH": str(ROOT)}
    env.pop("OPSPLAN_PLAN", None)
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield Server(url, db, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def demo_server(tmp_path_factory: pytest.TempPathFactory, demo_db: Path, name: str) -> Iterator[Server]:
    """The app on a copy of the demo warehouse (``demo_db``), in a work folder of its own named ``name``."""
    workdir = tmp_path_factory.mktemp(name)
    shutil.copytree(ROOT / ".streamlit", workdir / ".streamlit")
    shutil.copyfile(demo_db, workdir / "demo.duckdb")
    yield from start_server(workdir, workdir / "demo.duckdb")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app on a NEW, EMPTY warehouse: it must load the demo data and demo plan by itself."""
    workdir = tmp_path_factory.mktemp("e2e")
    shutil.copytree(ROOT / ".streamlit", workdir / ".streamlit")
    (workdir / "empty").mkdir()
    yield from start_server(workdir, workdir / "empty" / "opsplan.duckdb")


def settle(page, timeout: float = 90) -> None:  # noqa: ANN001
    """Wait until Streamlit has finished running the script and drawing."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    time.sleep(1.0)
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count()
        skeleton = page.locator('[data-testid="stSkeleton"]').count()
        stale = page.locator('[data-stale="true"]').count()  # the last run's elements, greyed until replaced
        if not running and not skeleton and not stale and page.locator("h1").count():
            break
        time.sleep(0.3)
    time.sleep(1.0)


Open = Callable[[str], object]


def page_text(page) -> str:  # noqa: ANN001
    """The text a reader sees: the page's and that of every frame in it (the weekly review is its HTML report in an
    iframe, whose text ``inner_text("body")`` of the page leaves out)."""
    parts = [page.inner_text("body")]
    parts += [frame.inner_text("body") for frame in page.frames if frame is not page.main_frame]
    return "\n".join(parts)
