"""The words of every explanation, in one phrase table per language.

Kinds and the engine ask for phrases by key and fill in numbers; they never build sentences themselves.
An admin or translator changes wording here only. Thai is the default; English is for reports
that leave the office.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from scoring.decimals import plain, quantize

Lang = Literal["th", "en"]

SEPARATOR = "; "

PHRASES: dict[str, dict[Lang, str]] = {
    # milestone
    "steps_done": {"th": "ขั้นที่ทำแล้ว: {steps}", "en": "steps done: {steps}"},
    "steps_none": {"th": "ยังไม่ได้ทำขั้นใด", "en": "no step done"},
    "seq_counted": {
        "th": "นับต่อเนื่องจากขั้นที่ 1 ได้ {n} ขั้น ({steps}) = {score} คะแนน",
        "en": "consecutive from step 1: {n} steps ({steps}) = {score} points",
    },
    "seq_step1_missed": {
        "th": "ไม่ผ่านขั้นที่ 1 จึงได้ 0 คะแนน (เกณฑ์แบบลำดับขั้น)",
        "en": "step 1 not met, so 0 points (sequential milestone)",
    },
    "counted_sum": {
        "th": "นับรายข้อ {n} ขั้น ({steps}) = {score} คะแนน",
        "en": "counted one by one: {n} steps ({steps}) = {score} points",
    },
    "steps_ignored": {"th": "ไม่นับขั้นที่ไม่มีในเกณฑ์: {steps}", "en": "ignored steps not in the rubric: {steps}"},
    # quality matrix
    "qm_all_done": {
        "th": "ดำเนินการครบ {done} จาก {aspects} ประเด็น ชัดเจน {clear} ประเด็น → ระดับคุณภาพ {level}",
        "en": "{done} of {aspects} aspects done, {clear} clear → quality level {level}",
    },
    "qm_not_all_done": {
        "th": "ดำเนินการ {done} จาก {aspects} ประเด็น (ไม่ครบ) → ระดับคุณภาพ {level}",
        "en": "{done} of {aspects} aspects done (not all) → quality level {level}",
    },
    "qm_clear_gt_done": {
        "th": "ชัดเจน {clear} ประเด็น มากกว่าที่ดำเนินการ {done} ประเด็น",
        "en": "{clear} aspects clear but only {done} done",
    },
    # awards
    "award_line": {
        "th": "{level} {count} รางวัล × {points} = {subtotal}",
        "en": "{level} {count} × {points} = {subtotal}",
    },
    "award_unknown": {
        "th": "{level} {count} รางวัล (ไม่อยู่ในเกณฑ์ ไม่นับ)",
        "en": "{level} {count} (not in the rubric, not counted)",
    },
    "awards_none": {"th": "ไม่มีรางวัล", "en": "no awards"},
    "awards_sum": {"th": "รวม {score} คะแนน", "en": "total {score} points"},
    "awards_capped": {
        "th": "รวม {raw} เกินเพดาน {cap} จึงได้ {cap}",
        "en": "total {raw} exceeds the cap {cap}, so {cap}",
    },
    "award_negative": {"th": "{level} จำนวนติดลบ ({count})", "en": "{level}: negative count ({count})"},
    # linear
    "lin_between": {
        "th": "ค่า {value} อยู่ระหว่าง {v0} ({s0} คะแนน) และ {v1} ({s1} คะแนน): "
        "{s0} + ({value} − {v0}) × ({s1} − {s0}) ÷ ({v1} − {v0}) = {score}",
        "en": "value {value} lies between {v0} ({s0} points) and {v1} ({s1} points): "
        "{s0} + ({value} − {v0}) × ({s1} − {s0}) ÷ ({v1} − {v0}) = {score}",
    },
    "lin_on_point": {
        "th": "ค่า {value} ตรงกับเกณฑ์ {v0} = {score} คะแนน",
        "en": "value {value} is on the threshold {v0} = {score} points",
    },
    "lin_below": {
        "th": "ค่า {value} ต่ำกว่าเกณฑ์ต่ำสุด {v0} จึงได้คะแนนขั้นต่ำ {score}",
        "en": "value {value} is below the lowest threshold {v0}, so the floor {score}",
    },
    "lin_above": {
        "th": "ค่า {value} สูงกว่าเกณฑ์สูงสุด {v0} จึงได้คะแนนสูงสุด {score}",
        "en": "value {value} is above the highest threshold {v0}, so the cap {score}",
    },
    # evidence present
    "ev_ok": {"th": "มีหลักฐาน {doc}: {files}", "en": "evidence {doc} present: {files}"},
    "ev_all_ok": {
        "th": "หลักฐานครบ จึงได้ {score} คะแนน",
        "en": "all required evidence present, so {score} points",
    },
    "ev_missing": {"th": "ขาดหลักฐาน {doc}", "en": "missing evidence: {doc}"},
    "ev_unreadable": {
        "th": "เปิดหลักฐาน {doc} ไม่ได้ ({files}): โปรดแชร์ไฟล์ให้บัญชีบริการของระบบ หรือกู้คืนจากถังขยะ",
        "en": "evidence {doc} cannot be opened ({files}): share it with kpisync's service account, "
        "or restore it from the trash",
    },
    "ev_wrong_kind": {
        "th": "หลักฐาน {doc} ต้องเป็น {kinds} แต่ได้รับ {got}",
        "en": "evidence {doc} must be {kinds}, got {got}",
    },
    "ev_zero": {"th": "หลักฐานไม่ครบ จึงได้ 0 คะแนน", "en": "required evidence incomplete, so 0 points"},
    "ev_unchecked": {
        "th": "ยังตรวจหลักฐาน {doc} ไม่ได้ ({files}): Google Drive ยังไม่ตอบ จะตรวจอีกครั้งในการซิงก์ครั้งถัดไป",
        "en": "evidence {doc} not checked yet ({files}): Drive did not answer; the next sync asks again",
    },
    "ev_wait": {
        "th": "รอผลตรวจหลักฐานก่อนให้คะแนน",
        "en": "the score waits for the evidence check",
    },
    "ev_any": {"th": "หลักฐานใด ๆ", "en": "any evidence"},
    # manual
    "manual_given": {"th": "คะแนนจากคณะกรรมการ {score}", "en": "committee score {score}"},
    "manual_needed": {
        "th": "ตัวชี้วัดนี้คณะกรรมการเป็นผู้ให้คะแนน (ยังไม่มีคะแนน)",
        "en": "the committee scores this indicator (no score yet)",
    },
    "manual_out_of_range": {
        "th": "คะแนนจากคณะกรรมการ {score} อยู่นอกช่วง 0–{max}",
        "en": "committee score {score} is outside 0–{max}",
    },
    # rules across kinds
    "na_pending": {
        "th": "รายงาน N/A ในรอบ {months} เดือน: รอผลจริงในรอบ 12 เดือน",
        "en": "N/A in the {months}-month round: pending until the 12-month round",
    },
    "na_final": {
        "th": "รายงาน N/A ในรอบ 12 เดือน จึงได้ {score} คะแนนตามเกณฑ์",
        "en": "N/A in the 12-month round scores {score} by rule",
    },
    "numbers_missing_file": {
        "th": "แนบไฟล์แต่ไม่ได้กรอกตัวเลข จึงให้คะแนนไม่ได้",
        "en": "a file is attached but the numbers are not filled in, so it cannot be scored",
    },
    "numbers_missing": {"th": "ไม่ได้กรอกผลการดำเนินงาน", "en": "no result was filled in"},
    "unparseable": {
        "th": "อ่านค่าที่กรอกไม่ได้: \u201c{text}\u201d ({why})",
        "en": "cannot read the answer \u201c{text}\u201d ({why})",
    },
    "out_of_range": {"th": "ค่า {value} อยู่นอกช่วง {low}–{high}", "en": "value {value} is outside {low}–{high}"},
    "above_max": {
        "th": "คะแนน {score} เกินคะแนนเต็ม {max} (โปรดยืนยัน)",
        "en": "score {score} exceeds full marks {max} (confirm)",
    },
    "clamped_to_max": {
        "th": "คะแนน {raw} เกินคะแนนเต็ม จึงได้ {max}",
        "en": "score {raw} exceeds full marks, so {max}",
    },
    # number issues (thai.NumberIssue values)
    "not_a_number": {"th": "ไม่ใช่ตัวเลข", "en": "not a number"},
    "extra_text": {"th": "มีข้อความอื่นปนกับตัวเลข", "en": "words mixed with the number"},
    "multiple_numbers": {"th": "มีตัวเลขมากกว่าหนึ่งค่า", "en": "more than one number"},
    "ambiguous_comma": {"th": "ใช้จุลภาคแทนจุดทศนิยมหรือไม่", "en": "a comma where a decimal point may be meant"},
    "too_large": {"th": "ตัวเลขยาวเกินกว่าที่ใช้ได้", "en": "more digits than any score or count has"},
    # award levels (facts.AWARD_LEVELS)
    "national": {"th": "ระดับประเทศ", "en": "national"},
    "regional": {"th": "ระดับภาค", "en": "regional"},
    "provincial": {"th": "ระดับจังหวัด", "en": "provincial"},
    "district": {"th": "ระดับอำเภอ", "en": "district"},
    # units of a measured value
    "unit_percent": {"th": "ร้อยละ {value}", "en": "{value}%"},
}


def say(key: str, lang: Lang = "th", **values: object) -> str:
    """The phrase ``key`` in ``lang`` with its placeholders filled; an unknown key is the key itself."""
    table = PHRASES.get(key)
    if table is None:
        return key
    return table[lang].format(**values)


def join(parts: list[str]) -> str:
    return SEPARATOR.join(part for part in parts if part)


def score_text(value: Decimal, decimals: int) -> str:
    """A score the way the committee's sheet shows it: always ``decimals`` places (5.00000)."""
    return str(quantize(value, decimals))


def number_text(value: Decimal) -> str:
    """A typed or configured number the way a person wrote it: 87, 4.5, 100."""
    return plain(value)


def list_text(items: list[int] | list[str]) -> str:
    return ", ".join(str(item) for item in items)
