"""``kpisync sandbox seed`` and ``serve``: seeding a directory and serving it on a printed loopback URL."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from sandbox.cli import sandbox_app
from tests.sandbox.api_helpers import control


def test_seed_command_writes_the_manifest(tmp_path: Path) -> None:
    """``seed --data DIR`` writes the sample world and its manifest, and says how many responses."""
    result = CliRunner().invoke(sandbox_app, ["seed", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "sample_manifest.json").exists() and "responses" in result.output


def test_serve_prints_the_base_url_and_answers_there(tmp_path: Path) -> None:
    """``serve --port 0`` prints a loopback URL first, and the sandbox answers on it until stopped."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox.cli", "serve", "--port", "0", "--data", str(tmp_path), "--no-seed"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 20
        line = process.stdout.readline().strip()
        assert line.startswith("http://127.0.0.1:") and time.monotonic() < deadline
        assert control(line, "GET", "/sandbox/health") == {"ok": True}
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
