"""kpisync.toml → one typed, validated Settings object.

Every error names the file, the line and the key (``daemon.errors.ConfigError``) so the CLI can print one
line and
exit 2. Paths in the file are relative to the file. The service-account key is never in the config: either a
``credentials_file`` path or systemd's ``$CREDENTIALS_DIRECTORY/kpisync-sa.json``.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue, SkipJsonSchema
from pydantic_core import CoreSchema

from daemon.errors import ConfigError
from scoring.calendar import (
    FiscalYear,
    Round,
    default_cutoff,
    fiscal_year_of,
    fiscal_year_of_report,
    in_fiscal_year,
)
from scoring.explain import Lang
from scoring.facts import AWARD_LEVELS
from scoring.rubric import RubricConfigError, RubricSet, load_rubric_set

CREDENTIALS_NAME = "kpisync-sa.json"
ENV_BASE_URL = "KPISYNC_GOOGLE_BASE_URL"
ENV_DATABASE = "KPISYNC_DATABASE"
# systemd's StateDirectory=kpisync creates /var/lib/kpisync for the service user and names it in
# $STATE_DIRECTORY; the database lives there unless the config says otherwise. The same path is the default
# outside systemd, so `sudo kpisync status` run from a shell reads the service's database.
ENV_STATE_DIRECTORY = "STATE_DIRECTORY"
STATE_DIRECTORY = Path("/var/lib/kpisync")
DATABASE_NAME = "kpisync.db"

DEFAULT_AWARD_ROWS = {
    "ระดับประเทศ": "national",
    "ระดับภาค": "regional",
    "ระดับจังหวัด": "provincial",
    "ระดับอำเภอ": "district",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionRef(_Strict):
    """A form question found by its title (as the admin sees it in the Form), or pinned by its questionId."""

    title: str
    question_id: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_title(cls, value: Any) -> Any:
        return {"title": value} if isinstance(value, str) else value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The admin may write just the title ("ตัวชี้วัด") instead of a table: the schema must accept both.
        table = handler(core_schema)
        return {"anyOf": [{"type": "string", "description": "the question's title, as in the Form"}, table]}


class FormQuestions(_Strict):
    name: QuestionRef | None = None
    indicator: QuestionRef
    round: QuestionRef
    value: QuestionRef | None = None
    steps: QuestionRef | None = None
    awards: QuestionRef | None = None  # a grid: one row per award level
    links: QuestionRef | None = None
    uploads: QuestionRef | None = None
    date: QuestionRef | None = None
    note: QuestionRef | None = None


class FormSettings(_Strict):
    form_id: str = Field(min_length=1)
    label: str = ""
    # Every response of this form reports on this fiscal year (a form made for one year). Without it each
    # submission's fiscal year comes from when it was sent (scoring.calendar.fiscal_year_of_report).
    fiscal_year: int | None = Field(default=None, ge=2500, le=2700)
    questions: FormQuestions
    indicator_aliases: dict[str, str] = Field(default_factory=dict)  # answer text -> indicator code
    award_rows: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_AWARD_ROWS))


class RoundSettings(_Strict):
    """A round given in kpisync.toml, overriding the rubric set's rounds (e.g. a deadline the office
    extended)."""

    months: Literal[6, 9, 12]
    cutoff: date | None = None
    deadline: date  # end of this day in Bangkok


class RosterColumns(_Strict):
    email: str = "อีเมล"
    name: str = "ชื่อ-นามสกุล"
    unit: str = "หน่วยงาน"
    role: str = "บทบาท"
    staff_type: str = "ประเภทบุคลากร"


class RosterSettings(_Strict):
    spreadsheet_id: str | None = None
    tab: str = "รายชื่อ"
    csv_file: Path | None = None
    columns: RosterColumns = Field(default_factory=RosterColumns)

    @model_validator(mode="after")
    def _one_source(self) -> RosterSettings:
        if (self.spreadsheet_id is None) == (self.csv_file is None):
            raise ValueError("give exactly one of spreadsheet_id or csv_file")
        return self


class DashboardSettings(_Strict):
    spreadsheet_id: str = Field(min_length=1)


class RetrySettings(_Strict):
    max_attempts: int = Field(default=5, ge=1, le=20)
    initial_wait_seconds: float = Field(default=1.0, ge=0)
    max_wait_seconds: float = Field(default=32.0, ge=0)


class GoogleSection(_Strict):
    base_url: str | None = None  # the sandbox's address; None talks to Google
    credentials_file: Path | None = None
    delegated_subject: str | None = None
    timeout_seconds: float = Field(default=60.0, gt=0)
    retry: RetrySettings = Field(default_factory=RetrySettings)


class ScheduleSettings(_Strict):
    interval_minutes: int = Field(default=15, ge=1)
    full_reconcile_hours: float = Field(default=24.0, gt=0)


class EvidenceSettings(_Strict):
    recheck_after_hours: float = Field(default=24.0, gt=0)


class Settings(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    # Filled in by load_settings, not written in the file: left out of the editors' JSON schema.
    config_path: SkipJsonSchema[Path]
    timezone: str = "Asia/Bangkok"
    lang: Lang = "th"
    database: Path = STATE_DIRECTORY / DATABASE_NAME  # $STATE_DIRECTORY/kpisync.db under systemd
    fiscal_year: int | None = Field(default=None, ge=2500, le=2700)  # Buddhist era; default: the rubric set's
    rounds: list[RoundSettings] = Field(default_factory=list)  # default: the rubric set's rounds
    rubric_file: Path
    rubrics: SkipJsonSchema[RubricSet]
    google: GoogleSection = Field(default_factory=GoogleSection)
    dashboard: DashboardSettings
    roster: RosterSettings
    forms: list[FormSettings] = Field(min_length=1)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    evidence: EvidenceSettings = Field(default_factory=EvidenceSettings)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def fiscal_year_be(self) -> int:
        if self.fiscal_year is not None:
            return self.fiscal_year
        assert self.rubrics.fiscal_year is not None  # load_settings refuses a config with neither
        return self.rubrics.fiscal_year.year_be

    def round_map(self) -> dict[int, Round]:
        """The rounds by length in months: kpisync.toml's when it lists any, else the rubric set's."""
        if not self.rounds:
            return {r.months: r for r in self.rubrics.rounds}
        fiscal_year = FiscalYear(self.fiscal_year_be)
        return {
            r.months: Round(
                r.months, fiscal_year, r.cutoff or default_cutoff(fiscal_year, r.months), r.deadline
            )
            for r in self.rounds
        }

    def round_of(self, fiscal_year_be: int | None, months: int | None) -> Round | None:
        """The ``months`` round of a given fiscal year, its dates moved from the configured year's."""
        configured = self.round_map().get(months or 0)
        if configured is None or fiscal_year_be is None:
            return None
        return in_fiscal_year(configured, FiscalYear(fiscal_year_be))

    def fiscal_year_of(self, form: FormSettings, months: int | None, submitted_at: datetime) -> int:
        """The fiscal year (BE) a submission reports on: the form's, else the one its date falls in."""
        if form.fiscal_year is not None:
            return form.fiscal_year
        configured = self.round_map().get(months or 0)
        if configured is None:
            return fiscal_year_of(submitted_at.astimezone(self.tz).date()).year_be
        return fiscal_year_of_report(configured, submitted_at).year_be


def load_settings(path: Path, env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate ``path``; ``env`` defaults to the process environment (tests pass their own)."""
    environ = os.environ if env is None else env
    path = path.resolve()
    text, data = _read_toml(path, "cannot read")
    base = path.parent
    data = dict(data)
    _resolve_paths(data, base, environ)
    rubric_path = data.get("rubric_file")
    if isinstance(rubric_path, Path):
        data["rubrics"] = _load_rubrics(rubric_path)
    data["config_path"] = path
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        key = ".".join(str(p) for p in loc)
        raise ConfigError(str(path), find_line(text, loc), key, first["msg"]) from None
    _check_cross_references(settings, text)
    return settings


def _resolve_paths(data: dict[str, Any], base: Path, environ: Mapping[str, str]) -> None:
    if ENV_DATABASE in environ:
        data["database"] = environ[ENV_DATABASE]
    elif "database" not in data:
        data["database"] = default_database(environ)
    if isinstance(data.get("database"), str):
        data["database"] = base / data["database"]
    if isinstance(data.get("rubric_file"), str):
        data["rubric_file"] = base / data["rubric_file"]
    roster = data.get("roster")
    if isinstance(roster, dict) and isinstance(roster.get("csv_file"), str):
        data["roster"] = {**roster, "csv_file": base / roster["csv_file"]}
    google = dict(data.get("google") or {})
    if environ.get(ENV_BASE_URL):
        google["base_url"] = environ[ENV_BASE_URL]
    if isinstance(google.get("credentials_file"), str):
        google["credentials_file"] = base / google["credentials_file"]
    elif "credentials_file" not in google and environ.get("CREDENTIALS_DIRECTORY"):
        google["credentials_file"] = Path(environ["CREDENTIALS_DIRECTORY"]) / CREDENTIALS_NAME
    data["google"] = google


def default_database(environ: Mapping[str, str]) -> Path:
    """Where the database is when the config names none: the service's state directory."""
    # systemd may list several directories separated by ':'; kpisync's unit names one.
    state = (environ.get(ENV_STATE_DIRECTORY) or "").split(":")[0]
    return (Path(state) if state else STATE_DIRECTORY) / DATABASE_NAME


def _read_toml(path: Path, cannot_read: str) -> tuple[str, dict[str, Any]]:
    """The file's text (to find a key's line later) and its parsed TOML; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), None, "", f"{cannot_read}: {exc.strerror or exc}") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        raise ConfigError(str(path), line, "", f"not valid TOML: {exc}") from None


def _load_rubrics(path: Path) -> RubricSet:
    text, data = _read_toml(path, "cannot read rubric file")
    try:
        return load_rubric_set(data, str(path))
    except RubricConfigError as exc:
        key_path = tuple(exc.key_path.split(".")) if exc.key_path else ()
        raise ConfigError(str(path), find_line(text, key_path), exc.key_path, exc.message) from None


def _check_cross_references(settings: Settings, text: str) -> None:
    """Aliases must name indicators the rubric set defines, award rows the levels scoring knows (a typo
    would make those awards silently worth nothing), and each round length may appear once."""
    codes = set(settings.rubrics.indicators)
    for index, form in enumerate(settings.forms):
        for row, level in form.award_rows.items():
            if level not in AWARD_LEVELS:
                message = f"unknown award level {level!r}; use one of {', '.join(AWARD_LEVELS)}"
                raise _error_at(settings, text, ("forms", index, "award_rows", row), message)
        for alias, code in form.indicator_aliases.items():
            if code not in codes:
                message = f"indicator {code!r} is not in {settings.rubric_file.name}"
                raise _error_at(settings, text, ("forms", index, "indicator_aliases", alias), message)
    months = [r.months for r in settings.rounds]
    if len(set(months)) != len(months):
        raise _error_at(settings, text, ("rounds",), "a round is repeated")
    if settings.fiscal_year is None and settings.rubrics.fiscal_year is None:
        message = f"no fiscal year here or in {settings.rubric_file.name} (Buddhist era, e.g. 2569)"
        raise ConfigError(str(settings.config_path), None, "fiscal_year", message)


def _error_at(settings: Settings, text: str, loc: tuple[str | int, ...], message: str) -> ConfigError:
    """A config error at ``loc`` (a dotted key path) with the line it stands on in the file."""
    key = ".".join(str(p) for p in loc)
    return ConfigError(str(settings.config_path), find_line(text, loc), key, message)


def _line_from_message(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None


def find_line(text: str, loc: Sequence[str | int]) -> int | None:
    """The 1-based line where a validation error's location most likely is, by scanning the TOML text.

    Good enough for an operator: follow table headers (``[[forms]]`` counted by index) down to the last key.
    """
    lines = text.splitlines()
    start = 0
    path: list[str] = []
    best: int | None = None
    items = list(loc)
    for part in items:
        if isinstance(part, int):
            header = re.compile(r"^\s*\[\[\s*" + re.escape(".".join(path)) + r"\s*\]\]")
            hits = [n for n, line in enumerate(lines) if n >= start and header.match(line)]
            if part < len(hits):
                start = hits[part]
                best = start + 1
            continue
        path.append(part)
        found = _find_key(lines, start, part)
        if found is not None:
            start = found
            best = found + 1
    return best


def _find_key(lines: list[str], start: int, key: str) -> int | None:
    quoted = re.escape(key)
    key_re = re.compile(rf'^\s*(?:"{quoted}"|{quoted})\s*=')
    header_re = re.compile(r"^\s*\[+\s*(?:[\w.\"-]*\.)?(?:\"" + quoted + r"\"|" + quoted + r")\s*\]+")
    for n in range(start, len(lines)):
        if key_re.match(lines[n]) or header_re.match(lines[n]):
            return n
    return None
