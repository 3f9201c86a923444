"""Access control that fails closed. app.py owns navigation: it always calls ``st.navigation`` (hidden before
login, so the pages/ folder is never served on its own) and runs a page only when ``is_allowed()`` — so every
page, also one opened by its direct URL, is behind the login.

What Streamlit secrets (``.streamlit/secrets.toml``) configure decides the mode (docs/deploy.md):

- ``[auth]`` section → OIDC through ``st.login()`` (Streamlit's own flow; needs Authlib).
- ``opsplan_password_hash`` → one shared password, made with ``python -m ui.auth PASSWORD`` (PBKDF2-SHA256,
  ``pbkdf2_sha256$iterations$salt$hash``; the password itself is never stored). Wrong passwords are limited
  per client and server-wide, with a growing wait (``AttemptLimiter``).
- ``opsplan_auth = "none"`` → deliberately open, and the sidebar says so. (Not ``auth = "none"``: Streamlit
  1.67 reads ``auth`` as its own [auth] table and does not start with a string there.)
- No secrets file at all → the laptop demo: open only to a browser on this machine talking to Streamlit
  directly; anyone else gets the refusal.
- Anything else — a file that cannot be parsed, a file without any of the above, an unknown ``auth`` value,
  a malformed hash, ``opsplan_auth = "none"`` next to a login — refuses every page with a message saying what is
  wrong. A mistake in the access configuration never opens the app.
"""

from __future__ import annotations

import base64
import binascii
import getpass
import hashlib
import hmac
import importlib.util
import ipaddress
import logging
import math
import os
import re
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from opsplan.words import t

logger = logging.getLogger("opsplan.auth")

ITERATIONS = 310_000
MAX_ITERATIONS = 10_000_000  # a hash asking for more would make every login attempt a denial of service
HASH_KEY = "opsplan_password_hash"
OPEN_KEY, OPEN = "opsplan_auth", "none"  # opsplan_auth = "none": the explicit, deliberate open app
#: headers a reverse proxy adds: their presence means the browser is not on this machine, whatever the socket says
FORWARDING_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded", "X-Forwarded-Host")


# --- passwords ---------------------------------------------------------------------------------------------


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """PBKDF2-SHA256 with a random salt: what goes into secrets instead of the password."""
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    b64 = base64.b64encode
    return f"pbkdf2_sha256${iterations}${b64(salt).decode()}${b64(digest).decode()}"


def _parse_hash(stored: str) -> tuple[int, bytes, bytes] | None:
    """iterations, salt, digest of a well-formed hash; None for anything else."""
    try:
        scheme, iterations, salt, digest = stored.split("$")
        parsed = int(iterations), base64.b64decode(salt, validate=True), base64.b64decode(digest, validate=True)
    except (ValueError, TypeError, AttributeError, binascii.Error):
        return None
    well_formed = scheme == "pbkdf2_sha256" and 0 < parsed[0] <= MAX_ITERATIONS and parsed[1] and len(parsed[2]) == 32
    return parsed if well_formed else None


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of ``password`` against a stored hash; a malformed hash matches nothing."""
    parsed = _parse_hash(stored)
    if parsed is None:
        return False
    iterations, salt, digest = parsed
    return hmac.compare_digest(hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations), digest)


# --- limiting wrong passwords ------------------------------------------------------------------------------


@dataclass
class _Count:
    failures: int = 0
    last: float = 0.0  # time of the last failure (or of the attempt being checked)
    server_before: float = 0.0  # the server's last failure before this client's attempt, for ``succeeded``


@dataclass
class AttemptLimiter:
    """Wrong passwords counted in the server process — not in session state, which a new tab starts afresh —
    per client and for the whole server. After ``free`` failures every attempt waits 2^(n - free + 5) seconds
    after the n-th failure (32 s, 64 s, …), at most ``max_wait``; while waiting, no password is checked, not
    even the right one. The server-wide count (``server_free`` failures from anyone) stops a guesser who
    changes address or hides behind a shared proxy. Counts are forgotten ``forget_after`` seconds after their
    last failure; a success forgets its client's count. ``clock`` is injectable so tests never sleep."""

    free: int = 5
    server_free: int = 20
    max_wait: float = 300.0
    forget_after: float = 3600.0
    clock: Callable[[], float] = time.monotonic
    max_clients: int = 10_000
    _clients: dict[str, _Count] = field(default_factory=dict)
    _server: _Count = field(default_factory=_Count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _left(self, count: _Count, free: int, now: float) -> float:
        if count.failures < free:
            return 0.0
        return max(0.0, count.last + min(2.0 ** (count.failures - free + 5), self.max_wait) - now)

    def _wait(self, client: str, now: float) -> float:
        for count in (self._clients.get(client), self._server):
            if count is not None and now - count.last >= self.forget_after:
                count.failures = 0
        mine = self._clients.get(client)
        return max(self._left(mine, self.free, now) if mine else 0.0, self._left(self._server, self.server_free, now))

    def wait(self, client: str) -> float:
        """Seconds ``client`` must still wait before a password is checked (0: it may try now)."""
        with self._lock:
            return self._wait(client, self.clock())

    def attempt(self, client: str) -> float:
        """Ask to check a password: 0.0, and the attempt counts as a failure until ``succeeded``; or the seconds
        still to wait, and nothing is counted. Counting before checking leaves no window for parallel tries."""
        with self._lock:
            now = self.clock()
            left = self._wait(client, now)
            if left > 0:
                return left
            if client not in self._clients and len(self._clients) >= self.max_clients:
                self._clients = {k: c for k, c in self._clients.items() if now - c.last < self.forget_after}
            mine = self._clients.setdefault(client, _Count())
            mine.server_before = self._server.last
            for count in (mine, self._server):
                count.failures += 1
                count.last = now
            return 0.0

    def succeeded(self, client: str) -> None:
        """The password was right: forget the client's failures and take back its attempt from the server's."""
        with self._lock:
            mine = self._clients.pop(client, None)
            if mine is not None and mine.failures:
                self._server.failures = max(0, self._server.failures - 1)
                if self._server.last == mine.last:
                    self._server.last = mine.server_before


LIMITER = AttemptLimiter()


def _peer() -> str | None:
    """The socket's remote address; None for this machine (any loopback address) and when there is no socket
    to ask (AppTest)."""
    ip = st.context.ip_address
    if not isinstance(ip, str) or not ip:
        return None
    try:
        parsed = ipaddress.ip_address(ip.split("%")[0])
    except ValueError:
        return ip
    mapped = getattr(parsed, "ipv4_mapped", None)  # ::ffff:127.0.0.1 when the server listens on "::"
    return None if parsed.is_loopback or (mapped is not None and mapped.is_loopback) else ip


def client_key() -> str:
    """Whom to count wrong passwords against: the socket's address; behind a reverse proxy on this machine
    (docs/deploy.md), the address the proxy puts in X-Real-IP; else "local"."""
    ip = _peer()
    if ip:
        return ip
    real = st.context.headers.get("X-Real-IP")
    return f"proxied:{real}" if real else "local"


def _on_this_machine() -> bool:
    """Is the browser on this machine, talking to Streamlit directly (no proxy in between)?"""
    return _peer() is None and not any(st.context.headers.get(h) for h in FORWARDING_HEADERS)


# --- what the secrets configure ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """The mode the configuration gives: 'oidc', 'password', 'open', 'open_local' or 'refused' (with a reason:
    an AUTH_TEXT key and its values)."""

    mode: str
    reason: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    password_hash: str = ""


_logged: set[tuple[str, str]] = set()


def _refuse(reason: str, log: str, **values: str) -> Access:
    if (reason, log) not in _logged:  # once per process and problem, not on every rerun
        _logged.add((reason, log))
        logger.error("access configuration refused (%s): %s — every page shows the refusal", reason, log)
    return Access("refused", reason, values)


def _shown(path: Path) -> str:
    """The path as an operator would type it, without this server's absolute folders where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        home = Path.home()
        return f"~/{path.relative_to(home)}" if path.is_relative_to(home) else str(path)


def _unreadable(error: Exception) -> Access:
    """Streamlit could not load the secrets: none exist (the demo), or one exists and is broken (refuse)."""
    present = [Path(p) for p in st.get_option("secrets.files") if Path(p).exists()]
    if not present:
        if _on_this_machine():
            return Access("open_local")
        return _refuse("auth.remote_without_login", "no secrets file, and a browser not on this machine")
    for path in present:
        try:
            if path.is_file():
                tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as problem:
            found = re.search(r"line \d+, column \d+|end of document", str(problem))
            where = found.group(0) if found else type(problem).__name__
            return _refuse("auth.unparsable", f"{path}: {problem}", path=_shown(path), where=where)
    return _refuse("auth.unparsable", f"{present[0]}: {error}", path=_shown(present[0]), where=type(error).__name__)


def _oidc(section: Mapping[str, Any]) -> Access:
    missing = [key for key in ("redirect_uri", "cookie_secret") if not section.get(key)]
    if missing:
        return _refuse("auth.oidc_incomplete", f"[auth] lacks {missing}", missing=", ".join(missing))
    if importlib.util.find_spec("authlib") is None:
        return _refuse("auth.no_authlib", "Authlib is not installed")
    return Access("oidc")


def access() -> Access:
    """What this session may get, from the secrets and (without any) where the browser is. Renders nothing."""
    try:
        secrets: Mapping[str, Any] = st.secrets.to_dict()
    except Exception as error:  # noqa: BLE001 (missing, unparsable, unreadable: _unreadable tells them apart)
        return _unreadable(error)
    auth, stored, open_ = secrets.get("auth"), secrets.get(HASH_KEY), secrets.get(OPEN_KEY)
    if auth is not None and not isinstance(auth, Mapping):
        return _refuse("auth.bad_value", f"auth = {type(auth).__name__}, not an [auth] table")
    if open_ is not None:
        if open_ != OPEN:
            return _refuse("auth.bad_open", f"{OPEN_KEY} = {type(open_).__name__}, not 'none'")
        if auth is not None or stored is not None:
            return _refuse("auth.conflict", f"{OPEN_KEY} = 'none' next to [auth] or {HASH_KEY}")
        return Access("open")
    if auth is not None:
        return _oidc(auth)
    if stored is None:
        return _refuse("auth.no_login", f"secrets set neither [auth], {HASH_KEY} nor {OPEN_KEY} = 'none'")
    if not isinstance(stored, str) or _parse_hash(stored) is None:
        return _refuse("auth.bad_hash", "opsplan_password_hash is malformed")
    return Access("password", password_hash=stored)


def mode() -> str:
    """'oidc', 'password', 'open', 'open_local' or 'refused'."""
    return access().mode


def is_allowed() -> bool:
    """May this session see the dashboard? Renders nothing."""
    kind = mode()
    if kind == "oidc":
        return bool(getattr(st.user, "is_logged_in", False))
    if kind == "password":
        return bool(st.session_state.get("_authenticated"))
    return kind in ("open", "open_local")


# --- what the user sees ------------------------------------------------------------------------------------


def show_login(lang: str) -> None:
    """The login — or the refusal, when the configuration is wrong — in place of any page; ``st.stop()`` after."""
    found = access()
    if found.mode == "refused":
        st.title(t("auth.refused_title", lang))
        st.error(f"{t(found.reason, lang, **found.values)}\n\n{t('auth.refused_closed', lang)}")
        return
    st.title(t("auth.login_title", lang))
    if found.mode == "oidc":
        st.button(t("auth.login_with", lang), on_click=st.login, type="primary")
        return
    with st.form("login"):
        password = st.text_input(t("auth.password", lang), type="password")
        submitted = st.form_submit_button(t("auth.sign_in", lang), type="primary")
    if not submitted:
        return
    client = client_key()
    left = LIMITER.attempt(client)
    if left > 0:
        st.error(t("auth.too_many_attempts", lang, seconds=math.ceil(left)))
        return
    if verify_password(password, found.password_hash):
        LIMITER.succeeded(client)
        st.session_state["_authenticated"] = True
        st.rerun()
    logger.warning("wrong password from %s", client)
    left = LIMITER.wait(client)
    st.error(
        t("auth.wrong_password", lang)
        + (f" {t('auth.too_many_attempts', lang, seconds=math.ceil(left))}" if left else "")
    )


def show_access_note(lang: str) -> None:
    """In the sidebar: who is signed in and a sign-out button, or the visible note that the app is open."""
    kind = mode()
    if kind == "oidc":
        who = getattr(st.user, "email", None) or getattr(st.user, "name", None)
        if who:
            st.sidebar.caption(t("auth.signed_in_as", lang, who=who))
        st.sidebar.button(t("auth.sign_out", lang), on_click=st.logout)
    elif kind == "password":
        st.sidebar.button(t("auth.sign_out", lang), on_click=lambda: st.session_state.pop("_authenticated", None))
    else:
        st.sidebar.caption(t("auth.open_local" if kind == "open_local" else "auth.open_app", lang))


if __name__ == "__main__":  # python -m ui.auth [PASSWORD] → the line to put in .streamlit/secrets.toml
    secret = sys.argv[1] if len(sys.argv) > 1 else getpass.getpass("Password: ")
    print(f'{HASH_KEY} = "{hash_password(secret)}"')
