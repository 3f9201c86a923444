"""`pip install .` gives a working engine: the wheel carries the SQL of queries/ and the demo plan as package data,
and an installed copy in a fresh virtualenv, run outside the checkout, makes the demo and judges it (issue 9's
packaging point: a wheel without its SQL found 0 views and failed on the first query)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*argv: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_the_wheel_installs_a_working_engine(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = _run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-q", "-w", dist, cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = dist.glob("opsplan-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    sql = sorted(Path(n).name for n in names if n.startswith("opsplan/_queries/") and n.endswith(".sql"))
    assert sql == sorted(p.name for p in (ROOT / "queries").glob("*.sql"))  # every view file, no more
    assert "opsplan/_data/demo_plan.yaml" in names

    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", venv, cwd=tmp_path).returncode == 0
    python = venv / "bin" / "python"
    installed = _run(python, "-m", "pip", "install", "-q", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr[-2000:]

    work = tmp_path / "elsewhere"  # not the checkout: nothing can be read from ROOT by accident
    work.mkdir()
    where = _run(python, "-c", "import opsplan.store.views as v; print(v.QUERIES_DIR)", cwd=work)
    assert str(venv) in where.stdout, where  # the installed package data, not the source tree
    db = work / "demo.duckdb"
    demo = _run(venv / "bin" / "opsplan", "--db", db, "demo", "--users", "2000", cwd=work)
    assert demo.returncode == 0, demo.stderr[-2000:]
    plan = work / "plan.yaml"
    plan.write_text((ROOT / "data" / "demo_plan.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    check = _run(venv / "bin" / "opsplan", "--db", db, "check", "--plan", plan, "--date", "2026-02-23",
                 "--format", "json", cwd=work)  # fmt: skip
    assert check.returncode in (0, 1, 2), check.stderr[-2000:]
    result = json.loads(check.stdout)
    assert result["date"] == "2026-02-23" and result["status"] in ("ok", "warning", "critical")
    assert result["plan_issues"] == [] and result["targets"]


def test_every_engine_package_is_listed_for_the_wheel() -> None:
    """A sub-package missing from pyproject's list installs nowhere (opsplan.words once did): fast, no build."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "opsplan").rglob("__init__.py")}
    assert found - listed == set()
