"""The sandbox's shared vocabulary: a request, a response, Google's error shape, routes, the persisted state.

Each emulated API (forms.py, drive.py, sheets.py) registers its routes on a Router, each route naming the
discovery method id it implements (e.g. ``sheets.spreadsheets.values.batchGet``) so the server can check query
parameters and body fields against the discovery document before the handler runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.store import Store

__all__ = [
    "SERVICE_ACCOUNT", "ApiError", "ApiRequest", "ApiResponse", "Handler", "Route", "Router", "Store",
]  # fmt: skip

# The identity kpisync calls Google as (SAMPLE_SPEC.md); X-Sandbox-Caller acts as someone else.
SERVICE_ACCOUNT = "kpisync@sukhothai-kpi.iam.gserviceaccount.com"


@dataclass
class ApiRequest:
    """One HTTP request as a handler sees it (also used for each part of a batch)."""

    method: str
    path: str  # without the query string, e.g. "/v1/forms/F1/responses"
    params: dict[str, list[str]]  # query parameters, every value kept (repeated ?ranges=...)
    headers: Mapping[str, str]  # lower-cased names
    body: Any = None  # parsed JSON body, or None
    raw_body: bytes = b""
    caller: str = ""  # the identity making the call (service account email by default)
    path_params: dict[str, str] = field(default_factory=dict)

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.params.get(name)
        return values[0] if values else default


@dataclass
class ApiResponse:
    status: int = 200
    body: Any = None  # JSON-serialisable; None means an empty body
    headers: dict[str, str] = field(default_factory=dict)


_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class ApiError(Exception):
    """An error answered in Google's JSON error shape: {"error": {code, message, status, errors: [...]}}."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        status: str | None = None,
        reason: str | None = None,
        domain: str = "global",
        headers: dict[str, str] | None = None,
        location: str | None = None,
        details: list[dict[str, Any]] | None = None,
        extended_help: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or _STATUS_NAMES.get(code, "UNKNOWN")
        self.reason = reason
        self.domain = domain
        self.headers = headers or {}
        self.location = location
        self.details = (
            details  # google.rpc details (ErrorInfo, LocalizedMessage, Help) from Google's front end
        )
        self.extended_help = extended_help

    def to_json(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.reason:
            item: dict[str, Any] = {"message": self.message, "domain": self.domain, "reason": self.reason}
            if self.location:
                item["location"] = self.location
                item["locationType"] = "parameter"
            if self.extended_help is not None:
                item["extendedHelp"] = self.extended_help
            error["errors"] = [item]
        if self.details:
            error["details"] = self.details
        return {"error": error}

    def to_response(self) -> ApiResponse:
        return ApiResponse(self.code, self.to_json(), dict(self.headers))


Handler = Callable[[ApiRequest], ApiResponse]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    discovery_id: str | None  # None for sandbox-only endpoints (no discovery document to check against)
    api: str  # "forms" | "drive" | "sheets" | "sandbox": the quota bucket and fault-plan key
    handler: Handler


class Router:
    """Maps (method, path) to a handler. Patterns use {name} placeholders matching one path segment,
    or {name*} matching the rest of the path (Google's ``{+range}`` style)."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, template: str, discovery_id: str | None, api: str, handler: Handler) -> None:
        regex = re.escape(template)
        regex = re.sub(r"\\\{(\w+)\\\*\\\}", r"(?P<\1>.+)", regex)
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", regex)
        self.routes.append(Route(method.upper(), re.compile(f"^{regex}$"), discovery_id, api, handler))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            if route.method != method.upper():
                continue
            found = route.pattern.match(path)
            if found:
                return route, found.groupdict()
        return None

    def allowed_methods(self, path: str) -> list[str]:
        return [r.method for r in self.routes if r.pattern.match(path)]
