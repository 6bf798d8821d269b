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
from sandbox.access import Sharing
from sandbox.core import SERVICE_ACCOUNT, ApiError, ApiRequest, ApiResponse, Router, Store
from sandbox.drive import DriveService
from sandbox.forms import FormsService
from sandbox.frontend import API_NAMES, MAX_BODY_BYTES, Apis, payload_too_large
from sandbox.limits import (
    CallLog,
    Clock,
    FaultPlan,
    FaultRule,
    Latency,
    Quotas,
    Switches,
    fault_error,
    quota_bucket,
)
from sandbox.responses import ResponsesService

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
        self.apis = Apis()
        self.router = Router()
        self.sharing = Sharing(self.store, service_account)
        self.forms = FormsService(self.store, self.clock, self.sharing)
        self.responses = ResponsesService(self.forms)
        self.drive = DriveService(self.store, self.clock, service_account)
        self.forms.register(self.router)
        self.responses.register(self.router)
        self.drive.register(self.router)
        self.sharing.register(self.router)
        Switches(self.clock, self.quotas, self.faults, self.latency, self.calls, self.apis).register(
            self.router
        )
        for name in OPTIONAL_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as missing:
                if missing.name != name:
                    raise
                continue
            module.register(self.router, self.store, self.sharing)

    def close(self) -> None:
        """Write the state's snapshots (a restart then loads them without replaying a journal)."""
        self.store.close()

    # --- one call -------------------------------------------------------------------------------------------

    def call(self, req: ApiRequest, *, in_batch: bool = False, batch_latency: float = 0.0) -> ApiResponse:
        """Answer one request (raises DropConnectionError when the fault plan says so). The call log notes
        the latency this call waited (``latency``) and, for a part of a Drive batch, the latency its batch
        waited once for all its parts (``batchLatency``): tests read the plan, never a stopwatch."""
        req.caller = req.caller or req.headers.get("x-sandbox-caller") or self.service_account
        found = self.router.match(req.method, req.path)
        if found is None:
            return ApiError(404, f"The requested URL {req.path} was not found on this server.").to_response()
        route, path_params = found
        req.path_params = {k: unquote(v) for k, v in path_params.items()}
        if route.api not in API_NAMES:
            return self._run(route.handler, req)
        entry = self._entry(route.api, route.discovery_id, req, in_batch)
        if in_batch:
            entry["batchLatency"] = batch_latency
        response = _error_in_api_style(
            route.api, self._api_call(route.api, route.discovery_id, route.handler, req, entry)
        )
        entry["status"] = response.status
        self.calls.record(entry)
        return response

    def _entry(self, api: str, method_id: str | None, req: ApiRequest, in_batch: bool) -> dict[str, Any]:
        return {"api": api, "method": method_id, "httpMethod": req.method, "path": req.path,
                "caller": req.caller, "inBatch": in_batch, "time": self.clock.time()}  # fmt: skip

    def refuse_unread(self, method: str, path: str, headers: dict[str, str]) -> ApiResponse | None:
        """A body over 10 MiB to an API (the Drive batch included) is refused before it is parsed, in the
        API's dialect and logged; None for sandbox-only paths, which read it as usual."""
        api, method_id = ("drive", "batch") if path == BATCH_PATH and method == "POST" else (None, None)
        if api is None:
            found = self.router.match(method, path)
            if found is None or found[0].api not in API_NAMES:
                return None
            api, method_id = found[0].api, found[0].discovery_id
        caller = headers.get("x-sandbox-caller") or self.service_account
        req = ApiRequest(method, path, {}, headers, None, b"", caller)
        entry = self._entry(api, method_id, req, False)
        response = _error_in_api_style(api, payload_too_large().to_response())
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
        entry["latency"] = delay
        if delay:
            time.sleep(delay)
        try:
            self.apis.check(api)
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
                    mask = fieldmask.parse(fields, api)
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
        """The Drive batch endpoint: each inner call counted, checked and answered on its own. Past the 100th,
        parts are not run: each answers Drive's 403 "Exceeds allowed inner batch requests soft limit"
        (googleapis/google-api-python-client issue 2201), and the calls before it stand."""
        caller = headers.get("x-sandbox-caller") or self.service_account
        outer = ApiRequest("POST", BATCH_PATH, {}, headers, None, b"", caller)
        entry = self._entry("drive", "batch", outer, False)
        rule = self.faults.next_fault("drive", "batch")
        if rule is not None:
            entry["fault"] = rule.fault
            outcome = self._fault(rule, entry)
            if outcome is not None:
                entry["status"] = outcome.status
                self.calls.record(entry)  # only a failed batch is logged as a call of its own
                return outcome.status, "application/json; charset=UTF-8", _json_bytes(outcome.body)
        delay = self.latency.for_drive_batch()
        if delay:
            time.sleep(delay)
        try:
            parts = batch.parse(content_type, raw, headers)
        except ApiError as refused:
            response = _error_in_api_style("drive", refused.to_response())
            return response.status, "application/json; charset=UTF-8", _json_bytes(response.body)
        answers = []
        for index, part in enumerate(parts):
            if not part.request.path.startswith("/drive/v3/"):
                error = ApiError(400, "A Drive batch may only hold Drive v3 calls.", reason="badRequest")
                answers.append((part.content_id, _error_in_api_style("drive", error.to_response())))
            elif index >= batch.MAX_CALLS:
                answers.append((part.content_id, self._over_batch_limit(part.request)))
            else:
                answers.append((part.content_id, self.call(part.request, in_batch=True, batch_latency=delay)))
        content, body = batch.build(answers)
        return 200, content, body

    def _over_batch_limit(self, req: ApiRequest) -> ApiResponse:
        req.caller = req.caller or req.headers.get("x-sandbox-caller") or self.service_account
        found = self.router.match(req.method, req.path)
        entry = self._entry("drive", found[0].discovery_id if found else None, req, True)
        error = ApiError(
            403, "Exceeds allowed inner batch requests soft limit. Please retry.", reason="forbidden"
        )
        response = _error_in_api_style("drive", error.to_response())
        entry["status"] = response.status
        self.calls.record(entry)
        return response


def _json_bytes(body: Any) -> bytes:
    return b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httplib2 and requests expect
    server_version = "kpisync-sandbox"
    timeout = 60
    # Buffered: the status line, headers and body leave in one send when the stdlib flushes after the
    # handler. Unbuffered, the body waited for the client's delayed ACK of the headers: ~40 ms a call.
    wbufsize = 64 * 1024
    app: Sandbox  # set on the subclass made per server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the call log (GET /sandbox/calls) is the record of what reached the server."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        headers = {k.lower(): v for k, v in self.headers.items()}
        url = urlsplit(self.path)
        if length > MAX_BODY_BYTES:
            refused = self.app.refuse_unread(self.command, url.path, headers)
            if refused is not None:
                self._drain(length)
                self._respond(refused)
                return
        raw = self.rfile.read(length) if length else b""
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
        self._respond(response)

    def _drain(self, length: int) -> None:
        """Read and discard a body that will not be parsed, so the connection stays usable."""
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 20))
            if not chunk:
                break
            length -= len(chunk)

    def _respond(self, response: ApiResponse) -> None:
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
        self.app.close()


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away mid-answer (a killed sync, a timeout) is the client's business, as it is
        # Google's: no traceback on stderr. Anything else is the sandbox's own bug and is printed.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def make_server(app: Sandbox, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    handler = type("SandboxHandler", (_Handler,), {"app": app})
    server = _Server((host, port), handler)
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
        app.close()


def _error_in_api_style(api: str, response: ApiResponse) -> ApiResponse:
    """Google's two error dialects: Drive v3 answers {code, errors[], message} (its "Resolve errors" guide, no
    status); the one-platform APIs, Forms v1 and Sheets v4, answer {code, message, status} with no errors[]. A
    client that leans on a field its API never sends must fail here as it would against Google. Errors of the
    shared front end (they carry ``details``, e.g. SERVICE_DISABLED) keep their status in Drive too, as real
    Drive v3 answers show."""
    error = response.body.get("error") if isinstance(response.body, dict) else None
    if response.status < 400 or not isinstance(error, dict):
        return response
    if api == "drive":
        if "details" not in error:
            error.pop("status", None)
        error.setdefault(
            "errors", [{"domain": "global", "reason": "backendError", "message": error.get("message")}]
        )
    else:
        error.pop("errors", None)
    return response
