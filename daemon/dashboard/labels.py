"""The dashboard's words in Thai and English: tab titles, column headers, statuses, the committee's dropdown
and the legend. Thai is the office's language and the default; English is for the admin who asks for it.

Column keys are stable identifiers that code uses; headers are what people read and may change with the
language, so publish locates a column by any of its headers in either language.
"""

from __future__ import annotations

from typing import Final

from daemon.results.committee import OVERRIDE_COLUMN
from scoring.explain import Lang

# (Thai, English) for each phrase.
_Phrase = tuple[str, str]

TAB_TITLES: Final[dict[str, _Phrase]] = {
    "submissions": ("ผลการประเมิน", "Submissions"),
    "summary": ("สรุปคะแนน", "Summary"),
    "legend": ("คำอธิบาย", "Legend"),
}

SUBMISSION_HEADERS: Final[dict[str, _Phrase]] = {
    "submission_key": ("รหัสรายการ", "Submission key"),
    "submitted_at": ("วันที่ส่ง", "Submitted at"),
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
    # The committee's columns: the daemon writes their headers once and never their cells.
    "decision": ("ผลการพิจารณา", "Decision"),
    "override_score": OVERRIDE_COLUMN,
    "comment": ("ความเห็นกรรมการ", "Committee comment"),
}

SUMMARY_HEADERS: Final[dict[str, _Phrase]] = {
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

COLUMN_MEANINGS: Final[dict[str, _Phrase]] = {
    "submission_key": ("รหัสประจำรายการ ห้ามแก้ไข ใช้จับคู่แถวเมื่อมีการเรียงลำดับ", "the row's identity; do not edit"),
    "evidence": ("ลิงก์หลักฐานที่ส่งมา กดเพื่อเปิด", "evidence links; click to open"),
    "score": ("คะแนนที่ระบบคำนวณตามเกณฑ์ (ทศนิยม 5 ตำแหน่ง)", "score computed by the rubric (5 decimals)"),
    "flags": ("จุดที่กรรมการควรตรวจสอบ", "where the committee should look"),
    "score_used": (
        "คะแนนที่นำไปคิดคะแนนรวม คะแนนถ่วงน้ำหนัก และอันดับ: คะแนนที่กรรมการให้ ถ้ามี;"
        " มิฉะนั้น 0 เมื่อผลการพิจารณาเป็น ไม่รับรอง; มิฉะนั้นคะแนนอัตโนมัติ",
        "the score totals, weighted scores and ranks use: the committee's score when given;"
        " else 0 when the decision is not certified; else the auto score",
    ),
    "decision": (
        "กรรมการเลือก รับรอง / ไม่รับรอง / รอพิจารณา; ไม่รับรอง ทำให้คะแนนที่ใช้เป็น 0 (ไม่รับรองไม่ให้คะแนน)"
        " เว้นแต่กรรมการให้คะแนนไว้",
        "the committee picks a decision; not certified makes the score used 0 (what is not certified is not"
        " scored) unless the committee gives a score",
    ),
    "override_score": (
        "คะแนนที่กรรมการให้ ใช้แทนคะแนนอัตโนมัติตั้งแต่การซิงก์ครั้งถัดไป (พิมพ์เลขไทยได้ ปัดตามทศนิยมของเกณฑ์);"
        " ถ้าไม่ใช่ตัวเลข ติดลบ หรือเกินคะแนนเต็มที่ตัวชี้วัดไม่อนุญาต จะขึ้นข้อสังเกตและใช้คะแนนตามกฎถัดไป",
        "the committee's score, replacing the auto score from the next sync on (Thai digits accepted, rounded"
        " to the rubric's decimals); text that is not a number, a negative score or one above full marks"
        " where the indicator does not allow it is flagged and the next rule decides",
    ),
    "comment": ("เหตุผลหรือความเห็นของกรรมการ", "the committee's reason or comment"),
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


# The per-unit tab and the rules the legend states (ranking, categories, units).
UNIT_TAB_TITLE: Final[_Phrase] = ("สรุปรายหน่วยงาน", "Summary by unit")
UNIT_HEADERS: Final[dict[str, _Phrase]] = {
    "round": ("รอบ", "Round"),
    "unit": ("หน่วยงาน", "Unit"),
    "people": ("จำนวนบุคลากร", "People"),
    "total": ("คะแนนรวม", "Total"),
    "weighted_mean": ("คะแนนถ่วงน้ำหนักเฉลี่ย", "Mean weighted score"),
    "rank": ("อันดับ", "Rank"),
}
RANK_RULE: Final[_Phrase] = (
    "จัดอันดับตามคะแนนถ่วงน้ำหนัก เทียบเฉพาะผู้ที่อยู่ในรอบเดียวกันและบทบาทเดียวกัน คะแนนเท่ากันได้อันดับเดียวกัน (1, 2, 2, 4)",
    "ranked by weighted score among people of the same round and the same role;"
    " equal scores share a rank (1, 2, 2, 4)",
)
CATEGORY_RULE: Final[_Phrase] = (
    "คะแนนกลุ่มตัวชี้วัด = ค่าเฉลี่ยถ่วงน้ำหนักของคะแนนตัวชี้วัดในกลุ่มนั้น",
    "category score = weighted mean of the indicator scores in that category",
)
UNIT_RULE: Final[_Phrase] = (
    "คะแนนถ่วงน้ำหนักเฉลี่ยของบุคลากรในหน่วยงาน จัดอันดับภายในรอบเดียวกัน คะแนนเท่ากันได้อันดับเดียวกัน",
    "mean of the unit's people's weighted scores, ranked within the round; equal means share a rank",
)
