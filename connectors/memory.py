"""In-memory fakes of the Google adapters, shipped as product code so the daemon's tests run without HTTP.

They keep Google's promises and nothing more: responses come back in no useful order, the ``since`` filter is
inclusive on lastSubmittedTime, a file missing or unshared is NOT_FOUND, Sheets values are RAW. Every call is
recorded in the ApiLedger as the real adapter's would be (same discovery ids; a Drive batch is one call).
The same contract tests (tests/connectors/) run against these and the Google adapters on the sandbox.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connectors.base import EvidenceStatus, FileCheck, FileChecks, FileRef
from connectors.drive import BATCH_LIMIT, SHORTCUT_MIME, chunks, verdict
from connectors.errors import FatalError, RetriableError
from connectors.ledger import ApiLedger
from connectors.memory_base import FakeApi
from connectors.memory_sheets import InMemorySheets, InMemorySpreadsheet

__all__ = ["DriveFile", "InMemoryEvidence", "InMemoryForms", "InMemorySheets", "InMemorySpreadsheet"]


def parse_rfc3339(text: str) -> datetime:
    """A Google timestamp (``2026-03-01T10:00:00.123Z``, up to nanoseconds) as an aware datetime."""
    head, _, frac = text.rstrip("Z").partition(".")
    when = datetime.strptime(head, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    if frac:
        when = when.replace(microsecond=int(frac[:6].ljust(6, "0")))
    return when


class InMemoryForms(FakeApi):
    """A FormsSource. ``add_form``/``submit``/``delete_response`` set up the world a test needs."""

    def __init__(self, ledger: ApiLedger | None = None, page_size: int = 5000) -> None:
        super().__init__(ledger, "forms")
        self.page_size = page_size
        self.forms: dict[str, dict[str, Any]] = {}
        self.responses: dict[str, dict[str, dict[str, Any]]] = {}

    def add_form(self, form: dict[str, Any]) -> None:
        form_id = str(form["formId"])
        self.forms[form_id] = copy.deepcopy(form)
        self.responses.setdefault(form_id, {})

    def submit(self, form_id: str, response: dict[str, Any]) -> None:
        """Add a response, or replace it when the responseId exists (a respondent's edit)."""
        if "responseId" not in response or "lastSubmittedTime" not in response:
            raise ValueError("a FormResponse needs responseId and lastSubmittedTime")
        self.responses.setdefault(form_id, {})[str(response["responseId"])] = copy.deepcopy(response)

    def delete_response(self, form_id: str, response_id: str) -> None:
        self.responses.get(form_id, {}).pop(response_id, None)

    def get_form(self, form_id: str) -> dict[str, Any]:
        self._call("forms.forms.get", body={"formId": form_id})
        if form_id not in self.forms:
            raise FatalError(
                "Requested entity was not found.", status=404, reason="NOT_FOUND", method="forms.forms.get"
            )
        return copy.deepcopy(self.forms[form_id])

    def list_responses(self, form_id: str, since: datetime | None = None) -> Iterator[list[dict[str, Any]]]:
        if since is not None and since.utcoffset() is None:
            raise ValueError("since must be timezone-aware: a naive time is ambiguous in a +07:00 office")
        method = "forms.forms.responses.list"
        if form_id not in self.forms:
            self._call(method, body={"formId": form_id})
            raise FatalError("Requested entity was not found.", status=404, reason="NOT_FOUND", method=method)
        chosen = [
            r
            for r in self.responses[form_id].values()
            if since is None or parse_rfc3339(str(r["lastSubmittedTime"])) >= since
        ]
        # Google documents no order: a hash order makes callers that assume time order fail here too.
        chosen.sort(key=lambda r: hashlib.sha256(str(r["responseId"]).encode()).hexdigest())
        start = 0
        while True:
            self._call(method, body={"formId": form_id, "pageToken": start})
            page = chosen[start : start + self.page_size]
            # responses.list does not return formId inside each FormResponse.
            yield [{k: copy.deepcopy(v) for k, v in r.items() if k != "formId"} for r in page]
            start += self.page_size
            if start >= len(chosen):
                return


@dataclass(frozen=True)
class DriveFile:
    """A file in the fake Drive, as files.get would describe it, plus who may see it."""

    file_id: str
    name: str
    mime_type: str
    size: int | None = None
    trashed: bool = False
    readable: bool = True  # False: not shared with the service account (Google answers 404)
    resource_key: str | None = None  # set: only readable with this key in X-Goog-Drive-Resource-Keys
    shortcut_target: str | None = None
    md5_checksum: str | None = None
    modified_time: str = "2026-03-01T00:00:00.000Z"

    def metadata(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.file_id,
            "name": self.name,
            "mimeType": self.mime_type,
            "trashed": self.trashed,
            "modifiedTime": self.modified_time,
            "webViewLink": f"https://drive.google.com/file/d/{self.file_id}/view?usp=drivesdk",
        }
        if self.size is not None:
            data["size"] = str(self.size)
        if self.md5_checksum:
            data["md5Checksum"] = self.md5_checksum
        if self.shortcut_target:
            data["shortcutDetails"] = {"targetId": self.shortcut_target}
        if self.resource_key:
            data["resourceKey"] = self.resource_key
        return data


class InMemoryEvidence(FakeApi):
    """An EvidenceChecker over a dict of DriveFile, batching like the Google adapter (≤100 a batch)."""

    def __init__(self, ledger: ApiLedger | None = None, files: Sequence[DriveFile] = ()) -> None:
        super().__init__(ledger, "drive")
        self.files: dict[str, DriveFile] = {f.file_id: f for f in files}

    def add(self, file: DriveFile) -> None:
        self.files[file.file_id] = file

    def _get(self, ref: FileRef) -> dict[str, Any] | None:
        found = self.files.get(ref.file_id)
        if found is None or not found.readable:
            return None
        if found.resource_key is not None and ref.resource_key != found.resource_key:
            return None
        return found.metadata()

    def _batch(self, refs: Sequence[FileRef]) -> dict[str, dict[str, Any] | RetriableError | None]:
        out: dict[str, dict[str, Any] | RetriableError | None] = {}
        for chunk in chunks(refs, BATCH_LIMIT):
            try:
                self._call("drive.batch", body=[r.file_id for r in chunk], inner_calls=len(chunk))
            except RetriableError as exc:
                # As the Google adapter does once its retries are spent: unchecked, not a verdict.
                out.update({ref.file_id: exc for ref in chunk})
                continue
            out.update({ref.file_id: self._get(ref) for ref in chunk})
        return out

    def check_files(self, refs: Sequence[FileRef]) -> FileChecks:
        unique: dict[str, FileRef] = {}
        for ref in refs:
            if ref.file_id not in unique or (unique[ref.file_id].resource_key is None and ref.resource_key):
                unique[ref.file_id] = ref
        first = self._batch(list(unique.values()))
        checks = FileChecks()
        targets: dict[str, str] = {}
        for file_id, meta in first.items():
            if isinstance(meta, RetriableError):
                checks.unchecked[file_id] = meta
            elif meta is None:
                checks.verdicts[file_id] = _not_found(file_id)
            elif meta["mimeType"] == SHORTCUT_MIME and not meta.get("trashed"):
                targets[file_id] = meta["shortcutDetails"]["targetId"]
            else:
                checks.verdicts[file_id] = verdict(file_id, meta)
        if targets:
            second = self._batch([FileRef(t) for t in dict.fromkeys(targets.values())])
            for shortcut_id, target_id in targets.items():
                meta = second[target_id]
                if isinstance(meta, RetriableError):
                    checks.unchecked[shortcut_id] = meta
                    continue
                check = _not_found(target_id) if meta is None else verdict(target_id, meta)
                checks.verdicts[shortcut_id] = FileCheck(**{**check.__dict__, "via_shortcut": shortcut_id})
        return checks


def _not_found(file_id: str) -> FileCheck:
    return FileCheck(file_id, EvidenceStatus.NOT_FOUND, detail=f"File not found: {file_id}.")
