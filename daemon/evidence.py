"""The evidence step: which Drive files to check this sync, and what a check means for scoring and the Sheet.

Each distinct file is checked at most once per sync, and only when it was never checked or its last check
is older
than ``evidence.recheck_after_hours`` (or ended in an error). The connector batches the calls (100 per batch).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from connectors.base import EvidenceStatus, FileCheck, FileRef
from daemon.links import LinkKind
from daemon.store.models import DriveFile, EvidenceItem
from scoring.facts import EvidenceFact, EvidenceKind

FOLDER_MIME = "application/vnd.google-apps.folder"
_DOCUMENT_MIMES = (
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument",
    "application/vnd.ms-",
    "application/vnd.oasis.opendocument",
    "application/vnd.google-apps.document",
    "application/vnd.google-apps.spreadsheet",
    "application/vnd.google-apps.presentation",
    "application/rtf",
    "text/",
)

# Statuses the committee sees for evidence that is not a Drive file (DashboardModel.EvidenceCell.status).
LINK_STATUS = "link"  # a YouTube or web link: nothing kpisync can check
NOT_A_LINK_STATUS = "not_a_link"  # text that is not a link at all
UNCHECKED_STATUS = "unchecked"  # a Drive file not checked yet (a dry run, or a check that never ran)


def kind_for_mime(mime_type: str | None) -> EvidenceKind:
    """A Drive mimeType → the evidence kind a rubric asks for (a video, a document, …)."""
    if not mime_type:
        return EvidenceKind.OTHER
    if mime_type == FOLDER_MIME:
        return EvidenceKind.FOLDER
    if mime_type.startswith("video/") or mime_type == "application/vnd.google-apps.video":
        return EvidenceKind.VIDEO
    if mime_type.startswith("image/") or mime_type in ("application/vnd.google-apps.photo",):
        return EvidenceKind.IMAGE
    if mime_type.startswith(_DOCUMENT_MIMES):
        return EvidenceKind.DOCUMENT
    return EvidenceKind.OTHER


def files_to_check(
    items: Iterable[EvidenceItem], checks: Mapping[str, DriveFile], now: datetime, recheck_after: timedelta
) -> list[FileRef]:
    """Distinct Drive files, in a stable order, that were never checked or whose check is stale."""
    wanted: dict[str, FileRef] = {}
    for item in items:
        if not item.file_id or item.file_id in wanted:
            continue
        known = checks.get(item.file_id)
        fresh = (
            known is not None
            and known.status != EvidenceStatus.ERROR
            and now - known.checked_at < recheck_after
            and (item.resource_key is None or known.resource_key == item.resource_key)
        )
        if not fresh:
            wanted[item.file_id] = FileRef(item.file_id, item.resource_key)
    return [wanted[k] for k in sorted(wanted)]


def apply_check(row: DriveFile | None, ref: FileRef, check: FileCheck, now: datetime) -> DriveFile:
    """The stored verdict for the file ``ref`` names (for a shortcut, ``check`` describes its target)."""
    target = (
        row if row is not None else DriveFile(file_id=ref.file_id, status=check.status.value, checked_at=now)
    )
    target.resource_key = ref.resource_key
    target.status = check.status.value
    target.name = check.name
    target.mime_type = check.mime_type
    target.size = check.size
    target.web_view_link = check.web_view_link
    target.modified_time = check.modified_time
    target.md5_checksum = check.md5_checksum
    target.via_shortcut = check.via_shortcut
    target.detail = check.detail
    target.checked_at = now
    return target


@dataclass(frozen=True)
class EvidenceView:
    """One evidence item joined with its file's check: what scoring and the dashboard both need."""

    label: str
    url: str | None
    status: str
    fact: EvidenceFact
    file_id: str | None


def view_item(item: EvidenceItem, check: DriveFile | None) -> EvidenceView:
    if item.kind in (LinkKind.YOUTUBE, LinkKind.WEB):
        kind = EvidenceKind.YOUTUBE if item.kind == LinkKind.YOUTUBE else EvidenceKind.WEB_LINK
        return EvidenceView(
            item.original, item.original, LINK_STATUS, EvidenceFact(kind, True, item.original), None
        )
    if item.kind == LinkKind.NOT_A_LINK or not item.file_id:
        fact = EvidenceFact(EvidenceKind.OTHER, False, item.original)
        return EvidenceView(item.original, None, NOT_A_LINK_STATUS, fact, None)
    name = (check.name if check else None) or item.upload_name or item.original
    url = (check.web_view_link if check else None) or (
        item.original if item.source == "link" else f"https://drive.google.com/open?id={item.file_id}"
    )
    if check is None:
        kind = (
            EvidenceKind.FOLDER
            if item.kind == LinkKind.DRIVE_FOLDER
            else kind_for_mime(item.upload_mime_type)
        )
        fact = EvidenceFact(kind, False, name, item.upload_mime_type)
        return EvidenceView(name, url, UNCHECKED_STATUS, fact, item.file_id)
    mime = check.mime_type or item.upload_mime_type
    kind = EvidenceKind.FOLDER if check.status == EvidenceStatus.FOLDER else kind_for_mime(mime)
    readable = check.status in (EvidenceStatus.OK, EvidenceStatus.FOLDER)
    return EvidenceView(name, url, check.status, EvidenceFact(kind, readable, name, mime), item.file_id)


def unreadable_detail(view: EvidenceView, lang: str) -> str | None:
    """The flag detail for evidence the service account cannot read, or None when it is readable or
    unchecked."""
    if view.file_id is None or view.status in (EvidenceStatus.OK, EvidenceStatus.FOLDER, UNCHECKED_STATUS):
        return None
    reasons = {
        "th": {
            EvidenceStatus.NOT_FOUND: "ไม่พบไฟล์หรือไม่ได้แชร์ให้ระบบ",
            EvidenceStatus.TRASHED: "ไฟล์อยู่ในถังขยะ",
            EvidenceStatus.ERROR: "ตรวจสอบไฟล์ไม่สำเร็จ",
        },
        "en": {
            EvidenceStatus.NOT_FOUND: "not found or not shared with the service account",
            EvidenceStatus.TRASHED: "in the trash",
            EvidenceStatus.ERROR: "check failed",
        },
    }
    reason = reasons.get(lang, reasons["th"]).get(EvidenceStatus(view.status), view.status)
    return f"{view.label}: {reason}"
