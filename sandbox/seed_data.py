"""Fixed facts of the sample world (sandbox/SAMPLE_SPEC.md): identities, IDs, forms, indicators, rounds,
answers.
"""

from __future__ import annotations

SEED = 2569
SERVICE_ACCOUNT = "kpisync@sukhothai-kpi.iam.gserviceaccount.com"
FORM_OWNER = "strategy@sukho.nfe.go.th"
DOMAIN = "sukho.nfe.go.th"
PROVINCE_UNIT = "สำนักงานจังหวัด"

ROSTER_ID = "1RosterSukhothaiKpi2569xxxxxxxxxxxxxxxxxxxx"
ROSTER_TITLE = "รายชื่อบุคลากร สกร.จังหวัดสุโขทัย"
ROSTER_TAB = "รายชื่อ"
ROSTER_HEADER = ["อีเมล", "ชื่อ-นามสกุล", "หน่วยงาน", "บทบาท", "ประเภทบุคลากร"]
DASHBOARD_ID = "1DashboardSukhothaiKpi2569xxxxxxxxxxxxxxxx"
DASHBOARD_TITLE = "แดชบอร์ดตัวชี้วัดคุณภาพ สกร.สุโขทัย 2569"

# (slug for emails, Thai district name) for the nine districts of Sukhothai.
DISTRICTS = [
    ("mueang", "เมืองสุโขทัย"),
    ("bandanlanhoi", "บ้านด่านลานหอย"),
    ("khirimat", "คีรีมาศ"),
    ("kongkrailat", "กงไกรลาศ"),
    ("sisatchanalai", "ศรีสัชนาลัย"),
    ("sisamrong", "ศรีสำโรง"),
    ("sawankhalok", "สวรรคโลก"),
    ("sinakhon", "ศรีนคร"),
    ("thungsaliam", "ทุ่งเสลี่ยม"),
]

ROLE_TEACHER = "ครู"
ROLE_PLANNING = "เจ้าหน้าที่แผน"
ROLE_FINANCE = "เจ้าหน้าที่การเงิน"
ROLE_DISTRICT = "สกร.อำเภอ"
ROLE_EXECUTIVE = "ผู้บริหาร"
STAFF_TYPES = ["ข้าราชการ", "พนักงานราชการ", "ครูอาสาสมัคร"]

FIRST_NAMES_F = ["สมศรี", "มาลี", "วันเพ็ญ", "กาญจนา", "สุดารัตน์", "ปราณี", "รัตนา", "อรุณี", "จันทร์เพ็ญ", "พรทิพย์"]
FIRST_NAMES_M = ["สมชาย", "ประเสริฐ", "วิชัย", "สุรชัย", "อนุชา", "ธนากร", "ณัฐพล", "กิตติ", "ชัยวัฒน์", "บุญมี"]
LAST_NAMES = [
    "ใจดี", "ศรีสุข", "มั่นคง", "ทองคำ", "แก้วมณี", "บุญเรือง", "สายทอง", "พึ่งบุญ", "รุ่งเรือง", "ชัยมงคล",
    "เพชรรัตน์", "สุขสวัสดิ์", "วงศ์ใหญ่", "อินทร์แก้ว", "นาคสุข",
]  # fmt: skip

FORM_ALL = "1FormAllStaffSukhothai2569xxxxxxxxxxxxxxxxx"
FORM_TEACHER = "1FormTeacherSukhothai2569xxxxxxxxxxxxxxxxxx"
FORM_DISTRICT = "1FormDistrictSukhothai2569xxxxxxxxxxxxxxxxx"
FORM_TITLES = {
    FORM_ALL: "ตัวชี้วัดคุณภาพ สกร.สุโขทัย – บุคลากรทุกตำแหน่ง ปีงบประมาณ 2569",
    FORM_TEACHER: "ตัวชี้วัดคุณภาพ สกร.สุโขทัย – ครู/ครู กศน.ตำบล ปีงบประมาณ 2569",
    FORM_DISTRICT: "ตัวชี้วัดคุณภาพ สกร.สุโขทัย – สกร.อำเภอ ปีงบประมาณ 2569",
}
FORM_KEYS = {FORM_ALL: "all_staff", FORM_TEACHER: "teacher", FORM_DISTRICT: "district"}

# form -> [(code, Thai name used as the RADIO option, kind of answer the seed writes)]
INDICATORS = {
    FORM_ALL: [
        ("ALL-1", "DMIS 100%", "evidence"),
        ("ALL-2", "นวัตกรรมการจัดการเรียนรู้ออนไลน์", "steps"),
        ("ALL-3", "ผลงานการปฏิบัติที่เป็นเลิศ (Best Practice)", "steps"),
        ("ALL-4", "บุคลากรที่ได้รับรางวัลจากหน่วยงานในสังกัด", "awards"),
        ("ALL-5", "การพัฒนาตนเองของบุคลากร", "value"),
    ],
    FORM_TEACHER: [
        ("TCH-1", "นักศึกษาที่สร้างชื่อเสียงให้ สกร.", "awards"),
        ("TCH-2", "ร้อยละของผู้เข้าสอบ N-NET", "value"),
        ("TCH-3", "ร้อยละของผู้เข้าสอบปลายภาค", "value"),
        ("TCH-4", "โครงงาน/นวัตกรรมของนักศึกษา", "steps"),
        ("TCH-5", "กิจกรรมพัฒนาคุณภาพผู้เรียน", "video"),
    ],
    FORM_DISTRICT: [
        ("DST-1", "ประสิทธิภาพการเบิกจ่ายประจำปีงบประมาณ", "value"),
        ("DST-2", "ผลการประเมินตนเองของสถานศึกษา (SAR)", "matrix"),
        ("DST-3", "การรายงานข่าวประชาสัมพันธ์", "value"),
        ("DST-4", "ห้องสมุดประชาชนดีเด่น", "awards"),
    ],
}

Q_NAME = "ชื่อ-นามสกุล"
Q_INDICATOR = "ตัวชี้วัด"
Q_ROUND = "รอบการประเมิน"
Q_VALUE = "ผลการดำเนินงาน (ตัวเลข)"
Q_STEPS = "ขั้นตอนที่ดำเนินการแล้ว"
Q_AWARDS = "จำนวนรางวัล"
Q_LINKS = "ลิงก์หลักฐาน"
Q_UPLOAD = "อัปโหลดไฟล์หลักฐาน"
Q_DATE = "วันที่ดำเนินการ"
Q_NOTE = "หมายเหตุ"
ROUNDS = ["รอบ 6 เดือน", "รอบ 9 เดือน", "รอบ 12 เดือน"]
STEPS = ["ขั้นที่ 1", "ขั้นที่ 2", "ขั้นที่ 3", "ขั้นที่ 4", "ขั้นที่ 5"]
AWARD_ROWS = ["ระดับประเทศ", "ระดับภาค", "ระดับจังหวัด", "ระดับอำเภอ"]
AWARD_COLUMNS = ["0", "1", "2", "3"]

# round label -> (first submission day, deadline = end of day Asia/Bangkok, in UTC)
ROUND_WINDOWS = {
    "รอบ 6 เดือน": ("2026-03-01T02:00:00Z", "2026-04-15T16:59:59Z"),
    "รอบ 9 เดือน": ("2026-06-01T02:00:00Z", "2026-07-15T16:59:59Z"),
    "รอบ 12 เดือน": ("2026-09-01T02:00:00Z", "2026-10-15T16:59:59Z"),
}

VALUE_SHAPES = ["{n}", "{n}%", "{t} %", "ร้อยละ {n}", "{n}.5", "N/A", "-", "", "ประมาณ {n}"]
DATE_SHAPES = ["{d} {month} {be}", "{d} {abbr} {be2}", "{td}/{tm}/{tbe}", "{ce}-{mm}-{dd}"]
THAI_MONTHS = [
    ("มกราคม", "ม.ค."), ("กุมภาพันธ์", "ก.พ."), ("มีนาคม", "มี.ค."), ("เมษายน", "เม.ย."), ("พฤษภาคม", "พ.ค."),
    ("มิถุนายน", "มิ.ย."), ("กรกฎาคม", "ก.ค."), ("สิงหาคม", "ส.ค."), ("กันยายน", "ก.ย."), ("ตุลาคม", "ต.ค."),
    ("พฤศจิกายน", "พ.ย."), ("ธันวาคม", "ธ.ค."),
]  # fmt: skip
RISKY_NOTES = ["=1+1", '=HYPERLINK("http://evil.example","x")', "+66 81 234 5678", "-ไม่มี-", "@ครูสมศรี"]
PLAIN_NOTES = ["ส่งหลักฐานเพิ่มเติมภายหลัง", "ดำเนินการร่วมกับ กศน.ตำบล", "ขอบคุณครับ", "ตามแผนปฏิบัติการประจำปี"]
WEBSITES = ["https://sukhothai.nfe.go.th/news/2569/0412", "https://www.facebook.com/sukhothai.nfe/posts/1029"]
YOUTUBE_IDS = ["dQw4w9WgXcQ", "M7lc1UVf-VE", "aqz-KE-bpKQ"]
NOT_IN_ROSTER = "somchai.outsider@gmail.com"


def thai_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
