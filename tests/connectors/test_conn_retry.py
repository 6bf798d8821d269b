"""The retry policy: bounded, zero-wait in tests, Retry-After honoured and capped, each attempt logged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from structlog.testing import capture_logs

from connectors.errors import FatalError, RetriableError, SkippableError
from connectors.retry import RetryPolicy


class Flaky:
    """Fails with the given errors, in order, then answers 'ok'."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.attempts: list[int] = []

    def __call__(self, attempt: int) -> str:
        self.attempts.append(attempt)
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def policy(sleeps: list[float], **kw: float) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=int(kw.get("max_attempts", 4)),
        base_delay=kw.get("base_delay", 1.0),
        max_delay=kw.get("max_delay", 30.0),
        sleep=sleeps.append,
        rand=lambda: 1.0,
    )


def test_retriable_then_success() -> None:
    """Two 503s then an answer: three attempts, numbered 1..3, two waits, the answer returned."""
    sleeps: list[float] = []
    fn = Flaky(RetriableError("503", status=503), RetriableError("503", status=503))
    assert policy(sleeps).call(fn) == "ok"
    assert fn.attempts == [1, 2, 3]
    assert len(sleeps) == 2


def test_bounded_attempts_reraise_last_error() -> None:
    """When every attempt fails, exactly max_attempts are made and the last error is raised as is."""
    sleeps: list[float] = []
    last = RetriableError("still 503", status=503)
    fn = Flaky(RetriableError("a"), RetriableError("b"), last, RetriableError("never reached"))
    with pytest.raises(RetriableError) as raised:
        policy(sleeps, max_attempts=3).call(fn)
    assert raised.value is last
    assert fn.attempts == [1, 2, 3]
    assert len(sleeps) == 2


@pytest.mark.parametrize("error", [FatalError("403", status=403), SkippableError("404", status=404)])
def test_non_retriable_is_not_retried(error: Exception) -> None:
    """Fatal and skippable errors go straight to the caller after one attempt."""
    sleeps: list[float] = []
    fn = Flaky(error)
    with pytest.raises(type(error)):
        policy(sleeps).call(fn)
    assert fn.attempts == [1]
    assert sleeps == []


def test_retry_after_is_honoured_and_capped() -> None:
    """Retry-After sets the wait, but never beyond max_delay."""
    sleeps: list[float] = []
    fn = Flaky(RetriableError("429", retry_after=7.0), RetriableError("429", retry_after=3600.0))
    policy(sleeps, max_delay=20.0).call(fn)
    assert sleeps == [7.0, 20.0]


def test_exponential_backoff_capped() -> None:
    """Without Retry-After the wait doubles each attempt up to the cap (rand=1 gives the ceiling)."""
    sleeps: list[float] = []
    fn = Flaky(*[RetriableError("x") for _ in range(5)])
    policy(sleeps, max_attempts=6, base_delay=1.0, max_delay=5.0).call(fn)
    assert sleeps == [1.0, 2.0, 4.0, 5.0, 5.0]


@given(
    attempt=st.integers(min_value=1, max_value=60),
    base=st.floats(min_value=0.0, max_value=10.0),
    cap=st.floats(min_value=0.0, max_value=120.0),
    jitter=st.floats(min_value=0.0, max_value=1.0),
    retry_after=st.one_of(st.none(), st.floats(min_value=0.0, max_value=1e6)),
)
def test_delay_never_exceeds_cap(
    attempt: int, base: float, cap: float, jitter: float, retry_after: float | None
) -> None:
    """Whatever the attempt, jitter or Retry-After, a wait is between 0 and max_delay."""
    chosen = RetryPolicy(5, base, cap, sleep=lambda _s: None, rand=lambda: jitter).delay(attempt, retry_after)
    assert 0.0 <= chosen <= cap


def test_each_retry_is_logged() -> None:
    """Every retry emits a structured google.retry event with the attempt and the wait."""
    sleeps: list[float] = []
    with capture_logs() as logs:
        policy(sleeps).call(Flaky(RetriableError("503", status=503)), what="forms.forms.get")
    retries = [e for e in logs if e["event"] == "google.retry"]
    assert len(retries) == 1
    assert retries[0]["attempt"] == 1
    assert retries[0]["call"] == "forms.forms.get"
    assert retries[0]["status"] == 503
    assert retries[0]["wait_s"] == sleeps[0]


def test_policy_rejects_nonsense() -> None:
    """Zero attempts or negative delays are configuration errors."""
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="negative"):
        RetryPolicy(base_delay=-1.0)
