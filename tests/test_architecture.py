"""The arrows of DESIGN.md and of daemon/'s packages, read from every product module's imports.

daemon → (connectors, scoring); scoring and connectors import neither each other nor daemon; nothing but
daemon/cli.py imports the sandbox, and the sandbox imports none of the product. Inside daemon/ the arrows
point down: the process (cli, app, demo, scheduler, service, notify, logging, schema) → admin (doctor,
status, export, init) → sync → dashboard → results → store, with settings and errors beside them for
everyone; the store imports nothing else of daemon/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("daemon", "connectors", "scoring", "sandbox")

# Top-level packages each top-level package may import (besides itself, the stdlib and third parties).
TOP: dict[str, set[str]] = {
    "daemon": {"connectors", "scoring"},
    "connectors": set(),
    "scoring": set(),
    "sandbox": set(),
}
# Only the CLI starts and seeds the sandbox; everything else reaches it over HTTP.
SANDBOX_IMPORTERS = {"daemon.cli"}

# scoring/ is pure: no store, no HTTP, no file system.
IMPURE = {
    "sqlmodel", "sqlalchemy", "requests", "httpx", "httplib2", "urllib", "http", "googleapiclient",
    "gspread", "socket", "os", "pathlib", "tomllib", "io", "shutil", "subprocess",
}  # fmt: skip

# Inside daemon/: what each part may import of daemon/ (besides itself).
SHARED = {"daemon.settings", "daemon.errors"}
PROCESS = {
    "daemon.cli", "daemon.app", "daemon.demo", "daemon.scheduler", "daemon.logging_setup", "daemon.schema",
    "daemon.service", "daemon.notify", "daemon.progress",
}  # fmt: skip
INNER: dict[str, set[str]] = {
    "daemon.errors": set(),
    "daemon.settings": {"daemon.errors"},
    "daemon.store": set(),
    "daemon.results": {"daemon.store"} | SHARED,
    "daemon.dashboard": {"daemon.results", "daemon.store"} | SHARED,
    "daemon.sync": {"daemon.dashboard", "daemon.results", "daemon.store"} | SHARED,
    # The admin commands (doctor, status, export, init) stand beside the process, on top of the four parts.
    "daemon.admin": {"daemon.sync", "daemon.dashboard", "daemon.results", "daemon.store"} | SHARED,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every absolute module name the file imports (``from a.b import c`` gives ``a.b`` and ``a.b.c``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _product_modules() -> list[Path]:
    return sorted(p for top in PRODUCT for p in (ROOT / top).rglob("*.py") if "migrations" not in p.parts)


MODULES = _product_modules()


def _part_of(module: str, parts: set[str] | dict[str, set[str]]) -> str | None:
    """The longest entry of ``parts`` that ``module`` is or lies inside."""
    hits = [p for p in parts if module == p or module.startswith(p + ".")]
    return max(hits, key=len, default=None)


def test_every_product_module_is_checked() -> None:
    """The scan sees the packages it guards (a moved folder cannot slip out of it)."""
    names = {_module_name(p) for p in MODULES}
    for expected in ("sync.cycle", "results.assess", "dashboard.publish", "store.repo", "store.db"):
        assert f"daemon.{expected}" in names
    assert len(names) > 60


@pytest.mark.parametrize("path", MODULES, ids=_module_name)
def test_top_level_arrows(path: Path) -> None:
    """A product package imports only the product packages DESIGN.md's arrows allow."""
    module = _module_name(path)
    top = module.split(".")[0]
    allowed = TOP[top] | {top}
    for name in _imports(path):
        other = name.split(".")[0]
        if other not in PRODUCT:
            continue
        if other == "sandbox" and top != "sandbox":
            assert module in SANDBOX_IMPORTERS, f"{module} imports {name}: only the CLI may start the sandbox"
            continue
        assert other in allowed, f"{module} imports {name}"


@pytest.mark.parametrize("path", [p for p in MODULES if p.parts[-2] == "scoring"], ids=_module_name)
def test_scoring_stays_pure(path: Path) -> None:
    """No scoring module imports a store, an HTTP library or file I/O, or calls open()."""
    imported = {name.split(".")[0] for name in _imports(path)}
    assert not imported & IMPURE
    tree = ast.parse(path.read_text(encoding="utf-8"))
    opens = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "open"]
    assert not opens


DAEMON = [p for p in MODULES if _module_name(p).startswith("daemon.")]


@pytest.mark.parametrize("path", DAEMON, ids=_module_name)
def test_daemon_inner_arrows(path: Path) -> None:
    """Inside daemon/, imports point down: process → sync → dashboard → results → store."""
    module = _module_name(path)
    if module in PROCESS:
        return
    part = _part_of(module, INNER)
    assert part is not None, f"{module} belongs to no part of daemon/: add it to INNER or PROCESS"
    for name in _imports(path):
        if not name.startswith("daemon."):
            continue
        assert _part_of(name, PROCESS) is None, f"{module} imports the process module {name}"
        target = _part_of(name, INNER)
        if target is None:
            # ``from daemon.store import repo`` names the package and its module: judged by the module.
            continue
        assert target == part or target in INNER[part], f"{module} ({part}) imports {name} ({target})"
