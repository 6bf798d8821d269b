"""Review fixes in the plan: one stored row per response version, however often a listing repeats it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from daemon.sync.plan import NewResponse, NewVersion, plan_responses

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def resp(rid: str, lst: str) -> dict[str, Any]:
    return {"responseId": rid, "lastSubmittedTime": lst}


def test_older_version_listed_twice_is_planned_once() -> None:
    """An older version seen on two pages around its edit becomes one NewVersion, not two (a unique key)."""
    old, new = "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z"
    plan = plan_responses(
        [resp("a", old), resp("a", new), resp("a", old)],
        {},
        previous_watermark=None,
        run_started=NOW,
        full_pass=True,
    )
    versions = [
        (type(a).__name__, a.response["lastSubmittedTime"])
        for a in plan.actions
        if isinstance(a, NewResponse | NewVersion)
    ]
    assert sorted(versions) == [("NewResponse", new), ("NewVersion", old)]
    assert plan.count(NewVersion) == 1 and plan.count(NewResponse) == 1
