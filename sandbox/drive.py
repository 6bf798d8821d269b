"""Drive v3 metadata: files.get and files.create (metadata only), with Google's access rules as kpisync meets
them.

Pages followed: https://developers.google.com/workspace/drive/api/reference/rest/v3/files/get,
.../files/create, https://developers.google.com/workspace/drive/api/guides/handle-errors (404 for missing and
unreadable alike), https://developers.google.com/workspace/drive/api/guides/resource-keys
(X-Goog-Drive-Resource-Keys). Who may read a file is a sandbox-only switch (Google's permissions API is not
emulated): readers by email, plus "link shared", optionally needing the resource key.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from sandbox.core import SERVICE_ACCOUNT, ApiError, ApiRequest, ApiResponse, Router, Store
from sandbox.limits import Clock
from sandbox.responses import format_time

FOLDER = "application/vnd.google-apps.folder"
SHORTCUT = "application/vnd.google-apps.shortcut"
DEFAULT_FIELDS = ("kind", "id", "name", "mimeType")
WRITABLE = {
    "id", "name", "mimeType", "parents", "description", "shortcutDetails", "appProperties", "properties",
    "starred", "createdTime", "modifiedTime", "originalFilename", "folderColorRgb", "contentHints",
    "copyRequiresWriterPermission", "writersCanShare", "viewersCanCopyContent", "contentRestrictions",
    "inheritedPermissionsDisabled", "downloadRestrictions",
}  # fmt: skip
_LINKS = {
    FOLDER: "https://drive.google.com/drive/folders/{id}",
    "application/vnd.google-apps.document": "https://docs.google.com/document/d/{id}/edit?usp=drivesdk",
    "application/vnd.google-apps.spreadsheet": "https://docs.google.com/spreadsheets/d/{id}/edit?usp=drivesdk",
    "application/vnd.google-apps.presentation": "https://docs.google.com/presentation/d/{id}/edit?usp=drivesdk",
    "application/vnd.google-apps.form": "https://docs.google.com/forms/d/{id}/edit?usp=drivesdk",
}


def file_not_found(file_id: str) -> ApiError:
    return ApiError(404, f"File not found: {file_id}.", reason="notFound", location="fileId")


class DriveService:
    """The drive section of the store: {"files": {id: File}, "access": {id: {...}}, "counter": n}."""

    def __init__(self, store: Store, clock: Clock, service_account: str = SERVICE_ACCOUNT) -> None:
        self.store = store
        self.clock = clock
        self.service_account = service_account

    @property
    def data(self) -> dict[str, Any]:
        section = self.store.section("drive")
        section.setdefault("files", {})
        section.setdefault("access", {})
        section.setdefault("counter", 0)
        return section

    def _new_id(self) -> str:
        self.data["counter"] += 1
        return "1" + hashlib.sha256(f"drive:{self.data['counter']}".encode()).hexdigest()[:32]

    # --- building state (seed, sandbox endpoints, files.create) ------------------------------------------

    def put_file(
        self,
        meta: dict[str, Any],
        *,
        readers: list[str] | None = None,
        link_shared: bool = False,
        needs_key: bool = False,
    ) -> dict[str, Any]:
        """Store a file with full metadata (size, md5Checksum, owners... as Google would fill them in)."""
        with self.store.lock:
            data = self.data
            file_id = meta.get("id") or self._new_id()
            if file_id in data["files"]:
                raise ApiError(409, f"A file with id {file_id} already exists.", reason="duplicate")
            now = format_time(self.clock.now())
            owner = (meta.get("owners") or [{"emailAddress": self.service_account}])[0]["emailAddress"]
            mime = meta.get("mimeType") or "application/octet-stream"
            entry: dict[str, Any] = {
                "kind": "drive#file",
                "id": file_id,
                "name": meta.get("name", "Untitled"),
                "mimeType": mime,
                "parents": meta.get("parents") or ["0AFolderRootSandbox"],
                "trashed": False,
                "explicitlyTrashed": False,
                "createdTime": now,
                "modifiedTime": now,
                "owners": [{"kind": "drive#user", "emailAddress": owner, "displayName": owner.split("@")[0]}],
                **{k: v for k, v in meta.items() if k not in {"owners"}},
            }
            entry["id"] = file_id
            if mime == SHORTCUT:
                entry["shortcutDetails"] = self._shortcut(entry.get("shortcutDetails") or {})
            if needs_key:
                entry["resourceKey"] = "0-" + hashlib.sha256(file_id.encode()).hexdigest()[:22]
            entry["webViewLink"] = _view_link(entry)
            data["files"][file_id] = entry
            data["access"][file_id] = {
                "readers": readers if readers is not None else [self.service_account, owner],
                "linkShared": link_shared or needs_key,
                "needsKey": needs_key,
            }
            self.store.save("drive")
            return copy.deepcopy(entry)

    def _shortcut(self, details: dict[str, Any]) -> dict[str, Any]:
        target = self.data["files"].get(details.get("targetId", ""))
        if target is None:
            raise file_not_found(str(details.get("targetId")))
        out = {"targetId": target["id"], "targetMimeType": target["mimeType"]}
        if "resourceKey" in target:
            out["targetResourceKey"] = target["resourceKey"]
        return out

    def create(self, body: dict[str, Any], caller: str) -> dict[str, Any]:
        """files.create without content: refuse read-only fields as Drive does (403 fieldNotWritable)."""
        not_writable = set(body) - WRITABLE
        details = body.get("shortcutDetails") or {}
        if not_writable or set(details) - {"targetId"}:
            raise ApiError(
                403,
                "The resource body includes fields which are not directly writable.",
                reason="fieldNotWritable",
            )
        for parent in body.get("parents") or []:
            if parent not in self.data["files"]:
                raise file_not_found(parent)
        if (body.get("mimeType") == SHORTCUT) != bool(details):
            raise ApiError(
                400,
                "A shortcut needs shortcutDetails.targetId and the shortcut mimeType.",
                reason="badRequest",
            )
        return self.put_file({**body, "owners": [{"emailAddress": caller}]})

    def set_access(self, file_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Sandbox-only: who may read a file: {"readers": [...], "linkShared": bool, "needsKey": bool}."""
        extra = set(body) - {"readers", "linkShared", "needsKey"}
        if extra:
            raise ApiError(400, f"Unknown access field(s) {sorted(extra)}.")
        with self.store.lock:
            entry = self.data["files"].get(file_id)
            if entry is None:
                raise file_not_found(file_id)
            access = self.data["access"][file_id]
            access.update(body)
            if access.get("needsKey") and "resourceKey" not in entry:
                entry["resourceKey"] = "0-" + hashlib.sha256(file_id.encode()).hexdigest()[:22]
                entry["webViewLink"] = _view_link(entry)
            self.store.save("drive")
            return dict(access)

    def patch(self, file_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Sandbox-only metadata change (e.g. {"trashed": true}, as the owner trashing it in the Drive UI)."""
        with self.store.lock:
            entry = self.data["files"].get(file_id)
            if entry is None:
                raise file_not_found(file_id)
            entry.update({k: v for k, v in body.items() if k != "id"})
            if "trashed" in body:
                entry["explicitlyTrashed"] = bool(body["trashed"])
            entry["modifiedTime"] = format_time(self.clock.now())
            self.store.save("drive")
            return copy.deepcopy(entry)

    def delete(self, file_id: str) -> None:
        """Sandbox-only: the file is gone for good (files.get answers 404)."""
        with self.store.lock:
            if self.data["files"].pop(file_id, None) is None:
                raise file_not_found(file_id)
            self.data["access"].pop(file_id, None)
            self.store.save("drive")

    # --- reading --------------------------------------------------------------------------------------------

    def get(self, file_id: str, caller: str, resource_keys: str = "") -> dict[str, Any]:
        """files.get: 404 alike for a missing file and one the caller may not read; trashed files answer."""
        with self.store.lock:
            entry = self.data["files"].get(file_id)
            if entry is None or not self._may_read(file_id, caller, resource_keys):
                raise file_not_found(file_id)
            return copy.deepcopy(entry)

    def _may_read(self, file_id: str, caller: str, resource_keys: str) -> bool:
        access = self.data["access"].get(file_id, {})
        if caller in access.get("readers", []):
            return True
        if not access.get("linkShared"):
            return False
        if not access.get("needsKey"):
            return True
        keys = dict(pair.strip().split("/", 1) for pair in resource_keys.split(",") if "/" in pair)
        expected: str | None = self.data["files"][file_id].get("resourceKey")
        return expected is not None and keys.get(file_id) == expected

    # --- HTTP -----------------------------------------------------------------------------------------------

    def register(self, router: Router) -> None:
        router.add("GET", "/drive/v3/files/{fileId}", "drive.files.get", "drive", self._http_get)
        router.add("POST", "/drive/v3/files", "drive.files.create", "drive", self._http_create)
        router.add("POST", "/sandbox/drive/files", None, "sandbox", self._http_put)
        router.add("PATCH", "/sandbox/drive/files/{fileId}", None, "sandbox", self._http_patch)
        router.add("DELETE", "/sandbox/drive/files/{fileId}", None, "sandbox", self._http_delete)
        router.add("PUT", "/sandbox/drive/files/{fileId}/access", None, "sandbox", self._http_access)

    def _http_get(self, req: ApiRequest) -> ApiResponse:
        keys = req.headers.get("x-goog-drive-resource-keys", "")
        entry = self.get(req.path_params["fileId"], req.caller, keys)
        if req.param("fields") is None:
            entry = {k: entry[k] for k in DEFAULT_FIELDS if k in entry}
        return ApiResponse(200, entry)

    def _http_create(self, req: ApiRequest) -> ApiResponse:
        if req.param("uploadType") not in {None, "resumable"}:
            raise ApiError(
                400, "The sandbox stores metadata only: uploads are not emulated.", reason="badRequest"
            )
        entry = self.create(req.body or {}, req.caller)
        if req.param("fields") is None:
            entry = {k: entry[k] for k in DEFAULT_FIELDS if k in entry}
        return ApiResponse(200, entry)

    def _http_put(self, req: ApiRequest) -> ApiResponse:
        body = dict(req.body or {})
        access = body.pop("sandboxAccess", {}) or {}
        entry = self.put_file(
            body,
            readers=access.get("readers"),
            link_shared=bool(access.get("linkShared")),
            needs_key=bool(access.get("needsKey")),
        )
        return ApiResponse(200, entry)

    def _http_patch(self, req: ApiRequest) -> ApiResponse:
        return ApiResponse(200, self.patch(req.path_params["fileId"], req.body or {}))

    def _http_delete(self, req: ApiRequest) -> ApiResponse:
        self.delete(req.path_params["fileId"])
        return ApiResponse(200, {})

    def _http_access(self, req: ApiRequest) -> ApiResponse:
        return ApiResponse(200, self.set_access(req.path_params["fileId"], req.body or {}))


def _view_link(entry: dict[str, Any]) -> str:
    pattern = _LINKS.get(entry["mimeType"], "https://drive.google.com/file/d/{id}/view?usp=drivesdk")
    link = pattern.format(id=entry["id"])
    if "resourceKey" in entry:
        link += ("&" if "?" in link else "?") + f"resourcekey={entry['resourceKey']}"
    return link
