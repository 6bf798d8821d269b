"""Developer metadata: create/update/delete requests, developerMetadata.get and .search.

Row and column metadata live in the spreadsheet's ``developerMetadata`` list with a ``dimensionRange``
location; sheets_dimensions shifts them when rows or columns are inserted, deleted or moved.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from sandbox.core import ApiError
from sandbox.sheets_fields import apply_fields
from sandbox.sheets_model import Spreadsheet, sheet_by_id

Reply = dict[str, Any]


def _location(ss: Spreadsheet, location: dict[str, Any], where: str) -> dict[str, Any]:
    if location.get("spreadsheet"):
        return {"locationType": "SPREADSHEET", "spreadsheet": True}
    if "sheetId" in location:
        sheet_by_id(ss, location["sheetId"], where)
        return {"locationType": "SHEET", "sheetId": location["sheetId"]}
    rng = location.get("dimensionRange")
    if rng:
        sheet_by_id(ss, rng.get("sheetId", 0), where)
        start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", 0))
        if end != start + 1:
            raise ApiError(
                400, where + "Developer metadata may only be associated with a single row or column."
            )
        dimension = rng.get("dimension")
        return {
            "locationType": "ROW" if dimension == "ROWS" else "COLUMN",
            "dimensionRange": {
                "sheetId": rng.get("sheetId", 0),
                "dimension": dimension,
                "startIndex": start,
                "endIndex": end,
            },
        }
    raise ApiError(400, where + "A developer metadata location is required.")


def create(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    meta = copy.deepcopy(req.get("developerMetadata") or {})
    if not meta.get("metadataKey"):
        raise ApiError(400, where + "metadataKey is required.")
    if meta.get("visibility") not in ("DOCUMENT", "PROJECT"):
        raise ApiError(400, where + "visibility must be DOCUMENT or PROJECT.")
    used = {m["metadataId"] for m in ss.get("developerMetadata", [])}
    wanted = meta.get("metadataId")
    if wanted is not None and wanted in used:
        raise ApiError(400, f"{where}Developer metadata with ID {wanted} already exists.")
    if wanted is None:
        wanted = max(used, default=100) + 1
    meta["metadataId"] = wanted
    meta["location"] = _location(ss, meta.get("location") or {}, where)
    ss.setdefault("developerMetadata", []).append(meta)
    return {"createDeveloperMetadata": {"developerMetadata": meta}}


def matches(meta: dict[str, Any], lookup: dict[str, Any]) -> bool:
    """Whether one metadata entry matches a DeveloperMetadataLookup (exact-location semantics)."""
    for key in ("metadataId", "metadataKey", "metadataValue", "visibility"):
        if key in lookup and lookup[key] != meta.get(key):
            return False
    if "locationType" in lookup and lookup["locationType"] != meta["location"].get("locationType"):
        return False
    wanted = lookup.get("metadataLocation")
    if wanted:
        have = meta["location"]
        if "sheetId" in wanted and have.get("sheetId") != wanted["sheetId"]:
            return False
        if wanted.get("spreadsheet") and have.get("locationType") != "SPREADSHEET":
            return False
        if "dimensionRange" in wanted:
            want_rng, rng = wanted["dimensionRange"], have.get("dimensionRange") or {}
            if any(want_rng.get(k) != rng.get(k) for k in ("sheetId", "dimension", "startIndex")):
                return False
    return True


def _selected(ss: Spreadsheet, data_filter: dict[str, Any]) -> list[dict[str, Any]]:
    lookup = data_filter.get("developerMetadataLookup")
    if lookup is None:
        raise ApiError(400, "Only developerMetadataLookup data filters are supported by the sandbox.")
    return [m for m in ss.get("developerMetadata", []) if matches(m, lookup)]


def update(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    found: list[dict[str, Any]] = []
    for data_filter in req.get("dataFilters") or []:
        found.extend(m for m in _selected(ss, data_filter) if m not in found)
    new = req.get("developerMetadata") or {}
    for meta in found:
        if "location" in new and "location" in req.get("fields", ""):
            meta["location"] = _location(ss, new["location"], where)
        apply_fields(
            meta, {k: v for k, v in new.items() if k != "location"}, _without_location(req.get("fields")), ()
        )
    return {"updateDeveloperMetadata": {"developerMetadata": found}}


def _without_location(fields: str | None) -> str:
    kept = [f for f in (fields or "").split(",") if f.strip() and not f.strip().startswith("location")]
    return ",".join(kept) or "metadataKey"


def delete(ss: Spreadsheet, req: dict[str, Any], where: str) -> Reply:
    doomed = _selected(ss, req.get("dataFilter") or {})
    ss["developerMetadata"] = [m for m in ss.get("developerMetadata", []) if m not in doomed]
    return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": doomed}}


def search(ss: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    matched = []
    for data_filter in body.get("dataFilters") or []:
        for meta in _selected(ss, data_filter):
            matched.append({"developerMetadata": meta, "dataFilters": [data_filter]})
    return {"matchedDeveloperMetadata": matched} if matched else {}


def get(ss: Spreadsheet, metadata_id: str) -> dict[str, Any]:
    for meta in ss.get("developerMetadata", []):
        if str(meta["metadataId"]) == metadata_id:
            return dict(meta)
    raise ApiError(404, f"No developer metadata with ID: {metadata_id}")


METADATA_HANDLERS: dict[str, Callable[[Spreadsheet, dict[str, Any], str], Reply]] = {
    "createDeveloperMetadata": create,
    "updateDeveloperMetadata": update,
    "deleteDeveloperMetadata": delete,
}
