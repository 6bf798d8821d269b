"""Review fixes in settings: a mistyped award level is a config error, not awards silently worth nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from daemon.errors import ConfigError
from daemon.settings import load_settings
from tests.daemon.sync_world import CONFIG, DATA


def write(tmp_path: Path, text: str) -> Path:
    shutil.copy(DATA / "rubric.toml", tmp_path / "rubric.toml")
    path = tmp_path / "kpisync.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_award_level_is_a_config_error(tmp_path: Path) -> None:
    """award_rows mapping a grid row to a level scoring does not know fails at load, naming the key's line."""
    text = CONFIG + '\n[forms.award_rows]\n"ระดับจังหวัด" = "provincal"\n'
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text), env={})
    assert info.value.key.startswith("forms.0.award_rows")
    assert "provincal" in info.value.message
    assert info.value.line == text.splitlines().index('"ระดับจังหวัด" = "provincal"') + 1


def test_known_award_levels_load(tmp_path: Path) -> None:
    """award_rows with the four known levels loads as written."""
    text = CONFIG + '\n[forms.award_rows]\n"ชาติ" = "national"\n"จังหวัด" = "provincial"\n'
    settings = load_settings(write(tmp_path, text), env={})
    assert settings.forms[0].award_rows == {"ชาติ": "national", "จังหวัด": "provincial"}
