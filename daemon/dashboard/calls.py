"""The write cut into spreadsheets.batchUpdate calls of at most 2 MB, each built just before it is sent.

What a publish writes comes as a stream of pieces: whole requests (a tab's structure, a row deletion) and
runs of rows (cells of existing rows, new rows appended) that may be cut between any two rows. Each piece is
encoded to JSON once, as it comes. A call takes pieces until the next would not fit; a run of rows is cut
where the call is full, so that every call but the last is filled up to the limit, and the rest of the run
opens the next call as a request of its own. A call's body is handed over as bytes and let go before the
next one is built: the memory a write takes is about one call, however large the dashboard.

Bytes are counted as they go on the wire: UTF-8 JSON without spaces (Thai text costs three bytes a
character, not the six of ``\\uXXXX`` escapes).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

_OPEN = b'{"requests":['
_CLOSE = b"]}"
_COMMA = b","


def encode(value: Any) -> bytes:
    """``value`` as the JSON that goes on the wire. A lone surrogate (broken text from a form) becomes its
    ``\\uXXXX`` escape, valid JSON, instead of failing the whole write."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8", "backslashreplace")


def encode_text(text: str) -> bytes:
    """``encode(text)`` for a string, without json.dumps's cost per call (a first sync has a million)."""
    return encode_basestring(text).encode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class RowRun:
    """Encoded rows that make requests of one kind and may be cut between any two rows: ``head(i)`` opens
    a request whose first row is the run's ``i``-th (an updateCells says where it starts), ``tail`` closes
    it. ``rows`` is consumed once, as the calls are built."""

    head: Callable[[int], bytes]
    tail: bytes
    rows: Iterable[bytes]


Piece = bytes | RowRun


def pack(pieces: Iterable[Piece], limit: int) -> Iterator[bytes]:
    """The bodies (``{"requests": [...]}``) of consecutive calls of at most ``limit`` bytes that carry
    ``pieces`` in order. A single request or row too large for any call goes alone in one (the layout
    keeps every row far inside a call, ``cells.ROW_BYTES``)."""
    frags: list[bytes] = []  # the current body between _OPEN and _CLOSE
    size = len(_OPEN) + len(_CLOSE)

    def body() -> bytes:
        nonlocal size
        out = b"".join([_OPEN, *frags, _CLOSE])
        frags.clear()
        size = len(_OPEN) + len(_CLOSE)
        return out

    def start(first: bytes, then: int) -> Iterator[bytes]:
        """Put ``first`` (and ``then`` bytes that must follow it in this call) in the body, after sending
        the body first when they do not fit."""
        nonlocal size
        if frags and size + 1 + len(first) + then > limit:
            yield body()
        if frags:
            frags.append(_COMMA)
            size += 1
        frags.append(first)
        size += len(first)

    for piece in pieces:
        if isinstance(piece, bytes):
            yield from start(piece, 0)
            continue
        open_request = False
        for i, row in enumerate(piece.rows):
            if open_request and size + 1 + len(row) + len(piece.tail) <= limit:
                frags += (_COMMA, row)
                size += 1 + len(row)
                continue
            if open_request:  # the call is full: close its request here and send it
                frags.append(piece.tail)
                size += len(piece.tail)
                yield body()
            yield from start(piece.head(i), len(row) + len(piece.tail))
            frags.append(row)
            size += len(row)
            open_request = True
        if open_request:
            frags.append(piece.tail)
            size += len(piece.tail)
    if frags:
        yield body()
