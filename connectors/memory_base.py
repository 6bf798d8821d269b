"""What every in-memory fake shares: recording calls in an ApiLedger and injected failures.

A fake stands for the whole adapter, retries included, so an injected error is what the daemon would see after
the retry policy gave up (or at once, for a fatal one).
"""

from __future__ import annotations

import json
import threading
from typing import Any

from connectors.errors import ConnectorError
from connectors.ledger import ApiCall, ApiLedger


class FakeApi:
    """Base of the fakes: ``_call`` records one API call (and raises an injected error, if one is queued)."""

    def __init__(self, ledger: ApiLedger | None, api: str) -> None:
        self.ledger = ledger
        self.api = api
        self._faults: list[tuple[str | None, ConnectorError]] = []
        self._fault_lock = threading.Lock()

    def inject(self, error: ConnectorError, *, method: str | None = None, times: int = 1) -> None:
        """The next ``times`` calls (of ``method``, or any) raise ``error`` instead of answering."""
        with self._fault_lock:
            self._faults.extend([(method, error)] * times)

    def _record(self, method: str, status: int, is_write: bool, body: str, inner_calls: int) -> None:
        if self.ledger is None:
            return
        self.ledger.record(
            ApiCall(
                api=self.api,
                method=method,
                status=status,
                duration_ms=0.0,
                request_bytes=len(body.encode("utf-8")) if body != "null" else 0,
                response_bytes=0,
                attempt=1,
                is_write=is_write,
                inner_calls=inner_calls,
            )
        )

    def _call(self, method: str, *, is_write: bool = False, body: Any = None, inner_calls: int = 0) -> None:
        fault: ConnectorError | None = None
        with self._fault_lock:
            for index, (wanted, error) in enumerate(self._faults):
                if wanted is None or wanted == method:
                    fault = error
                    del self._faults[index]
                    break
        encoded = (
            body.decode("utf-8")
            if isinstance(body, bytes)
            else json.dumps(body, default=str, ensure_ascii=False)
        )
        status = 200 if fault is None else (fault.status or 0)
        self._record(method, status, is_write, encoded, inner_calls)
        if fault is not None:
            raise fault
