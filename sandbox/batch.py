"""The multipart/mixed batch format as googleapiclient's BatchHttpRequest sends it and Google answers it.

Each part is ``application/http`` holding one serialized request; the answer holds one part per request, each
with ``Content-ID: <response-ID>`` where ID is the request part's Content-ID without its angle brackets. Page
followed: https://developers.google.com/workspace/drive/api/guides/performance#batch-requests.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from email.parser import BytesParser
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from sandbox.core import ApiError, ApiRequest, ApiResponse

MAX_CALLS = 100  # "You're limited to 100 calls in a single batch request" (the page above)


@dataclass
class BatchPart:
    content_id: str  # without angle brackets
    request: ApiRequest


def parse(content_type: str, body: bytes, outer_headers: dict[str, str]) -> list[BatchPart]:
    """Split a batch body into requests; refuse what Google refuses (not multipart, no parts). Parts past
    ``MAX_CALLS`` are the server's to answer one by one."""
    if not content_type.lower().startswith("multipart/mixed") or "boundary=" not in content_type:
        raise ApiError(400, "A batch request must be multipart/mixed with a boundary.", reason="badContent")
    message = BytesParser().parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    payloads = message.get_payload()
    if not message.is_multipart() or not isinstance(payloads, list) or not payloads:
        raise ApiError(400, "The batch request holds no calls.", reason="badContent")
    parts = []
    for index, part in enumerate(payloads):
        content_id = re.sub(r"\s+", " ", str(part.get("Content-ID", f"<item{index}>"))).strip()
        raw = part.get_payload(decode=False)
        text = raw if isinstance(raw, str) else ""
        parts.append(BatchPart(content_id.strip("<>"), _inner_request(text, outer_headers)))
    return parts


def _inner_request(text: str, outer_headers: dict[str, str]) -> ApiRequest:
    blank = re.search(r"\r?\n\r?\n", text)
    head, body = (text[: blank.start()], text[blank.end() :]) if blank else (text, "")
    lines = re.split(r"\r?\n", head.strip())
    try:
        method, target, _version = lines[0].split(" ", 2)
    except ValueError:
        raise ApiError(400, f"Bad request line in a batch part: {lines[0]!r}.", reason="badContent") from None
    headers = {
        k.lower(): v for k, v in outer_headers.items() if k.lower() in {"authorization", "x-sandbox-caller"}
    }
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    url = urlsplit(target)
    raw_body = body.strip().encode("utf-8")
    parsed = None
    if raw_body:
        try:
            parsed = json.loads(raw_body)
        except ValueError:
            parsed = None
    return ApiRequest(
        method=method.upper(),
        path=url.path,
        params=parse_qs(url.query, keep_blank_values=True),
        headers=headers,
        body=parsed,
        raw_body=raw_body,
    )


def build(answers: list[tuple[str, ApiResponse]]) -> tuple[str, bytes]:
    """The multipart/mixed answer: (content type, body)."""
    boundary = f"batch_{uuid.uuid4().hex}"
    chunks = []
    for content_id, response in answers:
        payload = (
            b"" if response.body is None else json.dumps(response.body, ensure_ascii=False).encode("utf-8")
        )
        reason = HTTPStatus(response.status).phrase
        extra = "".join(f"{k}: {v}\r\n" for k, v in response.headers.items())
        chunks.append(
            (
                f"--{boundary}\r\nContent-Type: application/http\r\n"
                f"Content-ID: <response-{content_id}>\r\n\r\n"
                f"HTTP/1.1 {response.status} {reason}\r\nContent-Type: application/json; charset=UTF-8\r\n"
                f"{extra}Content-Length: {len(payload)}\r\n\r\n"
            ).encode()
            + payload
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return f"multipart/mixed; boundary={boundary}", b"".join(chunks)
