"""The Drive batch request with a lean multipart codec: googleapiclient's ``BatchHttpRequest`` with its body
written and its answer read by plain string work instead of the email package.

googleapiclient builds every part as a MIME message and flattens it with ``email.generator``, then parses
the answer with ``email.feedparser``: for a first sync's 5,000 files that was most of the evidence step's
CPU (header folding and feed parsing per part). The format itself is small and documented
(https://developers.google.com/drive/api/guides/performance#batch-requests): a ``multipart/mixed`` body of
``application/http`` parts, each a serialized request with a ``Content-ID``; the answer holds one part per
request, ``Content-ID: <response-ID>``, each a serialized HTTP response.

Only the codec (``_execute``, ``_serialize_request``) is replaced; everything else stays the library's:
the ``HttpRequest`` objects and their URIs, headers and post-processing, the refresh of credentials before
the batch and the re-send of parts answered 401, the callbacks with ``HttpError`` for parts answered
>= 300, ``BatchError`` for an answer that is not a multipart body (here also for one that lacks a part,
where the library would fail with a KeyError). These two methods are private to
googleapiclient; the connector contract tests run the whole batch against the sandbox, so a library
release that changes them fails there, not in production.
"""

from __future__ import annotations

import re
import urllib.parse
import uuid
from typing import Any

import httplib2
from googleapiclient import _auth
from googleapiclient.errors import BatchError, HttpError
from googleapiclient.http import BatchHttpRequest

_BOUNDARY_RE = re.compile(r'boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))', re.IGNORECASE)
_BLANK_LINE_RE = re.compile(r"\r?\n\r?\n")
_LINE_RE = re.compile(r"\r?\n")
# A header value never spans lines: a resource key decoded from a pasted link ("%0D%0A") must not add
# headers to the part it rides in.
_NEWLINES = str.maketrans("", "", "\r\n")


def _header_line(name: str, value: Any) -> str:
    return f"{name}: {str(value).translate(_NEWLINES)}"


def split_head(text: str) -> tuple[list[str], str]:
    """A header block and what follows the blank line: (header lines, body). No blank line: all head."""
    blank = _BLANK_LINE_RE.search(text)
    head, body = (text[: blank.start()], text[blank.end() :]) if blank else (text, "")
    lines: list[str] = []
    for line in _LINE_RE.split(head):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += " " + line.strip()  # a folded header continues the previous one
        elif line:
            lines.append(line)
    return lines, body


def parse_headers(lines: list[str]) -> dict[str, str]:
    """Header lines as a dict of lower-case names (the last of a repeated name wins)."""
    headers: dict[str, str] = {}
    for line in lines:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return headers


def multipart_parts(content_type: str, body: str) -> list[str]:
    """The parts of a ``multipart/mixed`` body, each without its boundary lines."""
    found = _BOUNDARY_RE.search(content_type)
    if not content_type.lower().startswith("multipart/") or found is None:
        raise BatchError("Response not in multipart/mixed format.")
    delimiter = "--" + (found.group(1) or found.group(2))
    pieces = body.split(delimiter)
    parts = []
    # pieces[0] is the preamble; a piece starting "--" is the close delimiter and what follows it.
    for piece in pieces[1:]:
        if piece.startswith("--"):
            break
        start = piece.find("\n")
        text = piece[start + 1 :] if start >= 0 else ""
        # The line break before the next delimiter belongs to the delimiter (RFC 2046 §5.1.1).
        if text.endswith("\r\n"):
            text = text[:-2]
        elif text.endswith("\n"):
            text = text[:-1]
        parts.append(text)
    if not parts:
        raise BatchError("Response not in multipart/mixed format.")
    return parts


def parse_http_response(text: str) -> tuple[httplib2.Response, bytes]:
    """One serialized HTTP response (a part's payload) as httplib2 returns a response: (resp, content)."""
    status_line, _, rest = text.partition("\n")
    fields = status_line.strip().split(" ", 2)
    if len(fields) < 2 or not fields[1].isdigit():
        raise BatchError(f"Bad status line in a batch answer: {status_line[:80]!r}")
    lines, content = split_head(rest)
    headers = parse_headers(lines)
    headers["status"] = fields[1]
    resp = httplib2.Response(headers)
    resp.reason = fields[2] if len(fields) > 2 else ""
    protocol = fields[0].partition("/")[2].replace(".", "")
    resp.version = int(protocol) if protocol.isdigit() else 11
    return resp, content.encode("utf-8")


class LeanBatchHttpRequest(BatchHttpRequest):  # type: ignore[misc]  # googleapiclient is untyped
    """``BatchHttpRequest`` whose multipart body is built and read without the email package."""

    def _serialize_request(self, request: Any) -> str:
        """The request in ``application/http`` form: request line, headers, blank line, body."""
        parsed = urllib.parse.urlparse(request.uri)
        target = urllib.parse.urlunparse(("", "", parsed.path, parsed.params, parsed.query, ""))
        headers = dict(request.headers)
        if request.http is not None:
            credentials = _auth.get_credentials_from_http(request.http)
            if credentials is not None:
                _auth.apply_credentials(credentials, headers)
        content_type = headers.pop("content-type", "application/json")
        lines = [f"{request.method} {target} HTTP/1.1", _header_line("Content-Type", content_type)]
        lines.extend(_header_line(name, value) for name, value in headers.items())
        lines.append(_header_line("Host", parsed.netloc))
        body = request.body
        if body is not None:
            lines.append(_header_line("Content-Length", len(body)))
        text = "\r\n".join(lines) + "\r\n\r\n"
        if body is not None:
            text += body.decode("utf-8") if isinstance(body, bytes) else str(body)
        return text

    def _execute(self, http: Any, order: list[str], requests: dict[str, Any]) -> None:
        """Send the parts ``order`` names in one POST and keep each part's (resp, content) by request id."""
        boundary = f"batch_{uuid.uuid4().hex}"
        chunks = []
        for request_id in order:
            chunks.append(
                f"--{boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
                f"Content-ID: {self._id_to_header(request_id)}\r\n\r\n"
                f"{self._serialize_request(requests[request_id])}\r\n"
            )
        chunks.append(f"--{boundary}--\r\n")
        headers = {"content-type": f'multipart/mixed; boundary="{boundary}"'}
        resp, content = http.request(self._batch_uri, method="POST", body="".join(chunks), headers=headers)
        if resp.status >= 300:
            raise HttpError(resp, content, uri=self._batch_uri)
        text = content.decode("utf-8") if isinstance(content, bytes) else str(content)
        try:
            parts = multipart_parts(str(resp.get("content-type", "")), text)
        except BatchError as exc:
            raise BatchError(exc.reason, resp=resp, content=content) from None
        for part in parts:
            lines, payload = split_head(part)
            content_id = parse_headers(lines).get("content-id")
            if content_id is None:
                raise BatchError("A batch answer part has no Content-ID.", resp=resp, content=content)
            self._responses[self._header_to_id(content_id)] = parse_http_response(payload)
        lacking = [request_id for request_id in order if request_id not in self._responses]
        if lacking:
            # googleapiclient would fail with a KeyError (a bug, to the taxonomy); an answer cut short is a
            # malformed answer, worth sending again.
            raise BatchError(
                f"The batch answer lacks {len(lacking)} of its parts.", resp=resp, content=content
            )
