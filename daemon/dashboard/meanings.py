"""What every part of the dashboard means, in words a committee member reads (Thai) or an admin asks for
(English): the explanation tab (คำอธิบาย) is made of these. No code is ever shown as a meaning."""

from __future__ import annotations

from typing import Final

from scoring.flags import FlagCode

_Phrase = tuple[str, str]

TABS: Final[dict[str, _Phrase]] = {
    "submissions": (
        "หนึ่งแถวต่อรายการที่ส่ง (บุคคล × ตัวชี้วัด × รอบ) พร้อมหลักฐาน คะแนน ข้อสังเกต และช่องของกรรมการ",
        "one row per submission (person × indicator × round) with its evidence, scores, flags and the"
        " committee's cells",
    ),
    "summary": (
        "คะแนนของแต่ละคนในแต่ละรอบ: รายตัวชี้วัด รายกลุ่ม รวม ถ่วงน้ำหนัก และอันดับ",
        "each person's scores per round: per indicator, per category, total, weighted and rank",
    ),
    "missing": (
        "ใครยังไม่ส่งตัวชี้วัดใดที่ต้องส่งในรอบปัจจุบัน กำหนดส่ง และจำนวนวันที่เหลือ (ติดลบเมื่อเลยกำหนด)",
        "who has not sent which required indicator for the current round, its deadline and the days left"
        " (negative once past)",
    ),
    "units": (
        "แต่ละหน่วยงานในแต่ละรอบ: บุคลากรตามทะเบียน ผู้ที่ส่งแล้ว ผู้ที่ยังส่งไม่ครบ และคะแนน",
        "each unit per round: people in the roster, who sent, who is not complete, and the scores",
    ),
    "indicators": (
        "แต่ละตัวชี้วัดในแต่ละรอบ: ต้องส่ง ส่งแล้ว การรับรอง คะแนนเฉลี่ย และการกระจายของคะแนน พร้อมแผนภูมิ",
        "each indicator per round: required, sent, certified, the mean score and the distribution, with a"
        " chart",
    ),
    "sync_log": (
        "การซิงก์ที่มีการเปลี่ยนแปลงหรือไม่สำเร็จ พร้อมสิ่งที่อ่านไม่ได้และวิธีแก้ (การซิงก์ที่ไม่มีอะไรใหม่ไม่ถูกบันทึก)",
        "the syncs that changed something or did not end well, with what could not be read and the fix"
        " (a sync with nothing new is not logged)",
    ),
}

COLUMNS: Final[dict[str, _Phrase]] = {
    "submission_key": (
        "รหัสประจำรายการ ห้ามแก้ไข ระบบใช้หาแถวเมื่อมีการเรียง แทรก หรือย้ายแถว",
        "the row's identity; do not edit it: rows are found by it after sorting, inserting or moving",
    ),
    "version": (
        "ฉบับของคำตอบที่แถวแสดง (1 = ฉบับที่ส่งครั้งแรก) ผลการพิจารณาของกรรมการผูกกับฉบับที่เห็นตอนพิจารณา",
        "the version of the answer the row shows (1 = as first sent); the committee's word is tied to the"
        " version it judged",
    ),
    "evidence": ("ลิงก์หลักฐานที่ส่งมา กดเพื่อเปิด", "evidence links; click to open"),
    "score": ("คะแนนที่ระบบคำนวณตามเกณฑ์ (ทศนิยม 5 ตำแหน่ง)", "score computed by the rubric (5 decimals)"),
    "flags": ("จุดที่กรรมการควรตรวจสอบ (ความหมายของแต่ละข้ออยู่ด้านล่าง)", "where to look (each is explained below)"),
    "score_used": (
        "คะแนนที่นำไปคิดคะแนนรวม คะแนนถ่วงน้ำหนัก และอันดับ: คะแนนที่กรรมการให้ ถ้ามี;"
        " มิฉะนั้น 0 เมื่อผลการพิจารณาเป็น ไม่รับรอง; มิฉะนั้นคะแนนอัตโนมัติ",
        "the score totals, weighted scores and ranks use: the committee's score when given;"
        " else 0 when the decision is not certified; else the auto score",
    ),
    "certification": (
        "สถานะตามแนวทางคำรับรอง: ยังไม่รายงานผล / รอการรับรองผล / ไม่รับรอง / รับรอง (ดูความหมายด้านล่าง)",
        "the status of the certification guide: not yet reported / awaiting / not certified / certified",
    ),
    "decision": (
        "กรรมการเลือก รับรอง / ไม่รับรอง / รอพิจารณา; ไม่รับรอง ทำให้คะแนนที่ใช้เป็น 0 (ไม่รับรองไม่ให้คะแนน)"
        " เว้นแต่กรรมการให้คะแนนไว้ และควรระบุเหตุผลในช่องความเห็น",
        "the committee picks a decision; not certified makes the score used 0 (what is not certified is not"
        " scored) unless the committee gives a score, and needs a reason in the comment",
    ),
    "override_score": (
        "คะแนนที่กรรมการให้ ใช้แทนคะแนนอัตโนมัติตั้งแต่การซิงก์ครั้งถัดไป (พิมพ์เลขไทยได้ ปัดตามทศนิยมของเกณฑ์);"
        " ถ้าไม่ใช่ตัวเลข ติดลบ หรือเกินคะแนนเต็มที่ตัวชี้วัดไม่อนุญาต จะขึ้นข้อสังเกตและใช้คะแนนตามกฎถัดไป;"
        " เกินคะแนนเต็มในตัวชี้วัดที่ไม่จำกัดคะแนน นับได้แต่ขึ้นข้อสังเกตให้ยืนยัน",
        "the committee's score, replacing the auto score from the next sync on (Thai digits accepted, rounded"
        " to the rubric's decimals); text that is not a number, a negative score or one above full marks"
        " where the indicator does not allow it is flagged and the next rule decides; above full marks where"
        " it is allowed it counts and is flagged for confirmation",
    ),
    "comment": ("เหตุผลหรือความเห็นของกรรมการ", "the committee's reason or comment"),
}

ROW_STATUS: Final[dict[str, _Phrase]] = {
    "current": ("รายการที่นับคะแนน", "the submission that counts"),
    "superseded": (
        "ผู้ส่งส่งตัวชี้วัดเดียวกันในรอบเดียวกันใหม่อีกครั้ง รายการนี้จึงไม่นับ (เก็บไว้ให้เห็นประวัติ)",
        "the same person sent the same indicator for the same round again; this one no longer counts",
    ),
    "removed": (
        "ผู้ส่งลบคำตอบในแบบฟอร์มแล้ว แถวยังอยู่เพื่อเก็บสิ่งที่กรรมการเขียนไว้",
        "the respondent deleted the response; the row stays so the committee's notes are kept",
    ),
}

CERTIFICATION: Final[dict[str, _Phrase]] = {
    "not_reported": (
        "ยังไม่ได้ส่ง หรือแนบไฟล์อย่างเดียวโดยไม่กรอกผลการดำเนินงาน (แนบไฟล์อย่างเดียวรับรองเพื่อให้คะแนนไม่ได้)",
        "nothing sent yet, or a file attached without the numbers (a file alone cannot be certified)",
    ),
    "awaiting": (
        "ส่งแล้ว รอกรรมการพิจารณา หรือผู้ส่งแก้ไขหลังกรรมการพิจารณาจึงต้องพิจารณาฉบับใหม่",
        "sent and waiting for the committee, or edited after the committee's word so the new version waits",
    ),
    "not_certified": (
        "กรรมการไม่รับรองฉบับนี้ ดูเหตุผลในช่องความเห็นกรรมการ คะแนนที่ใช้เป็น 0 เว้นแต่กรรมการให้คะแนนไว้",
        "the committee did not certify this version (see the comment); the score used is 0 unless given",
    ),
    "certified": ("กรรมการรับรองฉบับนี้แล้ว", "the committee certified this version"),
}

EVIDENCE_STATUS: Final[dict[str, _Phrase]] = {
    "ok": ("ระบบเปิดไฟล์ได้", "the service account could open the file"),
    "not_found": (
        "ไม่พบไฟล์ หรือไม่ได้แชร์ให้บัญชีบริการ (Google ตอบเหมือนกันทั้งสองกรณี) ให้ผู้ส่งแชร์ไฟล์",
        "the file is gone or not shared with the service account (Google answers alike); ask for it to be"
        " shared",
    ),
    "trashed": ("ผู้ส่งย้ายไฟล์ไปถังขยะ", "the owner moved the file to the trash"),
    "folder": ("ลิงก์เป็นโฟลเดอร์ ไม่ใช่ไฟล์", "the link is a folder, not a file"),
    "error": ("ตรวจไม่สำเร็จในรอบนี้ จะตรวจใหม่รอบถัดไป", "the check failed this time; it is retried"),
    "link": ("ลิงก์นอก Google Drive ระบบไม่ได้ตรวจ", "a link outside Google Drive; not checked"),
    "none": ("ไม่ได้แนบหลักฐาน", "no evidence attached"),
}

SCORE_STATUS: Final[dict[str, _Phrase]] = {
    "scored": ("คำนวณคะแนนตามเกณฑ์แล้ว", "scored by the rubric"),
    "pending": ("ยังไม่มีข้อมูลพอ (เช่น N/A ในรอบ 6 หรือ 9 เดือน)", "not enough data yet (e.g. N/A in round 6 or 9)"),
    "manual": ("ตัวชี้วัดนี้กรรมการเป็นผู้ให้คะแนน", "the committee scores this indicator"),
    "not_scorable": ("คำนวณอัตโนมัติไม่ได้ ดูข้อสังเกต", "cannot be scored automatically; see the flags"),
}

FLAGS: Final[dict[FlagCode, _Phrase]] = {
    FlagCode.LATE: ("ส่งหลังวันกำหนดส่งของรอบ", "sent after the round's deadline"),
    FlagCode.SUPERSEDED: (
        "มีรายการใหม่กว่าของคนเดียวกัน ตัวชี้วัดเดียวกัน รอบเดียวกัน รายการนี้จึงไม่นับ",
        "a later submission of the same person, indicator and round counts instead",
    ),
    FlagCode.EVIDENCE_MISSING: (
        "ไม่มีเอกสารที่เกณฑ์กำหนด (ระบุชื่อเอกสาร)",
        "a document the rubric requires is missing",
    ),
    FlagCode.EVIDENCE_UNREADABLE: (
        "ระบบเปิดหลักฐานไม่ได้: ไม่ได้แชร์ ถูกลบ หรืออยู่ในถังขยะ",
        "the evidence could not be opened: not shared, deleted or in the trash",
    ),
    FlagCode.EVIDENCE_WRONG_KIND: (
        "หลักฐานไม่ใช่ประเภทที่เกณฑ์ต้องการ (เช่น ต้องเป็นวิดีโอ)",
        "the evidence is not of the kind required (e.g. a video)",
    ),
    FlagCode.DUPLICATE_FILE: (
        "ไฟล์เดียวกันถูกใช้โดยคนอื่น หรือกับตัวชี้วัดอื่น",
        "the same file was used by someone else or for another indicator",
    ),
    FlagCode.NUMBERS_MISSING: (
        "ไม่ได้กรอกผลการดำเนินงาน (แนบไฟล์อย่างเดียวรับรองเพื่อให้คะแนนไม่ได้)",
        "the numbers were not filled in (a file alone cannot be certified)",
    ),
    FlagCode.VALUE_OUT_OF_RANGE: ("ตัวเลขอยู่นอกช่วงที่เป็นไปได้", "a number outside the possible range"),
    FlagCode.UNPARSEABLE: ("อ่านคำตอบเป็นตัวเลขหรือวันที่ไม่ได้", "an answer that is not a readable number or date"),
    FlagCode.NOT_IN_ROSTER: ("ผู้ส่งไม่มีชื่อในทะเบียนบุคลากร", "the respondent is not in the roster"),
    FlagCode.ABOVE_MAX: (
        "คะแนนเกินคะแนนเต็ม (ตัวชี้วัดประเภทรางวัลให้เกินได้) นับแล้วแต่โปรดยืนยัน",
        "a score above full marks (award indicators allow it); it counts, please confirm",
    ),
    FlagCode.NEEDS_MANUAL: ("ตัวชี้วัดนี้รอกรรมการให้คะแนน", "this indicator waits for the committee's score"),
    FlagCode.FORM_CHANGED: (
        "ผู้ดูแลแก้แบบฟอร์มจนคำถามที่ตั้งค่าไว้หายไป ให้ผู้ดูแลแก้การตั้งค่า",
        "the form was changed and a configured question is gone; the admin must fix the config",
    ),
    FlagCode.EDITED_AFTER_REVIEW: (
        "ผู้ส่งแก้ไขคำตอบหลังกรรมการพิจารณา ผลเดิมไม่นับแล้ว (เก็บไว้ในประวัติ) ให้พิจารณาฉบับใหม่",
        "edited after the committee's word; the old word no longer counts (kept in history): judge again",
    ),
    FlagCode.NOT_CERTIFIED_NO_COMMENT: (
        "ไม่รับรองแต่ไม่ได้เขียนเหตุผล ผู้ส่งต้องรู้ว่าต้องแก้อะไร",
        "not certified without a reason; the respondent needs to know what to fix",
    ),
    FlagCode.CELL_TRUNCATED: (
        "ข้อความยาวเกิน 50,000 ตัวอักษรที่ Google Sheets รับได้ จึงแสดงเพียงส่วนต้น ข้อความเต็มอยู่ในฐานข้อมูล",
        "longer than the 50,000 characters Google Sheets accepts: the start is shown, the whole text is kept",
    ),
    FlagCode.AMBIGUOUS_NAME: (
        "แบบฟอร์มไม่เก็บอีเมล และชื่อที่กรอกตรงกับบุคลากรมากกว่าหนึ่งคน ระบบไม่เดา ให้ผู้ดูแลตรวจสอบ",
        "the form collects no email and the name fits more than one person; nobody is guessed",
    ),
}

RULES: Final[dict[str, _Phrase]] = {
    "rank": (
        "จัดอันดับตามคะแนนถ่วงน้ำหนัก เทียบเฉพาะผู้ที่อยู่ในรอบเดียวกันและบทบาทเดียวกัน คะแนนเท่ากันได้อันดับเดียวกัน (1, 2, 2, 4)",
        "ranked by weighted score among people of the same round and the same role;"
        " equal scores share a rank (1, 2, 2, 4)",
    ),
    "category": (
        "คะแนนกลุ่มตัวชี้วัด = ค่าเฉลี่ยถ่วงน้ำหนักของคะแนนตัวชี้วัดในกลุ่มนั้น",
        "category score = weighted mean of the indicator scores in that category",
    ),
    "units": (
        "นับบุคลากรตามทะเบียน ไม่ใช่เฉพาะผู้ที่ส่ง คะแนนถ่วงน้ำหนักเฉลี่ยของบุคลากรในหน่วยงาน จัดอันดับภายในรอบเดียวกัน",
        "people are counted from the roster, not only those who sent; the mean of their weighted scores,"
        " ranked within the round",
    ),
    "bands": (
        "ช่วงคะแนนคิดเป็นร้อยละของคะแนนเต็มของตัวชี้วัด",
        "score bands are shares of the indicator's full marks",
    ),
    "restored": (
        "ถ้าแถวในแท็บผลการประเมินถูกลบโดยไม่ตั้งใจ ระบบจะเพิ่มแถวกลับพร้อมสิ่งที่กรรมการเคยกรอกไว้",
        "a submissions row deleted by mistake comes back with what the committee had typed in it",
    ),
}
