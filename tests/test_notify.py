"""`opsplan check --notify URL` against a real HTTP server on localhost (http.server in a thread, on a free
port, recording every request): each platform's payload, the format detected from the webhook's host, a
server that fails, refuses, is slow, answers garbage or is not there at all. The check's verdict and its
rule history never depend on the notification. Data: the seven-user fixture, numbers in test_check_cli.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from opsplan.plan.check import CheckResult, Flag, rule_history
from opsplan.plan.notify import LIMITS, detect_format, payload
from opsplan.plan.stoploss import RuleState
from opsplan.store.warehouse import Warehouse
from tests.conftest import Cli, CliResult
from tests.plan.helpers import plan_from
from tests.test_check_cli import ACTION, HEAD, build_fixture_db, new_users, spend_all, write_plan

PER_CHANNEL = (
    '  - {id: spend_channel, metric: spend, per: channel, when: "> 60", for_days: 2, severity: warning,\n'
    "     action: 检查素材与定向}\n"
)
#: 2026-01-06: the critical rule fires for the product, the warning rule fires for douyin and is pending for
#: xiaohongshu; 5 new users with a forecast of 67.5 against 200 (34%) is off track → exit 2
SUMMARY_ZH = [
    "春季计划 · 2026-01-06 · CRITICAL",
    f"🔴 花费 = ¥180.00，规则 > ¥90.00，触发（自 2026-01-05，连续 2 天） → {ACTION}",
    "🔴 花费（抖音） = ¥100.00，规则 > ¥60.00，触发（自 2026-01-05，连续 2 天） → 检查素材与定向",
    "🟡 花费（小红书） = ¥80.00，规则 > ¥60.00，观察中（自 2026-01-06，连续 1 天） → 检查素材与定向",
    "• 新增用户累计 5 / 目标 200（2%），时间已过 7%；按近2天日均，期末预计 67.5（34%）→ 落后",
]
SUMMARY_EN = [
    "春季计划 · 2026-01-06 · CRITICAL",
    f"🔴 Spend = ¥180.00, rule > ¥90.00: firing since 2026-01-05 (2 day(s) in a row) → {ACTION}",
    "🔴 Spend (Douyin) = ¥100.00, rule > ¥60.00: firing since 2026-01-05 (2 day(s) in a row) → 检查素材与定向",
    "🟡 Spend (Xiaohongshu) = ¥80.00, rule > ¥60.00: pending since 2026-01-06 (1 day(s) in a row) → 检查素材与定向",
    "• New users 5 of 200 (2%) with 7% of the period gone; at the last 2 days' pace 67.5 (34%) by the end → off track",
]


@dataclass
class Hook:
    """A webhook receiver. ``statuses``: the HTTP status of each answer in turn (the last one repeats);
    ``answer``: the body; ``delay``: seconds before answering. Records method, path, headers and JSON body."""

    url: str = ""
    requests: list[dict[str, object]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=lambda: [200])
    answer: bytes = b'{"code": 0, "msg": "success"}'
    delay: float = 0.0
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def bodies(self) -> list[object]:
        return [r["json"] for r in self.requests]


@pytest.fixture
def hook() -> Iterator[Hook]:
    state = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "json": json.loads(raw.decode("utf-8")),
                }
            )
            status = state.statuses[min(len(state.requests), len(state.statuses)) - 1]
            if state.delay:
                state.release.wait(state.delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(state.answer)))
                self.end_headers()
                self.wfile.write(state.answer)
            except OSError:
                pass  # the client stopped waiting (the timeout test)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_db(tmp_path_factory.mktemp("notify"))


@pytest.fixture
def db(_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "notify.duckdb"
    shutil.copyfile(_template, path)
    return path


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return write_plan(tmp_path, spend_all(), PER_CHANNEL, new_users(200))


def check(cli: Cli, db: Path, plan: Path, url: str, *extra: str, date: str = "2026-01-06") -> CliResult:
    return cli("--db", db, "check", "--plan", plan, "--date", date, "--notify", url, *extra)


def text_of(body: dict[str, object]) -> str:
    """The summary inside any platform's payload."""
    if "content" in body:
        return body["content"]["text"]
    if "markdown" in body:
        markdown = body["markdown"]
        return markdown["content"] if "content" in markdown else markdown["text"].replace("\n\n", "\n")
    return body["summary"] if "summary" in body else body["text"].replace("&gt;", ">")


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- each platform's payload

SHAPES = {
    # Feishu / Lark custom bot: {"msg_type": "text", "content": {"text": …}}
    "feishu": lambda text: {"msg_type": "text", "content": {"text": text}},
    "lark": lambda text: {"msg_type": "text", "content": {"text": text}},
    # DingTalk robot: markdown needs a title; a single newline is not a line break there
    "dingtalk": lambda text: {
        "msgtype": "markdown",
        "markdown": {"title": "春季计划", "text": text.replace("\n", "\n\n")},
    },
    # WeCom group robot: {"msgtype": "markdown", "markdown": {"content": …}}
    "wecom": lambda text: {"msgtype": "markdown", "markdown": {"content": text}},
    # Slack incoming webhook: {"text": …} (blocks optional), with &, < and > escaped as Slack asks
    "slack": lambda text: {"text": text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")},
}


@pytest.mark.parametrize("fmt", sorted(SHAPES))
def test_each_platform_gets_its_webhook_shape(cli: Cli, db: Path, plan: Path, hook: Hook, fmt: str) -> None:
    r = check(cli, db, plan, hook.url + "/open-apis/bot/v2/hook/t0ken?sign=abc", "--notify-format", fmt)
    assert (r.code, r.err) == (2, "")  # posted, and the verdict is the check's own
    (request,) = hook.requests
    assert (request["method"], request["path"]) == ("POST", "/open-apis/bot/v2/hook/t0ken?sign=abc")
    assert request["headers"]["content-type"] == "application/json; charset=utf-8"
    assert request["json"] == SHAPES[fmt]("\n".join(SUMMARY_ZH))


def test_the_summary_follows_lang(cli: Cli, db: Path, plan: Path, hook: Hook) -> None:
    r = check(cli, db, plan, hook.url, "--notify-format", "slack", "--lang", "en")
    assert r.code == 2 and hook.bodies() == [SHAPES["slack"]("\n".join(SUMMARY_EN))]


def test_the_json_format_carries_the_whole_check(cli: Cli, db: Path, plan: Path, hook: Hook) -> None:
    r = check(cli, db, plan, hook.url + "/ops", "--notify-format", "json", "--format", "json")
    assert r.code == 2 and r.err == ""
    (body,) = hook.bodies()
    assert set(body) == {"summary", "check", "table"}
    assert body["summary"] == "\n".join(SUMMARY_ZH)
    assert body["check"] == json.loads(r.out)  # the same object `--format json` prints
    assert body["table"].splitlines()[0] == "每日检查 2026-01-06（数据截至 2026-01-13）— 状态：严重（CRITICAL）"


@pytest.mark.parametrize(
    ("date", "code", "last"), [("2026-01-07", 0, "一切正常"), ("2026-01-05", 1, "🟡 花费 = ¥100.00")]
)
def test_a_quiet_day_says_so(cli: Cli, db: Path, tmp_path: Path, hook: Hook, date: str, code: int, last: str) -> None:
    r = check(cli, db, write_plan(tmp_path, spend_all()), hook.url, "--notify-format", "wecom", date=date)
    assert r.code == code
    (body,) = hook.bodies()
    head, *rest = body["markdown"]["content"].splitlines()
    assert head == f"春季计划 · {date} · {['OK', 'WARNING'][code]}" and rest[0].startswith(last)


@pytest.mark.parametrize(
    ("lang", "why"),
    [("zh", "2026-01-14 没有数据：数据截至 2026-01-13"), ("en", "no data for 2026-01-14: data runs to 2026-01-13")],
)
def test_an_unknown_check_is_not_reported_all_clear(
    cli: Cli, db: Path, plan: Path, hook: Hook, lang: str, why: str
) -> None:
    r = check(cli, db, plan, hook.url, "--notify-format", "json", "--lang", lang, date="2026-01-14")
    assert r.code == 3
    (body,) = hook.bodies()
    assert body["summary"] == f"春季计划 · 2026-01-14 · UNKNOWN\n{why}"
    assert body["check"]["status"] == "unknown"


# ---------------------------------------------------------------- the format from the webhook's host


@pytest.mark.parametrize(
    ("url", "fmt"),
    [
        ("https://open.feishu.cn/open-apis/bot/v2/hook/x", "feishu"),
        ("https://OPEN.FEISHU.CN/open-apis/bot/v2/hook/x", "feishu"),
        ("https://open.larksuite.com/open-apis/bot/v2/hook/x", "lark"),
        ("https://oapi.dingtalk.com/robot/send?access_token=x", "dingtalk"),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", "wecom"),
        ("https://hooks.slack.com/services/T0/B0/x", "slack"),
        ("http://127.0.0.1:9/anything", "json"),
        ("https://hooks.example.com/feishu/slack", "json"),  # the path does not count
        ("https://open.feishu.cn.example.org/hook", "json"),  # nor a look-alike host
        ("https://myslack.com/hook", "json"),
    ],
)
def test_detect_format_reads_the_host(url: str, fmt: str) -> None:
    assert detect_format(url) == fmt


@pytest.fixture
def via_proxy(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hook]:
    """Route plain-http requests through the recording server as a forward proxy, so a webhook URL on the
    platform's real host (never contacted) reaches it: the request line then holds the absolute URL."""
    for name in ("no_proxy", "NO_PROXY", "HTTP_PROXY", "REQUEST_METHOD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", hook.url)
    urllib.request.install_opener(None)  # urlopen builds its opener (and reads the proxy) on first use
    yield hook
    urllib.request.install_opener(None)


@pytest.mark.parametrize(
    ("url", "keys"),
    [
        ("http://open.feishu.cn/open-apis/bot/v2/hook/t0ken", {"msg_type", "content"}),
        ("http://open.larksuite.com/open-apis/bot/v2/hook/t0ken", {"msg_type", "content"}),
        ("http://oapi.dingtalk.com/robot/send?access_token=t0ken", {"msgtype", "markdown"}),
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=t0ken", {"msgtype", "markdown"}),
        ("http://hooks.slack.com/services/T0/B0/t0ken", {"text"}),
        ("http://hooks.example.com/opsplan", {"summary", "check", "table"}),
    ],
)
def test_auto_format_follows_the_webhook_host(
    cli: Cli, db: Path, plan: Path, via_proxy: Hook, url: str, keys: set[str]
) -> None:
    r = check(cli, db, plan, url, "--notify-timeout", "5")  # --notify-format auto is the default
    assert (r.code, r.err) == (2, "")
    (request,) = via_proxy.requests
    assert request["path"] == url and request["headers"]["host"] == url.split("/")[2]
    assert set(request["json"]) == keys and text_of(request["json"]) == "\n".join(SUMMARY_ZH)


# ---------------------------------------------------------------- failures: reported, never the verdict


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_a_failing_server_is_retried_then_reported(cli: Cli, db: Path, plan: Path, hook: Hook) -> None:
    hook.statuses, hook.answer = [500], b"upstream broken"
    r = check(cli, db, plan, hook.url + "/hook/s3cret?access_token=s3cret")
    assert r.code == 2 and r.out.startswith("每日检查 2026-01-06")
    assert len(hook.requests) == 3 and len({json.dumps(b) for b in hook.bodies()}) == 1  # the same post, thrice
    assert _one_line(r.err) == (
        f"opsplan check: notification failed: {hook.url}: HTTP 500 upstream broken after 3 attempt(s)"
    )
    assert "s3cret" not in r.err  # the token in the URL stays out of logs


def test_a_server_that_recovers_gets_the_post(cli: Cli, db: Path, plan: Path, hook: Hook) -> None:
    hook.statuses = [503, 500, 200]
    r = check(cli, db, plan, hook.url, "--notify-format", "slack")
    assert (r.code, r.err, len(hook.requests)) == (2, "", 3)


def test_a_client_error_is_not_retried(cli: Cli, db: Path, plan: Path, hook: Hook) -> None:
    hook.statuses, hook.answer = [404], b"no_service"  # what Slack answers for a deleted webhook
    r = check(cli, db, plan, hook.url, "--notify-format", "slack")
    assert r.code == 2 and len(hook.requests) == 1
    assert _one_line(r.err) == f"opsplan check: notification failed: {hook.url}: HTTP 404 no_service after 1 attempt(s)"


@pytest.mark.parametrize(
    ("fmt", "answer", "said"),
    [
        ("feishu", b'{"code": 19001, "msg": "param invalid: incoming webhook access token invalid"}', "code 19001"),
        ("dingtalk", b'{"errcode": 310000, "errmsg": "keywords not in content"}', "errcode 310000"),
        ("wecom", b'{"errcode": 93000, "errmsg": "invalid webhook url"}', "errcode 93000"),
    ],
)
def test_a_refusal_in_a_200_answer_is_reported_once(
    cli: Cli, db: Path, plan: Path, hook: Hook, fmt: str, answer: bytes, said: str
) -> None:
    hook.answer = answer
    r = check(cli, db, plan, hook.url, "--notify-format", fmt)
    assert r.code == 2 and len(hook.requests) == 1
    message = json.loads(answer).get("msg") or json.loads(answer)["errmsg"]
    assert f"refused: {said} {message} after 1 attempt(s)" in _one_line(r.err)


def test_a_plain_json_receiver_is_not_judged_by_feishu_codes(cli: Cli, db: Path, plan: Path, hook: Hook) -> None:
    """A team's own receiver may well answer {"code": 200}: for the json format any 2xx is delivered."""
    hook.answer = b'{"code": 200, "msg": "ok"}'
    r = check(cli, db, plan, hook.url, "--notify-format", "json")
    assert (r.code, r.err, len(hook.requests)) == (2, "", 1)


def test_a_slow_server_hits_the_timeout(cli: Cli, db: Path, plan: Path, hook: Hook) -> None:
    hook.delay = 10.0  # released when the test ends
    r = check(cli, db, plan, hook.url, "--notify-timeout", "0.3")
    assert r.code == 2 and len(hook.requests) == 3
    assert _one_line(r.err) == f"opsplan check: notification failed: {hook.url}: timed out after 3 attempt(s)"


def test_a_server_answering_garbage_is_reported_not_a_crash(cli: Cli, db: Path, plan: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]

    def serve() -> None:
        for _ in range(3):
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        r = check(cli, db, plan, f"http://127.0.0.1:{port}/hook")
    finally:
        listener.close()
    assert r.code == 2
    line = _one_line(r.err)
    assert line.startswith(f"opsplan check: notification failed: http://127.0.0.1:{port}: not an HTTP answer")
    assert "BadStatusLine" in line and line.endswith("after 3 attempt(s)")


@pytest.mark.parametrize(
    "url", ["hooks.slack.com/services/T0/B0/hook", "ftp://example.com/hook", "http://:80/hook", "http://x:port/hook"]
)
def test_a_url_that_is_no_webhook_is_reported_and_the_verdict_stands(cli: Cli, db: Path, plan: Path, url: str) -> None:
    r = check(cli, db, plan, url)
    assert r.code == 2
    assert (
        _one_line(r.err)
        == "opsplan check: notification failed: not a webhook URL: it needs http:// or https:// and a host"
    )
    assert "hook" not in r.err.replace("webhook", "")  # the URL is not echoed (its path holds the token)


@pytest.mark.parametrize(("date", "code"), [("2026-01-06", 2), ("2026-01-05", 1), ("2026-01-07", 0)])
def test_a_server_that_is_down_leaves_the_verdict_and_the_history(
    cli: Cli, db: Path, tmp_path: Path, date: str, code: int
) -> None:
    port = free_port()
    r = check(cli, db, write_plan(tmp_path, spend_all()), f"http://127.0.0.1:{port}/hook", date=date)
    assert r.code == code  # the check's own verdict
    assert r.out.startswith(f"每日检查 {date}（数据截至 2026-01-13）")
    line = _one_line(r.err)
    assert line.startswith(f"opsplan check: notification failed: http://127.0.0.1:{port}: ")
    assert "Connection refused" in line and line.endswith("after 3 attempt(s)")
    history = rule_history(Warehouse(db)).sort_values("date")
    days = (dt.date.fromisoformat(date) - dt.date(2026, 1, 5)).days + 1
    assert [str(d) for d in history["date"]] == [f"2026-01-{5 + i:02d}" for i in range(days)]
    assert list(history["state"]) == ["pending", "firing", "resolved"][:days]


# ---------------------------------------------------------------- a long summary fits the platform


def test_a_long_summary_is_cut_to_the_platform_limit() -> None:
    """WeCom takes 4096 bytes of markdown, DingTalk and Feishu about 20 KB: 400 firing campaigns do not fit."""
    day = dt.date(2026, 1, 6)
    flags = tuple(
        Flag(
            "cac_campaign",
            "cac",
            {"campaign": f"c{i:03d}"},
            RuleState.FIRING,
            120.0 + i,
            day,
            "warning",
            "检查落地页与定向",
            "",
            day,
            f"获客成本（c{i:03d}） = {120 + i:.2f}，规则 > 100，触发（自 {day}，连续 3 天）",
            f"CAC (c{i:03d}) = {120 + i:.2f}, rule > 100: firing since {day} (3 day(s) in a row)",
        )
        for i in range(400)
    )
    result = CheckResult(day, day, "warning", flags=flags)
    plan = plan_from(HEAD)
    wecom = payload("wecom", result, plan)["markdown"]["content"]
    assert len(wecom.encode("utf-8")) <= 4096
    lines = wecom.splitlines()
    assert lines[0] == "春季计划 · 2026-01-06 · WARNING" and lines[1].startswith("🔴 获客成本（c000）")
    assert lines[-1] == f"…（另有 {401 - (len(lines) - 1)} 条）"  # 401 lines in all: the head and 400 flags
    for fmt in ("dingtalk", "feishu", "slack"):
        body = payload(fmt, result, plan, "en")
        text = (
            body["markdown"]["text"]
            if fmt == "dingtalk"
            else body["content"]["text"]
            if fmt == "feishu"
            else body["text"]
        )
        assert len(text.encode("utf-8")) <= LIMITS[fmt] and text.endswith(" more)")
    assert payload("json", result, plan)["summary"].count("\n") == 400  # the json format is never cut


def test_a_url_with_control_characters_is_refused_before_sending(cli: Cli, db: Path, plan: Path, hook: Hook) -> None:
    r = check(cli, db, plan, hook.url + "/hook/t0ken\r\nX-Injected: 1")
    assert r.code == 2 and hook.requests == []  # nothing sent, no header smuggled in
    assert (
        _one_line(r.err)
        == f"opsplan check: notification failed: {hook.url}: invalid URL (InvalidURL) after 1 attempt(s)"
    )
