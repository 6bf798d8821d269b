"""The lean Drive batch codec: the body it writes is the multipart format googleapiclient writes (read back
here with the email package), and it reads Google's answers as the library's own parser does."""

from __future__ import annotations

from email.parser import BytesParser
from typing import Any

import httplib2
import pytest
from googleapiclient.discovery import build
from googleapiclient.errors import BatchError, HttpError
from googleapiclient.http import BatchHttpRequest

from connectors.drive_batch import LeanBatchHttpRequest, multipart_parts

BATCH_URI = "http://127.0.0.1:9/batch/drive/v3"


class CannedHttp:
    """A transport that keeps what was posted and answers with a fixed multipart body."""

    def __init__(self, content_type: str, body: str, status: int = 200) -> None:
        self.answer = (
            httplib2.Response({"status": str(status), "content-type": content_type}),
            body.encode(),
        )
        self.sent: list[tuple[str, str, dict[str, str]]] = []
        self.credentials = None

    def request(self, uri: str, method: str = "GET", body: Any = None, headers: Any = None, **_: Any) -> Any:
        self.sent.append((uri, body, dict(headers or {})))
        return self.answer


def drive(http: Any) -> Any:
    return build(
        "drive",
        "v3",
        http=http,
        static_discovery=True,
        cache_discovery=False,
        client_options={"api_endpoint": "http://127.0.0.1:9/drive/v3/"},
    )


def google_answer(boundary: str, parts: list[tuple[str, str]], newline: str = "\r\n") -> str:
    """An answer laid out as Drive's batch guide shows it: one application/http part per call."""
    out = []
    for content_id, response in parts:
        out.append(
            f"--{boundary}{newline}Content-Type: application/http{newline}Content-ID: <response-{content_id}>"
            f"{newline}{newline}{response.replace(chr(10), newline)}{newline}"
        )
    out.append(f"--{boundary}--{newline}")
    return "".join(out)


def ids_sent(body: str, content_type: str) -> list[tuple[str, str, dict[str, str]]]:
    """(Content-ID, request line, inner headers) of each part, as the email package reads the body."""
    message = BytesParser().parsebytes(f"Content-Type: {content_type}\r\n\r\n{body}".encode())
    parts = []
    for part in message.get_payload():
        inner = str(part.get_payload())
        head = inner.replace("\r\n", "\n").split("\n\n", 1)[0].split("\n")
        headers = dict(line.split(": ", 1) for line in head[1:])
        parts.append((str(part["Content-ID"]), head[0], {k.lower(): v for k, v in headers.items()}))
    return parts


def sent_through(
    batch_class: type[BatchHttpRequest], resource_key: str
) -> list[tuple[str, str, dict[str, str]]]:
    """Send two files.get through ``batch_class`` and read back what went out."""
    http = CannedHttp("multipart/mixed; boundary=x", "--x--\r\n")
    files = drive(http).files()
    batch = batch_class(batch_uri=BATCH_URI)
    batch._base_id = "base"
    for file_id in ("fileAAAAAAAAAA", "fileBBBBBBBBBB"):
        request = files.get(fileId=file_id, fields="id,name", supportsAllDrives=True)
        request.headers["X-Goog-Drive-Resource-Keys"] = f"{file_id}/{resource_key}"
        batch.add(request, request_id=file_id)
    with pytest.raises((KeyError, BatchError)):
        batch.execute(http=http)  # the canned answer holds no part: only what was sent matters here
    uri, body, headers = http.sent[0]
    assert uri == BATCH_URI
    return ids_sent(body, headers["content-type"])


def test_body_carries_what_googleapiclient_sends() -> None:
    """Each part has the library's Content-ID, request line, Host and headers (resource key included)."""
    lean = sent_through(LeanBatchHttpRequest, "0-key")
    library = sent_through(BatchHttpRequest, "0-key")
    assert [(cid, line) for cid, line, _ in lean] == [(cid, line) for cid, line, _ in library]
    assert lean[0][1].startswith("GET /drive/v3/files/fileAAAAAAAAAA?")
    for (_, _, mine), (_, _, theirs) in zip(lean, library, strict=True):
        theirs.pop("mime-version", None)
        assert mine == theirs
        assert mine["x-goog-drive-resource-keys"].endswith("/0-key")
        assert mine["host"] == "127.0.0.1:9"


def test_header_values_never_span_lines() -> None:
    """A resource key decoded to carry a line break cannot add a header to its part."""
    parts = sent_through(LeanBatchHttpRequest, "0-key\r\nAuthorization: Bearer stolen")
    for _, _, headers in parts:
        assert "authorization" not in headers
        assert "\n" not in headers["x-goog-drive-resource-keys"]


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize("boundary_param", ['"batch_abc"', "batch_abc"])
def test_answers_reach_each_callback(newline: str, boundary_param: str) -> None:
    """A 200 part gives its decoded JSON, a 404 part an HttpError with its status and body, by request id."""
    ok = 'HTTP/1.1 200 OK\nContent-Type: application/json; charset=UTF-8\n\n{"id": "A", "name": "ผลงาน.pdf"}'
    missing = (
        "HTTP/1.1 404 Not Found\nContent-Type: application/json\nX-Folded: one\n two\n\n"
        '{"error": {"code": 404, "message": "File not found: B.", "errors": [{"reason": "notFound"}]}}'
    )
    body = google_answer("batch_abc", [("base + B", missing), ("base + A", ok)], newline)
    http = CannedHttp(f"multipart/mixed; boundary={boundary_param}", body)
    files = drive(http).files()
    got: dict[str, tuple[Any, Any]] = {}
    batch = LeanBatchHttpRequest(callback=lambda rid, r, e: got.__setitem__(rid, (r, e)), batch_uri=BATCH_URI)
    batch._base_id = "base"
    for file_id in ("A", "B"):
        batch.add(files.get(fileId=file_id, fields="id,name"), request_id=file_id)
    batch.execute(http=http)
    assert got["A"] == ({"id": "A", "name": "ผลงาน.pdf"}, None)
    response, error = got["B"]
    assert response is None
    assert isinstance(error, HttpError)
    assert error.resp.status == 404
    assert error.resp["x-folded"] == "one two"
    assert b"notFound" in error.content


def test_answer_that_is_not_multipart_is_a_batch_error() -> None:
    """A 200 answer without a multipart body is refused as googleapiclient refuses it (BatchError)."""
    http = CannedHttp("application/json", '{"kind": "drive#file"}')
    batch = LeanBatchHttpRequest(batch_uri=BATCH_URI)
    batch.add(drive(http).files().get(fileId="A"), request_id="A")
    with pytest.raises(BatchError):
        batch.execute(http=http)


def test_failed_batch_raises_http_error() -> None:
    """A 503 on the batch itself raises HttpError with that status (the retry policy's to handle)."""
    http = CannedHttp("application/json", '{"error": {"code": 503}}', status=503)
    batch = LeanBatchHttpRequest(batch_uri=BATCH_URI)
    batch.add(drive(http).files().get(fileId="A"), request_id="A")
    with pytest.raises(HttpError) as raised:
        batch.execute(http=http)
    assert raised.value.resp.status == 503


def test_answer_lacking_a_part_is_a_batch_error() -> None:
    """An answer that omits a call's part is malformed (BatchError, worth another attempt), not a crash."""
    ok = 'HTTP/1.1 200 OK\nContent-Type: application/json\n\n{"id": "A"}'
    http = CannedHttp("multipart/mixed; boundary=b", google_answer("b", [("base + A", ok)]))
    files = drive(http).files()
    batch = LeanBatchHttpRequest(batch_uri=BATCH_URI)
    batch._base_id = "base"
    for file_id in ("A", "B"):
        batch.add(files.get(fileId=file_id), request_id=file_id)
    with pytest.raises(BatchError):
        batch.execute(http=http)


def test_parts_split_on_the_boundary_only() -> None:
    """The preamble and what follows the close delimiter are dropped; a part keeps its inner line breaks."""
    body = "preamble\r\n--b\r\nA: 1\r\n\r\nx\r\ny\r\n--b\r\nB: 2\r\n\r\nz\r\n--b--\r\nepilogue"
    assert multipart_parts("multipart/mixed; boundary=b", body) == ["A: 1\r\n\r\nx\r\ny", "B: 2\r\n\r\nz"]
    with pytest.raises(BatchError):
        multipart_parts("multipart/mixed", body)
