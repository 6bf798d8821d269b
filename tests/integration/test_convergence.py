"""Convergence (DESIGN.md invariant 3): the real `kpisync sync --once`, SIGKILLed at chosen points and hit
by the sandbox's fault plan, restarted until a sync ends ok, ends with the database and the Sheet of a
fault-free run. A fixed sample here; `tests/faults/harness.py --schedules 200` runs every commit boundary
and random points (README, "How a sync stays correct")."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.faults.harness import Schedule, reference, run_schedule, seeded_template

pytestmark = pytest.mark.integration

# Spread over a first sync's 16 commits (migrations, the run's row, roster, each form, evidence, the
# committee's cells, scores, the run's record), the lost answer of the publish's batchUpdate (call 13 of 14),
# a kill in the middle of a transaction while faults fire, and a second kill during the restart.
SAMPLE = (
    Schedule(1, (), ("commit:1",)),
    Schedule(2, (), ("commit:5",)),
    Schedule(3, (), ("commit:11",)),
    Schedule(4, (), ("answer:13",)),
    Schedule(
        5,
        (
            {"fault": "503", "api": "drive", "nth": 1, "times": 5},
            {"fault": "drop", "api": "sheets", "nth": 3},
        ),
        ("sql:400",),
    ),
    Schedule(6, ({"fault": "500", "api": "forms", "nth": 2, "times": 3},), ("http:6", "commit:9")),
)


# About 25 kpisync processes start in this test: the bound is for a hang, generous for a loaded machine.
@pytest.mark.timeout(600)
def test_kills_and_faults_converge_to_the_fault_free_result(tmp_path: Path) -> None:
    """After each schedule's kills and faults and restarts until a sync ends ok, the database's current
    state and every Sheet value equal the fault-free run's, and integrity_check passed after every kill
    (two schedules at a time, each with its own sandbox process)."""
    with seeded_template(tmp_path) as template:
        expected = reference(template, tmp_path / "reference")
        assert expected.counts["commit"] >= 11 and expected.counts["answer"] >= 13
        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = list(
                pool.map(
                    lambda s: run_schedule(s, template, expected, tmp_path / f"trial-{s.number}"), SAMPLE
                )
            )
    failed = [o for o in outcomes if not o.ok]
    report = [f"{o.schedule.describe()} exits {o.codes}: " + "; ".join(o.problems) for o in failed]
    assert not failed, "\n".join(report)
