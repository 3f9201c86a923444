"""Acknowledging and snoozing a flag from the Alerts page (issue 12), in a real browser: the page marks it,
and the next `opsplan check` has it in its JSON and in the notification it posts."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from opsplan.cli.commands import main
from tests.conftest import DEMO_PLAN
from tests.e2e.conftest import Server, demo_server, settle
from tests.e2e.test_browser import _no_error

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def ack_server(tmp_path_factory: pytest.TempPathFactory, demo_db: Path) -> Iterator[Server]:
    yield from demo_server(tmp_path_factory, demo_db, "e2e-ack")


@pytest.fixture
def posted() -> Iterator[tuple[str, list[dict]]]:
    """A webhook receiver on localhost: (its URL, the JSON bodies posted to it)."""
    bodies: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", bodies
    server.shutdown()
    server.server_close()


def test_snoozing_a_flag_on_the_page_reaches_the_next_check_and_its_notification(
    browser,
    ack_server: Server,
    posted: tuple[str, list[dict]],
    capsys: pytest.CaptureFixture[str],  # noqa: ANN001
) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 1800})
    try:
        page.goto(f"{ack_server.url}/alerts?lang=zh")
        settle(page)
        _no_error(page)
        form = page.locator('[data-testid="stForm"]')
        form.get_by_label("处理说明（写进历史）").fill("已暂停投放，等新素材")
        form.get_by_label("处理人").fill("王芳")
        form.locator('[data-testid="stSelectbox"]').nth(1).click()
        page.get_by_role("option", name="静音 3 天（至 2026-04-03）").click()
        form.get_by_role("button", name="确认").click()
        settle(page)
        _no_error(page)
        body = page.inner_text("body")
        assert "已记录：ROI 止损线 · 小红书 静音 3 天（至 2026-04-03）" in body
        assert "🔕 已静音至 2026-04-03 · 王芳：已暂停投放，等新素材" in body  # the table marks it
    finally:
        page.close()

    url, bodies = posted
    capsys.readouterr()
    code = main(["--db", str(ack_server.db), "check", "--plan", str(DEMO_PLAN), "--format", "json", "--notify", url])
    out = json.loads(capsys.readouterr().out)
    xhs = next(r for r in out["rules"] if r["id"] == "roi_floor" and r["scope"] == {"channel": "xiaohongshu"})
    assert xhs["state"] == "firing" and xhs["snoozed_until"] == "2026-04-03"
    assert xhs["acknowledged"]["by"] == "王芳" and xhs["acknowledged"]["note"] == "已暂停投放，等新素材"
    assert code in (1, 2)  # the snoozed flag no longer counts; targets off track may still
    text = json.dumps(bodies, ensure_ascii=False)
    assert "🔕" in text and "已静音至 2026-04-03 · 王芳：已暂停投放，等新素材" in text
