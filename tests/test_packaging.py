"""The wheel an admin installs holds every package: built from pyproject.toml, installed into a fresh virtual
environment that cannot see this checkout, its console script runs a real sync against the sandbox.

The editable install the tests run from maps the whole checkout, so a package missing from pyproject.toml's
list would go unnoticed everywhere else. The new environment borrows the dependencies of this one through a
.pth file (offline: nothing is downloaded) but not the project itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_NOT_SOURCE = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv with only the built wheel installed (dependencies borrowed)."""
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    # Built from a copy: an in-tree build reuses build/lib, where a package dropped from the list lingers.
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*_NOT_SOURCE))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(dist), str(source)],
        check=True,
        timeout=300,
        cwd=work,
    )
    (wheel,) = dist.glob("kpisync-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    target = Path(
        sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}),
    )
    # Dependencies from this environment; the .pth files of this environment (the editable finder of the
    # checkout among them) are not read from a directory a .pth line adds.
    (target / "borrowed-deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run(
        [*pip, "--python", str(venv / "bin" / "python"), "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=300,
        cwd=work,
    )
    return venv / "bin"


def test_wheel_holds_every_package_of_the_checkout(installed: Path) -> None:
    """Every folder of the product with an __init__.py is in the wheel (a new subpackage must be listed)."""
    (wheel,) = (installed.parent.parent / "dist").glob("kpisync-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = {Path(name).parent for name in archive.namelist() if name.endswith("/__init__.py")}
    in_checkout = {
        init.parent.relative_to(ROOT)
        for top in ("daemon", "connectors", "scoring", "sandbox")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert in_checkout <= in_wheel, sorted(map(str, in_checkout - in_wheel))


def test_console_script_of_the_wheel_syncs(installed: Path, tmp_path: Path) -> None:
    """kpisync from the wheel alone imports everything a sync needs, migrates a new database and syncs."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    kpisync = str(installed / "kpisync")
    where = subprocess.run(
        [str(installed / "python"), "-c", "import daemon, sys; print(daemon.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    assert not where.stdout.strip().startswith(str(ROOT)), "the fresh venv imports the checkout"
    server = subprocess.Popen(
        [kpisync, "sandbox", "serve", "--port", "0", "--data", str(tmp_path / "sandbox")],
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        sync_env = {
            **env,
            "KPISYNC_GOOGLE_BASE_URL": base_url,
            "KPISYNC_DATABASE": str(tmp_path / "kpisync.db"),
        }
        done = subprocess.run(
            [kpisync, "sync", "--once", "--config", str(ROOT / "config" / "kpisync.toml")],
            check=False,
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
            env=sync_env,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert (tmp_path / "kpisync.db").stat().st_size > 0
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


def test_console_script_of_the_wheel_reports_its_version(installed: Path, tmp_path: Path) -> None:
    """`kpisync --version` from the wheel prints the version in pyproject.toml (the metadata is installed)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [str(installed / "kpisync"), "--version"],
        capture_output=True, text=True, check=True, timeout=60, cwd=tmp_path, env=env,
    )  # fmt: skip
    declared = next(
        line.split("=", 1)[1].strip().strip('"')
        for line in (ROOT / "pyproject.toml").read_text(encoding="utf-8").splitlines()
        if line.startswith("version =")
    )
    assert done.stdout.strip() == f"kpisync {declared}"
