"""Dependency audit that works where only the package index is reachable: every installed distribution is
checked against the advisories kept in security/advisories.toml; a match fails (exit 1) naming it.

    python scripts/audit.py                      # the environment this Python runs in
    python scripts/audit.py jinja2==3.1.4 ...    # given name==version pairs instead (what the tests use)

``affected`` is a PEP 440 specifier set, or several joined by ``||`` ("<1.26.19 || >=2.0.0,<2.2.2").
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

ADVISORIES = Path(__file__).resolve().parents[1] / "security" / "advisories.toml"


@dataclass(frozen=True)
class Advisory:
    package: str
    id: str
    affected: tuple[SpecifierSet, ...]
    summary: str

    def hits(self, version: str) -> bool:
        try:
            parsed = Version(version)
        except InvalidVersion:
            return False
        return any(spec.contains(parsed, prereleases=True) for spec in self.affected)


def normalise(name: str) -> str:
    """PEP 503 names: 'PyYAML' and 'pyyaml', 'Jinja2' and 'jinja2' are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def load_advisories(path: Path = ADVISORIES) -> list[Advisory]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Advisory(
            normalise(a["package"]),
            a["id"],
            tuple(SpecifierSet(part.strip()) for part in a["affected"].split("||")),
            a.get("summary", ""),
        )
        for a in data["advisory"]
    ]


def installed() -> dict[str, str]:
    return {normalise(d.metadata["Name"]): d.version for d in importlib.metadata.distributions() if d.metadata["Name"]}


def audit(packages: dict[str, str], advisories: list[Advisory]) -> list[str]:
    """One line per installed version that an advisory covers."""
    return [
        f"{a.package}=={packages[a.package]}: {a.id} ({a.summary})"
        for a in advisories
        if a.package in packages and a.hits(packages[a.package])
    ]


def main(argv: list[str]) -> int:
    advisories = load_advisories()
    pairs = (p.split("==", 1) for p in argv)
    packages = {normalise(name): version for name, version in pairs} if argv else installed()
    found = audit(packages, advisories)
    for line in found:
        print(f"audit: {line}", file=sys.stderr)
    checked = sum(1 for a in advisories if a.package in packages)
    print(f"audit: {len(packages)} packages, {len(advisories)} advisories ({checked} apply to installed ones), "
          f"{len(found)} vulnerable")  # fmt: skip
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
