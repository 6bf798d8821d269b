"""The sandbox's HTTP server: one loopback port answering Forms v1, Drive v3 (with batch), Sheets v4 and the
sandbox-only control endpoints, the way Google would for the calls kpisync makes.

Every API call goes through the same steps, in Google's order as far as a client can tell: the fault plan,
latency, the per-minute quota, the discovery check of query parameters and body, the ``fields`` mask, the
handler. The call log records each call that reached the server (inner calls of a batch one by one).
"""

from __future__ import annotations

import importlib
import json
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sandbox import batch, discovery, fieldmask
from sandbox.core import ApiError, ApiRequest, ApiResponse, Router, Store
from sandbox.drive import SERVICE_ACCOUNT, DriveService
from sandbox.forms import FormsService
from sandbox.limits import CallLog, Clock, FaultPlan, FaultRule, Latency, Quotas, fault_error, quota_bucket
from sandbox.responses import ResponsesService

API_NAMES = {"forms", "drive", "sheets"}
BATCH_PATH = "/batch/drive/v3"
OPTIONAL_MODULES = ("sandbox.sheets", "sandbox.html_view")  # the Sheets engineer's part, mounted when present


class DropConnectionError(Exception):
    """The fault plan says: close the connection without answering."""


class Sandbox:
    """The application behind the HTTP server: state, routes and behaviour switches."""

    def __init__(
        self, data_dir: Path, clock: Clock | None = None, service_account: str = SERVICE_ACCOUNT
    ) -> None:
        self.data_dir = Path(data_dir)
        self.store = Store(self.data_dir)
        self.clock = clock or Clock()
        self.service_account = service_account
        self.quotas = Quotas(self.clock)
        self.faults = FaultPlan()
        self.latency = Latency()
        self.calls = CallLog()
        self.router = Router()
        self.forms = FormsService(self.store, self.clock)
        self.responses = ResponsesService(self.forms)
        self.drive = DriveService(self.store, self.clock, service_account)
        self.forms.register(self.router)
        self.responses.register(self.router)
        self.drive.register(self.router)
        self._register_controls()
        for name in OPTIONAL_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as missing:
                if missing.name != name:
                    raise
                continue
            module.register(self.router, self.store)

    # --- one call -------------------------------------------------------------------------------------------

    def call(self, req: ApiRequest, *, in_batch: bool = False) -> ApiResponse:
        """Answer one request (raises DropConnectionError when the fault plan says so)."""
        req.caller = req.caller or req.headers.get("x-sandbox-caller") or self.service_account
        found = self.router.match(req.method, req.path)
        if found is None:
            return ApiError(404, f"The requested URL {req.path} was not found on this server.").to_response()
        route, path_params = found
        req.path_params = {k: unquote(v) for k, v in path_params.items()}
        if route.api not in API_NAMES:
            return self._run(route.handler, req)
        entry: dict[str, Any] = {
            "api": route.api,
            "method": route.discovery_id,
            "httpMethod": req.method,
            "path": req.path,
            "caller": req.caller,
            "inBatch": in_batch,
            "time": self.clock.time(),
        }
        response = _error_in_api_style(
            route.api, self._api_call(route.api, route.discovery_id, route.handler, req, entry)
        )
        entry["status"] = response.status
        self.calls.record(entry)
        return response

    def _api_call(
        self, api: str, method_id: str | None, handler: Any, req: ApiRequest, entry: dict[str, Any]
    ) -> ApiResponse:
        rule = self.faults.next_fault(api, method_id)
        if rule is not None:
            entry["fault"] = rule.fault
            outcome = self._fault(rule, entry)
            if outcome is not None:
                return outcome
        delay = self.latency.for_api(api)
        if delay:
            time.sleep(delay)
        try:
            bucket = quota_bucket(api, method_id, req.method)
            if bucket:
                self.quotas.charge(bucket, req.caller)
            mask = None
            if method_id:
                discovery.check_params(method_id, req.params)
                if req.raw_body and req.body is None:
                    raise ApiError(
                        400, "Invalid JSON payload received. Unexpected token.", reason="parseError"
                    )
                discovery.check_body(method_id, req.body)
                fields = req.param("fields")
                if fields:
                    mask = fieldmask.parse(fields)
                    fieldmask.check(api, mask, discovery.response_schema(method_id))
        except ApiError as refused:
            return refused.to_response()
        response = self._run(handler, req)
        if mask is not None and method_id and response.status == 200 and isinstance(response.body, dict):
            response.body = fieldmask.apply(mask, response.body, discovery.response_schema(method_id), api)
        return response

    def _fault(self, rule: FaultRule, entry: dict[str, Any]) -> ApiResponse | None:
        if rule.fault == "drop":
            entry["status"] = 0
            self.calls.record(entry)
            raise DropConnectionError
        if rule.fault == "slow":
            time.sleep(rule.seconds)
            return None
        return fault_error(rule).to_response()

    @staticmethod
    def _run(handler: Any, req: ApiRequest) -> ApiResponse:
        try:
            response: ApiResponse = handler(req)
        except ApiError as error:
            return error.to_response()
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return ApiError(500, "Internal error encountered.", reason="backendError").to_response()
        return response

    def call_batch(self, content_type: str, raw: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
        """The Drive batch endpoint: each inner call counted, checked and answered on its own."""
        entry: dict[str, Any] = {"api": "drive", "method": "batch", "httpMethod": "POST", "path": BATCH_PATH,
                                 "caller": headers.get("x-sandbox-caller") or self.service_account,
                                 "inBatch": False, "time": self.clock.time()}  # fmt: skip
        rule = self.faults.next_fault("drive", "batch")
        if rule is not None:
            entry["fault"] = rule.fault
            outcome = self._fault(rule, entry)
            if outcome is not None:
                entry["status"] = outcome.status
                self.calls.record(entry)  # only a failed batch is logged as a call of its own
                return outcome.status, "application/json; charset=UTF-8", _json_bytes(outcome.body)
        try:
            parts = batch.parse(content_type, raw, headers)
        except ApiError as refused:
            return refused.code, "application/json; charset=UTF-8", _json_bytes(refused.to_json())
        answers = []
        for part in parts:
            if not part.request.path.startswith("/drive/v3/"):
                error = ApiError(400, "A Drive batch may only hold Drive v3 calls.", reason="badRequest")
                answers.append((part.content_id, error.to_response()))
                continue
            answers.append((part.content_id, self.call(part.request, in_batch=True)))
        content, body = batch.build(answers)
        return 200, content, body

    # --- sandbox-only controls -----------------------------------------------------------------------------

    def _register_controls(self) -> None:
        add = self.router.add
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


def _json_bytes(body: Any) -> bytes:
    return b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httplib2 and requests expect
    server_version = "kpisync-sandbox"
    timeout = 60
    app: Sandbox  # set on the subclass made per server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the call log (GET /sandbox/calls) is the record of what reached the server."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        url = urlsplit(self.path)
        try:
            if url.path == BATCH_PATH and self.command == "POST":
                status, content_type, body = self.app.call_batch(
                    headers.get("content-type", ""), raw, headers
                )
                self._write(status, {"Content-Type": content_type}, body)
                return
            parsed = None
            if raw:
                try:
                    parsed = json.loads(raw)
                except ValueError:
                    parsed = None
            req = ApiRequest(
                self.command, url.path, parse_qs(url.query, keep_blank_values=True), headers, parsed, raw
            )
            response = self.app.call(req)
        except DropConnectionError:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        response_headers = dict(response.headers)
        body = response.body
        if isinstance(body, bytes | str) and any(k.lower() == "content-type" for k in response_headers):
            payload = body.encode("utf-8") if isinstance(body, str) else body
        else:
            payload = _json_bytes(body)
            response_headers.setdefault("Content-Type", "application/json; charset=UTF-8")
        self._write(response.status, response_headers, payload)

    def _write(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve  # noqa: N815 - the stdlib dispatches on these names


@dataclass
class RunningSandbox:
    """A sandbox serving on a background thread."""

    base_url: str
    data_dir: Path
    app: Sandbox
    server: ThreadingHTTPServer
    thread: threading.Thread

    def shutdown(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def make_server(app: Sandbox, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    handler = type("SandboxHandler", (_Handler,), {"app": app})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.block_on_close = False
    return server


def start(
    data_dir: Path, host: str = "127.0.0.1", port: int = 0, clock: Clock | None = None
) -> RunningSandbox:
    """Start a sandbox on a background thread; ``port=0`` picks a free port (see ``.base_url``)."""
    app = Sandbox(Path(data_dir), clock=clock)
    server = make_server(app, host, port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    bound_host, bound_port = server.server_address[:2]
    return RunningSandbox(f"http://{bound_host!s}:{bound_port}", Path(data_dir), app, server, thread)


def serve_forever(data_dir: Path, host: str = "127.0.0.1", port: int = 0, announce: Any = print) -> None:
    """Serve in the foreground until interrupted (the CLI's ``serve``)."""
    app = Sandbox(Path(data_dir))
    server = make_server(app, host, port)
    bound_host, bound_port = server.server_address[:2]
    announce(f"http://{bound_host!s}:{bound_port}")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _error_in_api_style(api: str, response: ApiResponse) -> ApiResponse:
    """Google's two error dialects: Drive v3 answers {code, errors[], message} (its "Resolve errors" guide, no
    status); the one-platform APIs, Forms v1 and Sheets v4, answer {code, message, status} with no errors[]. A
    client that leans on a field its API never sends must fail here as it would against Google."""
    error = response.body.get("error") if isinstance(response.body, dict) else None
    if response.status < 400 or not isinstance(error, dict):
        return response
    if api == "drive":
        error.pop("status", None)
        error.setdefault(
            "errors", [{"domain": "global", "reason": "backendError", "message": error.get("message")}]
        )
    else:
        error.pop("errors", None)
    return response
