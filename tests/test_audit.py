"""The dependency audit (scripts/audit.py, run by scripts/test.sh and so by CI) fails on a known advisory and
passes on this environment; every advisory in security/advisories.toml is well formed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AUDIT = ROOT / "scripts" / "audit.py"


def run(*pairs: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(AUDIT), *pairs], capture_output=True, text=True, timeout=60)


def test_this_environment_has_no_known_advisory() -> None:
    r = run()
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("audit: ") and r.stdout.rstrip().endswith("0 vulnerable")


def test_a_vulnerable_version_fails_naming_the_advisory() -> None:
    r = run("Jinja2==3.1.4", "urllib3==2.2.1", "PyYAML==6.0.3")
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert "audit: jinja2==3.1.4: CVE-2024-56201 (sandbox breakout through a malicious template file name)" in lines
    assert any(line.startswith("audit: urllib3==2.2.1: CVE-2024-37891") for line in lines)
    assert not any("pyyaml" in line for line in lines)  # 6.0.3 is past CVE-2020-14343 (< 5.4)
    assert r.stdout.rstrip().endswith("4 vulnerable")


def test_ranges_joined_by_or_and_the_edges() -> None:
    # urllib3 CVE-2024-37891: "<1.26.19 || >=2.0.0,<2.2.2" — 1.26.18 and 2.2.1 in, 1.26.19 and 2.2.2 out
    assert run("urllib3==1.26.18").returncode == 1
    inside = run("urllib3==2.2.1").stderr
    outside = run("urllib3==1.26.19").stderr + run("urllib3==2.2.2").stderr
    assert "CVE-2024-37891" in inside and "CVE-2024-37891" not in outside
