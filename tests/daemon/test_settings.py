"""kpisync.toml is loaded into typed settings; every mistake is one ConfigError naming file, line and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from daemon.errors import ConfigError
from daemon.settings import load_settings
from tests.daemon.sync_world import CONFIG, DATA

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    shutil.copy(DATA / "rubric.toml", tmp_path / "rubric.toml")
    path = tmp_path / "kpisync.toml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_loads_and_resolves_paths(tmp_path: Path) -> None:
    """Relative paths resolve against the config file; rounds and fiscal year come from the rubric set."""
    settings = load_settings(write(tmp_path, CONFIG), env={})
    assert settings.database == tmp_path / "kpisync.db"
    assert settings.fiscal_year_be == 2569
    assert sorted(settings.round_map()) == [6, 12]
    assert settings.forms[0].questions.indicator.title == "ตัวชี้วัด"
    assert settings.forms[0].award_rows["ระดับประเทศ"] == "national"
    assert settings.google.credentials_file is None


def test_environment_overrides(tmp_path: Path) -> None:
    """The sandbox URL and database come from the environment; the key from $CREDENTIALS_DIRECTORY."""
    env = {
        "KPISYNC_GOOGLE_BASE_URL": "http://127.0.0.1:9999",
        "KPISYNC_DATABASE": str(tmp_path / "other.db"),
        "CREDENTIALS_DIRECTORY": "/run/credentials/kpisync.service",
    }
    settings = load_settings(write(tmp_path, CONFIG), env=env)
    assert settings.google.base_url == "http://127.0.0.1:9999"
    assert settings.database == tmp_path / "other.db"
    assert settings.google.credentials_file == Path("/run/credentials/kpisync.service/kpisync-sa.json")


def test_missing_key_names_line_and_key(tmp_path: Path) -> None:
    """A required question missing from a form's table is reported at that table, with the dotted key."""
    text = CONFIG.replace('round = "รอบการประเมิน"\n', "")
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text), env={})
    err = info.value
    assert err.key == "forms.0.questions.round"
    assert err.line == line_of(text, "[forms.questions]")
    assert err.format_one_line().startswith(
        f"{tmp_path / 'kpisync.toml'}:{err.line}: [forms.0.questions.round]"
    )
    assert "\n" not in err.format_one_line()


def test_wrong_type_points_at_the_line(tmp_path: Path) -> None:
    """A value of the wrong type is reported on its own line."""
    text = CONFIG.replace('lang = "th"', 'lang = "fr"')
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text), env={})
    assert (info.value.key, info.value.line) == ("lang", line_of(text, 'lang = "fr"'))


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    """A misspelt key is an error, not silently ignored."""
    text = CONFIG + "\n[schedule]\ninterval_minuts = 5\n"
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text), env={})
    assert info.value.key == "schedule.interval_minuts"
    assert info.value.line == line_of(text, "interval_minuts")


def test_toml_syntax_error(tmp_path: Path) -> None:
    """Broken TOML names the line tomllib found."""
    text = CONFIG.replace('lang = "th"', "lang = th")
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text), env={})
    assert info.value.line == line_of(text, "lang = th")


def test_rubric_error_names_the_rubric_file(tmp_path: Path) -> None:
    """A bad rubric file is reported in that file, at the rubric's key."""
    path = write(tmp_path, CONFIG)
    rubric = (tmp_path / "rubric.toml").read_text(encoding="utf-8")
    rubric = rubric.replace('kind = "linear"', 'kind = "linear"\nweight = -1')
    (tmp_path / "rubric.toml").write_text(rubric, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert info.value.file == str(tmp_path / "rubric.toml")
    assert info.value.key.startswith("indicators.TCH-2")
    assert info.value.line is not None and info.value.line >= line_of(rubric, "[indicators.TCH-2]")


def test_alias_to_unknown_indicator(tmp_path: Path) -> None:
    """An alias that names no indicator of the rubric set is refused."""
    text = CONFIG + '\n[forms.indicator_aliases]\n"DMIS" = "NOPE-1"\n'
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text), env={})
    assert info.value.key == "forms.0.indicator_aliases.DMIS"
    assert info.value.line == line_of(text, '"DMIS"')


def test_missing_file(tmp_path: Path) -> None:
    """A config path that does not exist is a ConfigError, not a traceback."""
    with pytest.raises(ConfigError):
        load_settings(tmp_path / "nope.toml", env={})


def test_example_config_loads() -> None:
    """config/kpisync.toml is complete and valid against the shipped rubric set."""
    settings = load_settings(REPO / "config" / "kpisync.toml", env={})
    assert [f.form_id[:9] for f in settings.forms] == ["1FormAllS", "1FormTeac", "1FormDist"]
    assert settings.timezone == "Asia/Bangkok"
    assert settings.fiscal_year_be == 2569
