"""One bounded retry policy for every Google call (tenacity), replacing gspread's unbounded BackOffHTTPClient.

Only :class:`~connectors.errors.RetriableError` is retried. The wait before attempt n+1 is Google's
Retry-After when the answer carried one (capped at ``max_delay``, so a hostile or confused server cannot park
the daemon), otherwise truncated exponential backoff with jitter. After ``max_attempts`` the last error is
re-raised unchanged so the caller sees why it gave up.

A call that is not safe to repeat (``repeatable=False``: a spreadsheets.batchUpdate that adds tabs or rules,
a values.append) is retried only when Google answered that it did not apply it (429, 5xx: Sheets batches are
all-or-nothing); after a timeout or a lost connection it may have been applied, so the error goes up and the
next sync, which reads the Sheet first, finishes the work. A waiting retry ends early with
:class:`RetryCancelledError` when the ``cancel`` event is set (the daemon's SIGTERM).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import structlog
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from connectors.errors import ConnectorError, RetriableError

T = TypeVar("T")

log = structlog.get_logger()


class RetryCancelledError(Exception):
    """A stop was requested while a call waited to be retried: the caller is shutting down."""


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
    # Set to stop waiting: the next wait (or the one in progress, with the default sleep) raises
    # RetryCancelledError instead of retrying.
    cancel: threading.Event | None = field(default=None, compare=False, repr=False)

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

    def pause(self, seconds: float) -> None:
        """Wait ``seconds`` before a retry, or raise RetryCancelledError as soon as a stop is requested."""
        if self.cancel is None:
            self.sleep(seconds)
            return
        if self.cancel.is_set():
            raise RetryCancelledError
        if self.sleep is time.sleep:
            if self.cancel.wait(seconds):
                raise RetryCancelledError
            return
        self.sleep(seconds)
        if self.cancel.is_set():
            raise RetryCancelledError

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

    def call(self, fn: Callable[[int], T], *, what: str = "", repeatable: bool = True) -> T:
        """Run ``fn(attempt)`` until it returns, raises a non-retriable error, or attempts run out.

        ``fn`` receives the 1-based attempt number so the ledger can record it. ``fn`` must raise only
        classified errors (see :func:`connectors.errors.classify_error`) for retries to happen. With
        ``repeatable=False`` an error after which the call may have been applied is not retried.
        """

        def worth_retrying(exc: BaseException) -> bool:
            if not isinstance(exc, RetriableError):
                return False
            if not repeatable and exc.maybe_applied:
                log.warning("google.not_repeated", call=what, error=str(exc))
                return False
            return True

        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            retry=retry_if_exception(worth_retrying),
            sleep=self.pause,
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
