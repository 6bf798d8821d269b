"""Who may use a form or a spreadsheet: the sandbox-only stand-in for Drive sharing (Google's permissions API
is not emulated), as Drive's own files have in sandbox/drive.py.

Each form and spreadsheet has an owner, editors and readers (state: ``store.section("sharing")[kind][id]``).
A document created through the API belongs to its caller; one with no entry (the seeded spreadsheets, data
from before sharing existed) is shared with the service account as an editor. The owner and the editors may
do everything; readers of a spreadsheet may read it. Readers of a form are its responders, not
collaborators, so the Forms API answers them as it answers strangers (reference/google-apis.md §1.7).
Anyone else gets Google's 403 PERMISSION_DENIED "The caller does not have permission"; a document that does
not exist stays 404.

Sandbox-only: ``GET``/``PUT /sandbox/forms/{formId}/access`` and
``/sandbox/spreadsheets/{spreadsheetId}/access`` with ``{"editors": [...], "readers": [...]}`` (each given
list replaces the current one).
"""

from __future__ import annotations

from typing import Any

from sandbox.core import SERVICE_ACCOUNT, ApiError, ApiRequest, ApiResponse, Router, Store

SECTION = "sharing"
KINDS = ("forms", "spreadsheets")


def permission_denied() -> ApiError:
    return ApiError(403, "The caller does not have permission", status="PERMISSION_DENIED")


class Sharing:
    def __init__(self, store: Store, service_account: str = SERVICE_ACCOUNT) -> None:
        self.store = store
        self.service_account = service_account

    def _documents(self, kind: str) -> dict[str, Any]:
        if kind == "forms":
            found: dict[str, Any] = self.store.section("forms").get("forms", {})
        else:
            found = self.store.section("sheets").get("spreadsheets", {})
        return found

    def entry(self, kind: str, doc_id: str) -> dict[str, Any]:
        """The document's sharing: {"owner", "editors", "readers"} (a copy)."""
        with self.store.lock:
            saved = self.store.section(SECTION).get(kind, {}).get(doc_id)
            if saved is None:
                return {"owner": None, "editors": [self.service_account], "readers": []}
            return {
                "owner": saved.get("owner"),
                "editors": list(saved["editors"]),
                "readers": list(saved["readers"]),
            }

    def owner(self, kind: str, doc_id: str) -> str | None:
        owner: str | None = self.entry(kind, doc_id)["owner"]
        return owner

    def created(self, kind: str, doc_id: str, owner: str, editors: list[str] | None = None) -> None:
        """A new document: its creator owns it (and may name further editors, as the seed does)."""
        with self.store.lock:
            section = self.store.section(SECTION)
            section.setdefault(kind, {})[doc_id] = {
                "owner": owner,
                "editors": [owner, *(e for e in editors or [] if e != owner)],
                "readers": [],
            }
            self.store.save(SECTION, kind, doc_id)

    def may(self, kind: str, doc_id: str, caller: str, *, write: bool) -> bool:
        entry = self.entry(kind, doc_id)
        if caller == entry["owner"] or caller in entry["editors"]:
            return True
        return kind == "spreadsheets" and not write and caller in entry["readers"]

    def require(self, kind: str, doc_id: str, caller: str, *, write: bool) -> None:
        """Refuse a caller the document is not shared with (only for a document that exists)."""
        with self.store.lock:
            exists = doc_id in self._documents(kind)
        if exists and not self.may(kind, doc_id, caller, write=write):
            raise permission_denied()

    def set_access(self, kind: str, doc_id: str, body: Any) -> dict[str, Any]:
        if (
            not isinstance(body, dict)
            or set(body) - {"editors", "readers"}
            or not all(isinstance(v, list) and all(isinstance(e, str) for e in v) for v in body.values())
        ):
            raise ApiError(400, 'Sharing is {"editors": ["a@x"], "readers": ["b@x"]}.')
        with self.store.lock:
            if doc_id not in self._documents(kind):
                raise ApiError(404, "Requested entity was not found.")
            entry = self.entry(kind, doc_id)
            entry.update({k: list(v) for k, v in body.items()})
            self.store.section(SECTION).setdefault(kind, {})[doc_id] = entry
            self.store.save(SECTION, kind, doc_id)
            return entry

    def register(self, router: Router) -> None:
        for kind, key in (("forms", "formId"), ("spreadsheets", "spreadsheetId")):
            path = f"/sandbox/{kind}/{{{key}}}/access"
            router.add("GET", path, None, "sandbox", self._getter(kind, key))
            router.add("PUT", path, None, "sandbox", self._putter(kind, key))

    def _getter(self, kind: str, key: str) -> Any:
        def handler(req: ApiRequest) -> ApiResponse:
            doc_id = req.path_params[key]
            with self.store.lock:
                if doc_id not in self._documents(kind):
                    raise ApiError(404, "Requested entity was not found.")
            return ApiResponse(200, self.entry(kind, doc_id))

        return handler

    def _putter(self, kind: str, key: str) -> Any:
        def handler(req: ApiRequest) -> ApiResponse:
            return ApiResponse(200, self.set_access(kind, req.path_params[key], req.body))

        return handler
