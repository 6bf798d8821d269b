"""What a Drive check means for scoring and the Sheet: each evidence item joined with its file's last
verdict (``EvidenceView``), the flag detail for a file nobody can open, and the same file sent by two people
or for two indicators. Which files to check, and storing their verdicts, is ``daemon.sync.drive_check``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from connectors.base import EvidenceStatus
from daemon.store import repo
from daemon.store.models import DriveFile, EvidenceItem, LinkKind, Person
from daemon.store.records import SubmissionRecord
from scoring.explain import Lang
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


@dataclass(frozen=True)
class EvidenceView:
    """One evidence item joined with its file's check: what scoring and the dashboard both need.

    ``md5_checksum`` and ``size`` are set for a readable binary file only (Google Docs, Sheets and Slides
    have no checksum): the content's fingerprint, the same for every upload of the same file."""

    label: str
    url: str | None
    status: str
    fact: EvidenceFact
    file_id: str | None
    md5_checksum: str | None = None
    size: int | None = None


def view_item(item: EvidenceItem, check: DriveFile | None) -> EvidenceView:
    if item.kind in (LinkKind.YOUTUBE, LinkKind.WEB):
        kind = EvidenceKind.YOUTUBE if item.kind == LinkKind.YOUTUBE else EvidenceKind.WEB_LINK
        return EvidenceView(
            item.original, item.original, LINK_STATUS, EvidenceFact(kind, True, item.original), None
        )
    if item.kind == LinkKind.NOT_A_LINK or not item.file_id:
        fact = EvidenceFact(EvidenceKind.OTHER, False, item.original, is_link=False)
        return EvidenceView(item.original, None, NOT_A_LINK_STATUS, fact, None)
    name = (check.name if check else None) or item.upload_name or item.original
    url = (check.web_view_link if check else None) or (
        item.original if item.source == "link" else f"https://drive.google.com/open?id={item.file_id}"
    )
    # A legacy "error" row (a failed check stored by older versions) is no verdict either.
    status = UNCHECKED_STATUS if check is None or check.status == EvidenceStatus.ERROR else check.status
    checked = status != UNCHECKED_STATUS
    readable = status in (EvidenceStatus.OK, EvidenceStatus.FOLDER)
    mime = (check.mime_type if check else None) or item.upload_mime_type
    if status == EvidenceStatus.FOLDER or (item.kind == LinkKind.DRIVE_FOLDER and mime is None):
        kind, kind_known = EvidenceKind.FOLDER, True
    else:
        # An upload's mimeType comes with the response; a pasted link tells nothing until Drive opens it.
        kind, kind_known = kind_for_mime(mime), mime is not None or readable
    fact = EvidenceFact(kind, readable, name, mime, kind_known=kind_known, checked=checked)
    md5 = check.md5_checksum if check is not None and status == EvidenceStatus.OK else None
    return EvidenceView(
        name, url, status, fact, item.file_id, md5, check.size if check is not None and md5 else None
    )


def evidence_views(session: Session) -> dict[str, list[EvidenceView]]:
    """Every submission's evidence, each item with its file's last check, by submission key."""
    checks = repo.drive_files(session)
    return {
        key: [view_item(item, checks.get(item.file_id) if item.file_id else None) for item in items]
        for key, items in repo.evidence_by_submission(session).items()
    }


def unreadable_detail(view: EvidenceView, lang: Lang) -> str | None:
    """The flag detail for evidence the service account cannot read, or None when it is readable or not
    checked yet (no verdict, no flag)."""
    if view.file_id is None or view.status in (EvidenceStatus.OK, EvidenceStatus.FOLDER, UNCHECKED_STATUS):
        return None
    reasons = {
        "th": {
            EvidenceStatus.NOT_FOUND: "ไม่พบไฟล์หรือไม่ได้แชร์ให้ระบบ",
            EvidenceStatus.TRASHED: "ไฟล์อยู่ในถังขยะ",
        },
        "en": {
            EvidenceStatus.NOT_FOUND: "not found or not shared with the service account",
            EvidenceStatus.TRASHED: "in the trash",
        },
    }
    reason = reasons.get(lang, reasons["th"]).get(EvidenceStatus(view.status), view.status)
    return f"{view.label}: {reason}"


@dataclass(frozen=True)
class EvidenceUse:
    """A submission as duplicate detection sees it: whose, for which indicator, and whether a later
    submission of the same person, indicator and round replaced it."""

    key: str
    email: str
    who: str  # the name the committee knows (the roster's), else the email
    indicator_code: str | None
    superseded: bool = False


def evidence_uses(submissions: Iterable[SubmissionRecord], people: Mapping[str, Person]) -> list[EvidenceUse]:
    return [
        EvidenceUse(
            sub.key,
            sub.email,
            people[sub.email].name if sub.email in people and people[sub.email].name else sub.email,
            sub.indicator_code,
            superseded=bool(sub.superseded_by),
        )
        for sub in submissions
    ]


_SAME_FILE = {"th": "ใช้ไฟล์เดียวกับ", "en": "same file as"}
_SAME_CONTENT = {"th": "เนื้อหาเดียวกับไฟล์ {other} ของ", "en": "same content as {other} of"}


def duplicate_files(
    uses: Sequence[EvidenceUse], views: Mapping[str, Sequence[EvidenceView]], lang: Lang
) -> dict[str, set[str]]:
    """Flag details per submission key: evidence shared with a submission of another person or for another
    indicator, by Drive file id or, since every Forms upload gets a new id, by content (md5 and size).

    Superseded submissions do not count: re-sending the same file in a corrected submission is expected,
    and so is one person reusing a file for the same indicator in a later round.
    """
    holders: dict[tuple[str, ...], list[tuple[EvidenceUse, str]]] = defaultdict(list)
    for use in uses:
        if use.superseded:
            continue
        for view in views.get(use.key, ()):
            if not view.file_id:
                continue
            holders[("id", view.file_id)].append((use, view.file_id))
            if view.md5_checksum:
                holders[("md5", view.md5_checksum, str(view.size))].append((use, view.file_id))
    out: dict[str, set[str]] = defaultdict(set)
    for mark, members in holders.items():
        for use, file_id in members:
            for other, other_id in members:
                if (other.email, other.indicator_code) == (use.email, use.indicator_code):
                    continue
                if mark[0] == "id":
                    word = _SAME_FILE.get(lang, _SAME_FILE["th"])
                elif other_id != file_id:
                    word = _SAME_CONTENT.get(lang, _SAME_CONTENT["th"]).format(other=other_id)
                else:
                    continue  # the same Drive file: the id's own flag says it
                out[use.key].add(f"{file_id}: {word} {other.who} ({other.indicator_code or '-'})")
    return dict(out)
