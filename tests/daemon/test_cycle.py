"""A whole sync on the in-memory fakes: what lands in the store and the Sheet, idempotence, faults, dry
runs."""

from __future__ import annotations

import json
import stat
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session, select
from structlog.testing import capture_logs

from connectors.errors import RetriableError
from daemon.results.rescore import run_rescore
from daemon.settings import load_settings
from daemon.store.models import (
    DATA_TABLES,
    ApiCallRecord,
    Checkpoint,
    Flag,
    ResponseVersion,
    Review,
    Score,
    Submission,
    SyncRun,
)
from daemon.sync.cycle import run_sync
from daemon.sync.normalize import submission_key
from tests.daemon.sync_world import FORM_ID, World, response

SOMSRI = "somsri@sukho.nfe.go.th"
SOMCHAI = "somchai@sukho.nfe.go.th"
DOC = "1DocOkxxxxxxxxxxxxxxxxxxxxxx"
AWARDS = "นักศึกษาที่สร้างชื่อเสียงให้ สกร."
NNET = "ร้อยละของผู้เข้าสอบ N-NET"


def snapshot(world: World) -> dict[str, list[dict[str, Any]]]:
    with Session(world.deps.engine) as session:
        return {
            table.__tablename__: sorted(  # type: ignore[attr-defined]
                (
                    json.dumps(row.model_dump(), default=str, sort_keys=True)
                    for row in session.exec(select(table))
                ),
            )
            for table in DATA_TABLES
        }


def sub(world: World, rid: str) -> Submission:
    with Session(world.deps.engine) as session:
        found = session.get(Submission, submission_key(FORM_ID, rid))
        assert found is not None
        return found


def flags(world: World, rid: str) -> dict[str, str]:
    with Session(world.deps.engine) as session:
        query = select(Flag).where(
            Flag.submission_key == submission_key(FORM_ID, rid),
            Flag.closed_at == None,  # noqa: E711
        )
        return {f.code: f.detail for f in session.exec(query)}


def score(world: World, rid: str) -> Score | None:
    with Session(world.deps.engine) as session:
        query = select(Score).where(
            Score.submission_key == submission_key(FORM_ID, rid),
            Score.is_current == True,  # noqa: E712
        )
        return session.exec(query).first()


def all_cells(world: World) -> list[Any]:
    sheet = world.dashboard()
    return [cell for tab in sheet.tabs for row in sheet.tab_values(tab.title) for cell in row]


def seed(world: World) -> None:
    world.submit(
        response(
            "r1",
            SOMSRI,
            AWARDS,
            awards={"ระดับประเทศ": "1", "ระดับจังหวัด": "1"},
            note="=1+1",
            links=f"ดูที่ https://drive.google.com/file/d/{DOC}/view ครับ",
        )
    )
    world.submit(response("r2", SOMCHAI, NNET, value="๘๕ %", links=f"https://drive.google.com/open?id={DOC}"))
    world.submit(response("r3", "ghost@example.com", "DMIS 100%", note="+66 81 234 5678"))


def test_first_sync_scores_flags_and_publishes(world: World) -> None:
    """The sample answers score (7 for national + provincial awards), flag, and reach the Sheet literally."""
    seed(world)
    summary = run_sync(world.settings, world.deps)
    assert summary.outcome == "ok" and summary.counts["inserted"] == 3
    assert score(world, "r1") is not None and score(world, "r1").value == "7.00000"  # type: ignore[union-attr]
    assert score(world, "r2").value == "4.50000"  # type: ignore[union-attr]
    assert "not_in_roster" in flags(world, "r3")
    assert "duplicate_file" in flags(world, "r1") and "duplicate_file" in flags(world, "r2")
    cells = all_cells(world)
    assert "=1+1" in cells and "+66 81 234 5678" in cells
    assert summary.write_calls > 0
    rows = {(r.email, r.indicator_code): r.score for r in summary.score_rows}
    assert rows[(SOMSRI, "TCH-1")] == Decimal("7.00000")


def test_second_sync_changes_nothing(world: World) -> None:
    """With nothing new a sync makes no write call and leaves every data table exactly as it was."""
    seed(world)
    run_sync(world.settings, world.deps)
    before = snapshot(world)
    world.clock.now += timedelta(minutes=15)
    second = run_sync(world.settings, world.deps)
    assert second.write_calls == 0
    assert snapshot(world) == before
    with Session(world.deps.engine) as session:
        runs = session.exec(select(SyncRun).order_by(SyncRun.started_at)).all()
        assert [r.outcome for r in runs] == ["ok", "ok"]
        ledger = session.exec(select(ApiCallRecord).where(ApiCallRecord.run_id == second.run_id)).all()
        assert len(ledger) == second.api_calls and not any(c.is_write for c in ledger)


def test_edit_keeps_versions_and_rescores(world: World) -> None:
    """An edit is a new version of the same response; the submission follows it and the score changes."""
    world.submit(response("r2", SOMCHAI, NNET, value="70"))
    run_sync(world.settings, world.deps)
    assert score(world, "r2").value == "3.00000"  # type: ignore[union-attr]
    world.submit(response("r2", SOMCHAI, NNET, value="90", when="2026-03-12T03:00:00.000Z"))
    world.clock.now += timedelta(minutes=15)
    run_sync(world.settings, world.deps)
    with Session(world.deps.engine) as session:
        versions = session.exec(select(ResponseVersion).where(ResponseVersion.response_id == "r2")).all()
        assert sorted((v.last_submitted_time, v.is_current) for v in versions) == [
            ("2026-03-10T03:00:00.000Z", False),
            ("2026-03-12T03:00:00.000Z", True),
        ]
        history = session.exec(
            select(Score).where(Score.submission_key == submission_key(FORM_ID, "r2"))
        ).all()
        assert sorted((s.value, s.is_current) for s in history) == [("3.00000", False), ("5.00000", True)]
    assert sub(world, "r2").value_text == "90"


def test_duplicate_submission_is_superseded(world: World) -> None:
    """Two responses for one person, indicator and round: the earlier is marked superseded, not deleted."""
    world.submit(response("r1", SOMCHAI, NNET, value="60"))
    world.submit(response("r2", SOMCHAI, NNET, value="80", when="2026-03-11T03:00:00.000Z"))
    run_sync(world.settings, world.deps)
    assert sub(world, "r1").superseded_by == submission_key(FORM_ID, "r2")
    assert "superseded" in flags(world, "r1") and "superseded" not in flags(world, "r2")


def test_late_and_unreadable_evidence(world: World) -> None:
    """Past the deadline is 'late'; a trashed or unshared file is 'evidence unreadable', a folder is not."""
    world.submit(
        response(
            "r1",
            SOMSRI,
            "DMIS 100%",
            when="2026-04-16T10:00:00.000Z",
            links="https://drive.google.com/file/d/1Trashedxxxxxxxxxxxxxxxxxxxx/view "
            "https://drive.google.com/file/d/1Privatexxxxxxxxxxxxxxxxxxxx/view "
            "https://drive.google.com/drive/folders/1Folderxxxxxxxxxxxxxxxxxxxxx",
        )
    )
    run_sync(world.settings, world.deps)
    found = flags(world, "r1")
    assert "late" in found
    with Session(world.deps.engine) as session:
        unreadable = session.exec(
            select(Flag.detail).where(Flag.code == "evidence_unreadable", Flag.closed_at == None)  # noqa: E711
        ).all()
    # Google says nothing about a file it will not show, so the unshared one is named by its link.
    assert sorted(unreadable) == sorted(
        [
            "https://drive.google.com/file/d/1Privatexxxxxxxxxxxxxxxxxxxx/view: ไม่พบไฟล์หรือไม่ได้แชร์ให้ระบบ",
            "เก่า.pdf: ไฟล์อยู่ในถังขยะ",
        ]
    )


def test_evidence_checked_once_then_when_stale(world: World) -> None:
    """Each file is checked once per sync, not again while fresh, and again once the check is stale."""
    seed(world)
    run_sync(world.settings, world.deps)
    assert world.ledger.quota_units("drive") == 1  # one distinct file, used twice
    world.clock.now += timedelta(hours=1)
    run_sync(world.settings, world.deps)
    assert world.ledger.quota_units("drive") == 1
    world.clock.now += timedelta(hours=world.settings.evidence.recheck_after_hours)
    run_sync(world.settings, world.deps)
    assert world.ledger.quota_units("drive") == 2


def test_deleted_response_is_withdrawn_on_full_pass(world: World) -> None:
    """A response deleted in Forms is withdrawn at the next full pass and leaves the dashboard model."""
    seed(world)
    run_sync(world.settings, world.deps)
    world.forms.delete_response(FORM_ID, "r3")
    world.clock.now += timedelta(hours=world.settings.schedule.full_reconcile_hours + 1)
    summary = run_sync(world.settings, world.deps)
    assert summary.counts.get("withdrawn") == 1
    assert sub(world, "r3").withdrawn
    assert flags(world, "r3") == {}
    assert "ghost@example.com" not in {r.email for r in summary.score_rows}


def test_dry_run_changes_nothing(world: World) -> None:
    """A dry run reads everything, writes nothing to the Sheet, and leaves the database untouched."""
    seed(world)
    before = snapshot(world)
    summary = run_sync(world.settings, world.deps, dry_run=True)
    assert summary.write_calls == 0 and len(summary.score_rows) == 3
    assert snapshot(world) == before
    with Session(world.deps.engine) as session:
        assert session.exec(select(SyncRun)).all() == []


def test_fault_while_listing_commits_nothing_for_that_form(world: World) -> None:
    """A failure while listing leaves no response and no checkpoint; the run is recorded as partial."""
    seed(world)
    world.forms.inject(RetriableError("boom", status=503), method="forms.forms.responses.list")
    assert run_sync(world.settings, world.deps).failed_forms == [FORM_ID]
    with Session(world.deps.engine) as session:
        assert session.exec(select(ResponseVersion)).all() == []
        assert session.exec(select(Checkpoint)).all() == []
        assert [r.outcome for r in session.exec(select(SyncRun))] == ["partial"]


def test_fault_after_forms_keeps_responses_with_checkpoint_then_converges(world: World) -> None:
    """A failure while publishing keeps responses and checkpoint together; the next sync publishes them."""
    seed(world)
    world.dashboard().inject(RetriableError("boom", status=503), method="sheets.spreadsheets.batchUpdate")
    assert run_sync(world.settings, world.deps).partial_reasons == ["publish"]
    with Session(world.deps.engine) as session:
        assert len(session.exec(select(ResponseVersion)).all()) == 3
        checkpoint = session.get(Checkpoint, FORM_ID)
        assert checkpoint is not None and checkpoint.watermark.startswith("2026-03-10T03:00:00")
    assert "=1+1" not in all_cells(world)
    world.clock.now += timedelta(minutes=15)
    summary = run_sync(world.settings, world.deps)
    assert summary.write_calls >= 1 and "=1+1" in all_cells(world)


def test_failed_file_check_is_retried_next_sync(world: World) -> None:
    """A Drive check that failed (not the file's fault) is no verdict: the run is partial, nothing says
    "unreadable", and the next sync asks again."""
    seed(world)
    world.drive.inject(RetriableError("boom", status=503))
    summary = run_sync(world.settings, world.deps)
    assert summary.outcome == "partial" and summary.partial_reasons == ["evidence"]
    assert summary.counts["files_unchecked"] == 1
    assert "evidence_unreadable" not in flags(world, "r1")
    world.clock.now += timedelta(minutes=15)
    summary = run_sync(world.settings, world.deps)
    assert summary.outcome == "ok" and summary.counts["files_checked"] == 1
    assert "evidence_unreadable" not in flags(world, "r1")


def test_sync_finished_event(world: World) -> None:
    """One sync.finished event carries the run id and the counts."""
    seed(world)
    with capture_logs() as logs:
        summary = run_sync(world.settings, world.deps)
    finished = [e for e in logs if e["event"] == "sync.finished"]
    assert len(finished) == 1
    assert finished[0]["inserted"] == 3 and finished[0]["outcome"] == "ok"
    assert finished[0]["api_calls"] == summary.api_calls


def test_reviews_are_kept_with_history(world: World) -> None:
    """Reviewer cells read back are stored when first seen; a change adds a row that replaces the previous."""
    seed(world)
    key = submission_key(FORM_ID, "r1")
    run_sync(world.settings, world.deps)
    world.committee_types(key, "รับรอง", "", "")
    run_sync(world.settings, world.deps)
    run_sync(world.settings, world.deps)
    world.committee_types(key, "ไม่รับรอง", "4", "หลักฐานไม่ครบ")
    world.clock.now += timedelta(minutes=15)
    run_sync(world.settings, world.deps)
    with Session(world.deps.engine) as session:
        rows = session.exec(select(Review).order_by(Review.id)).all()
    assert [(r.decision, r.replaced_by) for r in rows] == [("รับรอง", rows[1].id), ("ไม่รับรอง", None)]
    assert rows[1].first_seen_at == world.clock.now


def test_rescore_after_rubric_change(world: World, tmp_path: Path) -> None:
    """A changed rubric rescored from the store gives new scores under the new rubric version."""
    world.submit(response("r2", SOMCHAI, NNET, value="70"))
    run_sync(world.settings, world.deps)
    rubric = tmp_path / "rubric.toml"
    rubric.write_text(
        rubric.read_text(encoding="utf-8").replace("[[50, 1], [90, 5]]", "[[50, 1], [70, 5]]"),
        encoding="utf-8",
    )
    settings = load_settings(tmp_path / "kpisync.toml", env={})
    changes = run_rescore(settings, world.deps)
    # The weighted and category scores that follow are pinned in test_rescore.py.
    assert [(c.indicator, c.old, c.new) for c in changes if c.kind == "indicator"] == [
        ("TCH-2", Decimal("3.00000"), Decimal("5.00000"))
    ]
    assert changes[0].old_version != changes[0].new_version
    assert run_rescore(settings, world.deps) == []


def test_database_file_is_private(world: World) -> None:
    """The SQLite file is created owner-only (0600)."""
    mode = stat.S_IMODE(world.settings.database.stat().st_mode)
    assert mode == 0o600


def test_failed_recheck_keeps_the_last_verdict(world: World) -> None:
    """When a stale file's re-check fails, the last real verdict stands (no flag flips on a Drive outage)."""
    seed(world)
    run_sync(world.settings, world.deps)
    world.clock.now += timedelta(hours=world.settings.evidence.recheck_after_hours + 1)
    world.drive.inject(RetriableError("boom", status=503))
    summary = run_sync(world.settings, world.deps)
    assert summary.counts.get("files_unchecked") == 1 and summary.outcome == "partial"
    assert "evidence_unreadable" not in flags(world, "r1")
    assert score(world, "r1").value == "7.00000"  # type: ignore[union-attr]
