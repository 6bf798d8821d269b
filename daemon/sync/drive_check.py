"""The evidence step of a sync: which Drive files to check, asking the checker once for all of them, and
storing each verdict.

Each distinct file is checked at most once per sync, and only when it was never checked or its last check is
older than ``evidence.recheck_after_hours`` (or ended in an error). The connector batches the calls (100 per
batch). What a verdict means for scoring and the Sheet is ``daemon.results.evidence``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from connectors.base import EvidenceChecker, EvidenceStatus, FileCheck, FileRef
from connectors.errors import RetriableError
from daemon.settings import Settings
from daemon.store import checks as checks_store

Counter = Callable[[str, int], None]


def files_due(session: Session, settings: Settings, now: datetime, count: Counter) -> list[FileRef]:
    """The Drive files of active submissions never checked, or checked too long ago: each once."""
    recheck_after = timedelta(hours=settings.evidence.recheck_after_hours)
    refs = files_to_check(
        checks_store.evidence_files(session), checks_store.last_checks(session), now, recheck_after
    )
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
    rows = []
    for ref in refs:
        result = results.verdicts.get(ref.file_id)
        if result is None:
            continue
        rows.append(check_row(ref, result, now))
        count("files_checked", 1)
    checks_store.save_checks(session, rows)
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
    items: Iterable[tuple[str, str | None]],
    checks: Mapping[str, checks_store.LastCheck],
    now: datetime,
    recheck_after: timedelta,
) -> list[FileRef]:
    """Distinct Drive files, in a stable order, that were never checked or whose check is stale.

    ``items``: (file id, resource key) of each evidence item, in the order of the submissions; a file is due
    when any item naming it finds no fresh check (a resource key the check was made without counts as none).
    """
    wanted: dict[str, FileRef] = {}
    for file_id, resource_key in items:
        if file_id in wanted:
            continue
        known = checks.get(file_id)
        fresh = (
            known is not None
            and known.status != EvidenceStatus.ERROR
            and now - known.checked_at < recheck_after
            and (resource_key is None or known.resource_key == resource_key)
        )
        if not fresh:
            wanted[file_id] = FileRef(file_id, resource_key)
    return [wanted[k] for k in sorted(wanted)]


def check_row(ref: FileRef, check: FileCheck, now: datetime) -> dict[str, Any]:
    """The ``drive_file`` row for the file ``ref`` names (for a shortcut, ``check`` describes its target)."""
    return {
        "file_id": ref.file_id,
        "resource_key": ref.resource_key,
        "status": check.status.value,
        "name": check.name,
        "mime_type": check.mime_type,
        "size": check.size,
        "web_view_link": check.web_view_link,
        "modified_time": check.modified_time,
        "md5_checksum": check.md5_checksum,
        "via_shortcut": check.via_shortcut,
        "detail": check.detail,
        "checked_at": now,
    }
