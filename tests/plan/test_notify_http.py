"""`opsplan check --notify URL` against a real HTTP server on localhost, for every payload format, a server
that fails, one that is slow, one that refuses in its answer body, and one that is not there at all."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from opsplan.check import rule_history, run_check
from opsplan.notify import NotifyError, detect_format, notify
from opsplan.warehouse import Warehouse
from tests.conftest import Cli
from tests.plan.helpers import day, plan_from
from tests.plan.test_check_exit_codes import HEAD, RULE
from tests.plan.test_stoploss import _build


@dataclass
class Hook:
    """A webhook receiver: records every POST; ``status`` / ``delay`` / ``answer`` say how it replies."""

    url: str
    requests: list[dict[str, object]] = field(default_factory=list)
    status: int = 200
    delay: float = 0.0
    answer: bytes = b'{"code": 0, "msg": "success"}'


@pytest.fixture
def hook() -> Iterator[Hook]:
    state = Hook("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append(
                {"path": self.path, "type": self.headers["Content-Type"], "json": json.loads(body.decode("utf-8"))}
            )
            time.sleep(state.delay)
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(state.answer)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the timeout test)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("notify")).path


@pytest.fixture
def db(_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "notify.duckdb"
    shutil.copyfile(_template, path)
    return path


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + RULE, encoding="utf-8")
    return path


def _firing_check(cli: Cli, db: Path, plan_file: Path, url: str, *extra: str):  # noqa: ANN202
    """2026-01-04: douyin's CAC rule fires (critical) → exit 2."""
    return cli("--db", db, "check", "--plan", plan_file, "--date", "2026-01-04", "--notify", url, *extra)


@pytest.mark.parametrize(
    ("fmt", "shape"),
    [
        ("feishu", lambda p: p["msg_type"] == "text" and isinstance(p["content"]["text"], str)),
        ("lark", lambda p: p["msg_type"] == "text" and isinstance(p["content"]["text"], str)),
        ("dingtalk", lambda p: p["msgtype"] == "markdown" and {"title", "text"} <= set(p["markdown"])),
        ("wecom", lambda p: p["msgtype"] == "markdown" and isinstance(p["markdown"]["content"], str)),
        ("slack", lambda p: isinstance(p["text"], str)),
        ("json", lambda p: p["check"]["status"] == "critical" and isinstance(p["summary"], str)),
    ],
)
def test_each_payload_format_reaches_the_server_in_its_platform_shape(
    cli: Cli, db: Path, plan_file: Path, hook: Hook, fmt: str, shape
) -> None:  # noqa: ANN001
    r = _firing_check(cli, db, plan_file, hook.url + "/hook/abc", "--notify-format", fmt)
    assert r.code == 2 and r.err == ""
    (request,) = hook.requests
    assert request["path"] == "/hook/abc" and request["type"].startswith("application/json")
    body = request["json"]
    assert shape(body)
    text = json.dumps(body, ensure_ascii=False)
    assert "CRITICAL" in text and "暂停投放" in text and "douyin" in text  # verdict, action, where


def test_the_format_follows_the_webhook_host() -> None:
    assert detect_format("https://open.feishu.cn/open-apis/bot/v2/hook/x") == "feishu"
    assert detect_format("https://open.larksuite.com/open-apis/bot/v2/hook/x") == "lark"
    assert detect_format("https://oapi.dingtalk.com/robot/send?access_token=x") == "dingtalk"
    assert detect_format("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x") == "wecom"
    assert detect_format("https://hooks.slack.com/services/T/B/x") == "slack"
    assert detect_format("http://127.0.0.1:9/anything") == "json"


def test_a_failing_server_is_retried_then_reported_and_the_verdict_stands(
    cli: Cli, db: Path, plan_file: Path, hook: Hook
) -> None:
    hook.status = 500
    r = _firing_check(cli, db, plan_file, hook.url)
    assert r.code == 2
    assert len(hook.requests) == 3  # three attempts
    assert "notification failed" in r.err and "HTTP 500" in r.err and len(r.err.strip().splitlines()) == 1


def test_a_refusal_in_the_answer_body_is_reported_without_retrying(
    cli: Cli, db: Path, plan_file: Path, hook: Hook
) -> None:
    hook.answer = b'{"code": 19001, "msg": "param invalid: incoming webhook access token invalid"}'
    r = _firing_check(cli, db, plan_file, hook.url, "--notify-format", "feishu")
    assert r.code == 2 and len(hook.requests) == 1
    assert "19001" in r.err and "token invalid" in r.err


def test_a_slow_server_hits_the_timeout(db: Path, hook: Hook) -> None:
    hook.delay = 1.5
    plan = plan_from(HEAD + RULE)
    result = run_check(Warehouse(db), plan, day("2026-01-04"), keep_history=False)
    started = time.perf_counter()
    with pytest.raises(NotifyError, match="timed out"):
        notify(hook.url, result, plan, timeout=0.3, attempts=2)
    assert len(hook.requests) == 2 and time.perf_counter() - started < 1.5 * 2


def test_a_server_that_is_down_is_reported_and_history_is_still_kept(cli: Cli, db: Path, plan_file: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = _firing_check(cli, db, plan_file, f"http://127.0.0.1:{port}/hook")
    assert r.code == 2  # the check's own verdict
    assert '"status": "critical"' not in r.err and "notification failed" in r.err
    assert len(r.err.strip().splitlines()) == 1 and "refused" in r.err.lower()
    history = rule_history(Warehouse(db))
    assert set(history["date"].astype(str)) >= {"2026-01-04"} and "firing" in set(history["state"])
