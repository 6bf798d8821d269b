"""`kpisync doctor` against the sandbox: everything reachable; a form, a folder and the dashboard not shared
(Google's 403 and 404); an API switched off; a question title that is not in the form; a rubric role nobody
holds; a missing key file. Each problem is named with how to fix it, and the exit status says so."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from connectors.errors import FatalError, RetriableError
from daemon.admin.hints import api_disabled, enable_api
from daemon.cli import app
from daemon.demo import find_config
from tests.sandbox.api_helpers import control

REPO_CONFIG = find_config()
ACCOUNT = "kpisync@office-kpi.iam.gserviceaccount.com"


def _config(tmp_path: Path, edit: Any = None) -> Path:
    """The example config, copied with a key file naming ``ACCOUNT`` and retries cut to one attempt."""
    target = tmp_path / "config"
    shutil.copytree(REPO_CONFIG.parent, target)
    key = target / "key.json"
    key.write_text(
        json.dumps({"type": "service_account", "client_email": ACCOUNT, "project_id": "office-kpi"})
    )
    path = target / "kpisync.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("[google]\n", '[google]\ncredentials_file = "key.json"\n', 1)
    text = re.sub(r"(?m)^max_attempts = \d+", "max_attempts = 1", text)
    path.write_text(edit(text) if edit else text, encoding="utf-8")
    return path


def _doctor(config: Path, base_url: str | None) -> Any:
    env = {"KPISYNC_GOOGLE_BASE_URL": base_url, "CREDENTIALS_DIRECTORY": None}
    return CliRunner().invoke(app, ["doctor", "--config", str(config)], env=env)


def _lines(result: Any, mark: str) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith(mark)]


@pytest.mark.integration
def test_everything_reachable(sandbox: Any, tmp_path: Path) -> None:
    """The sample office as seeded: the key's account, each form, each upload folder, the roster and the
    dashboard are ✓, and doctor exits 0."""
    result = _doctor(_config(tmp_path), sandbox.base_url)
    assert result.exit_code == 0, result.output
    assert _lines(result, "✗") == []
    ok = "\n".join(_lines(result, "✓"))
    assert ACCOUNT in ok
    for form_id in sandbox.manifest["forms"].values():
        assert form_id in ok
    for folder in sandbox.manifest["upload_folders"].values():
        assert f"Google Drive {folder}" in ok
    assert "48 people" in ok
    assert result.stdout.strip().endswith("all reachable")


@pytest.mark.integration
def test_unshared_form_folder_and_dashboard_are_named_with_the_fix(sandbox: Any, tmp_path: Path) -> None:
    """A form shared with nobody (403), an upload folder the account cannot read (404) and an unshared
    dashboard: each is one ✗ line saying how to share it with the key's client_email, exit 1."""
    teacher = sandbox.manifest["forms"]["teacher"]
    folder = sandbox.manifest["upload_folders"][sandbox.manifest["forms"]["district"]]
    dashboard = sandbox.manifest["spreadsheets"]["dashboard"]
    control(sandbox.base_url, "PUT", f"/sandbox/forms/{teacher}/access", {"editors": [], "readers": []})
    control(
        sandbox.base_url, "PUT", f"/sandbox/spreadsheets/{dashboard}/access", {"editors": [], "readers": []}
    )
    control(sandbox.base_url, "PUT", f"/sandbox/drive/files/{folder}/access", {"readers": []})

    result = _doctor(_config(tmp_path), sandbox.base_url)

    assert result.exit_code == 1, result.output
    failed = _lines(result, "✗")
    assert len(failed) == 3, failed
    form_line = next(line for line in failed if teacher in line)
    assert "เพิ่มผู้ทำงานร่วมกัน" in form_line and "Add collaborators" in form_line
    assert f"{ACCOUNT} as Editor" in form_line
    folder_line = next(line for line in failed if folder in line)
    assert f"{ACCOUNT} as Viewer" in folder_line and "upload folder" in folder_line
    dashboard_line = next(line for line in failed if dashboard in line)
    assert "Share" in dashboard_line and f"{ACCOUNT} as Editor" in dashboard_line
    assert "3 problem(s)" in result.stdout


@pytest.mark.integration
@pytest.mark.parametrize(
    ("api", "title", "what"),
    [("forms", "Google Forms API", "form"), ("sheets", "Google Sheets API", "dashboard"),
     ("drive", "Google Drive API", "Google Drive")],
)  # fmt: skip
def test_api_switched_off_says_which_to_enable(
    sandbox: Any, tmp_path: Path, api: str, title: str, what: str
) -> None:
    """An API not enabled in the project (403 SERVICE_DISABLED / accessNotConfigured) is named, with the
    activation link Google gave, instead of a sharing hint."""
    control(sandbox.base_url, "POST", "/sandbox/apis", {api: False})
    result = _doctor(_config(tmp_path), sandbox.base_url)
    assert result.exit_code == 1, result.output
    failed = [line for line in _lines(result, "✗") if what in line]
    assert failed, result.stdout
    assert all(f"{title} is not enabled" in line for line in failed)
    assert f"apis/api/{api}.googleapis.com" in failed[0]
    assert "Share" not in failed[0]


@pytest.mark.integration
def test_a_question_title_not_in_the_form_is_named_with_its_line(sandbox: Any, tmp_path: Path) -> None:
    """A mistyped question title: the key, the config line and the form's real titles, exit 1."""
    config = _config(tmp_path, lambda t: t.replace('value = "ผลการดำเนินงาน (ตัวเลข)"', 'value = "ผลงาน"', 1))
    line = (
        config.read_text(encoding="utf-8")
        .splitlines()
        .index(
            next(
                x for x in config.read_text(encoding="utf-8").splitlines() if x.startswith('value = "ผลงาน"')
            )
        )
    )
    result = _doctor(config, sandbox.base_url)
    assert result.exit_code == 1, result.output
    (failed,) = _lines(result, "✗")
    assert 'ไม่มีคำถาม "ผลงาน"' in failed
    assert f"forms.0.questions.value, kpisync.toml:{line + 1}" in failed
    assert '"ผลการดำเนินงาน (ตัวเลข)"' in failed  # the title the form has


@pytest.mark.integration
def test_a_rubric_role_nobody_holds_is_a_warning(sandbox: Any, tmp_path: Path) -> None:
    """A roster (CSV) with only teachers: each rubric role nobody holds is one ! line naming its
    indicators; warnings alone still exit 0."""

    def csv_roster(text: str) -> str:
        text = text.replace('spreadsheet_id = "1RosterSukhothaiKpi2569xxxxxxxxxxxxxxxxxxxx"\n', "")
        return text.replace('tab = "รายชื่อ"\n', 'tab = "รายชื่อ"\ncsv_file = "roster.csv"\n')

    config = _config(tmp_path, csv_roster)
    (config.parent / "roster.csv").write_text(
        "อีเมล,ชื่อ-นามสกุล,หน่วยงาน,บทบาท,ประเภทบุคลากร\nt1@sukho.nfe.go.th,ครูหนึ่ง,สกร.อำเภอเมือง,ครู,ข้าราชการ\n",
        encoding="utf-8",
    )

    result = _doctor(config, sandbox.base_url)

    assert result.exit_code == 0, result.output
    warnings = _lines(result, "!")
    planning = next(line for line in warnings if '"เจ้าหน้าที่แผน"' in line)
    assert "nobody in the roster has the role" in planning
    assert re.search(r"indicators [A-Z]+-\d", planning)
    assert not any('"ครู"' in line for line in warnings)


def test_missing_key_file_stops_before_any_call(tmp_path: Path) -> None:
    """Real Google with a key file that is not there: one ✗ naming the path and where to put the key, no
    other check, exit 1."""
    config = _config(tmp_path)
    (config.parent / "key.json").unlink()
    result = _doctor(config, None)
    assert result.exit_code == 1, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("✗ กุญแจบัญชีบริการ / service-account key:")
    assert str(config.parent / "key.json") in lines[0] and "No such file" in lines[0]
    assert "/etc/kpisync/credentials/kpisync-sa.json" in lines[0]


def test_google_error_shapes_for_a_disabled_api() -> None:
    """Drive's legacy reason, the rpc status with Google's message, and a plain 403 are told apart; the
    activation link is taken from the message when Google gives one."""
    message = (
        "Google Forms API has not been used in project 123 before or it is disabled. Enable it by visiting "
        "https://console.developers.google.com/apis/api/forms.googleapis.com/overview?project=123 then retry."
    )
    forms = FatalError(message, status=403, reason="PERMISSION_DENIED")
    drive = RetriableError("Access Not Configured.", status=403, reason="accessNotConfigured")
    unshared = FatalError("The caller does not have permission", status=403, reason="PERMISSION_DENIED")
    assert api_disabled(forms) and api_disabled(drive)
    assert not api_disabled(unshared)
    assert "overview?project=123, press Enable" in enable_api("forms", forms, None).en
    assert (
        "apis/library/drive.googleapis.com?project=office-kpi" in enable_api("drive", drive, "office-kpi").en
    )
