"""Access control. app.py owns navigation: it always calls ``st.navigation`` (hidden before login, so the
pages/ folder is never served on its own) and runs a page only when ``is_allowed()`` — so every page, also
one opened by its direct URL, is behind the login.

- OIDC: an ``[auth]`` section in Streamlit secrets → ``st.login()`` (Streamlit's own OIDC flow).
- Password: ``opsplan_password_hash`` in secrets, made with ``python -m ui.auth PASSWORD``
  (PBKDF2-SHA256, ``pbkdf2_sha256$iterations$salt$hash``); the password itself is never stored.
- Neither: the app is open, and says so in the sidebar.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import sys
from collections.abc import Mapping
from typing import Any

import streamlit as st

from ui.i18n import t

ITERATIONS = 310_000


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    b64 = base64.b64encode
    return f"pbkdf2_sha256${iterations}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        mine = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), base64.b64decode(salt), int(iterations))
        return hmac.compare_digest(mine, base64.b64decode(digest))
    except (ValueError, TypeError):
        return False


def _secrets() -> Mapping[str, Any]:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets.toml at all: the app is open
        return {}


def mode() -> str:
    """'oidc', 'password' or 'open', from what Streamlit secrets configure."""
    secrets = _secrets()
    if "auth" in secrets:
        return "oidc"
    return "password" if secrets.get("opsplan_password_hash") else "open"


def is_allowed() -> bool:
    """May this session see the dashboard? Renders nothing."""
    kind = mode()
    if kind == "oidc":
        return bool(getattr(st.user, "is_logged_in", False))
    if kind == "password":
        return bool(st.session_state.get("_authenticated"))
    return True


def show_login(lang: str) -> None:
    """The login in place of any page; call ``st.stop()`` after it."""
    st.title(t("login_title", lang))
    if mode() == "oidc":
        st.button(t("login_with", lang), on_click=st.login, type="primary")
        return
    with st.form("login"):
        password = st.text_input(t("password", lang), type="password")
        submitted = st.form_submit_button(t("sign_in", lang), type="primary")
    if submitted and verify_password(password, str(_secrets().get("opsplan_password_hash", ""))):
        st.session_state["_authenticated"] = True
        st.rerun()
    if submitted:
        st.error(t("wrong_password", lang))


def show_access_note(lang: str) -> None:
    """In the sidebar: a sign-out button, or the visible note that the app is open."""
    kind = mode()
    if kind == "oidc":
        st.sidebar.button(t("sign_out", lang), on_click=st.logout)
    elif kind == "password":
        st.sidebar.button(t("sign_out", lang), on_click=lambda: st.session_state.pop("_authenticated", None))
    else:
        st.sidebar.caption(t("open_app", lang))


if __name__ == "__main__":  # python -m ui.auth PASSWORD → the line to put in .streamlit/secrets.toml
    print(f'opsplan_password_hash = "{hash_password(sys.argv[1])}"')
