"""Worlds for the contract tests: the same setup steps, done on the in-memory fakes or, through the real
client libraries and the sandbox-only endpoints, on the sandbox. A contract test asks a world for the
interface under test and never knows which one it got.
"""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

import requests
from google.auth.credentials import AnonymousCredentials
from googleapiclient.discovery import build

from connectors.base import DashboardSink, EvidenceChecker, FormsSource, SheetsClient
from connectors.google import GoogleSettings, build_google_connectors
from connectors.ledger import ApiLedger
from connectors.memory import DriveFile, InMemoryEvidence, InMemoryForms, InMemorySheets
from connectors.retry import RetryPolicy

PAGE_SIZE = 2  # small pages so a handful of responses exercises paging in both worlds
NO_WAIT = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0, sleep=lambda _s: None)
OWNER = "strategy@sukho.nfe.go.th"


class World(Protocol):
    ledger: ApiLedger
    forms: FormsSource
    evidence: EvidenceChecker
    sheets: SheetsClient

    def create_form(self, title: str, questions: list[str]) -> str: ...
    def submit(self, form_id: str, response_id: str, when: str, answers: dict[str, str]) -> None: ...
    def edit(self, form_id: str, response_id: str, when: str, answers: dict[str, str]) -> None: ...
    def delete(self, form_id: str, response_id: str) -> None: ...
    def add_file(
        self,
        file_id: str,
        name: str,
        mime_type: str,
        *,
        size: int | None = None,
        readable: bool = True,
        needs_key: bool = False,
        trashed: bool = False,
        shortcut_to: str | None = None,
    ) -> str | None: ...
    def create_spreadsheet(self, title: str, tabs: dict[str, list[list[str]]]) -> str: ...
    def sink(self, spreadsheet_id: str) -> DashboardSink: ...
    def close(self) -> None: ...


class MemoryWorld:
    """The fakes from connectors/memory.py."""

    def __init__(self) -> None:
        self.ledger = ApiLedger()
        self.fake_forms = InMemoryForms(self.ledger, page_size=PAGE_SIZE)
        self.fake_drive = InMemoryEvidence(self.ledger)
        self.fake_sheets = InMemorySheets(self.ledger)
        self.forms: FormsSource = self.fake_forms
        self.evidence: EvidenceChecker = self.fake_drive
        self.sheets: SheetsClient = self.fake_sheets
        self._count = 0

    def create_form(self, title: str, questions: list[str]) -> str:
        self._count += 1
        form_id = f"1Form{self._count:04d}"
        items = [
            {
                "itemId": f"{i:08x}",
                "title": q,
                "questionItem": {"question": {"questionId": f"{i + 100:08x}", "textQuestion": {}}},
            }
            for i, q in enumerate(questions)
        ]
        self.fake_forms.add_form(
            {"formId": form_id, "info": {"title": title}, "revisionId": "00000001", "items": items}
        )
        return form_id

    def _answers(self, form_id: str, answers: dict[str, str]) -> dict[str, Any]:
        by_title = {
            item["title"]: item["questionItem"]["question"]["questionId"]
            for item in self.fake_forms.forms[form_id]["items"]
        }
        return {
            by_title[t]: {"questionId": by_title[t], "textAnswers": {"answers": [{"value": v}]}}
            for t, v in answers.items()
        }

    def submit(self, form_id: str, response_id: str, when: str, answers: dict[str, str]) -> None:
        self.fake_forms.submit(
            form_id,
            {
                "responseId": response_id,
                "createTime": when,
                "lastSubmittedTime": when,
                "answers": self._answers(form_id, answers),
            },
        )

    def edit(self, form_id: str, response_id: str, when: str, answers: dict[str, str]) -> None:
        old = self.fake_forms.responses[form_id][response_id]
        self.fake_forms.submit(
            form_id, {**old, "lastSubmittedTime": when, "answers": self._answers(form_id, answers)}
        )

    def delete(self, form_id: str, response_id: str) -> None:
        self.fake_forms.delete_response(form_id, response_id)

    def add_file(
        self,
        file_id: str,
        name: str,
        mime_type: str,
        *,
        size: int | None = None,
        readable: bool = True,
        needs_key: bool = False,
        trashed: bool = False,
        shortcut_to: str | None = None,
    ) -> str | None:
        key = "0-" + hashlib.sha256(file_id.encode()).hexdigest()[:22] if needs_key else None
        self.fake_drive.add(DriveFile(file_id, name, mime_type, size, trashed, readable, key, shortcut_to))
        return key

    def create_spreadsheet(self, title: str, tabs: dict[str, list[list[str]]]) -> str:
        self._count += 1
        spreadsheet_id = f"1Sheet{self._count:04d}"
        self.fake_sheets.create(spreadsheet_id, title, dict(tabs))
        return spreadsheet_id

    def sink(self, spreadsheet_id: str) -> DashboardSink:
        return self.sheets.open(spreadsheet_id)

    def close(self) -> None:
        pass


class SandboxWorld:
    """The Google adapters (connectors/google.py) on a sandbox; setup through the real client libraries."""

    def __init__(self, base_url: str, retry: RetryPolicy = NO_WAIT, timeout: float = 10.0) -> None:
        self.base_url = base_url
        self.ledger = ApiLedger()
        settings = GoogleSettings(
            base_url=base_url, timeout_seconds=timeout, retry=retry, forms_page_size=PAGE_SIZE
        )
        built = build_google_connectors(settings, self.ledger)
        self.google = built
        self.forms: FormsSource = built.forms
        self.evidence: EvidenceChecker = built.evidence
        self.sheets: SheetsClient = built.sheets
        creds = AnonymousCredentials()
        options = {"api_endpoint": base_url + "/"}
        # Setup talks to the sandbox directly, not through the ledger: only the adapters are measured.
        self._forms_admin = build(
            "forms",
            "v1",
            credentials=creds,
            static_discovery=True,
            cache_discovery=False,
            client_options=options,
        )
        self._sheets_admin = build(
            "sheets",
            "v4",
            credentials=creds,
            static_discovery=True,
            cache_discovery=False,
            client_options=options,
        )
        self._http = requests.Session()

    def _sandbox(self, method: str, path: str, body: Any = None) -> Any:
        response = self._http.request(method, self.base_url + path, json=body, timeout=10)
        assert response.ok, response.text
        return response.json() if response.content else None

    def create_form(self, title: str, questions: list[str]) -> str:
        form = self._forms_admin.forms().create(body={"info": {"title": title}}).execute()
        requests_ = [
            {
                "createItem": {
                    "item": {"title": q, "questionItem": {"question": {"textQuestion": {}}}},
                    "location": {"index": i},
                }
            }
            for i, q in enumerate(questions)
        ]
        self._forms_admin.forms().batchUpdate(formId=form["formId"], body={"requests": requests_}).execute()
        return str(form["formId"])

    def submit(self, form_id: str, response_id: str, when: str, answers: dict[str, str]) -> None:
        body = {
            "responseId": response_id,
            "submittedAt": when,
            "answers": {t: [v] for t, v in answers.items()},
        }
        self._sandbox("POST", f"/sandbox/forms/{form_id}/responses", body)

    def edit(self, form_id: str, response_id: str, when: str, answers: dict[str, str]) -> None:
        body = {"submittedAt": when, "answers": {t: [v] for t, v in answers.items()}}
        self._sandbox("PUT", f"/sandbox/forms/{form_id}/responses/{response_id}", body)

    def delete(self, form_id: str, response_id: str) -> None:
        self._sandbox("DELETE", f"/sandbox/forms/{form_id}/responses/{response_id}")

    def add_file(
        self,
        file_id: str,
        name: str,
        mime_type: str,
        *,
        size: int | None = None,
        readable: bool = True,
        needs_key: bool = False,
        trashed: bool = False,
        shortcut_to: str | None = None,
    ) -> str | None:
        body: dict[str, Any] = {
            "id": file_id,
            "name": name,
            "mimeType": mime_type,
            "owners": [{"emailAddress": OWNER}],
        }
        if size is not None:
            body["size"] = str(size)
        if shortcut_to:
            body["shortcutDetails"] = {"targetId": shortcut_to}
        access: dict[str, Any] = {}
        if not readable:
            access["readers"] = [OWNER]
        if needs_key:
            access.update({"readers": [OWNER], "linkShared": True, "needsKey": True})
        if access:
            body["sandboxAccess"] = access
        entry = self._sandbox("POST", "/sandbox/drive/files", body)
        if trashed:
            self._sandbox("PATCH", f"/sandbox/drive/files/{file_id}", {"trashed": True})
        key = entry.get("resourceKey")
        return str(key) if key else None

    def create_spreadsheet(self, title: str, tabs: dict[str, list[list[str]]]) -> str:
        body = {"properties": {"title": title}, "sheets": [{"properties": {"title": t}} for t in tabs]}
        created = self._sheets_admin.spreadsheets().create(body=body).execute()
        data = [{"range": f"'{t}'!A1", "values": rows} for t, rows in tabs.items() if rows]
        if data:
            self._sheets_admin.spreadsheets().values().batchUpdate(
                spreadsheetId=created["spreadsheetId"], body={"valueInputOption": "RAW", "data": data}
            ).execute()
        return str(created["spreadsheetId"])

    def sink(self, spreadsheet_id: str) -> DashboardSink:
        return self.sheets.open(spreadsheet_id)

    def close(self) -> None:
        self.google.close()
        self._forms_admin.close()
        self._sheets_admin.close()
        self._http.close()

    def faults(self, rules: list[dict[str, Any]]) -> None:
        self._sandbox("POST", "/sandbox/faults", {"rules": rules})
