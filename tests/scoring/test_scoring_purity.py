"""scoring/ stays pure: no imports from daemon/, connectors/, sqlmodel, HTTP or file-system modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SCORING = Path(__file__).resolve().parents[2] / "scoring"
FORBIDDEN = {
    "daemon", "connectors", "sandbox", "sqlmodel", "sqlalchemy", "requests", "httpx", "httplib2", "urllib",
    "http", "googleapiclient", "gspread", "socket", "os", "pathlib", "tomllib", "io", "shutil", "subprocess",
}  # fmt: skip


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(SCORING.glob("*.py")), ids=lambda p: p.name)
def test_module_imports_stay_pure(path: Path) -> None:
    """No scoring module imports another part, a store, an HTTP library or file I/O."""
    assert not _imports(path) & FORBIDDEN


@pytest.mark.parametrize("path", sorted(SCORING.glob("*.py")), ids=lambda p: p.name)
def test_module_does_not_open_files(path: Path) -> None:
    """No scoring module calls open()."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "open"]
    assert not calls
