"""``kpisync doctor``: can the service account reach everything the config names, and does the config match
what it reaches?

``check-config`` reads only the files; doctor asks Google. In order: the key file (and whose it is), each
form (forms.get and responses.list; every question title of the config found in it), each upload folder
those forms use, the Drive API, the roster (its columns; every rubric role held by someone) and the
dashboard. Each finding is one line, ✓ ok, ! worth a look, ✗ a problem, and each problem says in Thai and
English what the service account cannot open and how to share it, or which API to enable. Reads only:
doctor writes nothing to Google and opens no database.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from connectors.base import EvidenceChecker, EvidenceStatus, FileRef, FormsSource, SheetsClient
from connectors.errors import ConnectorError, FatalError
from connectors.google import GoogleConnectors
from daemon.admin import hints
from daemon.admin.hints import Advice
from daemon.errors import ConfigError
from daemon.settings import FormSettings, Settings, find_line
from daemon.sync.failures import PartUnusableError
from daemon.sync.normalize import index_questions, unresolved_questions
from daemon.sync.roster import load_roster
from scoring.rubric import roles_of

# Where deploy/install.sh tells the admin to put the key; systemd hands it to the service from there, and
# an admin running doctor from a shell (as root) has no $CREDENTIALS_DIRECTORY.
DEPLOY_KEY = Path("/etc/kpisync/credentials/kpisync-sa.json")
UNKNOWN_ACCOUNT = "the service account (client_email in its key file)"
Level = Literal["ok", "warn", "fail"]
MARK = {"ok": "✓", "warn": "!", "fail": "✗"}


@dataclass(frozen=True)
class Finding:
    level: Level
    subject: str
    detail: str

    def line(self) -> str:
        return f"{MARK[self.level]} {self.subject}: {self.detail}"


@dataclass(frozen=True)
class KeyFile:
    """The service-account key doctor will use, and what it says about itself (never the key itself)."""

    path: Path | None
    client_email: str | None = None
    project_id: str | None = None
    problem: str | None = None


def read_key(settings: Settings, fallback: Path = DEPLOY_KEY) -> KeyFile:
    """The configured key (or systemd's credential, or the deploy location), its client_email and project."""
    path = settings.google.credentials_file
    if path is None:
        if settings.google.base_url is not None:
            return KeyFile(None)  # the sandbox needs no key
        path = fallback
    try:
        info = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        return KeyFile(path, problem=f"cannot read {path} ({exc.strerror or exc})")
    except ValueError:
        return KeyFile(path, problem=f"{path} is not valid JSON")
    if not isinstance(info, dict) or info.get("type") != "service_account":
        return KeyFile(path, problem=f'{path} is not a service-account key (no "type": "service_account")')
    return KeyFile(path, _text(info.get("client_email")), _text(info.get("project_id")))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def key_config_error(settings: Settings, key: KeyFile) -> ConfigError | None:
    """A key that cannot be used, as the config error ``check-config`` reports (exit 2)."""
    if key.problem is None:
        return None
    try:
        text = settings.config_path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    configured = settings.google.credentials_file is not None
    where = ("google", "credentials_file") if configured else ("google",)
    hint = "" if configured else f" (systemd's LoadCredential= reads it from {DEPLOY_KEY})"
    return ConfigError(
        str(settings.config_path), find_line(text, where), "google.credentials_file", key.problem + hint
    )


def key_findings(settings: Settings, key: KeyFile) -> list[Finding]:
    subject = "กุญแจบัญชีบริการ / service-account key"
    if key.problem is not None:
        advice = Advice(
            f"อ่านไม่ได้: {key.problem} วางไฟล์กุญแจ JSON ที่ {DEPLOY_KEY} (เจ้าของ root, 0600) หรือกำหนด "
            "google.credentials_file",
            f"unusable: {key.problem}; put the JSON key at {DEPLOY_KEY} (owner root, mode 0600) or set "
            "google.credentials_file",
        )
        return [Finding("fail", subject, advice.line())]
    if key.path is None:
        return [Finding("ok", subject, f"sandbox at {settings.google.base_url}: no key needed")]
    who = key.client_email or "no client_email in the key"
    return [Finding("ok", subject, f"{key.path} ({who}, project {key.project_id or '?'})")]


@dataclass
class _Doctor:
    settings: Settings
    forms: FormsSource
    evidence: EvidenceChecker
    sheets: SheetsClient
    key: KeyFile
    now: datetime
    config_text: str

    @property
    def email(self) -> str:
        return self.key.client_email or UNKNOWN_ACCOUNT

    def refused(self, thing: hints.Thing, exc: ConnectorError, name: str, api: str) -> str:
        advice = hints.refused(thing, exc, email=self.email, name=name, api=api, project=self.key.project_id)
        return advice.line()

    def form(self, index: int, form: FormSettings, folders: dict[str, str]) -> list[Finding]:
        subject = f"แบบฟอร์ม / form {form.label or ''} {form.form_id}".replace("  ", " ")
        try:
            form_json = self.forms.get_form(form.form_id)
            next(iter(self.forms.list_responses(form.form_id, self.now)), None)
        except ConnectorError as exc:
            return [Finding("fail", subject, self.refused("form", exc, form.form_id, "forms"))]
        title = str((form_json.get("info") or {}).get("title") or "")
        found = [Finding("ok", subject, f"{title} ({len(form_json.get('items') or [])} items)")]
        questions = index_questions(form_json)
        for key, wanted in unresolved_questions(form, questions):
            line = find_line(self.config_text, ("forms", index, "questions", key))
            where = f"{self.settings.config_path.name}:{line}" if line else self.settings.config_path.name
            titles = ", ".join(f'"{t}"' for t in [*questions.by_title, *questions.grids] if t)
            advice = Advice(
                f'ไม่มีคำถาม "{wanted}" ในแบบฟอร์ม (forms.{index}.questions.{key}, {where}) แก้ชื่อให้ตรงกับ'
                "ในแบบฟอร์มทุกตัวอักษร",
                f'the form has no question titled "{wanted}" (forms.{index}.questions.{key}, {where}); '
                f"copy the title exactly. The form's questions: {titles}",
            )
            found.append(Finding("fail", subject, advice.line()))
        for item in form_json.get("items") or []:
            upload = ((item.get("questionItem") or {}).get("question") or {}).get("fileUploadQuestion")
            if isinstance(upload, dict) and upload.get("folderId"):
                folders.setdefault(str(upload["folderId"]), f"{title}: {item.get('title', '')}")
        return found

    def drive(self, folders: Mapping[str, str]) -> list[Finding]:
        subject = "Google Drive"
        # Without upload folders, any id answers whether Drive is reachable: 404 is an answer too.
        probe = dict(folders) or {self.settings.dashboard.spreadsheet_id: ""}
        try:
            checks = self.evidence.check_files([FileRef(i) for i in probe])
        except ConnectorError as exc:
            return [Finding("fail", subject, self.refused("drive", exc, "", "drive"))]
        found: list[Finding] = []
        for file_id, where in probe.items():
            error = checks.unchecked.get(file_id)
            check = checks.verdicts.get(file_id)
            if error is not None or check is None:
                error = error or FatalError("Drive gave no answer for this file")
                found.append(Finding("fail", subject, self.refused("drive", error, file_id, "drive")))
            elif not where:
                found.append(Finding("ok", subject, "Drive API answers (files.get)"))
            elif check.status in (EvidenceStatus.FOLDER, EvidenceStatus.OK):
                found.append(Finding("ok", f"{subject} {file_id}", f"upload folder of {where}: readable"))
            else:
                advice = hints.share("folder", self.email, file_id)
                detail = Advice(
                    f"บัญชีบริการเปิดโฟลเดอร์อัปโหลดของ {where} ไม่ได้ (ไฟล์หลักฐานที่อัปโหลดจะตรวจไม่ได้): {advice.th}",
                    f"the service account cannot open the upload folder of {where} (uploaded evidence "
                    f"cannot be checked): {advice.en}",
                )
                found.append(Finding("fail", f"{subject} {file_id}", detail.line()))
        return found

    def roster(self) -> list[Finding]:
        roster = self.settings.roster
        name = str(roster.csv_file) if roster.csv_file else f"{roster.spreadsheet_id} ({roster.tab})"
        subject = f"ทะเบียนบุคลากร / roster {name}"
        try:
            entries = load_roster(roster, self.sheets)
        except ConnectorError as exc:
            return [
                Finding("fail", subject, self.refused("roster", exc, str(roster.spreadsheet_id), "sheets"))
            ]
        except (ConfigError, PartUnusableError) as exc:
            hint = getattr(exc, "hint", "")
            return [Finding("fail", subject, " ".join(f"{exc.message} {hint}".split()))]
        found = [Finding("ok", subject, f"{len(entries)} people")]
        held = {e.role for e in entries if e.role}
        if entries and not held:
            column = roster.columns.role
            found.append(Finding("fail", subject, f'no roles: the column "{column}" is missing or empty'))
            return found
        rubrics = self.settings.rubrics
        for role in sorted(roles_of(rubrics) - held):
            codes = ", ".join(i.code for i in rubrics.indicators.values() if role in i.roles)
            advice = Advice(
                f'ไม่มีใครในทะเบียนมีบทบาท "{role}" ตัวชี้วัด {codes} จึงไม่มีผู้ถูกประเมิน ตรวจการสะกดในคอลัมน์ '
                f'"{roster.columns.role}"',
                f'nobody in the roster has the role "{role}", so indicators {codes} score nobody; check the '
                f'spelling in the column "{roster.columns.role}"',
            )
            found.append(Finding("warn", subject, advice.line()))
        for role in sorted(held - roles_of(rubrics)):
            people = sum(1 for e in entries if e.role == role)
            found.append(
                Finding(
                    "warn",
                    subject,
                    f'{people} people have the role "{role}", which no indicator names: only the indicators '
                    'for every role ("*") apply to them',
                )
            )
        return found

    def dashboard(self) -> list[Finding]:
        spreadsheet_id = self.settings.dashboard.spreadsheet_id
        subject = f"แดชบอร์ด / dashboard {spreadsheet_id}"
        try:
            info = self.sheets.open(spreadsheet_id).info()
        except ConnectorError as exc:
            return [Finding("fail", subject, self.refused("dashboard", exc, spreadsheet_id, "sheets"))]
        note = "kpisync writes to it: share it as Editor (the first sync says if it is only Viewer)"
        return [Finding("ok", subject, f"{info.title} ({len(info.tabs)} tabs); {note}")]


def diagnose(
    settings: Settings,
    key: KeyFile,
    connect: Callable[[Settings, Path | None], GoogleConnectors],
    now: datetime,
) -> list[Finding]:
    """The key's findings, then, when the key is usable, every check through connectors ``connect`` builds
    with it (closed at the end)."""
    findings = key_findings(settings, key)
    if key.problem is not None:
        return findings
    try:
        google = connect(settings, key.path)
    except ConnectorError as exc:  # google-auth refused the key's content
        return [*findings, Finding("fail", "กุญแจบัญชีบริการ / service-account key", exc.message)]
    try:
        return findings + run_doctor(
            settings, forms=google.forms, evidence=google.evidence, sheets=google.sheets, key=key, now=now
        )
    finally:
        google.close()


def run_doctor(
    settings: Settings,
    *,
    forms: FormsSource,
    evidence: EvidenceChecker,
    sheets: SheetsClient,
    key: KeyFile,
    now: datetime,
) -> list[Finding]:
    """Every finding, in order: forms, their upload folders and Drive, the roster, the dashboard."""
    try:
        text = settings.config_path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    doctor = _Doctor(settings, forms, evidence, sheets, key, now, text)
    found: list[Finding] = []
    folders: dict[str, str] = {}
    for index, form in enumerate(settings.forms):
        found += doctor.form(index, form, folders)
    found += doctor.drive(folders)
    found += doctor.roster()
    found += doctor.dashboard()
    # One switched-off API fails every call alike: say it once.
    return list(dict.fromkeys(found))
