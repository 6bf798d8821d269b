"""The flags a committee member sees beside a submission: a stable English code and a short label.

The code is what the store and the Sheet keep (it never changes once published); the label is what people
read, Thai first. Flags come from scoring (this package) and from the daemon (late, superseded, roster, form
changes), so every flag of the domain is listed here, in one place.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from scoring.explain import Lang


class FlagCode(enum.StrEnum):
    LATE = "late"
    SUPERSEDED = "superseded"
    EVIDENCE_MISSING = "evidence_missing"
    EVIDENCE_UNREADABLE = "evidence_unreadable"
    EVIDENCE_WRONG_KIND = "evidence_wrong_kind"
    DUPLICATE_FILE = "duplicate_file"
    NUMBERS_MISSING = "numbers_missing"
    VALUE_OUT_OF_RANGE = "value_out_of_range"
    UNPARSEABLE = "unparseable"
    NOT_IN_ROSTER = "not_in_roster"
    ABOVE_MAX = "above_max"
    NEEDS_MANUAL = "needs_manual"
    FORM_CHANGED = "form_changed"
    # The committee's cells and the Sheet itself.
    EDITED_AFTER_REVIEW = "edited_after_review"
    NOT_CERTIFIED_NO_COMMENT = "not_certified_no_comment"
    CELL_TRUNCATED = "cell_truncated"
    # Forms that collect no email: the respondent is found by name.
    AMBIGUOUS_NAME = "ambiguous_name"


@dataclass(frozen=True)
class FlagHit:
    """One flag on one submission, with a detail that says where to look (a document name, the text typed)."""

    code: FlagCode
    detail: str = ""


_LABELS: dict[FlagCode, dict[Lang, str]] = {
    FlagCode.LATE: {"th": "ส่งหลังกำหนด", "en": "late for the round's deadline"},
    FlagCode.SUPERSEDED: {"th": "มีการส่งใหม่แทนแล้ว", "en": "superseded by a later submission"},
    FlagCode.EVIDENCE_MISSING: {"th": "ขาดหลักฐานที่กำหนด", "en": "required evidence missing"},
    FlagCode.EVIDENCE_UNREADABLE: {"th": "เปิดหลักฐานไม่ได้", "en": "evidence not readable"},
    FlagCode.EVIDENCE_WRONG_KIND: {"th": "หลักฐานผิดประเภท", "en": "evidence of the wrong kind"},
    FlagCode.DUPLICATE_FILE: {"th": "ไฟล์ซ้ำกับรายการอื่น", "en": "same file used elsewhere"},
    # Also raised when nothing was attached; the detail says whether a file came without the numbers.
    FlagCode.NUMBERS_MISSING: {"th": "ไม่ได้กรอกตัวเลข", "en": "numbers missing"},
    FlagCode.VALUE_OUT_OF_RANGE: {"th": "ค่าอยู่นอกช่วงที่กำหนด", "en": "value out of range"},
    FlagCode.UNPARSEABLE: {"th": "อ่านคำตอบไม่ได้", "en": "unparseable answer"},
    FlagCode.NOT_IN_ROSTER: {"th": "ไม่มีชื่อในทะเบียนบุคลากร", "en": "respondent not in the roster"},
    FlagCode.ABOVE_MAX: {"th": "คะแนนเกินคะแนนเต็ม (โปรดยืนยัน)", "en": "score above full marks (confirm)"},
    FlagCode.NEEDS_MANUAL: {"th": "รอคณะกรรมการให้คะแนน", "en": "needs a manual score"},
    FlagCode.FORM_CHANGED: {
        "th": "แบบฟอร์มเปลี่ยน คำถามที่จับคู่ไว้หายไป",
        "en": "form changed: a mapped question is gone",
    },
    FlagCode.EDITED_AFTER_REVIEW: {"th": "แก้ไขหลังรับรอง", "en": "edited after certification"},
    FlagCode.NOT_CERTIFIED_NO_COMMENT: {
        "th": "ไม่รับรองโดยไม่ระบุเหตุผล",
        "en": "not certified without a comment",
    },
    FlagCode.CELL_TRUNCATED: {
        "th": "ข้อความยาวเกินที่ Google Sheets รับได้ (ตัดแล้ว)",
        "en": "text too long for Google Sheets (cut)",
    },
    FlagCode.AMBIGUOUS_NAME: {
        "th": "ชื่อตรงกับบุคลากรมากกว่าหนึ่งคน",
        "en": "name matches more than one person",
    },
}


def flag_label(code: FlagCode, lang: Lang = "th") -> str:
    """The short label of a flag in the given language (Thai by default)."""
    return _LABELS[code][lang]
