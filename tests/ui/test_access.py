"""Access control and errors: with a password or OIDC configured nothing shows before login, on every page;
without, the sidebar says the app is open; a page error is a friendly line, never a traceback or a path."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP
from ui.auth import hash_password, verify_password

PAGES = ["today", "goals", "channels", "retention", "users", "budget", "initiatives", "alerts", "review", "data"]
HASH = hash_password("运营-2026", salt=b"0123456789abcdef", iterations=1000)


def _texts(at: AppTest) -> str:
    parts = [
        e.value for kind in ("title", "markdown", "caption", "info", "error", "warning") for e in getattr(at, kind)
    ]
    parts += [m.label for m in at.metric]
    return "\n".join(str(p) for p in parts)


def test_password_hashes_verify_and_never_hold_the_password() -> None:
    assert verify_password("运营-2026", HASH) and not verify_password("运营-2025", HASH)
    assert "运营" not in HASH and HASH.startswith("pbkdf2_sha256$1000$")
    assert not verify_password("x", "not a hash")


@pytest.mark.parametrize("page", PAGES)
def test_with_a_password_no_page_shows_anything_before_login(app, page: str) -> None:  # noqa: ANN001
    app("pages/today.py")  # sets up the fixture warehouse and plan in the environment
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["opsplan_password_hash"] = HASH
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["登录 OpsPlan"]
    assert len(at.metric) == 0 and len(at.dataframe) == 0 and len(at.selectbox) == 0
    assert "_filters" not in at.session_state  # the frame (data, filters) never ran


def test_with_oidc_configured_the_page_waits_for_the_provider(app) -> None:  # noqa: ANN001
    app("pages/today.py")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "opsplan",
        "client_secret": "s",
        "server_metadata_url": "https://id.example.com/.well-known/openid-configuration",
    }
    at.switch_page("pages/goals.py")
    at.run()
    assert [t.value for t in at.title] == ["登录 OpsPlan"]
    assert [b.label for b in at.button] == ["使用单点登录"]
    assert "_filters" not in at.session_state


def test_without_login_configured_the_app_says_it_is_open(app) -> None:  # noqa: ANN001
    at = app("pages/today.py", lang="en")
    assert any("No password set" in c.value for c in at.sidebar.caption)


def test_a_broken_warehouse_gives_a_friendly_message_without_path_or_traceback(
    app,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    app("pages/today.py")
    broken = tmp_path / "secret-folder" / "warehouse.duckdb"
    broken.parent.mkdir()
    broken.write_bytes(b"this is not a DuckDB file" * 100)
    monkeypatch.setenv("OPSPLAN_DB", str(broken))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception  # nothing reaches Streamlit's own error box
    assert [e.value for e in at.error] == ["这个页面出错了，已记录日志。请刷新，或换个筛选条件再试。"]
    shown = _texts(at)
    assert "secret-folder" not in shown and "Traceback" not in shown and "SELECT" not in shown
