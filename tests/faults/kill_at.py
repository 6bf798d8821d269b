"""Run the real ``kpisync`` command line in this process and SIGKILL it at a chosen point.

    python tests/faults/kill_at.py POINT -- sync --once --config kpisync.toml

POINT is ``none`` (run to the end; with ``KPISYNC_KILL_COUNTS=file`` the number of each kind of point
reached is written there as JSON), or ``KIND:N`` to die at the Nth point of that kind:

- ``sql``: before the Nth SQL statement the process sends (BEGIN, COMMIT and migrations included);
- ``commit``: right after the Nth COMMIT returned (the transaction is durable, the next one not begun);
- ``http``: before the Nth HTTP request to Google (the sandbox) leaves;
- ``answer``: after the Nth HTTP answer arrived, before the caller sees it (Google did the work, the
  process never learns it).

Only the test harness uses this; the product has no kill switch. SIGKILL cannot be caught, so nothing of the
process's own cleanup runs: what is on disk is what a power cut of the process would leave.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections import Counter
from typing import Any

import httplib2
import requests
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.default import DefaultDialect

from daemon.cli import app

KINDS = ("sql", "commit", "http", "answer")
reached: Counter[str] = Counter()
# The point to die at, (kind, number); empty: run to the end.
target: list[tuple[str, int]] = []


def _hit(kind: str) -> None:
    reached[kind] += 1
    if (kind, reached[kind]) in target:
        os.kill(os.getpid(), signal.SIGKILL)


def _install() -> None:
    @event.listens_for(Engine, "before_cursor_execute")
    def _statement(*_args: Any, **_kw: Any) -> None:
        _hit("sql")

    do_commit = DefaultDialect.do_commit

    def commit_then_count(self: DefaultDialect, dbapi_connection: Any) -> None:
        do_commit(self, dbapi_connection)
        _hit("commit")

    DefaultDialect.do_commit = commit_then_count  # type: ignore[method-assign]

    http_request = httplib2.Http.request

    def httplib2_request(self: httplib2.Http, *args: Any, **kwargs: Any) -> Any:
        _hit("http")
        answer = http_request(self, *args, **kwargs)
        _hit("answer")
        return answer

    httplib2.Http.request = httplib2_request  # type: ignore[method-assign]

    session_send = requests.Session.send

    def requests_send(self: requests.Session, *args: Any, **kwargs: Any) -> Any:
        _hit("http")
        answer = session_send(self, *args, **kwargs)
        _hit("answer")
        return answer

    requests.Session.send = requests_send  # type: ignore[method-assign]


def main(argv: list[str]) -> None:
    point, separator, *args = argv
    if separator != "--":
        raise SystemExit("usage: kill_at.py POINT -- kpisync-args...")
    if point != "none":
        kind, _, number = point.partition(":")
        if kind not in KINDS:
            raise SystemExit(f"unknown point kind {kind!r}; one of {', '.join(KINDS)}")
        target.append((kind, int(number)))
    _install()
    counts_file = os.environ.get("KPISYNC_KILL_COUNTS")
    try:
        app(args=args, prog_name="kpisync")  # exits with the command's status, as the console script does
    finally:
        if counts_file:
            with open(counts_file, "w", encoding="utf-8") as handle:
                json.dump(dict(reached), handle)


if __name__ == "__main__":
    main(sys.argv[1:])
