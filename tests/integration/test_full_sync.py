"""A full sync of the sample world through the real client libraries against the sandbox.

The expected Sheet is worked out from the sample data itself (the responses as the Forms API lists them, the
roster as the roster spreadsheet has it, the seed's manifest of special cases), not from the daemon's own
model.

API calls of a sync, as a formula (F forms, P_f pages of form f, D distinct Drive ids the responses name, S
distinct shortcut targets among them, B the bytes of the dashboard's requests):

    calls = F                      forms.get, one per form
          + Σ_f P_f                responses.list, pages of up to 5000 (P_f = max(1, ⌈n_f / 5000⌉))
          + 1                      the roster tab (values.batchGet)
          + ⌈D/100⌉ + ⌈S/100⌉      Drive files.get in batches of 100; a shortcut's target in a 2nd batch
          + 1                      the dashboard's spreadsheets.get
          + [the dashboard tabs exist]               one values.batchGet of every tab
          + [rows written to tabs that had rows]     the fence: one values.batchGet of headers and keys
          + ⌈B / 2 MB⌉                               spreadsheets.batchUpdate calls (0 when nothing changed)
          + [rows written to keyed tabs]             the check: one values.batchGet of headers and keys

(plus a re-read and a rewrite only when people move rows while the sync writes), so the first sync of the
sample is F + ΣP + 1 + ⌈D/100⌉ + ⌈S/100⌉ + 3 with one write, and a second with nothing new F + ΣP + 3 with
no write. Evidence files are not checked again until their check is stale.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from daemon.app import build_deps
from daemon.settings import load_settings
from daemon.store.models import DATA_TABLES, ApiCallRecord, SyncRun
from daemon.sync.cycle import run_sync
from daemon.sync.normalize import submission_key
from scoring.flags import FlagCode, flag_label

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SUBMISSIONS_TAB = "ผลการประเมิน"
_DRIVE_ID = re.compile(r"(?:/d/|[?&]id=|/folders/)([A-Za-z0-9_-]{10,})")


def list_all(forms: Any, form_id: str) -> tuple[list[dict[str, Any]], int]:
    responses: list[dict[str, Any]] = []
    pages = 0
    token = None
    while True:
        reply = forms.forms().responses().list(formId=form_id, pageToken=token).execute()
        pages += 1
        responses.extend(reply.get("responses", []))
        token = reply.get("nextPageToken")
        if not token:
            return responses, pages


def text_answer(response: dict[str, Any], qid: str | None) -> str:
    if qid is None:
        return ""
    answers = response.get("answers", {}).get(qid, {}).get("textAnswers", {}).get("answers", [])
    return "\n".join(a.get("value", "") for a in answers).strip()


def snapshot(engine: Any) -> dict[str, list[str]]:
    with Session(engine) as session:
        return {
            str(table.__tablename__): sorted(  # type: ignore[attr-defined]
                json.dumps(row.model_dump(), default=str, sort_keys=True)
                for row in session.exec(select(table))
            )
            for table in DATA_TABLES
        }


def test_full_sync_against_sandbox(
    sandbox: Any, google_clients: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The Sheet holds every sample response as the data implies, literally; a second sync writes nothing."""
    env = {"KPISYNC_GOOGLE_BASE_URL": sandbox.base_url, "KPISYNC_DATABASE": str(tmp_path / "kpisync.db")}
    settings = load_settings(REPO / "config" / "kpisync.toml", env=env)
    deps = build_deps(settings)
    request.addfinalizer(deps.close)
    manifest = sandbox.manifest

    first = run_sync(settings, deps)
    assert first.outcome == "ok"

    # --- what the sample data implies, read independently through the plain client libraries ---
    forms = google_clients.forms(sandbox.base_url)
    sheets = google_clients.sheets(sandbox.base_url)
    raw: dict[str, tuple[str, dict[str, Any]]] = {}
    pages = 0
    drive_ids: set[str] = set()
    for form in settings.forms:
        responses, form_pages = list_all(forms, form.form_id)
        pages += form_pages
        questions = manifest["questions"][form.form_id]
        for response in responses:
            raw[submission_key(form.form_id, response["responseId"])] = (form.form_id, response)
            drive_ids.update(_DRIVE_ID.findall(text_answer(response, questions.get("ลิงก์หลักฐาน"))))
            upload = response.get("answers", {}).get(questions.get("อัปโหลดไฟล์หลักฐาน"), {})
            drive_ids.update(a["fileId"] for a in upload.get("fileUploadAnswers", {}).get("answers", []))
    assert len(raw) == manifest["response_count"]
    roster_rows = (
        sheets.spreadsheets().values().get(spreadsheetId=manifest["spreadsheets"]["roster"], range="'รายชื่อ'")
        .execute()["values"]
    )  # fmt: skip
    names = {row[0]: row[1] for row in roster_rows[1:]}

    grid = (
        sheets.spreadsheets().values()
        .get(spreadsheetId=settings.dashboard.spreadsheet_id, range=f"'{SUBMISSIONS_TAB}'",
             valueRenderOption="UNFORMATTED_VALUE")
        .execute()["values"]
    )  # fmt: skip
    header = grid[0]
    col = {title: header.index(title) for title in header}

    def cell(row: list[Any], title: str) -> Any:
        index = col[title]
        return row[index] if index < len(row) else ""

    rows = {cell(r, "รหัสรายการ"): r for r in grid[1:] if cell(r, "รหัสรายการ")}
    assert set(rows) == set(raw), "one row per response, keyed by its submission key"

    for key, (form_id, response) in raw.items():
        row = rows[key]
        questions = manifest["questions"][form_id]
        email = response["respondentEmail"]
        assert cell(row, "อีเมล") == email
        assert cell(row, "ชื่อ-นามสกุล") == names.get(email, text_answer(response, questions["ชื่อ-นามสกุล"]))
        assert cell(row, "คำตอบ") == text_answer(response, questions["ผลการดำเนินงาน (ตัวเลข)"]), key
        assert cell(row, "หมายเหตุผู้ส่ง") == text_answer(response, questions["หมายเหตุ"]), key
        assert str(cell(row, "ตัวชี้วัด")).endswith(text_answer(response, questions["ตัวชี้วัด"]))
        assert str(cell(row, "รอบ")).startswith(text_answer(response, questions["รอบการประเมิน"]))

    key_of = {response["responseId"]: k for k, (_form_id, response) in raw.items()}

    def flags_of(response_id: str) -> str:
        return str(cell(rows[key_of[response_id]], "ข้อสังเกต"))

    # Respondent text starting with = + - @ is stored as that literal text, never evaluated.
    for text, response_id in manifest["risky_notes"].items():
        assert cell(rows[key_of[response_id]], "หมายเหตุผู้ส่ง") == text
    tch1 = key_of[manifest["tch1_awards"]["response_id"]]
    assert cell(rows[tch1], "คะแนนอัตโนมัติ") == manifest["tch1_awards"]["expected_points"]
    assert flag_label(FlagCode.LATE) in flags_of(manifest["late_response"]["response_id"])
    assert flag_label(FlagCode.NOT_IN_ROSTER) in flags_of(manifest["not_in_roster"]["response_id"])
    assert flag_label(FlagCode.SUPERSEDED) in flags_of(manifest["duplicate_pair"]["earlier"])
    assert flag_label(FlagCode.SUPERSEDED) not in flags_of(manifest["duplicate_pair"]["later"])
    for response_id in manifest["shared_file"]["response_ids"]:
        assert flag_label(FlagCode.DUPLICATE_FILE) in flags_of(response_id)
    for case in ("unreadable", "deleted", "trashed"):
        assert flag_label(FlagCode.EVIDENCE_UNREADABLE) in flags_of(manifest["evidence_responses"][case]), (
            case
        )
    for case in ("folder", "shortcut", "resource_key", "youtube", "website"):
        assert flag_label(FlagCode.EVIDENCE_UNREADABLE) not in flags_of(
            manifest["evidence_responses"][case]
        ), case
    edited = manifest["edited_response"]
    edited_key = submission_key(edited["form_id"], edited["response_id"])
    assert cell(rows[edited_key], "คำตอบ") == edited["value_after"]

    # --- the ledger against the formula ---
    shortcuts = 1 if manifest["files"]["shortcut"] in drive_ids else 0
    forms_count = len(settings.forms)
    expected_first = (
        forms_count + pages + 1 + math.ceil(len(drive_ids) / 100) + math.ceil(shortcuts / 100) + 3
    )
    assert first.api_calls == expected_first
    assert first.write_calls == 1

    before = snapshot(deps.engine)
    second = run_sync(settings, deps)
    assert second.api_calls == forms_count + pages + 3
    assert second.write_calls == 0
    assert snapshot(deps.engine) == before, "a sync with nothing new changes no data row"
    with Session(deps.engine) as session:
        runs = session.exec(select(SyncRun)).all()
        assert sorted((r.api_calls, r.write_calls) for r in runs) == sorted(
            [(first.api_calls, 1), (second.api_calls, 0)]
        )
        ledger = session.exec(select(ApiCallRecord).where(ApiCallRecord.run_id == second.run_id)).all()
        assert not any(c.is_write for c in ledger)
        drive = session.exec(
            select(ApiCallRecord).where(ApiCallRecord.run_id == first.run_id, ApiCallRecord.api == "drive")
        ).all()
        assert sum(c.inner_calls for c in drive) == len(drive_ids) + shortcuts
