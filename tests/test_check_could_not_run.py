"""A morning check that cannot run (the warehouse refuses: not a DuckDB file, an unknown file beside it) still
tells the team through --notify, and exits 3 with one line; nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.test_check_cli import new_users, write_plan
from tests.test_notify import Hook, hook, text_of  # noqa: F401 (the local webhook server fixture)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_warehouse_that_is_not_duckdb_is_posted_as_could_not_run(
    cli: Cli, tmp_path: Path, hook: Hook, lang: str  # noqa: F811
) -> None:
    db = tmp_path / "broken.duckdb"
    db.write_bytes(b"not a duckdb file at all" * 100)
    before = db.read_bytes()
    r = cli("--db", db, "check", "--plan", write_plan(tmp_path, new_users(20)), "--notify", hook.url, "--lang", lang)
    assert r.code == 3
    assert "Traceback" not in r.err  # one line for the cause (after a note that the post ledger was unreadable)
    assert r.err.strip().splitlines()[-1].startswith("opsplan check: cannot open the warehouse")
    (body,) = hook.bodies()
    lines = text_of(body).splitlines()  # type: ignore[arg-type]
    assert lines[0].endswith("· UNKNOWN")
    assert lines[1].startswith("检查无法运行：" if lang == "zh" else "the check could not run: ")
    assert "一切正常" not in lines and "all clear" not in lines
    assert db.read_bytes() == before
