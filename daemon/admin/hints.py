"""What ``kpisync doctor`` tells an admin to do, in plain Thai and English: how to share each kind of thing
with the service account, how to enable an API, what to do about a key Google refuses.

The steps follow Google's own menus (Forms: ⋮ → Add collaborators; Drive and Sheets: Share) and name the
service account's ``client_email``, read from the key file, so the admin can paste it. Which answer means
which problem is decided from what Google says (status, reason, message), in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from connectors.errors import ConnectorError, RetriableError

Thing = Literal["form", "folder", "roster", "dashboard", "drive"]
# Google's own answers for an API switched off in the project: the legacy reason (Drive's errors[0]), the
# google.rpc ErrorInfo reason, and the words of the message every API sends.
_DISABLED_REASONS = frozenset({"accessNotConfigured", "SERVICE_DISABLED"})
_DISABLED_TEXT = re.compile(
    r"has not been used in project|it is disabled|SERVICE_DISABLED|accessNotConfigured"
)
_ACTIVATION_URL = re.compile(r"https://console\.(?:developers|cloud)\.google\.com/apis/api/[^\s\"'<>]*[\w/=]")
_API_NAMES = {
    "forms": ("Google Forms API", "forms.googleapis.com"),
    "drive": ("Google Drive API", "drive.googleapis.com"),
    "sheets": ("Google Sheets API", "sheets.googleapis.com"),
}
_ROLE = {  # the least the service account needs: (Thai, English)
    "form": ("ผู้แก้ไข (Editor)", "Editor"),
    "folder": ("ผู้มีสิทธิ์อ่าน (Viewer)", "Viewer"),
    "roster": ("ผู้มีสิทธิ์อ่าน (Viewer)", "Viewer"),
    "dashboard": ("ผู้แก้ไข (Editor)", "Editor"),
    "drive": ("ผู้มีสิทธิ์อ่าน (Viewer)", "Viewer"),
}


@dataclass(frozen=True)
class Advice:
    """What went wrong and the fix, in both languages."""

    th: str
    en: str

    def line(self) -> str:
        return f"{self.th} / {self.en}"


def api_disabled(exc: ConnectorError) -> bool:
    """Whether Google refused because the API is not enabled in the service account's Cloud project."""
    if exc.status != 403:
        return False
    return exc.reason in _DISABLED_REASONS or bool(_DISABLED_TEXT.search(exc.message))


def enable_api(api: str, exc: ConnectorError | None, project: str | None) -> Advice:
    title, service = _API_NAMES[api]
    found = _ACTIVATION_URL.search(exc.message) if exc is not None else None
    where = project or "<project>"
    url = (
        found.group(0)
        if found
        else f"https://console.cloud.google.com/apis/library/{service}?project={where}"
    )
    return Advice(
        f"ยังไม่ได้เปิดใช้ {title} ในโปรเจกต์ Google Cloud ของบัญชีบริการ: เปิด {url} แล้วกด เปิดใช้ (Enable) "
        "รอสักครู่แล้วลองอีกครั้ง",
        f"{title} is not enabled in the service account's Google Cloud project: open {url}, press Enable, "
        "wait a few minutes and run doctor again",
    )


def share(thing: Thing, email: str, name: str) -> Advice:
    """How to share ``thing`` (its id or title in ``name``) with the service account."""
    role_th, role_en = _ROLE[thing]
    if thing == "form":
        return Advice(
            f"เปิดแบบฟอร์ม {name} ในโหมดแก้ไข → เมนู ⋮ → เพิ่มผู้ทำงานร่วมกัน → ใส่ {email} เป็น{role_th} "
            "(แชร์ไว้ให้ตอบแบบฟอร์มอย่างเดียวอ่านคำตอบไม่ได้)",
            f"open the form {name} in the editor → ⋮ → Add collaborators → add {email} as {role_en} "
            "(a responder cannot read responses)",
        )
    what_th = {
        "folder": "โฟลเดอร์ที่เก็บไฟล์อัปโหลด",
        "roster": "สเปรดชีตทะเบียนบุคลากร",
        "dashboard": "สเปรดชีตแดชบอร์ด",
        "drive": "ไฟล์",
    }[thing]
    what_en = {
        "folder": "the upload folder",
        "roster": "the roster spreadsheet",
        "dashboard": "the dashboard spreadsheet",
        "drive": "the file",
    }[thing]
    return Advice(
        f"เปิด{what_th} {name} → แชร์ (Share) → ใส่ {email} เป็น{role_th} (หรือใช้ domain-wide delegation)",
        f"open {what_en} {name} → Share → add {email} as {role_en} (or use domain-wide delegation)",
    )


def refused(
    thing: Thing, exc: ConnectorError, *, email: str, name: str, api: str, project: str | None
) -> Advice:
    """The advice for a failed call on ``thing``: enable the API, share it, fix the id or the key, or wait."""
    if api_disabled(exc):
        return enable_api(api, exc, project)
    if isinstance(exc, RetriableError):
        return Advice(
            f"Google ไม่ตอบชั่วคราว ({exc}) ลองใหม่ภายหลัง",
            f"Google did not answer for now ({exc}); try again later",
        )
    if exc.status == 401:
        return Advice(
            "Google ไม่ยอมรับกุญแจของบัญชีบริการ: สร้างกุญแจ JSON ใหม่ใน IAM → บัญชีบริการ → คีย์",
            "Google refused the service account's key: make a new JSON key under IAM → Service accounts "
            "→ Keys",
        )
    sharing = share(thing, email, name)
    if exc.status == 404:
        return Advice(
            f"ไม่พบ หรือยังไม่ได้แชร์ให้บัญชีบริการ: ตรวจรหัสใน kpisync.toml แล้ว{sharing.th}",
            "not found, or not shared with the service account: check the id in kpisync.toml, then "
            + sharing.en,
        )
    if exc.status == 403:
        return Advice(f"บัญชีบริการเปิดไม่ได้: {sharing.th}", f"the service account may not open it: {sharing.en}")
    return Advice(f"Google ปฏิเสธ ({exc})", f"Google refused ({exc})")
