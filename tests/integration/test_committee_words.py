"""The sample office through full syncs, the committee typing into the Sheet and a respondent editing an
answer: the certification statuses of seed 004, an edit after certification, the flags on what the committee
types, and the tabs about missing work. Expected rows are worked out from the Sheet's own rows, the roster
spreadsheet and the rubric set, not from the daemon's model."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlmodel import Session, select

from daemon.app import build_deps
from daemon.settings import Settings, load_settings
from daemon.store.models import Review, Submission
from daemon.sync.cycle import SyncDeps, run_sync
from daemon.sync.normalize import submission_key
from tests.integration.sheet_people import Person, text

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
KEY, CERT, FLAGS, USED = "รหัสรายการ", "สถานะการรับรอง", "ข้อสังเกต", "คะแนนที่ใช้"
DECISION, SCORE, COMMENT = "ผลการพิจารณา", "คะแนนที่กรรมการให้", "ความเห็นกรรมการ"


class Office:
    def __init__(self, sandbox: Any, settings: Settings, deps: SyncDeps, person: Person) -> None:
        self.sandbox, self.settings, self.deps, self.person = sandbox, settings, deps, person

    def sync(self) -> Any:
        summary = run_sync(self.settings, self.deps)
        assert summary.outcome == "ok"
        return summary

    def rows(self) -> dict[str, dict[str, Any]]:
        return {k: v[0] for k, v in self.person.rows().items()}


@pytest.fixture
def office(sandbox: Any, google_clients: Any, tmp_path: Path, request: pytest.FixtureRequest) -> Office:
    env = {"KPISYNC_GOOGLE_BASE_URL": sandbox.base_url, "KPISYNC_DATABASE": str(tmp_path / "kpisync.db")}
    settings = load_settings(REPO / "config" / "kpisync.toml", env=env)
    deps = build_deps(settings)
    request.addfinalizer(deps.close)
    sheets = google_clients.sheets(sandbox.base_url).spreadsheets()
    return Office(sandbox, settings, deps, Person(sheets, settings.dashboard.spreadsheet_id))


def _edit(office: Office, form_id: str, response_id: str, google_clients: Any) -> None:
    """The respondent edits their response (resubmits the whole form with a changed note), now."""
    forms = google_clients.forms(office.sandbox.base_url)
    response = forms.forms().responses().get(formId=form_id, responseId=response_id).execute()
    note_qid = office.sandbox.manifest["questions"][form_id]["หมายเหตุ"]
    answers = dict(response["answers"])
    answers[note_qid] = {"questionId": note_qid, "textAnswers": {"answers": [{"value": "แก้ไขชื่อรางวัล"}]}}
    requests.put(
        f"{office.sandbox.base_url}/sandbox/forms/{form_id}/responses/{response_id}",
        json={"answers": answers},
        timeout=10,
    ).raise_for_status()


def test_certification_statuses_and_an_edit_after_certification(office: Office, google_clients: Any) -> None:
    """Every row shows a seed-004 status; รับรอง with 70 for a 7-point uncapped row counts 70 and is flagged
    for confirmation; ไม่รับรอง without a reason and a score Sheets read as a date are flagged; when the
    respondent then edits the certified response, the row goes back to รอการรับรองผล with แก้ไขหลังรับรอง,
    its score used is the auto score again, and the history keeps the old certification on version 1."""
    office.sync()
    rows = office.rows()
    statuses = Counter(r[CERT] for r in rows.values())
    assert set(statuses) <= {"ยังไม่รายงานผล", "รอการรับรองผล", "ไม่รับรอง", "รับรอง"}
    assert statuses["รอการรับรองผล"] > 100 and statuses["ยังไม่รายงานผล"] >= 1
    for row in rows.values():
        if "ไม่ได้กรอกตัวเลข" in str(row[FLAGS]):
            assert row[CERT] == "ยังไม่รายงานผล", row[KEY]
    tch1 = office.sandbox.manifest["tch1_awards"]
    teacher_form = office.sandbox.manifest["forms"]["teacher"]
    certified = submission_key(teacher_form, tch1["response_id"])
    assert rows[certified]["คะแนนอัตโนมัติ"] == 7 and rows[certified]["ฉบับที่"] == 1
    others = [
        k for k, r in rows.items() if r[CERT] == "รอการรับรองผล" and k != certified and r["สถานะ"] == "ปัจจุบัน"
    ]
    refused, dated = others[0], others[1]
    office.person.type(certified, DECISION, "รับรอง")
    office.person.type(certified, SCORE, "70")
    office.person.type(certified, COMMENT, "ครบถ้วน")
    office.person.type(refused, DECISION, "ไม่รับรอง")
    office.person.type(dated, SCORE, "1/2")  # USER_ENTERED: Sheets makes it a date
    office.sync()
    rows = office.rows()
    assert rows[certified][CERT] == "รับรอง" and rows[certified][USED] == 70
    assert "คะแนนเกินคะแนนเต็ม (โปรดยืนยัน): คะแนนที่กรรมการให้: 70 เกินคะแนนเต็ม" in rows[certified][FLAGS]
    assert rows[refused][CERT] == "ไม่รับรอง" and rows[refused][USED] == 0
    assert "ไม่รับรองโดยไม่ระบุเหตุผล" in rows[refused][FLAGS]
    assert "อ่านคำตอบไม่ได้: คะแนนที่กรรมการให้:" in rows[dated][FLAGS] and "วันที่" in rows[dated][FLAGS]
    assert rows[dated][USED] == rows[dated]["คะแนนอัตโนมัติ"]

    _edit(office, teacher_form, tch1["response_id"], google_clients)
    office.sync()
    after = office.rows()[certified]
    assert after["ฉบับที่"] == 2 and after[CERT] == "รอการรับรองผล"
    assert "แก้ไขหลังรับรอง: ผู้ส่งแก้ไขคำตอบเป็นฉบับที่ 2 หลังกรรมการพิจารณาฉบับที่ 1" in after[FLAGS]
    assert after[USED] == 7 and text(after[DECISION]) == "รับรอง", "the committee's cell is theirs: unchanged"
    with Session(office.deps.engine) as session:
        history = session.exec(select(Review).where(Review.submission_key == certified)).all()
        counted = session.get(Submission, certified)
    assert [(r.decision, r.override_score) for r in history] == [("รับรอง", "70")]
    assert counted is not None and history[0].response_version_id != counted.response_version_id

    # Judging the new version: any change to a committee cell ties the word to version 2.
    office.person.type(certified, COMMENT, "ตรวจฉบับแก้ไขแล้ว")
    office.sync()
    again = office.rows()[certified]
    assert again[CERT] == "รับรอง" and again[USED] == 70 and "แก้ไขหลังรับรอง" not in again[FLAGS]


def test_missing_work_units_indicators_and_the_sync_log(office: Office) -> None:
    """ยังไม่ส่ง lists exactly the roster's required indicators with no current row for the current round;
    the unit tab counts people from the roster; the indicators tab has its chart; the sync log has a line
    for each sync that changed something and none for a quiet one."""
    office.sync()
    settings = office.settings
    person = office.person
    roster = Person(person.sheets, office.sandbox.manifest["spreadsheets"]["roster"]).grid("รายชื่อ")
    people = [dict(zip(roster[0], r, strict=False)) for r in roster[1:]]
    final = "รอบ 12 เดือน ปีงบประมาณ 2569"  # every deadline of the sample has passed: the last round
    sent = {
        (r["อีเมล"], str(r["ตัวชี้วัด"]).split()[0])
        for r in office.rows().values()
        if r["สถานะ"] == "ปัจจุบัน" and r["รอบ"] == final
    }
    expected = {
        (p["อีเมล"], i.code)
        for p in people
        for i in settings.rubrics.for_role(p["บทบาท"])
        if (p["อีเมล"], i.code) not in sent
    }
    missing = person.rows("ยังไม่ส่ง", "รหัสแถว")
    shown = {(r[0]["อีเมล"], str(r[0]["ตัวชี้วัด"]).split()[0]) for r in missing.values()}
    assert shown == expected and len(shown) > 50
    assert all(r[0]["รอบ"] == final and r[0]["เหลือ (วัน)"] < 0 for r in missing.values())

    units = person.grid("สรุปรายหน่วยงาน")
    header = units[0]
    per_unit = Counter(p["หน่วยงาน"] for p in people)
    for line in units[1:]:
        row = dict(zip(header, line, strict=False))
        if row["รอบ"] == final:
            assert row["บุคลากรตามทะเบียน"] == per_unit[row["หน่วยงาน"]], row
    meta = person.sheets.get(spreadsheetId=person.spreadsheet_id).execute()
    charts = [s.get("charts", []) for s in meta["sheets"] if s["properties"]["title"] == "สรุปรายตัวชี้วัด"]
    assert charts and charts[0] and charts[0][0]["spec"]["basicChart"]["chartType"] == "COLUMN"
    headers = person.grid("สรุปคะแนน")[0]
    assert "TCH-1 นักศึกษาที่สร้างชื่อเสียงให้ สกร." in headers

    log = person.rows("บันทึกการซิงก์", "รหัสการซิงก์")
    assert len(log) == 1 and "คำตอบใหม่ 177" in next(iter(log.values()))[0]["สิ่งที่เปลี่ยน"]
    quiet = office.sync()
    assert quiet.write_calls == 0 and len(person.rows("บันทึกการซิงก์", "รหัสการซิงก์")) == 1
