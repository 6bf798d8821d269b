"""The evidence step of a sync: which Drive files to check, asking the checker once for all of them, and
storing each verdict.

Each distinct file is checked at most once per sync, and only when it was never checked or its last check is
older than ``evidence.recheck_after_hours`` (or ended in an error). The connector batches the calls (100 per
batch). What a verdict means for scoring and the Sheet is ``daemon.results.evidence``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from sqlmodel import Session

from connectors.base import EvidenceChecker, EvidenceStatus, FileCheck, FileRef
from connectors.errors import RetriableError
from daemon.settings import Settings
from daemon.store import repo
from daemon.store.models import DriveFile, EvidenceItem

Counter = Callable[[str, int], None]


def files_due(session: Session, settings: Settings, now: datetime, count: Counter) -> list[FileRef]:
    """The Drive files of active submissions never checked, or checked too long ago: each once."""
    active = {s.key for s in repo.active_submissions(session)}
    items = [i for key, rows in repo.evidence_by_submission(session).items() if key in active for i in rows]
    checks = repo.drive_files(session)
    refs = files_to_check(items, checks, now, timedelta(hours=settings.evidence.recheck_after_hours))
    count("files_to_check", len(refs))
    return refs


def check_evidence(
    session: Session, checker: EvidenceChecker, refs: Sequence[FileRef], now: datetime, count: Counter
) -> None:
    """Ask Drive about ``refs`` (one call, batched by the checker) and store each verdict it gave.

    The call is made before anything is written, so when it raises (every check refused) every stored
    verdict stands. Files Drive could not answer for (retries spent) keep their last verdict and are asked
    again next sync; they raise, after the verdicts that did come are added, a RetriableError that makes
    the run partial: the daemon never reports a check it did not get.
    """
    if not refs:
        return
    results = checker.check_files(refs)
    checks = repo.drive_files(session)
    for ref in refs:
        result = results.verdicts.get(ref.file_id)
        if result is None:
            continue
        session.add(apply_check(checks.get(ref.file_id), ref, result, now))
        count("files_checked", 1)
    if results.unchecked:
        count("files_unchecked", len(results.unchecked))
        first = next(iter(results.unchecked.values()))
        raise RetriableError(
            f"{len(results.unchecked)} of {len(refs)} Drive files could not be checked: {first.message}",
            status=first.status,
            reason=first.reason,
            method=first.method,
        )


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
