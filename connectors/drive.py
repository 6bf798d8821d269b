"""GoogleDrive: the EvidenceChecker over Drive v3 files.get, sent in multipart batches of at most 100.

The batch URI is given explicitly because googleapiclient's ``new_batch_http_request()`` ignores
``client_options.api_endpoint`` and would post to Google even when the service points at the sandbox.
A whole batch that fails (transport, 429/5xx on the batch itself) is retried by the policy; parts that answer
429/5xx inside a successful batch are sent again, alone, in a follow-up batch, at most ``max_attempts`` times.
What still fails after that has no verdict: it is reported unchecked (``FileChecks.unchecked``), its stored
verdict stands and the daemon asks again next sync. A part refused for the file's own sake (404, a 403 such
as insufficientFilePermissions) is a verdict: not readable. A refusal that stops every check (the Drive API
not enabled for the project, credentials refused) raises a FatalError.
Each part carries its own headers, so a link-shared file gets its X-Goog-Drive-Resource-Keys entry. The
multipart body is written and read by ``connectors.drive_batch`` (googleapiclient's batch with a lean codec).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import structlog

from connectors.base import EvidenceStatus, FileCheck, FileChecks, FileRef
from connectors.drive_batch import LeanBatchHttpRequest
from connectors.errors import (
    ConnectorError,
    RetriableError,
    SkippableError,
    blocks_every_call,
    classify_error,
)
from connectors.ledger import LedgerHttp
from connectors.retry import RetryPolicy

GOOGLE_DRIVE_BATCH_URI = "https://www.googleapis.com/batch/drive/v3"
BATCH_LIMIT = 100
FIELDS = "id,name,mimeType,trashed,size,modifiedTime,webViewLink,md5Checksum,shortcutDetails,resourceKey"
FOLDER_MIME = "application/vnd.google-apps.folder"
SHORTCUT_MIME = "application/vnd.google-apps.shortcut"
RESOURCE_KEYS_HEADER = "X-Goog-Drive-Resource-Keys"

log = structlog.get_logger()


@dataclass(frozen=True)
class _Outcome:
    """What one files.get answered: metadata, or the classified error."""

    metadata: dict[str, Any] | None = None
    error: ConnectorError | None = None


def verdict(file_id: str, metadata: dict[str, Any]) -> FileCheck:
    """The verdict for a file Drive answered 200 for (a shortcut is resolved by the caller)."""
    size = metadata.get("size")
    status = EvidenceStatus.OK
    if metadata.get("trashed"):
        status = EvidenceStatus.TRASHED
    elif metadata.get("mimeType") == FOLDER_MIME:
        status = EvidenceStatus.FOLDER
    return FileCheck(
        file_id=file_id,
        status=status,
        name=metadata.get("name"),
        mime_type=metadata.get("mimeType"),
        size=int(size) if size is not None else None,
        web_view_link=metadata.get("webViewLink"),
        modified_time=metadata.get("modifiedTime"),
        md5_checksum=metadata.get("md5Checksum"),
    )


def sort_failure(file_id: str, error: ConnectorError, into: FileChecks) -> None:
    """Put a failed files.get where it belongs: a verdict, unchecked, or (for a refusal that no file could
    get past) raised."""
    if isinstance(error, RetriableError):
        into.unchecked[file_id] = error
    elif isinstance(error, SkippableError):
        # Google answers 404 both for a missing file and for one the service account may not read.
        into.verdicts[file_id] = FileCheck(file_id, EvidenceStatus.NOT_FOUND, detail=error.message)
    elif blocks_every_call(error):
        raise error
    else:
        # A 403 about this file (insufficientFilePermissions, appNotAuthorizedToFile) or a 400 for its id:
        # the service account cannot open it, which is what the committee needs to know.
        into.verdicts[file_id] = FileCheck(file_id, EvidenceStatus.NOT_FOUND, detail=str(error))


def chunks(refs: Sequence[FileRef], size: int = BATCH_LIMIT) -> Iterable[Sequence[FileRef]]:
    for start in range(0, len(refs), size):
        yield refs[start : start + size]


class GoogleDrive:
    """Drive v3 evidence checks, batched (see the module docstring)."""

    def __init__(
        self,
        service: Any,
        http: LedgerHttp,
        policy: RetryPolicy,
        batch_uri: str = GOOGLE_DRIVE_BATCH_URI,
        batch_limit: int = BATCH_LIMIT,
    ) -> None:
        if not 1 <= batch_limit <= BATCH_LIMIT:
            raise ValueError(f"Drive allows 1..{BATCH_LIMIT} calls a batch")
        self._service = service
        # Built once: googleapiclient builds every method of a resource from the discovery document each time
        # ``files()`` is called (about 3 ms of CPU), which per file was most of a first sync's Drive check.
        self._files = service.files()
        self._http = http
        self._policy = policy
        self._batch_uri = batch_uri
        self._batch_limit = batch_limit

    def check_files(self, refs: Sequence[FileRef]) -> FileChecks:
        unique: dict[str, FileRef] = {}
        for ref in refs:
            known = unique.get(ref.file_id)
            if known is None or (known.resource_key is None and ref.resource_key):
                unique[ref.file_id] = ref
        outcomes = self._get_many(list(unique.values()))

        checks = FileChecks()
        targets: dict[str, FileRef] = {}
        for file_id, outcome in outcomes.items():
            if outcome.metadata is None:
                assert outcome.error is not None
                sort_failure(file_id, outcome.error, checks)
                continue
            details = outcome.metadata.get("shortcutDetails") or {}
            if outcome.metadata.get("mimeType") == SHORTCUT_MIME and not outcome.metadata.get("trashed"):
                target_id = details.get("targetId")
                if target_id:
                    targets[file_id] = FileRef(target_id, details.get("targetResourceKey"))
                    continue
            checks.verdicts[file_id] = verdict(file_id, outcome.metadata)

        if targets:
            resolved = self._get_many(list({t.file_id: t for t in targets.values()}.values()))
            for shortcut_id, target in targets.items():
                outcome = resolved[target.file_id]
                if outcome.metadata is None:
                    assert outcome.error is not None
                    found = FileChecks()
                    sort_failure(target.file_id, outcome.error, found)
                    if target.file_id in found.unchecked:
                        checks.unchecked[shortcut_id] = found.unchecked[target.file_id]
                        continue
                    check = found.verdicts[target.file_id]
                else:
                    check = verdict(target.file_id, outcome.metadata)
                checks.verdicts[shortcut_id] = FileCheck(**{**check.__dict__, "via_shortcut": shortcut_id})
        return checks

    def _get_many(self, refs: Sequence[FileRef]) -> dict[str, _Outcome]:
        outcomes: dict[str, _Outcome] = {}
        for chunk in chunks(refs, self._batch_limit):
            outcomes.update(self._get_chunk(chunk))
        return outcomes

    def _get_chunk(self, refs: Sequence[FileRef]) -> dict[str, _Outcome]:
        """files.get for ≤100 refs; parts that answered 429/5xx are retried in follow-up batches."""
        pending = list(refs)
        done: dict[str, _Outcome] = {}
        round_number = 1
        while True:
            try:
                answers = self._policy.call(partial(self._send_batch, tuple(pending)), what="drive.batch")
            except RetriableError as exc:
                # Drive stayed unreachable through every attempt: these files stay unchecked (their stored
                # verdicts stand), the other chunks still count. Fatal errors propagate.
                done.update({ref.file_id: _Outcome(error=exc) for ref in pending})
                return done
            retry: list[FileRef] = []
            waits: list[float] = []
            for ref in pending:
                outcome = answers[ref.file_id]
                if isinstance(outcome.error, RetriableError) and round_number < self._policy.max_attempts:
                    retry.append(ref)
                    waits.append(self._policy.delay(round_number, outcome.error.retry_after))
                else:
                    done[ref.file_id] = outcome
            if not retry:
                return done
            log.warning("drive.batch.partial_retry", failed_parts=len(retry), round=round_number)
            self._policy.pause(max(waits))
            pending = retry
            round_number += 1

    def _send_batch(self, refs: Sequence[FileRef], attempt: int) -> dict[str, _Outcome]:
        answers: dict[str, _Outcome] = {}

        def collect(request_id: str, response: Any, exception: Exception | None) -> None:
            if exception is not None:
                answers[request_id] = _Outcome(error=classify_error(exception, method="drive.files.get"))
            else:
                answers[request_id] = _Outcome(metadata=dict(response))

        batch = LeanBatchHttpRequest(callback=collect, batch_uri=self._batch_uri)
        for ref in refs:
            request = self._files.get(fileId=ref.file_id, fields=FIELDS, supportsAllDrives=True)
            if ref.resource_key:
                request.headers[RESOURCE_KEYS_HEADER] = f"{ref.file_id}/{ref.resource_key}"
            batch.add(request, request_id=ref.file_id)
        try:
            batch.execute(http=self._http.bound("drive.batch", attempt, inner_calls=len(refs)))
        except Exception as exc:
            raise classify_error(exc, method="drive.batch") from exc
        for ref in refs:
            if ref.file_id not in answers:
                # A batch answer that silently lacks a part: treat it like a transient server fault.
                answers[ref.file_id] = _Outcome(
                    error=RetriableError("no answer in batch", method="drive.files.get")
                )
        return answers
