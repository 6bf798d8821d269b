"""Sheets v4 routes on the sandbox Router, and the seed helper.

State is ``store.section("sheets")["spreadsheets"][id]`` (see sheets_model). A write changes the document in
place and the store journals what changed; if any part of the call is refused the store puts back the saved
document, so a refused batch changes nothing. Who may read or write a spreadsheet: sandbox/access.py; whose
writes protected ranges refuse: sandbox/sheets_guards.py.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from sandbox import jsondiff, sheets_guards, sheets_metadata, sheets_values
from sandbox.a1 import Bounds
from sandbox.access import Sharing
from sandbox.core import ApiError, ApiRequest, ApiResponse, Router, Store
from sandbox.sheets_guards import acting_as
from sandbox.sheets_model import (
    Spreadsheet,
    add_sheet,
    grid_data,
    new_spreadsheet,
    recalculate,
    resolve,
    set_value,
    sheet_for_output,
)
from sandbox.sheets_requests import apply_requests

API = "sheets"
PREFIX = "/v4/spreadsheets"


def spreadsheets(store: Store) -> dict[str, Spreadsheet]:
    section = store.section("sheets")
    found: dict[str, Spreadsheet] = section.setdefault("spreadsheets", {})
    return found


def _find(store: Store, spreadsheet_id: str) -> Spreadsheet:
    found = spreadsheets(store).get(spreadsheet_id)
    if found is None:
        raise ApiError(404, "Requested entity was not found.")
    return found


def _body(request: ApiRequest) -> dict[str, Any]:
    if request.body is None:
        return {}
    if not isinstance(request.body, dict):
        raise ApiError(400, "Invalid JSON payload received. Expected an object.")
    return request.body


def _range_param(request: ApiRequest) -> str:
    # The server has already percent-decoded path parameters (gspread quotes titles).
    return request.path_params.get("range", "")


def _params(request: ApiRequest) -> dict[str, Any]:
    return {name: values[0] for name, values in request.params.items() if values}


def _read_as(
    store: Store, sharing: Sharing, request: ApiRequest, work: Callable[[Spreadsheet], Any]
) -> ApiResponse:
    spreadsheet_id = request.path_params["spreadsheetId"]
    with store.lock:
        spreadsheet = _find(store, spreadsheet_id)
        sharing.require("spreadsheets", spreadsheet_id, request.caller, write=False)
        # A copy: the live document may change as soon as the lock is released, before the reply is sent.
        return ApiResponse(200, jsondiff.clone(work(spreadsheet)))


def _write_as(
    store: Store, sharing: Sharing, request: ApiRequest, work: Callable[[Spreadsheet], Any]
) -> ApiResponse:
    spreadsheet_id = request.path_params["spreadsheetId"]
    with store.lock:
        spreadsheet = _find(store, spreadsheet_id)
        sharing.require("spreadsheets", spreadsheet_id, request.caller, write=True)
        try:
            with acting_as(request.caller, sharing.owner("spreadsheets", spreadsheet_id)):
                reply = jsondiff.clone(work(spreadsheet))
        except BaseException:
            store.restore("sheets", "spreadsheets", spreadsheet_id)
            raise
        store.save("sheets", "spreadsheets", spreadsheet_id)
        return ApiResponse(200, reply)


def spreadsheet_resource(ss: Spreadsheet, ranges: list[str], include_grid: bool) -> dict[str, Any]:
    """The Spreadsheet resource as spreadsheets.get returns it (grid data only when asked)."""
    out: dict[str, Any] = {
        "spreadsheetId": ss["spreadsheetId"],
        "properties": ss["properties"],
        "sheets": [],
        "spreadsheetUrl": ss["spreadsheetUrl"],
    }
    wanted: dict[int, list[Bounds | None]] = {}
    for text in ranges:
        sheet, parsed = resolve(ss, text)
        wanted.setdefault(sheet["properties"]["sheetId"], []).append(
            None if parsed.whole_sheet else parsed.bounds
        )
    for sheet in ss["sheets"]:
        sheet_id = sheet["properties"]["sheetId"]
        if ranges and sheet_id not in wanted:
            continue
        item = sheet_for_output(ss, sheet)
        if include_grid:
            item["data"] = [grid_data(ss, sheet, b) for b in wanted.get(sheet_id, [None])]
        out["sheets"].append(item)
    top = [m for m in ss.get("developerMetadata", []) if m["location"].get("locationType") == "SPREADSHEET"]
    if top:
        out["developerMetadata"] = top
    if ss.get("namedRanges"):
        out["namedRanges"] = ss["namedRanges"]
    return out


def _wants_grid(request: ApiRequest) -> bool:
    flag = (request.param("includeGridData") or "false").lower() == "true"
    return flag or re.search(r"(?<![\w])data(?![\w])", request.param("fields") or "") is not None


def register(router: Router, store: Store, sharing: Sharing | None = None) -> None:
    """Add every Sheets v4 route the sandbox answers."""
    shared = sharing or Sharing(store)

    def _read(request: ApiRequest, work: Callable[[Spreadsheet], Any]) -> ApiResponse:
        return _read_as(store, shared, request, work)

    def _write(request: ApiRequest, work: Callable[[Spreadsheet], Any]) -> ApiResponse:
        return _write_as(store, shared, request, work)

    def get(request: ApiRequest) -> ApiResponse:
        ranges = request.params.get("ranges", [])
        return _read(request, lambda ss: spreadsheet_resource(ss, ranges, _wants_grid(request)))

    def create(request: ApiRequest) -> ApiResponse:
        body = _body(request)
        with store.lock:
            title = (body.get("properties") or {}).get("title") or "Untitled spreadsheet"
            seed = f"{title}:{len(spreadsheets(store))}".encode()
            spreadsheet_id = "1" + hashlib.sha256(seed).hexdigest()[:43]
            ss = new_spreadsheet(spreadsheet_id, title)
            ss["properties"].update({k: v for k, v in (body.get("properties") or {}).items() if k != "title"})
            for item in body.get("sheets") or [{"properties": {"title": "Sheet1"}}]:
                props = dict(item.get("properties") or {})
                add_sheet(ss, props.pop("title", None) or f"Sheet{len(ss['sheets']) + 1}", props)
            sheets_guards.check_cells(ss, 0)
            spreadsheets(store)[spreadsheet_id] = ss
            store.save("sheets", "spreadsheets", spreadsheet_id)
            shared.created("spreadsheets", spreadsheet_id, request.caller)
            return ApiResponse(200, jsondiff.clone(spreadsheet_resource(ss, [], False)))

    def batch_update(request: ApiRequest) -> ApiResponse:
        body = _body(request)

        def work(ss: Spreadsheet) -> dict[str, Any]:
            replies = apply_requests(ss, body.get("requests") or [])
            reply: dict[str, Any] = {"spreadsheetId": ss["spreadsheetId"], "replies": replies}
            if body.get("includeSpreadsheetInResponse"):
                ranges = body.get("responseRanges") or []
                reply["updatedSpreadsheet"] = spreadsheet_resource(
                    ss, ranges, bool(body.get("responseIncludeGridData"))
                )
            return reply

        return _write(request, work)

    def values_get(request: ApiRequest) -> ApiResponse:
        return _read(
            request,
            lambda ss: sheets_values.read_range(
                ss,
                _range_param(request),
                request.param("valueRenderOption"),
                request.param("majorDimension"),
                request.param("dateTimeRenderOption"),
            ),
        )

    def values_batch_get(request: ApiRequest) -> ApiResponse:
        return _read(
            request,
            lambda ss: sheets_values.batch_get(
                ss,
                request.params.get("ranges", []),
                request.param("valueRenderOption"),
                request.param("majorDimension"),
                request.param("dateTimeRenderOption"),
            ),
        )

    def values_update(request: ApiRequest) -> ApiResponse:
        body = _body(request)
        return _write(
            request, lambda ss: sheets_values.update(ss, _range_param(request), _params(request), body)
        )

    def values_batch_update(request: ApiRequest) -> ApiResponse:
        body = _body(request)
        return _write(request, lambda ss: sheets_values.batch_update(ss, body))

    def values_append(request: ApiRequest) -> ApiResponse:
        body = _body(request)
        return _write(
            request, lambda ss: sheets_values.append(ss, _range_param(request), _params(request), body)
        )

    def values_clear(request: ApiRequest) -> ApiResponse:
        text = _range_param(request)
        return _write(
            request,
            lambda ss: {"spreadsheetId": ss["spreadsheetId"], "clearedRange": sheets_values.clear(ss, text)},
        )

    def values_batch_clear(request: ApiRequest) -> ApiResponse:
        ranges = _body(request).get("ranges") or []
        return _write(
            request,
            lambda ss: {
                "spreadsheetId": ss["spreadsheetId"],
                "clearedRanges": [sheets_values.clear(ss, r) for r in ranges],
            },
        )

    def metadata_get(request: ApiRequest) -> ApiResponse:
        return _read(request, lambda ss: sheets_metadata.get(ss, request.path_params["metadataId"]))

    def metadata_search(request: ApiRequest) -> ApiResponse:
        body = _body(request)
        return _read(request, lambda ss: sheets_metadata.search(ss, body))

    base = PREFIX + "/{spreadsheetId}"
    routes: list[tuple[str, str, str, Callable[[ApiRequest], ApiResponse]]] = [
        ("POST", PREFIX, "sheets.spreadsheets.create", create),
        ("POST", base + ":batchUpdate", "sheets.spreadsheets.batchUpdate", batch_update),
        ("GET", base + "/values:batchGet", "sheets.spreadsheets.values.batchGet", values_batch_get),
        ("POST", base + "/values:batchUpdate", "sheets.spreadsheets.values.batchUpdate", values_batch_update),
        ("POST", base + "/values:batchClear", "sheets.spreadsheets.values.batchClear", values_batch_clear),
        ("POST", base + "/values/{range*}:append", "sheets.spreadsheets.values.append", values_append),
        ("POST", base + "/values/{range*}:clear", "sheets.spreadsheets.values.clear", values_clear),
        ("GET", base + "/values/{range*}", "sheets.spreadsheets.values.get", values_get),
        ("PUT", base + "/values/{range*}", "sheets.spreadsheets.values.update", values_update),
        (
            "POST",
            base + "/developerMetadata:search",
            "sheets.spreadsheets.developerMetadata.search",
            metadata_search,
        ),
        (
            "GET",
            base + "/developerMetadata/{metadataId}",
            "sheets.spreadsheets.developerMetadata.get",
            metadata_get,
        ),
        ("GET", base, "sheets.spreadsheets.get", get),
    ]
    for method, template, discovery_id, handler in routes:
        router.add(method, template, discovery_id, API, handler)


def seed_spreadsheet(store: Store, spreadsheet_id: str, title: str, tabs: dict[str, list[list[str]]]) -> None:
    """Create (or replace) a spreadsheet whose tabs hold these rows as literal text (RAW), for the seed."""
    with store.lock:
        ss = new_spreadsheet(spreadsheet_id, title)
        for tab_title, rows in (tabs or {"Sheet1": []}).items():
            sheet = add_sheet(ss, tab_title)
            grid = sheet["properties"]["gridProperties"]
            grid["rowCount"] = max(grid["rowCount"], len(rows))
            grid["columnCount"] = max(grid["columnCount"], max((len(r) for r in rows), default=0))
            for r, line in enumerate(rows):
                for c, value in enumerate(line):
                    if value != "":
                        set_value(sheet, r, c, {"stringValue": str(value)})
        recalculate(ss)
        spreadsheets(store)[spreadsheet_id] = ss
        store.save("sheets")
