"""`kpisync init` writes a commented config that loads; `check-config` refuses a missing key file and says
that question titles and sharing are doctor's to check."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

from typer.testing import CliRunner

from daemon.admin.init_config import FORM_PLACEHOLDER
from daemon.cli import app
from daemon.demo import find_config
from daemon.settings import load_settings

RUBRICS = find_config().parent / "rubrics"


def _key_dir(tmp_path: Path) -> Path:
    """A systemd credentials directory holding a service-account key, as LoadCredential= makes it."""
    folder = tmp_path / "credentials"
    folder.mkdir()
    key = {"type": "service_account", "client_email": "kpisync@office.iam.gserviceaccount.com"}
    (folder / "kpisync-sa.json").write_text(json.dumps(key), encoding="utf-8")
    return folder


def _init(tmp_path: Path, *extra: str) -> tuple[Path, object]:
    target = tmp_path / "etc" / "kpisync.toml"
    shutil.copytree(RUBRICS, tmp_path / "etc" / "rubrics")
    args = ["init", "--out", str(target), *extra]
    return target, CliRunner().invoke(app, args)


def test_init_writes_a_commented_config_that_loads(tmp_path: Path) -> None:
    """The written file has a [[forms]] table per id, comments that say where each id comes from, no
    database path and no sandbox; it loads, and the database is the service's state directory."""
    config, result = _init(
        tmp_path,
        "--form-id",
        "1FormA",
        "--form-id",
        "1FormB",
        "--dashboard-id",
        "1Dash",
        "--roster-id",
        "1Ros",
    )
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    text = config.read_text(encoding="utf-8")
    assert "docs.google.com/forms/d/<id>/edit" in text and "Add collaborators" in text
    assert "\ndatabase" not in text and "base_url" not in text
    assert stat.S_IMODE(config.stat().st_mode) == 0o640
    settings = load_settings(config, env={"STATE_DIRECTORY": "/var/lib/kpisync"})
    assert [f.form_id for f in settings.forms] == ["1FormA", "1FormB"]
    assert settings.dashboard.spreadsheet_id == "1Dash"
    assert settings.roster.spreadsheet_id == "1Ros"
    assert settings.database == Path("/var/lib/kpisync/kpisync.db")


def test_init_without_ids_leaves_placeholders(tmp_path: Path) -> None:
    """Without ids the file still loads, with a placeholder doctor will report as not found."""
    config, result = _init(tmp_path)
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert load_settings(config, env={}).forms[0].form_id == FORM_PLACEHOLDER


def test_init_never_overwrites_unless_forced(tmp_path: Path) -> None:
    """An existing config is kept (exit 2, one line); --force replaces it."""
    config, _ = _init(tmp_path)
    config.write_text("# mine\n", encoding="utf-8")
    again = CliRunner().invoke(app, ["init", "--out", str(config)])
    assert again.exit_code == 2
    assert "not overwritten" in again.stderr
    assert config.read_text(encoding="utf-8") == "# mine\n"
    forced = CliRunner().invoke(app, ["init", "--out", str(config), "--force"])
    assert forced.exit_code == 0
    assert "[[forms]]" in config.read_text(encoding="utf-8")


def test_check_config_with_the_key_says_ok_and_points_to_doctor(tmp_path: Path) -> None:
    """With systemd's credential present, check-config is ok and says what it cannot see."""
    config, _ = _init(tmp_path)
    env = {"CREDENTIALS_DIRECTORY": str(_key_dir(tmp_path)), "KPISYNC_GOOGLE_BASE_URL": None}
    result = CliRunner().invoke(app, ["check-config", "--config", str(config)], env=env)
    assert result.exit_code == 0, result.output
    assert ": ok (1 forms" in result.stdout
    assert "question titles" in result.stdout and "kpisync doctor" in result.stdout


def test_check_config_refuses_a_missing_key_file(tmp_path: Path) -> None:
    """A credentials_file that is not there: exit 2, one line naming the key, the line and the path."""
    config, _ = _init(tmp_path)
    text = config.read_text(encoding="utf-8").replace(
        '# credentials_file = "/path/to/key.json"', 'credentials_file = "nope.json"'
    )
    config.write_text(text, encoding="utf-8")
    line = text.splitlines().index('credentials_file = "nope.json"') + 1
    env = {"CREDENTIALS_DIRECTORY": None, "KPISYNC_GOOGLE_BASE_URL": None}
    result = CliRunner().invoke(app, ["check-config", "--config", str(config)], env=env)
    assert result.exit_code == 2
    (only,) = result.stderr.strip().splitlines()
    assert only.startswith(f"kpisync: {config}:{line}: google.credentials_file: cannot read ")
    assert str(config.parent / "nope.json") in only and "No such file" in only
