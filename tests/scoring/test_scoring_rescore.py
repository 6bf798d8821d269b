"""Re-scoring without re-pulling: the diff of old and new scores."""

from __future__ import annotations

from decimal import Decimal

from scoring.engine import ScoreResult, ScoreStatus
from scoring.rescore import ScoreKey, diff_scores


def test_diff_reports_person_indicator_old_new() -> None:
    """Changed, added and removed scores are reported sorted; equal values in other notation are not."""
    old = {
        ("a@x", "TCH-2", "12"): Decimal("4.7"),
        ("a@x", "TCH-3", "12"): Decimal("3.00000"),
        ("b@x", "TCH-2", "12"): Decimal("2.00000"),
    }
    new = {
        ScoreKey("a@x", "TCH-2", "12"): Decimal("4.70000"),
        ScoreKey("a@x", "TCH-3", "12"): Decimal("3.50000"),
        ScoreKey("c@x", "TCH-2", "12"): Decimal("1.00000"),
    }
    changes = diff_scores(old, new)
    assert [(c.person, c.indicator, c.old, c.new, c.kind) for c in changes] == [
        ("a@x", "TCH-3", Decimal("3.00000"), Decimal("3.50000"), "changed"),
        ("b@x", "TCH-2", Decimal("2.00000"), None, "removed"),
        ("c@x", "TCH-2", None, Decimal("1.00000"), "added"),
    ]
    assert changes[0].describe() == "a@x TCH-3 12: 3.00000 → 3.50000"


def test_status_change_alone_is_a_change() -> None:
    """Pending → scored is reported even when neither side has a different number."""
    key = ("a@x", "TCH-2", "12")
    old = {key: ScoreResult(None, ScoreStatus.PENDING, "")}
    new = {key: ScoreResult(None, ScoreStatus.NOT_SCORABLE, "")}
    [change] = diff_scores(old, new)
    assert (change.old_status, change.new_status) == ("pending", "not_scorable")
    assert diff_scores(old, old) == []
