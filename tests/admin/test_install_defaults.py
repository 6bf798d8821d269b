"""What an admin meets before the first sync: the version, where the database lives by default, and a
database that cannot be opened reported on one line with exit 2 instead of a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from daemon.app import kpisync_version
from daemon.cli import app
from daemon.settings import load_settings
from tests.daemon.sync_world import CONFIG, DATA


def _config(tmp_path: Path, text: str) -> Path:
    shutil.copy(DATA / "rubric.toml", tmp_path / "rubric.toml")
    path = tmp_path / "kpisync.toml"
    path.write_text(text, encoding="utf-8")
    return path


WITHOUT_DATABASE = CONFIG.replace('database = "kpisync.db"\n', "")


def test_version_prints_the_installed_version() -> None:
    """`kpisync --version` prints the distribution's version and exits 0."""
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"kpisync {kpisync_version()}"
    assert kpisync_version()[0].isdigit()


def test_database_defaults_to_systemds_state_directory(tmp_path: Path) -> None:
    """With no `database` key, the file is kpisync.db in $STATE_DIRECTORY (StateDirectory=kpisync)."""
    config = _config(tmp_path, WITHOUT_DATABASE)
    settings = load_settings(config, env={"STATE_DIRECTORY": str(tmp_path / "state")})
    assert settings.database == tmp_path / "state" / "kpisync.db"


def test_database_defaults_to_var_lib_outside_systemd(tmp_path: Path) -> None:
    """Outside systemd the default is the same /var/lib/kpisync/kpisync.db the service uses."""
    settings = load_settings(_config(tmp_path, WITHOUT_DATABASE), env={})
    assert settings.database == Path("/var/lib/kpisync/kpisync.db")


def test_example_config_names_no_database_path() -> None:
    """The shipped example leaves the database to the state directory, never a path relative to /etc."""
    example = Path(__file__).resolve().parents[2] / "config" / "kpisync.toml"
    settings = load_settings(example, env={})
    assert settings.database == Path("/var/lib/kpisync/kpisync.db")


def test_unopenable_database_is_one_line_with_exit_2(tmp_path: Path) -> None:
    """A database whose folder cannot be made (a file stands in the way) is one stderr line naming the
    config file, the `database` key and the path, exit 2, no traceback."""
    (tmp_path / "blocker").write_text("not a folder", encoding="utf-8")
    text = CONFIG.replace('database = "kpisync.db"', 'database = "blocker/kpisync.db"')
    config = _config(tmp_path, text)
    line = text.splitlines().index('database = "blocker/kpisync.db"') + 1

    result = CliRunner().invoke(app, ["rescore", "--config", str(config)], env={"KPISYNC_DATABASE": None})

    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"kpisync: {config}:{line}: database: cannot open the database ")
    assert str(tmp_path / "blocker" / "kpisync.db") in lines[0]
    assert "Traceback" not in result.output
