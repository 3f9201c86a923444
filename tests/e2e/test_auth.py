"""The login fails closed, on a real `streamlit run app.py` in real Chromium: a secrets.toml that cannot be parsed
refuses every page; auth = "none" keeps Streamlit from starting; without any secrets the demo opens only on this
machine; wrong passwords make even the right one wait, also in a new tab; OIDC works end to end against a local
provider (tests/e2e/oidc_provider.py) and a forged id_token does not get in; a DNS-rebinding WebSocket handshake
is refused."""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import socket
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, Server, _free_port, settle, start_server
from tests.e2e.oidc_provider import Provider, running
from ui.auth import hash_password

pytestmark = pytest.mark.e2e

PAGES = ["", "goals", "channels", "retention", "users", "budget", "initiatives", "alerts", "review", "data"]
#: words that only the dashboard shows (the Today page's heading and the page names in the sidebar navigation)
DASHBOARD = ("昨日核心指标", "目标一览", "关键举措")
REFUSED = "OpsPlan 拒绝启动"
LOGIN = "登录 OpsPlan"


def _workdir(tmp_path_factory: pytest.TempPathFactory, name: str, demo_db: Path) -> tuple[Path, Path]:
    """A working directory with the project's .streamlit/ and a copy of the demo warehouse."""
    workdir = tmp_path_factory.mktemp(name)
    shutil.copytree(ROOT / ".streamlit", workdir / ".streamlit")
    db = workdir / "opsplan.duckdb"
    shutil.copyfile(demo_db, db)
    return workdir, db


@contextmanager
def _serve_on(workdir: Path, db: Path, port: int, timeout: float = 120) -> Iterator[Server]:
    """start_server on a port chosen beforehand: the OIDC redirect_uri in secrets.toml names it before the start."""
    yield from start_server(workdir, db, timeout, port=port)


def _body(page, url: str) -> str:  # noqa: ANN001
    page.goto(url)
    settle(page)
    return page.inner_text("body")


def test_a_secrets_file_that_cannot_be_parsed_refuses_every_page(
    browser,  # noqa: ANN001
    demo_db: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    workdir, db = _workdir(tmp_path_factory, "broken-secrets", demo_db)
    # the review's case: one missing quote in a password setup, which used to open the app to everyone
    (workdir / ".streamlit" / "secrets.toml").write_text(
        f'opsplan_password_hash = "{hash_password("运营2026")}\n', encoding="utf-8"
    )
    for server in start_server(workdir, db):
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        try:
            for path in PAGES:  # each by its direct URL, the first one on the fresh server
                body = _body(page, f"{server.url}/{path}")
                assert REFUSED in body and ".streamlit/secrets.toml" in body, (path, body)
                assert "无法解析" in body and "line 1" in body
                assert not any(word in body for word in DASHBOARD), (path, body)
                assert page.locator("input[type=password]").count() == 0  # not even a login to try
        finally:
            page.close()
        log = server.log.read_text()
        assert "access configuration refused (auth.unparsable)" in log and "secrets.toml" in log


def test_auth_none_in_secrets_keeps_streamlit_itself_from_starting(
    demo_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Why the deliberate open app is ``opsplan_auth = "none"`` and not ``auth = "none"``: Streamlit 1.67 reads
    ``auth`` as its own [auth] table when the server starts, and a string there stops it (closed, not open)."""
    workdir, db = _workdir(tmp_path_factory, "auth-none", demo_db)
    (workdir / ".streamlit" / "secrets.toml").write_text('auth = "none"\n', encoding="utf-8")
    with pytest.raises(RuntimeError, match="streamlit did not start"):
        next(start_server(workdir, db, timeout=60))
    assert "auth_section" in (workdir / "streamlit.log").read_text()  # it stopped reading [auth], not on a timeout


def _lan_address() -> str | None:
    """This machine's own non-loopback IPv4 address (no packet is sent), or None on a machine without one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.254", 9))
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_without_secrets_the_demo_opens_on_this_machine_and_refuses_a_browser_from_elsewhere(
    browser,  # noqa: ANN001
    demo_db: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lan = _lan_address()
    if lan is None:
        pytest.skip("this machine has no non-loopback IPv4 address to come from")
    workdir, db = _workdir(tmp_path_factory, "no-secrets", demo_db)
    # someone exposes the laptop demo, the way docs/deploy.md overrides settings (environment variables beat
    # .streamlit/config.toml): it listens on every address, accepts the LAN name, and has no secrets.toml
    monkeypatch.setenv("STREAMLIT_SERVER_ADDRESS", "0.0.0.0")
    monkeypatch.setenv("STREAMLIT_SERVER_ALLOWED_HOSTS", f"localhost 127.0.0.1 {lan}")
    for server in start_server(workdir, db):
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        try:
            body = _body(page, f"{server.url}/")  # the laptop's own browser: the demo, saying it is open
            assert "昨日核心指标" in body and "只对本机的浏览器开放" in body
            remote = server.url.replace("127.0.0.1", lan)
            for path in ("", "goals"):  # the same server from another address: refused, on every page
                body = _body(page, f"{remote}/{path}")
                assert REFUSED in body and "不在运行 OpsPlan 的机器上" in body, body
                assert not any(word in body for word in DASHBOARD)
        finally:
            page.close()


def _sign_in(page, password: str) -> str:  # noqa: ANN001
    page.fill("input[type=password]", password)
    page.get_by_role("button", name="登录", exact=True).click()
    settle(page)
    return page.inner_text("body")


def test_wrong_passwords_make_even_the_right_one_wait_also_in_a_new_tab(
    browser,  # noqa: ANN001
    demo_db: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    workdir, db = _workdir(tmp_path_factory, "limited", demo_db)
    (workdir / ".streamlit" / "secrets.toml").write_text(
        f'opsplan_password_hash = "{hash_password("运营2026")}"\n', encoding="utf-8"
    )
    for server in start_server(workdir, db):
        first = browser.new_context(viewport={"width": 1440, "height": 1000})
        second = browser.new_context(viewport={"width": 1440, "height": 1000})
        try:
            page = first.new_page()
            _body(page, f"{server.url}/goals")
            for _ in range(4):
                assert "密码不正确" in _sign_in(page, "wrong") and "等待" not in page.inner_text("body")
            assert "请等待 32 秒" in _sign_in(page, "wrong")  # the 5th wrong one
            body = _sign_in(page, "运营2026")  # the right one, at once: refused without being checked
            assert "请等待" in body and LOGIN in body and "目标一览" not in body
            other = second.new_page()  # a new tab with its own cookies: a new session, the same count
            _body(other, f"{server.url}/goals")
            body = _sign_in(other, "运营2026")
            assert "请等待" in body and "目标一览" not in body
        finally:
            first.close()
            second.close()


def _through_provider(page, server: Server, button: str) -> str:  # noqa: ANN001
    """Click the sign-in (or sign-out) button and follow the redirects until Streamlit sends the browser home."""
    page.get_by_role("button", name=button).click()
    page.wait_for_url(f"{server.url}/", timeout=30_000)
    settle(page)
    return page.inner_text("body")


def test_oidc_login_through_a_local_provider_opens_the_dashboard_and_a_forged_token_does_not(
    browser,  # noqa: ANN001
    demo_db: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    workdir, db = _workdir(tmp_path_factory, "oidc", demo_db)
    port = _free_port()
    provider = Provider(
        client_id="opsplan",
        client_secret=secrets.token_urlsafe(16),
        redirect_uri=f"http://127.0.0.1:{port}/oauth2callback",
        user={"sub": "u-1001", "email": "li.lei@example.com", "name": "Li Lei", "email_verified": True},
    )
    with running(provider):
        (workdir / ".streamlit" / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "{provider.redirect_uri}"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            f'client_id = "{provider.client_id}"\n'
            f'client_secret = "{provider.client_secret}"\n'
            f'server_metadata_url = "{provider.metadata_url}"\n',
            encoding="utf-8",
        )
        with _serve_on(workdir, db, port) as server:
            context = browser.new_context(viewport={"width": 1440, "height": 1000})
            try:
                page = context.new_page()
                body = _body(page, f"{server.url}/goals")  # no login yet, by direct URL: only the login
                assert LOGIN in body and "使用单点登录" in body and not any(w in body for w in DASHBOARD)

                provider.forge = True  # an id_token signed with a key the provider never published
                _through_provider(page, server, "使用单点登录")
                assert "/token" in provider.calls  # the flow reached the code exchange …
                body = _body(page, f"{server.url}/goals")  # … and the forged token got nobody in
                assert LOGIN in body and not any(w in body for w in DASHBOARD)
                assert "OAuth token exchange failed" in server.log.read_text()

                provider.forge = False
                provider.calls.clear()
                body = _through_provider(page, server, "使用单点登录")
                assert "昨日核心指标" in body and "已登录：li.lei@example.com" in body, body
                assert {"/authorize", "/token", "/jwks"} <= set(provider.calls)
                body = _body(page, f"{server.url}/goals")  # direct URLs work now, with the login cookie
                assert "目标一览" in body and LOGIN not in body

                _through_provider(page, server, "退出登录")
                body = _body(page, f"{server.url}/goals")
                assert LOGIN in body and "目标一览" not in body  # signed out: the login again
            finally:
                context.close()


def _handshake(server: Server, host: str) -> str:
    """The status line a WebSocket handshake to /_stcore/stream gets, with the Host and Origin a page at
    ``host`` would send (a DNS-rebinding page sends its own name, resolved to this machine)."""
    port = int(server.url.rsplit(":", 1)[1])
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n"
        f"Origin: http://{host}:{port}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request.encode())
        return s.recv(200).split(b"\r\n")[0].decode()


def test_a_dns_rebinding_websocket_handshake_is_refused(server: Server) -> None:
    assert _handshake(server, "127.0.0.1").startswith("HTTP/1.1 101")  # the app's own address
    assert _handshake(server, "rebind.attacker.example").startswith("HTTP/1.1 403")  # server.allowedHosts
    # Streamlit has no switch for its metrics: they stay open at the app, so nginx blocks them (docs/deploy.md)
    with urllib.request.urlopen(f"{server.url}/_stcore/metrics", timeout=10) as r:
        assert r.status == 200
