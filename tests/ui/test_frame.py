"""The one page opening (ui/frame.py): every page file is registered and opens with ``open_page``, keeps no
words of its own, and is guarded by the login even when Streamlit runs it without app.py — the case a
private Streamlit API used to cover, which no file may use any more."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, ROOT
from tests.ui.test_access import HASH
from ui.frame import PAGES

PAGE_FILES = sorted((ROOT / "pages").glob("*.py"))


def _first_statement(path: Path) -> ast.stmt:
    """The first statement after the docstring and the imports."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return next(s for s in body if not isinstance(s, ast.Import | ast.ImportFrom))


def test_every_page_file_is_registered_and_app_py_navigates_the_registry() -> None:
    assert sorted(path for path, *_ in PAGES) == [f"pages/{p.name}" for p in PAGE_FILES]
    assert sum(default for *_, default in PAGES) == 1
    app = ast.parse(APP.read_text(encoding="utf-8"))
    called = {n.func.id for n in ast.walk(app) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert "app_navigation" in called  # app.py's st.navigation is built from PAGES


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.stem)
def test_every_page_opens_with_the_frame_and_keeps_no_words_of_its_own(path: Path) -> None:
    first = _first_statement(path)
    assert isinstance(first, ast.Assign) and isinstance(first.value, ast.Call), ast.dump(first)
    assert isinstance(first.value.func, ast.Name) and first.value.func.id == "open_page"
    assert first.value.args[0].value == f"nav.{path.stem}"  # type: ignore[attr-defined]
    names = {
        target.id
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        for target in (node.targets if isinstance(node, ast.Assign) else [])
        if isinstance(target, ast.Name)
    }
    defined = {n.name for n in ast.parse(path.read_text(encoding="utf-8")).body if isinstance(n, ast.FunctionDef)}
    assert "TEXT" not in names and "tr" not in defined


def test_no_python_file_uses_streamlit_internals_for_pages() -> None:
    skip = {".venv", "build", ".git", "node_modules"}
    hits = [
        p.relative_to(ROOT)
        for p in ROOT.rglob("*.py")
        if not skip & set(p.relative_to(ROOT).parts) and "Pages" + "Manager" in p.read_text(encoding="utf-8")
    ]
    assert hits == []


@pytest.mark.parametrize("page", ["goals", "today", "data"])
def test_a_page_file_run_without_app_py_shows_only_the_login(app, page: str) -> None:  # noqa: ANN001
    app("pages/today.py")  # the fixture warehouse and plan in the environment
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)  # no app.py at all
    at.secrets["opsplan_password_hash"] = HASH
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["登录 OpsPlan"]
    assert len(at.text_input) == 1 and [b.label for b in at.button] == ["登录"]
    assert len(at.metric) == 0 and len(at.dataframe) == 0 and len(at.selectbox) == 0 and len(at.caption) == 0
    assert "_filters" not in at.session_state  # app.py's frame (data, filters) never ran


def test_a_page_file_run_without_app_py_says_the_access_configuration_is_refused(app) -> None:  # noqa: ANN001
    app("pages/today.py")
    at = AppTest.from_file(str(ROOT / "pages" / "budget.py"), default_timeout=60)
    at.secrets["opsplan_auth"] = "nnone"  # a typo: refused, as under app.py
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["OpsPlan 拒绝启动"]
    assert len(at.metric) == 0 and len(at.dataframe) == 0
