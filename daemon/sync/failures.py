"""What one part of a sync that Google would not serve becomes: a recorded failure, not a failed sync.

The cycle calls Google for four kinds of thing: each form, the roster, the evidence batch and the dashboard.
A :class:`~connectors.errors.ConnectorError` out of one of them (the connector's own bounded retries already
spent) is turned here into a :class:`SyncFailure` with the classified kind, Google's status and a one-line
hint for the admin in Thai and English; the sync goes on with the rest and ends ``partial``. Anything that is
not a ConnectorError is a bug and is never caught on this path.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from connectors.errors import (
    SERVICE_DISABLED_REASONS,
    ConnectorError,
    FatalError,
    RetriableError,
    SkippableError,
)


class Part(enum.StrEnum):
    """The parts of a sync that can fail on their own; the value is the reason a partial run names."""

    FORM = "form"
    ROSTER = "roster"
    EVIDENCE = "evidence"
    PUBLISH = "publish"


class PartUnusableError(Exception):
    """Google served the part, but what it holds cannot be used as it is (a roster whose email column was
    renamed, a roster emptied by mistake): the part is passed over like one Google refused, with a hint."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Kind(enum.StrEnum):
    RETRIABLE = "retriable"
    SKIPPABLE = "skippable"
    FATAL = "fatal"


# What the hint calls the thing that failed: (Thai, English).
_WHAT: dict[Part, tuple[str, str]] = {
    Part.FORM: ("แบบฟอร์มนี้", "This form"),
    Part.ROSTER: ("สเปรดชีตทะเบียนบุคลากร", "The roster spreadsheet"),
    Part.EVIDENCE: ("ไฟล์หลักฐานบน Drive", "The Drive evidence files"),
    Part.PUBLISH: ("สเปรดชีตแดชบอร์ด", "The dashboard spreadsheet"),
}
# What the run keeps instead of what it could not read: (Thai, English).
_KEPT: dict[Part, tuple[str, str]] = {
    Part.FORM: ("ใช้คำตอบที่เก็บไว้เดิม", "its stored responses stand"),
    Part.ROSTER: ("ใช้รายชื่อที่เก็บไว้เดิม", "the stored roster stands"),
    Part.EVIDENCE: ("ใช้ผลตรวจครั้งก่อน", "the last verdicts stand"),
    Part.PUBLISH: ("ข้อมูลบันทึกแล้ว", "the data is saved"),
}
# Which setting names the thing, for a 404 that may be a typo.
_SETTING: dict[Part, str] = {
    Part.FORM: "form_id",
    Part.ROSTER: "roster.spreadsheet_id",
    Part.EVIDENCE: "",
    Part.PUBLISH: "dashboard.spreadsheet_id",
}


@dataclass(frozen=True)
class SyncFailure:
    """One part of a sync that failed and was passed over."""

    part: Part
    kind: Kind
    status: int | None
    reason: str | None
    method: str | None
    message: str
    hint: str
    form_id: str | None = None

    def line(self) -> str:
        """One line for the run's record: what failed, how Google answered, what the admin should do."""
        where = f"{self.part.value} {self.form_id}" if self.form_id else self.part.value
        status = f" HTTP {self.status}" if self.status is not None else ""
        message = " ".join(self.message.split())
        return f"{where}: {self.kind.value}{status}: {message} | {self.hint}"


# Which API each part calls, for the hint that names the API to enable.
_API: dict[Part, str] = {
    Part.FORM: "Google Forms API",
    Part.ROSTER: "Google Sheets API",
    Part.EVIDENCE: "Google Drive API",
    Part.PUBLISH: "Google Sheets API",
}


def kind_of(exc: ConnectorError | PartUnusableError) -> Kind:
    if isinstance(exc, PartUnusableError):
        return Kind.FATAL
    if isinstance(exc, RetriableError):
        return Kind.RETRIABLE
    if isinstance(exc, SkippableError):
        return Kind.SKIPPABLE
    if isinstance(exc, FatalError):
        return Kind.FATAL
    # A bare ConnectorError made no promise that trying again helps.
    return Kind.FATAL


def hint_for(part: Part, exc: ConnectorError) -> str:
    """The admin's next step, one line, Thai then English. The service account's email is not known here."""
    what_th, what_en = _WHAT[part]
    kept_th, kept_en = _KEPT[part]
    setting = _SETTING[part]
    if kind_of(exc) is Kind.RETRIABLE:
        th = f"Google ขัดข้องชั่วคราวและลองซ้ำครบแล้ว ({kept_th}) รอบถัดไปจะลองใหม่"
        en = f"Google failed for now and the retries are spent ({kept_en}); the next sync tries again"
    elif exc.reason in SERVICE_DISABLED_REASONS:
        api = _API[part]
        th = f"ยังไม่ได้เปิดใช้ {api} ในโปรเจกต์ Google Cloud ของบัญชีบริการ: เปิดที่ APIs & Services > Library"
        en = f"The {api} is not enabled in the service account's Google Cloud project: enable it under APIs &"
        en += " Services > Library, then wait a few minutes"
    elif exc.reason == "CERTIFICATE_VERIFY_FAILED":
        th = "ตรวจใบรับรอง TLS ของ Google ไม่ผ่าน: ตรวจนาฬิกาของเครื่อง แพ็กเกจ ca-certificates หรือพร็อกซีที่ดักการเชื่อมต่อ"
        en = "Google's TLS certificate did not verify: check the server's clock, the ca-certificates package"
        en += " or a proxy that intercepts TLS"
    elif exc.status == 404:
        th = f"{what_th}ยังไม่ได้แชร์ให้บัญชีบริการ (service account) หรือรหัสผิด"
        en = f"{what_en} is not shared with the service account, or its id is wrong"
        if setting:
            th += f" ตรวจ {setting} ใน kpisync.toml"
            en += f" (check {setting} in kpisync.toml)"
    elif exc.status == 403:
        th = f"{what_th}ยังไม่ได้แชร์ให้บัญชีบริการ (service account) เป็นผู้แก้ไข"
        en = f"{what_en} is not shared with the service account as an editor"
        if part is Part.FORM:
            th += " (แชร์ไว้ให้ตอบแบบฟอร์มเท่านั้น)"
            en += " (a responder cannot read responses)"
    elif exc.status == 401:
        th = "Google ไม่ยอมรับกุญแจของบัญชีบริการ ตรวจไฟล์ credentials"
        en = "Google refused the service account's credentials; check the credentials file"
    else:
        th = f"Google ปฏิเสธคำขอสำหรับ{what_th}"
        en = f"Google refused the request for {what_en[0].lower() + what_en[1:]}"
    if kind_of(exc) is not Kind.RETRIABLE:
        th += f" ({kept_th})"
        en += f" ({kept_en})"
    return f"{th} / {en}"


def failure_of(
    part: Part, exc: ConnectorError | PartUnusableError, *, form_id: str | None = None
) -> SyncFailure:
    if isinstance(exc, PartUnusableError):
        kept_th, kept_en = _KEPT[part]
        hint = f"{exc.hint} ({kept_th} / {kept_en})"
        return SyncFailure(part, Kind.FATAL, None, None, None, exc.message, hint, form_id)
    return SyncFailure(
        part=part,
        kind=kind_of(exc),
        status=exc.status,
        reason=exc.reason,
        method=exc.method,
        message=exc.message,
        hint=hint_for(part, exc),
        form_id=form_id,
    )
