"""The Google adapters against the sandbox's fault plan: retried, bounded, and every attempt in the ledger."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conn_worlds import SandboxWorld

from connectors.base import EvidenceStatus, FileRef, RangeValues
from connectors.errors import RetriableError
from connectors.retry import RetryPolicy

pytestmark = pytest.mark.integration


class Sleeps(list[float]):
    """A sleep that waits zero and remembers what it was asked."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def faulty(request: pytest.FixtureRequest, sleeps: Sleeps) -> Iterator[SandboxWorld]:
    """A SandboxWorld whose policy records waits instead of sleeping (up to 3 attempts, cap 60 s)."""
    policy = RetryPolicy(max_attempts=3, base_delay=0.5, max_delay=60.0, sleep=sleeps, rand=lambda: 0.0)
    world = SandboxWorld(request.getfixturevalue("empty_sandbox").base_url, retry=policy, timeout=5.0)
    yield world
    world.close()


def calls_reaching(world: SandboxWorld, method: str) -> list[dict[str, object]]:
    answer = world._sandbox("GET", f"/sandbox/calls?method={method}")
    return list(answer["calls"])


def test_503_then_200_is_retried_and_recorded_twice(faulty: SandboxWorld) -> None:
    """A 503 on forms.get is retried; the ledger holds both attempts (503, 200), as the server saw them."""
    form_id = faulty.create_form("แบบทดสอบ", ["ชื่อ-นามสกุล"])
    faulty.faults([{"api": "forms", "method": "forms.forms.get", "fault": "503"}])
    assert faulty.forms.get_form(form_id)["formId"] == form_id
    recorded = [(c.method, c.status, c.attempt) for c in faulty.ledger.calls]
    assert recorded == [("forms.forms.get", 503, 1), ("forms.forms.get", 200, 2)]
    assert [c["status"] for c in calls_reaching(faulty, "forms.forms.get")] == [503, 200]


def test_dropped_connection_is_retried(faulty: SandboxWorld) -> None:
    """A connection closed without an answer is a transport failure: recorded with status 0, then retried.

    httplib2 reconnects once on its own (a stale keep-alive socket is normal), so it takes two drops in a row
    for the adapter to see the failure; the server saw three requests, the ledger two attempts.
    """
    form_id = faulty.create_form("แบบทดสอบ", ["ชื่อ-นามสกุล"])
    faulty.faults([{"api": "forms", "method": "forms.forms.responses.list", "fault": "drop", "times": 2}])
    assert list(faulty.forms.list_responses(form_id)) == [[]]
    assert [(c.status, c.attempt) for c in faulty.ledger.calls] == [(0, 1), (200, 2)]
    assert len(calls_reaching(faulty, "forms.forms.responses.list")) == 3


def test_429_retry_after_is_honoured(faulty: SandboxWorld, sleeps: Sleeps) -> None:
    """Sheets answers 429 with Retry-After 7: the adapter waits 7 s (zero in the test), then writes."""
    sid = faulty.create_spreadsheet("แดชบอร์ด", {"Sheet1": [["a"]]})
    faulty.faults([{"api": "sheets", "fault": "429", "retryAfter": 7}])
    faulty.sink(sid).write([RangeValues("Sheet1!A2", [["b"]])])
    assert sleeps == [7.0]
    assert [(c.status, c.attempt, c.is_write) for c in faulty.ledger.calls] == [
        (429, 1, True),
        (200, 2, True),
    ]


def test_attempts_are_bounded(faulty: SandboxWorld) -> None:
    """Five 500s in a row: three attempts, then the RetriableError reaches the caller."""
    sid = faulty.create_spreadsheet("แดชบอร์ด", {"Sheet1": []})
    faulty.faults([{"api": "sheets", "fault": "500", "times": 5}])
    with pytest.raises(RetriableError):
        faulty.sink(sid).info()
    assert faulty.ledger.count(method="sheets.spreadsheets.get") == 3


def test_failed_batch_parts_are_resent_alone(faulty: SandboxWorld) -> None:
    """A 503 on one files.get inside a batch is retried in a follow-up batch holding only that part."""
    for i in range(3):
        faulty.add_file(f"1file{i}".ljust(33, "x"), f"{i}.pdf", "application/pdf", size=1)
    faulty.faults([{"api": "drive", "method": "drive.files.get", "nth": 2, "fault": "503"}])
    got = faulty.evidence.check_files([FileRef(f"1file{i}".ljust(33, "x")) for i in range(3)])
    assert {c.status for c in got.verdicts.values()} == {EvidenceStatus.OK} and not got.unchecked
    assert [c.inner_calls for c in faulty.ledger.calls if c.method == "drive.batch"] == [3, 1]


def test_whole_batch_failure_is_retried(faulty: SandboxWorld) -> None:
    """A 503 on the batch request itself is retried as a whole."""
    faulty.add_file("1solo".ljust(33, "x"), "a.pdf", "application/pdf", size=1)
    faulty.faults([{"api": "drive", "method": "batch", "fault": "503"}])
    got = faulty.evidence.check_files([FileRef("1solo".ljust(33, "x"))])
    assert got.verdicts["1solo".ljust(33, "x")].status is EvidenceStatus.OK
    assert [(c.status, c.attempt) for c in faulty.ledger.calls] == [(503, 1), (200, 2)]


def test_part_that_keeps_failing_stays_unchecked(faulty: SandboxWorld) -> None:
    """A part failing every round gets no verdict (not NOT_FOUND: the file is not to blame): unchecked,
    with the error that stopped it."""
    file_id = "1stuck".ljust(33, "x")
    faulty.add_file(file_id, "a.pdf", "application/pdf", size=1)
    faulty.faults([{"api": "drive", "method": "drive.files.get", "fault": "503", "times": 10}])
    got = faulty.evidence.check_files([FileRef(file_id)])
    assert got.verdicts == {} and got.unchecked[file_id].status == 503
    assert faulty.ledger.count(method="drive.batch") == 3


def test_slow_answer_times_out_and_is_retried(request: pytest.FixtureRequest, sleeps: Sleeps) -> None:
    """An answer slower than the timeout is abandoned (status 0) and the retry succeeds."""
    policy = RetryPolicy(max_attempts=2, base_delay=0.0, max_delay=0.0, sleep=sleeps)
    world = SandboxWorld(request.getfixturevalue("empty_sandbox").base_url, retry=policy, timeout=0.3)
    try:
        form_id = world.create_form("แบบทดสอบ", ["ชื่อ-นามสกุล"])
        world.faults([{"api": "forms", "method": "forms.forms.get", "fault": "slow", "seconds": 1.0}])
        assert world.forms.get_form(form_id)["formId"] == form_id
        assert [(c.status, c.attempt) for c in world.ledger.calls] == [(0, 1), (200, 2)]
    finally:
        world.close()


def test_drive_outage_leaves_files_unchecked(faulty: SandboxWorld) -> None:
    """When the batch fails every attempt, no file gets a verdict: each is reported unchecked."""
    file_id = "1down".ljust(33, "x")
    faulty.add_file(file_id, "a.pdf", "application/pdf", size=1)
    faulty.faults([{"api": "drive", "method": "batch", "fault": "503", "times": 10}])
    got = faulty.evidence.check_files([FileRef(file_id)])
    assert got.verdicts == {} and isinstance(got.unchecked[file_id], RetriableError)
    assert faulty.ledger.count(method="drive.batch") == 3


def test_inner_429_waits_its_retry_after(faulty: SandboxWorld, sleeps: Sleeps) -> None:
    """A 429 on one part of a batch is resent after that part's Retry-After."""
    faulty.add_file("1busy".ljust(33, "x"), "a.pdf", "application/pdf", size=1)
    faulty.faults([{"api": "drive", "method": "drive.files.get", "fault": "429", "retryAfter": 5}])
    got = faulty.evidence.check_files([FileRef("1busy".ljust(33, "x"))])
    assert got.verdicts["1busy".ljust(33, "x")].status is EvidenceStatus.OK
    assert sleeps == [5.0]
