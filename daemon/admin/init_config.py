"""``kpisync init``: a commented kpisync.toml to start a real office from.

Unlike config/kpisync.toml (the sandbox's sample office), this one names no sandbox and no database path
(the service's state directory is the default), takes the ids the admin already has, and says after each
key what to put there and where to find it. ``deploy/install.sh`` writes /etc/kpisync/kpisync.toml with it.
It never overwrites a file unless asked to.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

FORM_PLACEHOLDER = "PASTE-THE-FORM-ID-HERE"
SHEET_PLACEHOLDER = "PASTE-THE-SPREADSHEET-ID-HERE"
DEFAULT_RUBRIC = "rubrics/sukhothai-2569.toml"

_HEAD = """\
# kpisync.toml — written by `kpisync init`. Check it with `kpisync check-config --config <this file>`,
# then ask Google whether everything is shared with `kpisync doctor --config <this file>`.
#
# Paths are relative to this file. A mistake is reported as "kpisync: file:line: key: message", exit status 2.

# The office's timezone (เขตเวลา): the times in the Sheet and the end of each deadline day.
timezone = "Asia/Bangkok"

# Language of the dashboard, flags and score explanations: "th" (ภาษาไทย) or "en".
lang = "th"

# The database (ฐานข้อมูล) is left out: under systemd it is /var/lib/kpisync/kpisync.db (StateDirectory),
# the one place the hardened service may write. Give a path only to keep it elsewhere.
# database = "/var/lib/kpisync/kpisync.db"

# The rubric set (เกณฑ์การให้คะแนน): indicators, rubric kinds, weights, fiscal year and rounds with deadlines.
# Examples are in the rubrics/ folder beside this file; copy one and edit it for your office.
rubric_file = {rubric}

[google]
# The service-account key is never written here. Under systemd it comes from LoadCredential=
# (/etc/kpisync/credentials/kpisync-sa.json, root-only). To run kpisync by hand with another key:
# credentials_file = "/path/to/key.json"
# Domain-wide delegation (instead of sharing every form with the service account): act as this user.
# delegated_subject = "strategy@your-office.go.th"
timeout_seconds = 60

[google.retry]
# Bounded retries of Google's 429/5xx and timeouts.
max_attempts = 5
initial_wait_seconds = 1
max_wait_seconds = 32

[schedule]
# A sync every … minutes (นาที) while `kpisync run` (the service) runs.
interval_minutes = 15
# A full re-read of every response now and then, to notice deleted ones (ชั่วโมง).
full_reconcile_hours = 24

[evidence]
# A Drive evidence file is checked again after … hours.
recheck_after_hours = 24

[dashboard]
# The committee's spreadsheet (แดชบอร์ด): create an empty Google Sheet, share it with the service account's
# client_email as Editor, and paste its id from docs.google.com/spreadsheets/d/<id>/edit
spreadsheet_id = {dashboard}

[roster]
# The staff list (ทะเบียนบุคลากร): a tab of a spreadsheet shared with the service account (Viewer is enough),
# with a header row holding the column titles below.
spreadsheet_id = {roster}
tab = "รายชื่อ"
# … or a CSV file with the same header row instead (then delete spreadsheet_id):
# csv_file = "roster.csv"

[roster.columns]
# The header text of each column (any order). Roles (บทบาท) must be written as the rubric set's roles are.
email = "อีเมล"
name = "ชื่อ-นามสกุล"
unit = "หน่วยงาน"
role = "บทบาท"
staff_type = "ประเภทบุคลากร"
"""

_FORM = """
# A Google Form to sync: its id is in the editor's address, docs.google.com/forms/d/<id>/edit. Share the form
# with the service account as a collaborator (⋮ → Add collaborators → Editor).
[[forms]]
form_id = {form_id}
label = {label}

[forms.questions]
# Each question is found by its title, exactly as the form shows it (`kpisync doctor` lists the form's titles
# when one does not match). Delete the lines of questions your form does not have (name, indicator and round
# are required).
name = "ชื่อ-นามสกุล"                  # the respondent's name as typed
indicator = "ตัวชี้วัด"                 # which indicator: the options are the indicators' Thai names
round = "รอบการประเมิน"                 # รอบ 6 / 9 / 12 เดือน
value = "ผลการดำเนินงาน (ตัวเลข)"       # the measured value: 85, ๘๕ %, ร้อยละ 85, N/A …
steps = "ขั้นตอนที่ดำเนินการแล้ว"         # milestone steps ticked
awards = "จำนวนรางวัล"                  # a grid, one row per award level (see award_rows)
links = "ลิงก์หลักฐาน"                   # Drive / YouTube / web links
uploads = "อัปโหลดไฟล์หลักฐาน"          # files uploaded through the form (share its folder as Viewer)
date = "วันที่ดำเนินการ"                 # a Thai date as typed
note = "หมายเหตุ"                       # free text, shown to the committee as typed

[forms.award_rows]
# Grid row title → award level (national, regional, provincial, district).
"ระดับประเทศ" = "national"
"ระดับภาค" = "regional"
"ระดับจังหวัด" = "provincial"
"ระดับอำเภอ" = "district"
"""


def _toml(value: str) -> str:
    # A JSON string is a valid TOML basic string: quotes and backslashes escaped, Thai kept as is.
    return json.dumps(value, ensure_ascii=False)


def render_config(
    form_ids: Sequence[str] = (),
    *,
    dashboard_id: str | None = None,
    roster_id: str | None = None,
    rubric_file: str = DEFAULT_RUBRIC,
) -> str:
    """The config text: one [[forms]] table per form id (one placeholder table when none is given)."""
    text = _HEAD.format(
        rubric=_toml(rubric_file),
        dashboard=_toml(dashboard_id or SHEET_PLACEHOLDER),
        roster=_toml(roster_id or SHEET_PLACEHOLDER),
    )
    for number, form_id in enumerate(form_ids or [FORM_PLACEHOLDER], start=1):
        text += _FORM.format(form_id=_toml(form_id), label=_toml(f"แบบฟอร์มที่ {number}"))
    return text


class ConfigExistsError(Exception):
    """The target file exists and overwriting was not asked for."""


def write_config(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``path`` (0640: the kpisync group reads it, nobody else), never over a file
    unless ``force``."""
    if path.exists() and not force:
        raise ConfigExistsError(f"{path} exists: not overwritten (use --force to replace it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o640)
