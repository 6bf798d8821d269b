"""A sync never reports success over what it did not get, and nothing a person does to the roster, the
calendar or the committee's cells makes it fail or lose history (issue 9), on the in-memory fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from connectors.a1 import column_letters
from connectors.base import RangeValues
from connectors.errors import RetriableError
from daemon.store.lease import LeaseBusyError, sync_lease
from daemon.store.models import Person, Submission, SyncRun
from daemon.sync.cycle import SyncInterruptedError, run_sync
from daemon.sync.normalize import submission_key
from daemon.sync.run_record import SyncSummary, open_run
from tests.daemon.sync_world import FORM_ID, ROSTER, ROSTER_ID, World, make_world, response
from tests.daemon.test_cycle import flags, score

SOMSRI = ROSTER[1][0]
DOC = "1DocOkxxxxxxxxxxxxxxxxxxxxxx"
DMIS = "DMIS 100%"


def people(world: World) -> dict[str, bool]:
    with Session(world.deps.engine) as session:
        return {p.email: p.active for p in session.exec(select(Person))}


def submission(world: World, rid: str) -> Submission:
    with Session(world.deps.engine) as session:
        found = session.get(Submission, submission_key(FORM_ID, rid))
        assert found is not None
        return found


def runs(world: World) -> list[tuple[str, str]]:
    """(run id, outcome) of every recorded run, oldest first."""
    with Session(world.deps.engine) as session:
        return [(r.run_id, r.outcome) for r in session.exec(select(SyncRun).order_by(SyncRun.started_at))]


def set_roster(world: World, rows: list[list[str]]) -> None:
    sheet = world.sheets.spreadsheets[ROSTER_ID]
    sheet.write([RangeValues("'รายชื่อ'!A1:E10", [*rows, *[[""] * 5] * (10 - len(rows))])])


@pytest.mark.parametrize(
    "rows",
    [
        [["E-mail", *ROSTER[0][1:]], *ROSTER[1:]],  # the email header renamed
        [ROSTER[0]],  # every person deleted, the header kept
        [],  # the tab emptied
    ],
    ids=["renamed-header", "no-people", "empty-tab"],
)
def test_unusable_roster_is_a_partial_run_and_the_stored_roster_stands(world: World, rows: list) -> None:
    """A roster people broke (renamed header, emptied tab) fails only the roster part: the run is partial,
    nobody is marked gone, and nobody is flagged "not in the roster"."""
    world.submit(response("r1", SOMSRI, DMIS, links=f"https://drive.google.com/file/d/{DOC}/view"))
    assert run_sync(world.settings, world.deps).outcome == "ok"
    set_roster(world, rows)
    world.clock.now += timedelta(minutes=15)
    summary = run_sync(world.settings, world.deps)
    assert summary.outcome == "partial" and summary.partial_reasons == ["roster"]
    assert summary.failures[0].hint
    assert all(people(world).values()) and len(people(world)) == 3
    with Session(world.deps.engine) as session:
        assert session.get(SyncRun, summary.run_id).outcome == "partial"  # type: ignore[union-attr]
    assert "not_in_roster" not in flags(world, "r1")


def test_drive_outage_keeps_scores_and_verdicts(world: World) -> None:
    """Drive refusing every batch after a good sync: partial, every verdict and score as before, no flag
    telling anyone to share a file."""
    world.submit(response("r1", SOMSRI, DMIS, links=f"https://drive.google.com/file/d/{DOC}/view"))
    run_sync(world.settings, world.deps)
    before = (score(world, "r1").value, dict(flags(world, "r1")))  # type: ignore[union-attr]
    world.clock.now += timedelta(hours=world.settings.evidence.recheck_after_hours + 1)
    world.drive.inject(RetriableError("backend", status=503), method="drive.batch")
    summary = run_sync(world.settings, world.deps)
    assert summary.outcome == "partial" and summary.partial_reasons == ["evidence"]
    assert (score(world, "r1").value, flags(world, "r1")) == before  # type: ignore[union-attr]


def test_new_evidence_during_an_outage_waits_instead_of_scoring_zero(world: World) -> None:
    """A file Drive never answered about gives no verdict: an evidence-present indicator stays pending
    (not 0), nothing is flagged unreadable; the next sync scores it."""
    world.submit(response("r1", SOMSRI, DMIS, links=f"https://drive.google.com/file/d/{DOC}/view"))
    world.drive.inject(RetriableError("backend", status=503), method="drive.batch")
    summary = run_sync(world.settings, world.deps)
    assert summary.outcome == "partial"
    held = score(world, "r1")
    assert held is not None and (held.value, held.status) == (None, "pending")
    assert "evidence_unreadable" not in flags(world, "r1") and "evidence_missing" not in flags(world, "r1")
    world.clock.now += timedelta(minutes=15)
    assert run_sync(world.settings, world.deps).outcome == "ok"
    assert score(world, "r1").value == "5.00000"  # type: ignore[union-attr]


def test_a_huge_committee_number_is_a_flag_not_a_crash(world: World) -> None:
    """1E50 typed as the committee's score (read back as a float) is flagged; the sync and the next one
    end ok and the auto score counts."""
    world.submit(response("r1", SOMSRI, DMIS, links=f"https://drive.google.com/file/d/{DOC}/view"))
    run_sync(world.settings, world.deps)
    key = submission_key(FORM_ID, "r1")
    sheet = world.dashboard()
    values = sheet.tab_values("ผลการประเมิน")
    header = values[0]
    row = next(i for i, r in enumerate(values) if r and r[0] == key) + 1
    column = column_letters(header.index("คะแนนที่กรรมการให้"))
    sheet.write([RangeValues(f"'ผลการประเมิน'!{column}{row}", [[1e50]])])
    for _ in range(2):
        world.clock.now += timedelta(minutes=15)
        assert run_sync(world.settings, world.deps).outcome == "ok"
    assert "unparseable" in flags(world, "r1")


def test_a_killed_run_is_closed_as_interrupted(world: World) -> None:
    """A run left 'running' by a killed process is marked interrupted by the next sync, which ends ok."""
    dead = SyncSummary(run_id="deadbeef0001", started_at=world.clock.now)
    open_run(world.deps.engine, dead)
    world.clock.now += timedelta(minutes=15)
    assert run_sync(world.settings, world.deps).outcome == "ok"
    outcomes = dict(runs(world))
    assert outcomes.pop("deadbeef0001") == "interrupted" and set(outcomes.values()) == {"ok"}


def test_a_stop_request_ends_the_run_interrupted_with_its_steps_kept(world: World) -> None:
    """A stop requested while the forms are read: the sync ends at the next step boundary, recorded
    interrupted, with the roster already stored; the next sync completes."""
    world.submit(response("r1", SOMSRI, DMIS))
    original = world.forms.list_responses

    def stop_after_reading(form_id: str, since: datetime | None = None):  # type: ignore[no-untyped-def]
        yield from original(form_id, since)
        world.deps.stop.set()

    world.forms.list_responses = stop_after_reading  # type: ignore[method-assign]
    with pytest.raises(SyncInterruptedError):
        run_sync(world.settings, world.deps)
    assert [outcome for _, outcome in runs(world)] == ["interrupted"]
    assert len(people(world)) == 3
    world.forms.list_responses = original  # type: ignore[method-assign]
    world.deps.stop.clear()
    assert run_sync(world.settings, world.deps).outcome == "ok"
    assert submission(world, "r1").indicator_code == "ALL-1"


def test_a_second_sync_of_the_same_database_is_refused(world: World, tmp_path: Path) -> None:
    """While another holder keeps the database's lease, run_sync does nothing and says who holds it."""
    world.deps.lease = lambda wait: sync_lease(world.settings.database, wait_seconds=wait)
    with sync_lease(world.settings.database), pytest.raises(LeaseBusyError) as busy:
        run_sync(world.settings, world.deps)
    assert busy.value.holder["pid"]
    assert runs(world) == []
    assert run_sync(world.settings, world.deps).outcome == "ok"


def test_each_submission_keeps_the_fiscal_year_its_date_falls_in(world: World) -> None:
    """A 12-month report sent before that round's deadline (15 Oct) reports on the year just ended; one sent
    later, and a 6-month report sent in October, belong to the new fiscal year: none supersedes another."""
    when = {"r1": "2026-10-10T03:00:00.000Z", "r2": "2026-11-20T03:00:00.000Z", "r3": "2026-10-20T03:00:00Z"}
    world.submit(response("r1", SOMSRI, DMIS, when=when["r1"], round_text="รอบ 12 เดือน"))
    world.submit(response("r2", SOMSRI, DMIS, when=when["r2"], round_text="รอบ 12 เดือน"))
    world.submit(response("r3", SOMSRI, DMIS, when=when["r3"], round_text="รอบ 6 เดือน"))
    world.clock.now = datetime(2026, 12, 1, tzinfo=UTC)
    run_sync(world.settings, world.deps)
    got = {rid: (submission(world, rid).fiscal_year, submission(world, rid).superseded_by) for rid in when}
    assert got == {"r1": (2569, None), "r2": (2570, None), "r3": (2570, None)}


def test_a_new_fiscal_year_in_the_config_relabels_nothing(tmp_path: Path) -> None:
    """Moving the config to fiscal year 2570 in October leaves last year's submissions in 2569."""
    world = make_world(tmp_path)
    try:
        world.submit(response("r1", SOMSRI, DMIS))
        run_sync(world.settings, world.deps)
        moved = world.settings.model_copy(update={"fiscal_year": 2570})
        world.clock.now += timedelta(minutes=15)
        assert run_sync(moved, world.deps).outcome == "ok"
        assert submission(world, "r1").fiscal_year == 2569
    finally:
        world.deps.close()
