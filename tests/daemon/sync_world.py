"""A small world for the daemon's tests on the in-memory fakes: one form shaped like the sample forms, a
roster,
Drive files, a dashboard spreadsheet, a config file pointing at them, and helpers to submit responses."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connectors.a1 import column_letters
from connectors.base import RangeValues
from connectors.ledger import ApiLedger
from connectors.memory import DriveFile, InMemoryEvidence, InMemoryForms, InMemorySheets
from daemon.settings import Settings, load_settings
from daemon.store.db import open_engine
from daemon.sync.cycle import SyncDeps

DATA = Path(__file__).parent / "data"
FORM_ID = "1FormTestSukhothai2569xxxxxxxxxxxxxxxxxxx"
ROSTER_ID = "1RosterTestxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
DASHBOARD_ID = "1DashboardTestxxxxxxxxxxxxxxxxxxxxxxxxxxx"

QID = {
    "name": "1000aaa1",
    "indicator": "1000aaa2",
    "round": "1000aaa3",
    "value": "1000aaa4",
    "steps": "1000aaa5",
    "links": "1000aaa7",
    "uploads": "1000aaa8",
    "date": "1000aaa9",
    "note": "1000aab0",
}
AWARD_QID = {
    "ระดับประเทศ": "2000bbb1",
    "ระดับภาค": "2000bbb2",
    "ระดับจังหวัด": "2000bbb3",
    "ระดับอำเภอ": "2000bbb4",
}

CONFIG = f"""
timezone = "Asia/Bangkok"
lang = "th"
database = "kpisync.db"
rubric_file = "rubric.toml"

[dashboard]
spreadsheet_id = "{DASHBOARD_ID}"

[roster]
spreadsheet_id = "{ROSTER_ID}"

[[forms]]
form_id = "{FORM_ID}"

[forms.questions]
name = "ชื่อ-นามสกุล"
indicator = "ตัวชี้วัด"
round = "รอบการประเมิน"
value = "ผลการดำเนินงาน (ตัวเลข)"
steps = "ขั้นตอนที่ดำเนินการแล้ว"
awards = "จำนวนรางวัล"
links = "ลิงก์หลักฐาน"
uploads = "อัปโหลดไฟล์หลักฐาน"
date = "วันที่ดำเนินการ"
note = "หมายเหตุ"
"""

ROSTER = [
    ["อีเมล", "ชื่อ-นามสกุล", "หน่วยงาน", "บทบาท", "ประเภทบุคลากร"],
    ["somsri@sukho.nfe.go.th", "นางสาวสมศรี ใจดี", "สกร.อำเภอเมืองสุโขทัย", "ครู", "พนักงานราชการ"],
    ["somchai@sukho.nfe.go.th", "นายสมชาย ดีงาม", "สกร.อำเภอศรีสำโรง", "ครู", "ข้าราชการ"],
    ["plan@sukho.nfe.go.th", "นางวิไล แผนดี", "สำนักงานจังหวัด", "เจ้าหน้าที่แผน", "ข้าราชการ"],
]


def question(qid: str, title: str, kind: dict[str, Any]) -> dict[str, Any]:
    return {"itemId": "i" + qid, "title": title, "questionItem": {"question": {"questionId": qid, **kind}}}


def form_json(drop: str | None = None) -> dict[str, Any]:
    text = {"textQuestion": {}}
    items = [
        question(QID["name"], "ชื่อ-นามสกุล", text),
        question(QID["indicator"], "ตัวชี้วัด", {"choiceQuestion": {"type": "RADIO"}}),
        question(QID["round"], "รอบการประเมิน", {"choiceQuestion": {"type": "RADIO"}}),
        question(QID["value"], "ผลการดำเนินงาน (ตัวเลข)", text),
        question(QID["steps"], "ขั้นตอนที่ดำเนินการแล้ว", {"choiceQuestion": {"type": "CHECKBOX"}}),
        {
            "itemId": "grid",
            "title": "จำนวนรางวัล",
            "questionGroupItem": {
                "questions": [{"questionId": q, "rowQuestion": {"title": t}} for t, q in AWARD_QID.items()],
                "grid": {"columns": {"type": "RADIO"}},
            },
        },
        question(QID["links"], "ลิงก์หลักฐาน", {"textQuestion": {"paragraph": True}}),
        question(QID["uploads"], "อัปโหลดไฟล์หลักฐาน", {"fileUploadQuestion": {"maxFiles": 5}}),
        question(QID["date"], "วันที่ดำเนินการ", text),
        question(QID["note"], "หมายเหตุ", {"textQuestion": {"paragraph": True}}),
    ]
    items = [i for i in items if i["title"] != drop]
    return {"formId": FORM_ID, "info": {"title": "แบบทดสอบ"}, "revisionId": "r1", "items": items}


def response(
    rid: str,
    email: str,
    indicator: str,
    *,
    when: str = "2026-03-10T03:00:00.000Z",
    round_text: str = "รอบ 6 เดือน",
    value: str | None = None,
    steps: tuple[str, ...] = (),
    awards: dict[str, str] | None = None,
    links: str | None = None,
    uploads: tuple[tuple[str, str, str], ...] = (),
    date_text: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    answers: dict[str, Any] = {}

    def text(key: str, *values: str) -> None:
        qid = QID[key]
        answers[qid] = {"questionId": qid, "textAnswers": {"answers": [{"value": v} for v in values]}}

    text("name", "ผู้ตอบ")
    text("indicator", indicator)
    text("round", round_text)
    if value is not None:
        text("value", value)
    if steps:
        text("steps", *steps)
    for row, count in (awards or {}).items():
        answers[AWARD_QID[row]] = {
            "questionId": AWARD_QID[row],
            "textAnswers": {"answers": [{"value": count}]},
        }
    if links is not None:
        text("links", links)
    if uploads:
        answers[QID["uploads"]] = {
            "questionId": QID["uploads"],
            "fileUploadAnswers": {
                "answers": [{"fileId": f, "fileName": n, "mimeType": m} for f, n, m in uploads]
            },
        }
    if date_text is not None:
        text("date", date_text)
    if note is not None:
        text("note", note)
    return {
        "responseId": rid,
        "createTime": when,
        "lastSubmittedTime": when,
        "respondentEmail": email,
        "answers": answers,
    }


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 1, 3, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    settings: Settings
    deps: SyncDeps
    forms: InMemoryForms
    drive: InMemoryEvidence
    sheets: InMemorySheets
    ledger: ApiLedger
    clock: Clock

    def submit(self, resp: dict[str, Any]) -> None:
        self.forms.submit(FORM_ID, resp)

    def dashboard(self) -> Any:
        return self.sheets.spreadsheets[DASHBOARD_ID]

    def committee_types(self, key: str, decision: str, override: str, comment: str) -> None:
        """A committee member types into the submissions tab beside row ``key`` (once a sync made the tab)."""
        tab = "ผลการประเมิน"
        sheet = self.dashboard()
        values = sheet.tab_values(tab)
        header = values[0]
        row = next(i for i, r in enumerate(values) if r and r[header.index("รหัสรายการ")] == key) + 1
        cells = {"ผลการพิจารณา": decision, "คะแนนที่กรรมการให้": override, "ความเห็นกรรมการ": comment}
        sheet.write(
            [
                RangeValues(f"'{tab}'!{column_letters(header.index(title))}{row}", [[text]])
                for title, text in cells.items()
            ]
        )


def make_world(tmp_path: Path, config_text: str = CONFIG) -> World:
    shutil.copy(DATA / "rubric.toml", tmp_path / "rubric.toml")
    (tmp_path / "kpisync.toml").write_text(config_text, encoding="utf-8")
    settings = load_settings(tmp_path / "kpisync.toml", env={})
    ledger = ApiLedger()
    forms = InMemoryForms(ledger)
    forms.add_form(form_json())
    drive = InMemoryEvidence(
        ledger,
        [
            DriveFile("1DocOkxxxxxxxxxxxxxxxxxxxxxx", "รายงาน.pdf", "application/pdf"),
            DriveFile("1VideoOkxxxxxxxxxxxxxxxxxxxx", "กิจกรรม.mp4", "video/mp4"),
            DriveFile("1Trashedxxxxxxxxxxxxxxxxxxxx", "เก่า.pdf", "application/pdf", trashed=True),
            DriveFile("1Privatexxxxxxxxxxxxxxxxxxxx", "ส่วนตัว.pdf", "application/pdf", readable=False),
            DriveFile("1Folderxxxxxxxxxxxxxxxxxxxxx", "แฟ้ม", "application/vnd.google-apps.folder"),
        ],
    )
    sheets = InMemorySheets(ledger)
    sheets.create(ROSTER_ID, "รายชื่อ", {"รายชื่อ": ROSTER})
    sheets.create(DASHBOARD_ID, "แดชบอร์ด")
    clock = Clock()
    deps = SyncDeps(
        engine=open_engine(settings.database),
        forms=forms,
        evidence=drive,
        sheets=sheets,
        ledger=ledger,
        clock=clock,
    )
    return World(settings, deps, forms, drive, sheets, ledger, clock)
