"""Behaviour switches: the sandbox clock, per-minute quotas, latency, the fault plan and the call log, and the
sandbox-only control endpoints under ``/sandbox/`` that set them (with health and which APIs are enabled).
They have no Google equivalent, are not counted and not quota-limited; the switches live in memory, so a
restart resets them while the data persists.

Quota defaults are Google's published per-minute numbers (reference/google-apis.md §1.6, §2.4, §3.5). A
service account is one user, so "per user" is per caller identity and "per project" is every caller together.
Windows are sliding 60-second windows on the sandbox clock, which tests move forward instead of sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sandbox.core import ApiError, ApiRequest, ApiResponse, Router
from sandbox.frontend import PROJECT_NUMBER, SERVICES, Apis

WINDOW_SECONDS = 60.0

# bucket -> (per user per minute, per project per minute, Google's metric name)
DEFAULT_QUOTAS: dict[str, tuple[int, int, str]] = {
    "forms.read": (390, 975, "Read requests"),
    "forms.expensive_read": (180, 450, "Expensive read requests"),
    "forms.write": (150, 375, "Write requests"),
    "drive.queries": (12000, 12000, "Queries"),
    "sheets.read": (60, 300, "Read requests"),
    "sheets.write": (60, 300, "Write requests"),
}
FAULTS = {"500", "503", "429", "403rate", "drop", "slow"}
DRIVE_QUOTA_URL = (
    f"https://console.developers.google.com/apis/api/drive.googleapis.com/quotas?project={PROJECT_NUMBER}"
)


class Clock:
    """Wall time plus an offset that tests advance (POST /sandbox/clock) instead of waiting."""

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self.offset = 0.0

    def time(self) -> float:
        return self._source() + self.offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)

    def advance(self, seconds: float) -> None:
        self.offset += seconds


def quota_bucket(api: str, method_id: str | None, http_method: str) -> str | None:
    if api == "forms":
        if method_id == "forms.forms.responses.list":
            return "forms.expensive_read"
        return "forms.read" if http_method == "GET" else "forms.write"
    if api == "drive":
        return "drive.queries"
    if api == "sheets":
        return "sheets.read" if http_method == "GET" else "sheets.write"
    return None


class Quotas:
    """Sliding-window counters per (bucket, caller) and per bucket; 429 RESOURCE_EXHAUSTED when one fills."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.enabled = True
        self.drive_status = 403  # Drive's usage-limits page: over quota is 403 userRateLimitExceeded
        self.limits: dict[str, tuple[int, int]] = {k: (u, p) for k, (u, p, _) in DEFAULT_QUOTAS.items()}
        self._seen: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def configure(self, body: dict[str, Any]) -> None:
        unknown = set(body) - {"enabled", "limits", "reset", "driveQuotaStatus"}
        if unknown:
            raise ApiError(400, f"Unknown quota setting(s): {sorted(unknown)}")
        if body.get("driveQuotaStatus", 403) not in (403, 429):
            raise ApiError(400, "driveQuotaStatus is 403 (userRateLimitExceeded) or 429 (rateLimitExceeded).")
        with self._lock:
            self.drive_status = int(body.get("driveQuotaStatus", self.drive_status))
            if "enabled" in body:
                self.enabled = bool(body["enabled"])
            for bucket, spec in (body.get("limits") or {}).items():
                if bucket not in self.limits or not isinstance(spec, dict):
                    raise ApiError(400, f"Unknown quota bucket {bucket!r}; known: {sorted(self.limits)}")
                user, project = self.limits[bucket]
                self.limits[bucket] = (int(spec.get("perUser", user)), int(spec.get("perProject", project)))
            if body.get("reset"):
                self._seen.clear()

    def describe(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "driveQuotaStatus": self.drive_status,
            "limits": {b: {"perUser": u, "perProject": p} for b, (u, p) in self.limits.items()},
        }

    def charge(self, bucket: str, caller: str) -> None:
        """Count one call, or raise the 429 Google answers when a per-minute bucket is full."""
        if not self.enabled:
            return
        now = self.clock.time()
        with self._lock:
            user_limit, project_limit = self.limits[bucket]
            for key, limit, scope in ((caller, user_limit, "per user"), ("*", project_limit, "")):
                seen = self._seen.setdefault((bucket, key), deque())
                while seen and seen[0] <= now - WINDOW_SECONDS:
                    seen.popleft()
                if len(seen) >= limit:
                    wait = max(1, math.ceil(seen[0] + WINDOW_SECONDS - now))
                    if bucket.startswith("drive.") and self.drive_status == 403:
                        raise drive_rate_limited(per_user=bool(scope))
                    raise _exhausted(bucket, scope, wait)
            for key in (caller, "*"):
                self._seen[(bucket, key)].append(now)


def _exhausted(bucket: str, scope: str, retry_after: int) -> ApiError:
    api = bucket.split(".", 1)[0]
    metric = DEFAULT_QUOTAS[bucket][2]
    limit = f"{metric} per minute {scope}".strip()
    return ApiError(
        429,
        f"Quota exceeded for quota metric '{metric}' and limit '{limit}' of service '{SERVICES[api]}' "
        f"for consumer 'project_number:{PROJECT_NUMBER}'.",
        reason="rateLimitExceeded",
        domain="usageLimits",
        headers={"Retry-After": str(retry_after)},
    )


def drive_rate_limited(*, per_user: bool = True) -> ApiError:
    """Drive's 403 over quota: userRateLimitExceeded per user, rateLimitExceeded for the whole project
    (https://developers.google.com/workspace/drive/api/guides/limits; message as Drive sends it, pasted in
    tidyverse/googledrive issue 380). No Retry-After: Drive documents none for it."""
    if not per_user:
        return ApiError(403, "Rate Limit Exceeded", reason="rateLimitExceeded", domain="usageLimits")
    message = (
        "User Rate Limit Exceeded. Rate of requests for user exceed configured project quota. You may "
        "consider re-evaluating expected per-user traffic to the API and adjust project quota limits "
        "accordingly. You may monitor aggregate quota usage and adjust limits in the API Console: "
        f"{DRIVE_QUOTA_URL}"
    )
    return ApiError(
        403, message, reason="userRateLimitExceeded", domain="usageLimits", extended_help=DRIVE_QUOTA_URL
    )


@dataclass
class FaultRule:
    """Fire ``fault`` on the ``nth`` matching call and the ones after it, ``times`` times in all."""

    fault: str
    api: str | None = None
    method: str | None = None  # a discovery id, or "batch" for the Drive batch call itself
    nth: int = 1
    times: int = 1
    seconds: float = 2.0  # for "slow"
    retry_after: int = 1  # for "429"
    seen: int = 0
    fired: int = 0

    def matches(self, api: str, method: str | None) -> bool:
        return (self.api in {None, api}) and (self.method in {None, method})


class FaultPlan:
    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def install(self, body: dict[str, Any]) -> None:
        if set(body) - {"rules"} or not isinstance(body.get("rules"), list):
            raise ApiError(400, 'A fault plan is {"rules": [...]}.')
        rules = []
        known = {"fault", "api", "method", "nth", "times", "seconds", "retryAfter"}
        for raw in body["rules"]:
            if not isinstance(raw, dict) or set(raw) - known or raw.get("fault") not in FAULTS:
                raise ApiError(
                    400, f"Bad fault rule {raw!r}: keys {sorted(known)}, fault one of {sorted(FAULTS)}."
                )
            rules.append(
                FaultRule(
                    fault=raw["fault"],
                    api=raw.get("api"),
                    method=raw.get("method"),
                    nth=int(raw.get("nth", 1)),
                    times=int(raw.get("times", 1)),
                    seconds=float(raw.get("seconds", 2.0)),
                    retry_after=int(raw.get("retryAfter", 1)),
                )
            )
        with self._lock:
            self.rules = rules

    def describe(self) -> dict[str, Any]:
        return {"rules": [asdict(r) for r in self.rules]}

    def next_fault(self, api: str, method: str | None) -> FaultRule | None:
        """The rule that fires for this call, if any (each matching rule counts the call)."""
        chosen = None
        with self._lock:
            for rule in self.rules:
                if not rule.matches(api, method):
                    continue
                rule.seen += 1
                if chosen is None and rule.seen >= rule.nth and rule.fired < rule.times:
                    rule.fired += 1
                    chosen = rule
        return chosen


def fault_error(rule: FaultRule) -> ApiError:
    if rule.fault == "403rate":
        return drive_rate_limited()
    if rule.fault == "429":
        return ApiError(
            429,
            "Resource has been exhausted (e.g. check quota).",
            reason="rateLimitExceeded",
            headers={"Retry-After": str(rule.retry_after)},
        )
    if rule.fault == "503":
        return ApiError(503, "The service is currently unavailable.", reason="backendError")
    return ApiError(500, "Internal error encountered.", reason="backendError")


@dataclass
class CallLog:
    """What reached the server, so tests count real calls instead of trusting the client."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, entry: dict[str, Any]) -> None:
        with self.lock:
            entry["seq"] = len(self.calls) + 1
            self.calls.append(entry)

    def snapshot(self, api: str | None = None, method: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [
                c
                for c in self.calls
                if (api is None or c["api"] == api) and (method is None or c["method"] == method)
            ]

    def clear(self) -> None:
        with self.lock:
            self.calls.clear()


@dataclass
class Latency:
    """Seconds added to every call of an API ("*" for all), and once per Drive batch ("drive.batch")."""

    per_api: dict[str, float] = field(default_factory=dict)

    def configure(self, body: dict[str, Any]) -> None:
        if not all(isinstance(v, int | float) and v >= 0 for v in body.values()):
            raise ApiError(400, 'Latency is {"forms": 0.1, "drive": 0, "*": 0.05} in seconds.')
        self.per_api = {str(k): float(v) for k, v in body.items()}

    def for_api(self, api: str) -> float:
        return self.per_api.get(api, self.per_api.get("*", 0.0))

    def for_drive_batch(self) -> float:
        """Seconds added once to a Drive batch call as a whole (key "drive.batch"; "*" does not apply)."""
        return self.per_api.get("drive.batch", 0.0)


@dataclass
class Switches:
    """Everything a test can switch on a running sandbox."""

    clock: Clock
    quotas: Quotas
    faults: FaultPlan
    latency: Latency
    calls: CallLog
    apis: Apis

    def register(self, router: Router) -> None:
        add = router.add
        add("GET", "/sandbox/health", None, "sandbox", lambda r: ApiResponse(200, {"ok": True}))
        add("GET", "/sandbox/calls", None, "sandbox", self._get_calls)
        add("DELETE", "/sandbox/calls", None, "sandbox", self._clear_calls)
        add("GET", "/sandbox/faults", None, "sandbox", lambda r: ApiResponse(200, self.faults.describe()))
        add("POST", "/sandbox/faults", None, "sandbox", self._set_faults)
        add("DELETE", "/sandbox/faults", None, "sandbox", self._clear_faults)
        add("GET", "/sandbox/quotas", None, "sandbox", lambda r: ApiResponse(200, self.quotas.describe()))
        add("POST", "/sandbox/quotas", None, "sandbox", self._set_quotas)
        add("GET", "/sandbox/latency", None, "sandbox", lambda r: ApiResponse(200, self.latency.per_api))
        add("POST", "/sandbox/latency", None, "sandbox", self._set_latency)
        add("GET", "/sandbox/clock", None, "sandbox", self._get_clock)
        add("POST", "/sandbox/clock", None, "sandbox", self._advance_clock)
        add("GET", "/sandbox/apis", None, "sandbox", lambda r: ApiResponse(200, self.apis.describe()))
        add("POST", "/sandbox/apis", None, "sandbox", self._set_apis)

    def _get_calls(self, req: ApiRequest) -> ApiResponse:
        return ApiResponse(200, {"calls": self.calls.snapshot(req.param("api"), req.param("method"))})

    def _clear_calls(self, req: ApiRequest) -> ApiResponse:
        self.calls.clear()
        return ApiResponse(200, {})

    def _set_faults(self, req: ApiRequest) -> ApiResponse:
        self.faults.install(_object(req.body))
        return ApiResponse(200, self.faults.describe())

    def _clear_faults(self, req: ApiRequest) -> ApiResponse:
        self.faults.install({"rules": []})
        return ApiResponse(200, {})

    def _set_quotas(self, req: ApiRequest) -> ApiResponse:
        self.quotas.configure(_object(req.body))
        return ApiResponse(200, self.quotas.describe())

    def _set_latency(self, req: ApiRequest) -> ApiResponse:
        self.latency.configure(_object(req.body))
        return ApiResponse(200, self.latency.per_api)

    def _set_apis(self, req: ApiRequest) -> ApiResponse:
        self.apis.configure(_object(req.body))
        return ApiResponse(200, self.apis.describe())

    def _get_clock(self, req: ApiRequest) -> ApiResponse:
        return ApiResponse(200, {"now": self.clock.now().isoformat(), "offsetSeconds": self.clock.offset})

    def _advance_clock(self, req: ApiRequest) -> ApiResponse:
        body = _object(req.body)
        seconds = body.get("advanceSeconds")
        if set(body) != {"advanceSeconds"} or not isinstance(seconds, int | float) or seconds < 0:
            raise ApiError(400, 'The clock only moves forward: {"advanceSeconds": 60}.')
        self.clock.advance(float(seconds))
        return self._get_clock(req)


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(400, "The body must be a JSON object.")
    return body
