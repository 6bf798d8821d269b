"""The pure diff of fetched responses against the store, and the watermark it commits."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from daemon.sync.plan import (
    NewResponse,
    NewVersion,
    Reappeared,
    StoredResponse,
    Unchanged,
    Withdrawn,
    parse_rfc3339,
    plan_responses,
)

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def resp(rid: str, lst: str) -> dict[str, Any]:
    return {"responseId": rid, "lastSubmittedTime": lst}


def stored(rid: str, *versions: str, withdrawn: bool = False) -> StoredResponse:
    return StoredResponse(rid, frozenset(versions), max(versions), withdrawn)


def test_new_edit_and_unchanged() -> None:
    """A new id is NewResponse, a new lastSubmittedTime NewVersion, a known version Unchanged."""
    plan = plan_responses(
        [
            resp("a", "2026-03-01T00:00:00Z"),
            resp("b", "2026-03-05T00:00:00.5Z"),
            resp("c", "2026-03-02T00:00:00Z"),
        ],
        {"b": stored("b", "2026-03-01T00:00:00Z"), "c": stored("c", "2026-03-02T00:00:00Z")},
        previous_watermark="2026-03-01T00:00:00.000000Z",
        run_started=NOW,
        full_pass=False,
    )
    kinds = [type(a) for a in plan.actions]
    assert kinds == [NewResponse, NewVersion, Unchanged]
    assert isinstance(plan.actions[1], NewVersion) and plan.actions[1].becomes_current
    assert plan.watermark == "2026-03-05T00:00:00.500000Z"


def test_duplicate_across_pages_counts_once() -> None:
    """The same version listed twice (inclusive filter, pages) is one action."""
    plan = plan_responses(
        [resp("a", "2026-03-01T00:00:00Z"), resp("a", "2026-03-01T00:00:00Z")],
        {},
        previous_watermark=None,
        run_started=NOW,
        full_pass=True,
    )
    assert plan.count(NewResponse) == 1 and len(plan.actions) == 1


def test_full_pass_withdraws_missing_but_not_on_empty_source() -> None:
    """A full pass withdraws responses that vanished, unless the whole listing came back empty."""
    store = {"a": stored("a", "2026-03-01T00:00:00Z"), "b": stored("b", "2026-03-02T00:00:00Z")}
    plan = plan_responses(
        [resp("a", "2026-03-01T00:00:00Z")], store, previous_watermark=None, run_started=NOW, full_pass=True
    )
    assert [a for a in plan.actions if isinstance(a, Withdrawn)] == [Withdrawn("b")]
    empty = plan_responses(
        [], store, previous_watermark="2026-03-02T00:00:00.000000Z", run_started=NOW, full_pass=True
    )
    assert empty.actions == [] and empty.skipped_withdrawals == 2
    assert empty.watermark == "2026-03-02T00:00:00.000000Z"


def test_reappeared() -> None:
    """A response marked withdrawn that is listed again is Reappeared."""
    plan = plan_responses(
        [resp("a", "2026-03-01T00:00:00Z")],
        {"a": stored("a", "2026-03-01T00:00:00Z", withdrawn=True)},
        previous_watermark=None,
        run_started=NOW,
        full_pass=True,
    )
    assert plan.actions == [Reappeared("a")]


def test_watermark_capped_at_run_start() -> None:
    """A timestamp from the future never pushes the checkpoint past the start of the run."""
    plan = plan_responses(
        [resp("a", "2027-01-01T00:00:00Z")], {}, previous_watermark=None, run_started=NOW, full_pass=False
    )
    assert parse_rfc3339(plan.watermark or "") == NOW


def test_nanosecond_timestamps() -> None:
    """Google's nanosecond fractions parse (truncated to microseconds) and order correctly."""
    assert parse_rfc3339("2026-03-01T10:00:00.123456789Z") > parse_rfc3339("2026-03-01T10:00:00.1Z")


TIMES = [f"2026-03-0{d}T0{h}:00:00Z" for d in range(1, 4) for h in range(3)]


class PlanMachine(RuleBasedStateMachine):
    """A remote that gains responses and edits; the store applies each plan as the cycle would."""

    def __init__(self) -> None:
        super().__init__()
        self.remote: dict[str, str] = {}
        self.store: dict[str, StoredResponse] = {}
        self.watermark: str | None = None
        self.history: list[str] = []
        self.tick = 0

    @rule(rid=st.sampled_from("abcde"), step=st.integers(min_value=0, max_value=2))
    def submit_or_edit(self, rid: str, step: int) -> None:
        # Google stamps lastSubmittedTime when a response arrives: Forms' clock never goes back (ties happen).
        self.tick = min(self.tick + step, len(TIMES) - 1)
        self.remote[rid] = TIMES[self.tick]

    @rule(full=st.booleans())
    def sync(self, full: bool) -> None:
        since = parse_rfc3339(self.watermark) if self.watermark and not full else None
        fetched = [resp(r, t) for r, t in self.remote.items() if since is None or parse_rfc3339(t) >= since]
        plan = plan_responses(
            fetched, self.store, previous_watermark=self.watermark, run_started=NOW, full_pass=full
        )
        for action in plan.actions:
            if isinstance(action, NewResponse | NewVersion):
                rid, lst = str(action.response["responseId"]), str(action.response["lastSubmittedTime"])
                old = self.store.get(rid)
                versions = (old.versions if old else frozenset()) | {lst}
                current = (
                    lst
                    if old is None or isinstance(action, NewResponse) or action.becomes_current
                    else old.current
                )
                self.store[rid] = StoredResponse(rid, versions, current)
        self.watermark = plan.watermark
        if plan.watermark:
            self.history.append(plan.watermark)
        again = plan_responses(
            fetched, self.store, previous_watermark=self.watermark, run_started=NOW, full_pass=full
        )
        assert all(isinstance(a, Unchanged) for a in again.actions), "re-running a plan must change nothing"
        assert again.watermark == self.watermark
        assert {r: k.current for r, k in self.store.items()} == self.remote, "a sync must lose nothing"

    @invariant()
    def checkpoint_never_goes_back(self) -> None:
        times = [parse_rfc3339(w) for w in self.history]
        assert times == sorted(times)

    @invariant()
    def store_current_is_remote_after_sync(self) -> None:
        for rid, known in self.store.items():
            assert parse_rfc3339(known.current) <= parse_rfc3339(self.remote[rid])


TestPlanMachine = PlanMachine.TestCase
TestPlanMachine.settings = settings(max_examples=60, stateful_step_count=20, deadline=None)
