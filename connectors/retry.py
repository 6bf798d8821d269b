"""One bounded retry policy for every Google call (tenacity), replacing gspread's unbounded BackOffHTTPClient.

Only :class:`~connectors.errors.RetriableError` is retried. The wait before attempt n+1 is Google's
Retry-After when the answer carried one (capped at ``max_delay``, so a hostile or confused server cannot park
the daemon), otherwise truncated exponential backoff with jitter. After ``max_attempts`` the last error is
re-raised unchanged so the caller sees why it gave up.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import structlog
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from connectors.errors import ConnectorError, RetriableError

T = TypeVar("T")

log = structlog.get_logger()


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff, jitter and Retry-After.

    ``sleep`` and ``rand`` are injectable so tests wait zero seconds and get repeatable delays.
    """

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 32.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)
    rand: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("delays must not be negative")

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        ceiling = min(self.base_delay * 2.0 ** (attempt - 1), self.max_delay)
        # Half fixed, half jitter: never zero (so a retry storm spreads out) and never above the cap.
        return ceiling / 2 + self.rand() * ceiling / 2

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        retry_after = exc.retry_after if isinstance(exc, ConnectorError) else None
        return self.delay(state.attempt_number, retry_after)

    def _log_retry(self, state: RetryCallState, what: str) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        log.warning(
            "google.retry",
            call=what,
            attempt=state.attempt_number,
            max_attempts=self.max_attempts,
            wait_s=round(state.upcoming_sleep, 3),
            error=str(exc),
            status=getattr(exc, "status", None),
        )

    def call(self, fn: Callable[[int], T], *, what: str = "") -> T:
        """Run ``fn(attempt)`` until it returns, raises a non-retriable error, or attempts run out.

        ``fn`` receives the 1-based attempt number so the ledger can record it. ``fn`` must raise only
        classified errors (see :func:`connectors.errors.classify_error`) for retries to happen.
        """
        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            retry=retry_if_exception_type(RetriableError),
            sleep=self.sleep,
            before_sleep=lambda state: self._log_retry(state, what),
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                number = attempt.retry_state.attempt_number
                try:
                    return fn(number)
                except RetriableError as exc:
                    if number >= self.max_attempts:
                        log.error("google.retries_exhausted", call=what, attempts=number, error=str(exc))
                    raise
        raise AssertionError("unreachable: tenacity either returns or re-raises")  # pragma: no cover
