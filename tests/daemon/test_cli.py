"""The kpisync command line: config errors, one sync, a second sync that writes nothing, rescore, the demo."""

from __future__ import annotations

import re
import shutil
import threading
import urllib.request
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from daemon.cli import app, start_seeded_sandbox
from daemon.demo import DemoError, find_config, prepare_data_dir, run_demo

REPO_CONFIG = find_config()


def _copy_config(tmp_path: Path) -> Path:
    """The example config and its rubric files, copied so a test can break them."""
    target = tmp_path / "config"
    shutil.copytree(REPO_CONFIG.parent, target)
    return target / "kpisync.toml"


def test_config_error_is_one_line_with_exit_2(tmp_path: Path) -> None:
    """A bad value exits 2 with `kpisync: <file>:<line>: <key>: <message>` on stderr and no traceback."""
    config = _copy_config(tmp_path)
    text = config.read_text(encoding="utf-8")
    broken, n = re.subn(r"(?m)^timezone\s*=.*$", 'timezone = "Mars/Olympus"', text)
    assert n == 1
    config.write_text(broken, encoding="utf-8")
    line = broken.splitlines().index('timezone = "Mars/Olympus"') + 1

    result = CliRunner().invoke(app, ["check-config", "--config", str(config)])

    assert result.exit_code == 2
    assert result.stderr.strip() == result.stderr.strip().splitlines()[0]
    assert result.stderr.startswith(f"kpisync: {config}:{line}: timezone: ")
    assert "Mars/Olympus" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_toml_syntax_error_exits_2(tmp_path: Path) -> None:
    """A TOML syntax error is reported on one line with the file and line, exit 2."""
    config = tmp_path / "kpisync.toml"
    config.write_text('lang = "th"\nthis is not toml\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["sync", "--once", "--config", str(config)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kpisync: {config}:2:")
    assert "Traceback" not in result.stderr


def test_missing_config_file_exits_2(tmp_path: Path) -> None:
    """A config path that does not exist is a config error, not a crash."""
    result = CliRunner().invoke(app, ["check-config", "--config", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert result.stderr.startswith("kpisync: ")


def test_check_config_accepts_the_example() -> None:
    """The shipped example config passes check-config against a sandbox (where no key is needed)."""
    env = {"KPISYNC_GOOGLE_BASE_URL": "http://127.0.0.1:9"}
    result = CliRunner().invoke(app, ["check-config", "--config", str(REPO_CONFIG)], env=env)
    assert result.exit_code == 0, result.output
    assert "ok" in result.stdout


def test_sandbox_commands_are_mounted() -> None:
    """`kpisync sandbox` is the sandbox's own command group."""
    result = CliRunner().invoke(app, ["sandbox", "--help"])
    assert result.exit_code == 0
    assert "seed" in result.stdout


@pytest.mark.integration
def test_sync_once_twice_second_writes_nothing(sandbox: Any, tmp_path: Path) -> None:
    """`sync --once` against the seeded sandbox succeeds; a second run with nothing new makes zero writes."""
    env = {"KPISYNC_GOOGLE_BASE_URL": sandbox.base_url, "KPISYNC_DATABASE": str(tmp_path / "k.db")}
    runner = CliRunner()
    first = runner.invoke(app, ["sync", "--once", "--config", str(REPO_CONFIG)], env=env)
    assert first.exit_code == 0, first.output
    assert "outcome=ok" in first.stdout
    assert re.search(r"write_calls=[1-9]", first.stdout)
    second = runner.invoke(app, ["sync", "--once", "--config", str(REPO_CONFIG)], env=env)
    assert second.exit_code == 0, second.output
    assert "write_calls=0" in second.stdout

    rescored = runner.invoke(app, ["rescore", "--config", str(REPO_CONFIG)], env=env)
    assert rescored.exit_code == 0, rescored.output


@pytest.mark.integration
def test_sync_with_a_mistyped_form_exits_3_naming_it(sandbox: Any, tmp_path: Path) -> None:
    """A form id that does not exist: the other forms sync, exit status 3, one stderr line naming the form."""
    config = _copy_config(tmp_path)
    real = sandbox.manifest["forms"]["teacher"]
    typo = real[:-4] + "oops"
    config.write_text(config.read_text(encoding="utf-8").replace(real, typo), encoding="utf-8")
    env = {"KPISYNC_GOOGLE_BASE_URL": sandbox.base_url, "KPISYNC_DATABASE": str(tmp_path / "k.db")}
    result = CliRunner().invoke(app, ["sync", "--once", "--config", str(config)], env=env)
    assert result.exit_code == 3, result.output
    assert "outcome=partial" in result.stdout
    failure_lines = [line for line in result.stderr.splitlines() if "(partial)" in line]
    assert len(failure_lines) == 1
    assert typo in failure_lines[0] and "404" in failure_lines[0]
    assert "Traceback" not in result.output


@pytest.mark.integration
def test_demo_writes_dashboard_html(tmp_path: Path) -> None:
    """`kpisync demo --data DIR` exits 0, prints the flag and rank tables and the dashboard HTML path."""
    data = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", "--data", str(data)])
    assert result.exit_code == 0, result.output
    html = data / "dashboard.html"
    assert str(html) in result.stdout.replace("\n", "")
    page = html.read_text(encoding="utf-8")
    assert "ผลการประเมิน" in page
    assert "สรุปคะแนน" in page
    assert "ข้อสังเกตที่พบ" in result.stdout
    assert "อันดับสูงสุด" in result.stdout


@pytest.mark.integration
def test_demo_serve_keeps_serving_until_stopped(tmp_path: Path) -> None:
    """With serve, the sandbox answers at the printed address until the stop event is set."""
    out = StringIO()
    stop = threading.Event()
    done: list[Path] = []
    worker = threading.Thread(
        target=lambda: done.append(
            run_demo(
                tmp_path / "d",
                start_sandbox=start_seeded_sandbox,
                serve=True,
                console=Console(file=out),
                stop=stop,
            )
        )
    )
    worker.start()
    address = None
    for _ in range(600):  # up to a minute, woken as soon as the address is printed
        found = re.search(r"(http://127\.0\.0\.1:\d+)/", out.getvalue())
        if found:
            address = found.group(1)
            break
        stop.wait(0.1)
    try:
        assert address is not None, out.getvalue()
        with urllib.request.urlopen(address + "/", timeout=10) as reply:
            assert reply.status == 200
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not worker.is_alive()
    assert done and done[0].is_file()


def test_demo_refuses_a_used_data_dir(tmp_path: Path) -> None:
    """The demo needs a fresh data directory and says so instead of mixing two worlds."""
    (tmp_path / "old.txt").write_text("x", encoding="utf-8")
    with pytest.raises(DemoError):
        prepare_data_dir(tmp_path)
