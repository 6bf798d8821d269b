"""The dashboard's words in Thai and English: tab titles, column headers, statuses, the committee's dropdown
and the legend. Thai is the office's language and the default; English is for the admin who asks for it.

Column keys are stable identifiers that code uses; headers are what people read and may change with the
language, so publish locates a column by any of its headers in either language.
"""

from __future__ import annotations

from typing import Final

from daemon.results.committee import CERTIFICATIONS, OVERRIDE_COLUMN
from scoring.explain import Lang

# (Thai, English) for each phrase.
_Phrase = tuple[str, str]

TAB_TITLES: Final[dict[str, _Phrase]] = {
    "submissions": ("ผลการประเมิน", "Submissions"),
    "summary": ("สรุปคะแนน", "Summary"),
    "missing": ("ยังไม่ส่ง", "Not yet sent"),
    "units": ("สรุปรายหน่วยงาน", "Summary by unit"),
    "indicators": ("สรุปรายตัวชี้วัด", "Indicators"),
    "legend": ("คำอธิบาย", "Legend"),
    "sync_log": ("บันทึกการซิงก์", "Sync log"),
}

TAB_WORD: Final[_Phrase] = ("แท็บ", "Tab")

SUBMISSION_HEADERS: Final[dict[str, _Phrase]] = {
    "submission_key": ("รหัสรายการ", "Submission key"),
    "submitted_at": ("วันที่ส่ง", "Submitted at"),
    # Which version of the response the row shows: the committee's word is tied to the version it judged.
    "version": ("ฉบับที่", "Version"),
    "email": ("อีเมล", "Email"),
    "name": ("ชื่อ-นามสกุล", "Name"),
    "unit": ("หน่วยงาน", "Unit"),
    "indicator": ("ตัวชี้วัด", "Indicator"),
    "round": ("รอบ", "Round"),
    "answer": ("คำตอบ", "Answer"),
    "note": ("หมายเหตุผู้ส่ง", "Respondent's note"),
    "evidence": ("หลักฐาน", "Evidence"),
    "evidence_status": ("สถานะหลักฐาน", "Evidence status"),
    "score": ("คะแนนอัตโนมัติ", "Auto score"),
    # The score that counts (daemon.results.committee): written by the daemon from the committee's cells.
    "score_used": ("คะแนนที่ใช้", "Score used"),
    "max_score": ("คะแนนเต็ม", "Max score"),
    "explanation": ("คำอธิบายคะแนน", "Score explanation"),
    "flags": ("ข้อสังเกต", "Flags"),
    "status": ("สถานะ", "Status"),
    "certification": ("สถานะการรับรอง", "Certification status"),
    # The committee's columns: the daemon writes their headers once and never their cells.
    "decision": ("ผลการพิจารณา", "Decision"),
    "override_score": OVERRIDE_COLUMN,
    "comment": ("ความเห็นกรรมการ", "Committee comment"),
}

SUMMARY_HEADERS: Final[dict[str, _Phrase]] = {
    "row_key": ("รหัสแถว", "Row key"),
    "email": ("อีเมล", "Email"),
    "name": ("ชื่อ-นามสกุล", "Name"),
    "unit": ("หน่วยงาน", "Unit"),
    "role": ("บทบาท", "Role"),
    "round": ("รอบ", "Round"),
    "total": ("คะแนนรวม", "Total"),
    "weighted": ("คะแนนถ่วงน้ำหนัก", "Weighted score"),
    "rank": ("อันดับ", "Rank"),
    "flags_open": ("ข้อสังเกตที่ยังเปิด", "Open flags"),
}

LEGEND_HEADERS: Final[dict[str, _Phrase]] = {
    "item": ("รายการ", "Item"),
    "meaning": ("ความหมาย", "Meaning"),
}

ROW_STATUS: Final[dict[str, _Phrase]] = {
    "current": ("ปัจจุบัน", "current"),
    "superseded": ("ถูกแทนที่ด้วยรายการใหม่กว่า", "superseded"),
    "removed": ("ไม่พบในแบบฟอร์มแล้ว (ถูกลบ)", "no longer in the form (deleted)"),
}

EVIDENCE_STATUS: Final[dict[str, _Phrase]] = {
    "ok": ("เปิดได้", "readable"),
    "not_found": ("ไม่พบหรือไม่ได้แชร์", "not found or not shared"),
    "trashed": ("อยู่ในถังขยะ", "in the trash"),
    "folder": ("เป็นโฟลเดอร์", "a folder"),
    "error": ("ตรวจไม่สำเร็จ", "check failed"),
    "unchecked": ("ยังไม่ได้ตรวจ (รอ Google Drive ตอบ)", "not checked yet (waiting for Google Drive)"),
    "link": ("ลิงก์ภายนอก (ไม่ได้ตรวจ)", "external link (not checked)"),
    "none": ("ไม่มีหลักฐาน", "no evidence"),
}

SCORE_STATUS: Final[dict[str, _Phrase]] = {
    "scored": ("ให้คะแนนแล้ว", "scored"),
    "pending": ("รอข้อมูล", "pending"),
    "manual": ("กรรมการให้คะแนน", "committee scores it"),
    "not_scorable": ("ให้คะแนนอัตโนมัติไม่ได้", "cannot be scored automatically"),
}

DEMO: Final[dict[str, _Phrase]] = {
    "title": ("สรุปผลการซิงก์", "Sync summary"),
    "flags_title": ("ข้อสังเกตที่พบ", "Flags found"),
    "top_title": (
        "อันดับสูงสุด รอบล่าสุด (ทุกรอบอยู่ในแท็บ สรุปคะแนน)",
        "Top ranks, latest round (every round: the Summary tab)",
    ),
    "count": ("จำนวน", "Count"),
    "dashboard_written": ("เขียนแดชบอร์ดไว้ที่", "Dashboard written to"),
    "serving": ("แซนด์บ็อกซ์กำลังทำงานที่", "Sandbox serving at"),
    "stop_hint": ("กด Ctrl-C เพื่อหยุด", "Press Ctrl-C to stop"),
}


def pick(phrase: _Phrase, lang: Lang) -> str:
    """The phrase in ``lang``."""
    return phrase[0] if lang == "th" else phrase[1]


def all_forms(phrase: _Phrase) -> frozenset[str]:
    """Both languages of a phrase, for finding a header or tab written in either."""
    return frozenset(phrase)


UNIT_HEADERS: Final[dict[str, _Phrase]] = {
    "round": ("รอบ", "Round"),
    "unit": ("หน่วยงาน", "Unit"),
    "people": ("บุคลากรตามทะเบียน", "People in the roster"),
    "submitted": ("ส่งแล้ว (คน)", "Sent (people)"),
    "incomplete": ("ยังส่งไม่ครบ (คน)", "Not complete (people)"),
    "total": ("คะแนนรวม", "Total"),
    "weighted_mean": ("คะแนนถ่วงน้ำหนักเฉลี่ย", "Mean weighted score"),
    "rank": ("อันดับ", "Rank"),
}

MISSING_HEADERS: Final[dict[str, _Phrase]] = {
    "row_key": ("รหัสแถว", "Row key"),
    "email": ("อีเมล", "Email"),
    "name": ("ชื่อ-นามสกุล", "Name"),
    "unit": ("หน่วยงาน", "Unit"),
    "role": ("บทบาท", "Role"),
    "indicator": ("ตัวชี้วัด", "Indicator"),
    "round": ("รอบ", "Round"),
    "deadline": ("กำหนดส่ง", "Deadline"),
    "days_left": ("เหลือ (วัน)", "Days left"),
    "certification": ("สถานะการรับรอง", "Certification status"),
}

INDICATOR_HEADERS: Final[dict[str, _Phrase]] = {
    "indicator": ("ตัวชี้วัด", "Indicator"),
    "round": ("รอบ", "Round"),
    "required": ("ต้องส่ง (คน)", "Required (people)"),
    "submitted": ("ส่งแล้ว", "Sent"),
    "missing": ("ยังไม่ส่ง", "Not sent"),
    "certified": ("รับรอง", "Certified"),
    "not_certified": ("ไม่รับรอง", "Not certified"),
    "mean": ("คะแนนเฉลี่ย", "Mean score"),
    "low": ("ต่ำสุด", "Lowest"),
    "high": ("สูงสุด", "Highest"),
}
# Bands of the score used, as a share of the indicator's full marks (the distribution columns and chart).
SCORE_BANDS: Final[tuple[tuple[str, _Phrase], ...]] = (
    ("band0", ("ต่ำกว่า 20%", "below 20%")),
    ("band1", ("20–39%", "20–39%")),
    ("band2", ("40–59%", "40–59%")),
    ("band3", ("60–79%", "60–79%")),
    ("band4", ("80–100%", "80–100%")),
    ("band5", ("เกินคะแนนเต็ม", "above full marks")),
)
CHART_TITLE: Final[_Phrase] = (
    "การกระจายของคะแนนที่ใช้ รายตัวชี้วัด (รอบล่าสุด)",
    "Distribution of the scores used per indicator (latest round)",
)

SYNC_LOG_HEADERS: Final[dict[str, _Phrase]] = {
    "run_id": ("รหัสการซิงก์", "Run id"),
    "started_at": ("เวลาเริ่ม", "Started at"),
    "outcome": ("ผล", "Outcome"),
    "changes": ("สิ่งที่เปลี่ยน", "What changed"),
    "details": ("รายละเอียด", "Details"),
}
OUTCOMES: Final[dict[str, _Phrase]] = {
    "ok": ("สำเร็จ", "done"),
    "partial": ("สำเร็จบางส่วน (บางส่วนอ่านไม่ได้ จะลองใหม่รอบถัดไป)", "partial (a part was passed over; retried)"),
    "failed": ("ล้มเหลว", "failed"),
    "running": ("กำลังทำงาน", "running"),
    "interrupted": ("ถูกขัดจังหวะ", "interrupted"),
}
# The sync's counters worth showing, in this order (daemon.sync.cycle names them).
CHANGE_WORDS: Final[dict[str, _Phrase]] = {
    "inserted": ("คำตอบใหม่", "new responses"),
    "versions": ("คำตอบที่แก้ไข", "edited responses"),
    "withdrawn": ("คำตอบที่ถูกลบ", "deleted responses"),
    "people_changed": ("ทะเบียนบุคลากรเปลี่ยน", "roster changes"),
    "reviews_saved": ("กรรมการบันทึก", "committee entries"),
    "scored": ("คะแนนเปลี่ยน", "scores changed"),
    "flags_opened": ("ข้อสังเกตใหม่", "flags opened"),
    "flags_closed": ("ข้อสังเกตที่ปิด", "flags closed"),
    "forms_failed": ("แบบฟอร์มที่อ่านไม่ได้", "forms not read"),
}

CERTIFICATION: Final[dict[str, _Phrase]] = dict(CERTIFICATIONS)
# Added to the flags cell when a cell was cut to what Google accepts.
TRUNCATED: Final[_Phrase] = (
    "คอลัมน์ {column} ยาว {length} ตัวอักษร เกินที่ Google Sheets รับได้ (50,000) ข้อความเต็มอยู่ในฐานข้อมูล",
    "column {column} is {length} characters, more than Google Sheets accepts (50,000); the full text is kept"
    " in the database",
)
