"""The floors in pyproject.toml are the versions docs/dependency-floors.txt lists, the ones the suite was run
on (docs/dependency-floors.md): a floor changed in one place only fails here until it is verified again."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _floors_in_pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out: dict[str, str] = {}
    for requirement in project["dependencies"]:
        found = re.match(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9.]*)", requirement)
        assert found, f"{requirement}: every dependency has a floor"
        out[found.group(1).lower()] = found.group(2)
    return out


def _verified() -> dict[str, str]:
    lines = (ROOT / "docs" / "dependency-floors.txt").read_text(encoding="utf-8").splitlines()
    pins = [line.split("==") for line in lines if line.strip() and not line.startswith("#")]
    return {name.strip().lower(): version.strip() for name, version in pins}


def _release(version: str) -> list[int]:
    # ">=6.1" is the release 6.1.0.
    parts = [int(x) for x in version.split(".")]
    return parts + [0] * (4 - len(parts))


def _same(floor: str, pinned: str) -> bool:
    return _release(floor) == _release(pinned)


def test_every_floor_is_a_verified_version() -> None:
    """Each dependency's floor equals the version installed for the floors run, and none is missing."""
    floors, verified = _floors_in_pyproject(), _verified()
    assert floors.keys() == verified.keys()
    assert {name: floor for name, floor in floors.items() if not _same(floor, verified[name])} == {}
