"""One part Google will not serve (a form, the roster, the evidence batch, the dashboard) is passed over: the
rest of the sync goes on, the run ends "partial", and the next sync catches up."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select
from structlog.testing import capture_logs

from connectors.base import DashboardSink
from connectors.errors import (
    ConnectorError,
    FatalError,
    RetriableError,
    SkippableError,
    classify_status,
)
from connectors.memory import InMemoryForms
from daemon.dashboard.model import DashboardModel
from daemon.dashboard.publish import PublishResult
from daemon.store.models import (
    DATA_TABLES,
    Checkpoint,
    DriveFile,
    Flag,
    Form,
    Person,
    ResponseVersion,
    Score,
    SyncRun,
)
from daemon.sync.cycle import run_sync
from daemon.sync.failures import Kind, Part, hint_for, kind_of
from daemon.sync.normalize import submission_key
from tests.daemon.sync_world import CONFIG, FORM_ID, ROSTER, ROSTER_ID, World, form_json, make_world, response

FORM2 = "1FormTestSecondxxxxxxxxxxxxxxxxxxxxxxxxxx"
CONFIG_TWO_FORMS = CONFIG + CONFIG[CONFIG.index("[[forms]]") :].replace(FORM_ID, FORM2)
SOMSRI = "somsri@sukho.nfe.go.th"
SOMCHAI = "somchai@sukho.nfe.go.th"
NNET = "ร้อยละของผู้เข้าสอบ N-NET"
DOC = "1DocOkxxxxxxxxxxxxxxxxxxxxxx"
NOT_SHARED_TH = "แบบฟอร์มนี้ยังไม่ได้แชร์ให้บัญชีบริการ"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    made = make_world(tmp_path, CONFIG_TWO_FORMS)
    made.forms.add_form({**form_json(), "formId": FORM2})
    yield made
    made.deps.close()


def not_found(method: str) -> ConnectorError:
    """What the one classifier makes of a 404 on a Forms call."""
    return classify_status(
        404, reason="NOT_FOUND", domain=None, message="Requested entity was not found.", retry_after=None,
        method=method,
    )  # fmt: skip


def seed(world: World) -> None:
    world.forms.submit(FORM_ID, response("a1", SOMSRI, NNET, value="70", note="แบบแรก-a1"))
    world.forms.submit(FORM2, response("b1", SOMCHAI, NNET, value="90", note="แบบสอง-b1"))


def later(world: World, minutes: int = 15) -> None:
    world.clock.now += timedelta(minutes=minutes)


def versions(world: World, form_id: str) -> list[str]:
    with Session(world.deps.engine) as session:
        query = select(ResponseVersion.response_id).where(ResponseVersion.form_id == form_id)
        return sorted(session.exec(query).all())


def checkpoint(world: World, form_id: str) -> tuple[str, datetime | None, datetime] | None:
    with Session(world.deps.engine) as session:
        found = session.get(Checkpoint, form_id)
        return None if found is None else (found.watermark, found.full_pass_at, found.updated_at)


def score(world: World, form_id: str, rid: str) -> str | None:
    with Session(world.deps.engine) as session:
        query = select(Score.value).where(
            Score.submission_key == submission_key(form_id, rid),
            Score.is_current == True,  # noqa: E712
        )
        return session.exec(query).first()


def open_flags(world: World, form_id: str, rid: str) -> set[str]:
    with Session(world.deps.engine) as session:
        query = select(Flag.code).where(
            Flag.submission_key == submission_key(form_id, rid),
            Flag.closed_at == None,  # noqa: E711
        )
        return set(session.exec(query).all())


def run_row(world: World, run_id: str) -> SyncRun:
    with Session(world.deps.engine) as session:
        found = session.get(SyncRun, run_id)
        assert found is not None
        return found


def cells(world: World) -> set[Any]:
    sheet = world.dashboard()
    return {cell for tab in sheet.tabs for row in sheet.tab_values(tab.title) for cell in row}


def snapshot(world: World) -> dict[str, list[str]]:
    with Session(world.deps.engine) as session:
        return {
            str(table.__tablename__): sorted(
                json.dumps(row.model_dump(), default=str, sort_keys=True)
                for row in session.exec(select(table))
            )
            for table in DATA_TABLES
        }


class PageTwoFails:
    """The fake Forms, except that one form's responses.list fails on its second page (retries spent)."""

    def __init__(self, inner: InMemoryForms, form_id: str, error: ConnectorError) -> None:
        self.inner, self.form_id, self.error = inner, form_id, error

    def get_form(self, form_id: str) -> dict[str, Any]:
        return self.inner.get_form(form_id)

    def list_responses(self, form_id: str, since: datetime | None = None) -> Iterator[list[dict[str, Any]]]:
        pages = self.inner.list_responses(form_id, since)
        if form_id == self.form_id:
            yield next(pages)
            self.inner.inject(self.error, method="forms.forms.responses.list")
        yield from pages


def test_form_not_found_is_passed_over_and_caught_up(world: World) -> None:
    """A 404 on one form's forms.get: the other form is stored, scored and published, the failed form's
    checkpoint stays, one sync.form_failed event names it; the next sync catches it up and ends ok."""
    seed(world)
    assert run_sync(world.settings, world.deps).outcome == "ok"
    before = checkpoint(world, FORM_ID)
    world.forms.submit(FORM_ID, response("a2", SOMCHAI, NNET, value="50", when="2026-03-20T03:00:00.000Z"))
    world.forms.submit(FORM2, response("b2", SOMSRI, NNET, value="80", when="2026-03-20T03:00:00.000Z",
                                       note="แบบสอง-b2"))  # fmt: skip
    error = not_found("forms.forms.get")
    assert isinstance(error, FatalError)
    world.forms.inject(error, method="forms.forms.get")
    later(world)
    with capture_logs() as logs:
        summary = run_sync(world.settings, world.deps)

    assert summary.outcome == "partial" and summary.failed_forms == [FORM_ID]
    assert summary.partial_reasons == ["form"]
    assert checkpoint(world, FORM_ID) == before
    assert versions(world, FORM_ID) == ["a1"]
    assert versions(world, FORM2) == ["b1", "b2"] and score(world, FORM2, "b2") == "4.00000"
    assert "แบบสอง-b2" in cells(world)
    failed = [e for e in logs if e["event"] == "sync.form_failed"]
    assert len(failed) == 1
    assert (failed[0]["form_id"], failed[0]["kind"], failed[0]["status"]) == (FORM_ID, "fatal", 404)
    assert NOT_SHARED_TH in failed[0]["hint"] and "service account" in failed[0]["hint"]
    finished = [e for e in logs if e["event"] == "sync.finished"]
    assert finished[0]["outcome"] == "partial" and finished[0]["failed_forms"] == [FORM_ID]
    row = run_row(world, summary.run_id)
    assert row.outcome == "partial" and row.error.startswith(f"form {FORM_ID}: fatal HTTP 404")

    later(world)
    caught_up = run_sync(world.settings, world.deps)
    assert caught_up.outcome == "ok" and caught_up.failed_forms == []
    assert versions(world, FORM_ID) == ["a1", "a2"] and score(world, FORM_ID, "a2") == "1.00000"
    assert checkpoint(world, FORM_ID) != before
    assert run_row(world, caught_up.run_id).error == ""


def test_listing_fails_on_page_two_commits_nothing_of_that_form(world: World) -> None:
    """responses.list failing on page 2 stores no page of that form (no form row, responses or
    checkpoint); the other form is synced; once the fault is gone the next sync stores all of it."""
    seed(world)
    world.forms.submit(FORM_ID, response("a2", SOMCHAI, NNET, value="50"))
    world.forms.submit(FORM_ID, response("a3", "plan@sukho.nfe.go.th", NNET, value="60"))
    world.forms.page_size = 1
    world.deps.forms = PageTwoFails(world.forms, FORM_ID, RetriableError("Backend Error", status=503))
    with capture_logs() as logs:
        summary = run_sync(world.settings, world.deps)

    pages = [c for c in world.ledger.calls if c.method == "forms.forms.responses.list"]
    assert [c.status for c in pages][:2] == [200, 503]
    assert summary.outcome == "partial" and summary.failed_forms == [FORM_ID]
    assert versions(world, FORM_ID) == [] and checkpoint(world, FORM_ID) is None
    with Session(world.deps.engine) as session:
        assert session.get(Form, FORM_ID) is None and session.get(Form, FORM2) is not None
    assert versions(world, FORM2) == ["b1"] and "แบบสอง-b1" in cells(world)
    (failed,) = [e for e in logs if e["event"] == "sync.form_failed"]
    assert (failed["kind"], failed["status"]) == ("retriable", 503)

    world.deps.forms = world.forms
    later(world)
    assert run_sync(world.settings, world.deps).outcome == "ok"
    assert versions(world, FORM_ID) == ["a1", "a2", "a3"] and checkpoint(world, FORM_ID) is not None


def test_failed_form_in_dry_run_changes_nothing(world: World) -> None:
    """A dry run with one form failing still writes nothing and still reports the other form's rows."""
    seed(world)
    world.forms.inject(not_found("forms.forms.get"), method="forms.forms.get")
    before = snapshot(world)
    summary = run_sync(world.settings, world.deps, dry_run=True)
    assert summary.outcome == "partial" and summary.write_calls == 0
    assert [r.email for r in summary.score_rows] == [SOMCHAI]
    assert snapshot(world) == before


def test_unreadable_roster_keeps_the_stored_people(world: World) -> None:
    """A roster that cannot be read leaves the people table as it was (no one turns 'not in roster');
    the forms are still synced; once it reads again, the roster's changes apply."""
    seed(world)
    run_sync(world.settings, world.deps)
    without_somchai = [row for row in ROSTER if row[0] != SOMCHAI]
    world.sheets.create(ROSTER_ID, "รายชื่อ", {"รายชื่อ": without_somchai})
    world.sheets.spreadsheets[ROSTER_ID].inject(
        FatalError("The caller does not have permission", status=403, reason="PERMISSION_DENIED"),
        method="sheets.spreadsheets.values.batchGet",
    )
    world.forms.submit(FORM_ID, response("a2", SOMCHAI, NNET, value="50", when="2026-03-20T03:00:00.000Z"))
    later(world)
    with capture_logs() as logs:
        summary = run_sync(world.settings, world.deps)

    assert summary.outcome == "partial" and summary.partial_reasons == ["roster"]
    assert summary.failed_forms == []
    with Session(world.deps.engine) as session:
        assert session.get(Person, SOMCHAI).active  # type: ignore[union-attr]
    assert "not_in_roster" not in open_flags(world, FORM2, "b1")
    assert versions(world, FORM_ID) == ["a1", "a2"]
    (failed,) = [e for e in logs if e["event"] == "sync.roster_failed"]
    assert failed["status"] == 403 and "ทะเบียนบุคลากร" in failed["hint"]

    later(world)
    assert run_sync(world.settings, world.deps).outcome == "ok"
    assert "not_in_roster" in open_flags(world, FORM2, "b1")


def test_roster_unread_on_the_first_sync_flags_nobody_not_in_roster(world: World) -> None:
    """With no roster ever stored, an unreadable roster flags no one "not in roster"; the first sync that
    reads it flags exactly the people missing from it."""
    seed(world)
    world.forms.submit(FORM2, response("b2", "ghost@example.com", NNET, value="60"))
    world.sheets.spreadsheets[ROSTER_ID].inject(
        RetriableError("Backend Error", status=503), method="sheets.spreadsheets.values.batchGet"
    )
    assert run_sync(world.settings, world.deps).partial_reasons == ["roster"]
    assert "not_in_roster" not in open_flags(world, FORM2, "b2")
    assert score(world, FORM2, "b2") == "2.00000"

    later(world)
    assert run_sync(world.settings, world.deps).outcome == "ok"
    assert "not_in_roster" in open_flags(world, FORM2, "b2")
    assert "not_in_roster" not in open_flags(world, FORM2, "b1")


def test_publish_failure_keeps_the_data_and_next_sync_publishes(world: World) -> None:
    """A dashboard that refuses the write: responses, scores and checkpoints are committed, the run is
    partial for "publish", and the next sync publishes."""
    seed(world)
    world.dashboard().inject(
        FatalError("The caller does not have permission", status=403, reason="PERMISSION_DENIED"),
        method="sheets.spreadsheets.batchUpdate",
    )
    summary = run_sync(world.settings, world.deps)
    assert summary.outcome == "partial" and summary.partial_reasons == ["publish"]
    assert versions(world, FORM_ID) == ["a1"] and score(world, FORM2, "b1") == "5.00000"
    assert checkpoint(world, FORM_ID) is not None and checkpoint(world, FORM2) is not None
    assert "แบบแรก-a1" not in cells(world)
    assert len(summary.score_rows) == 2
    assert run_row(world, summary.run_id).error.startswith("publish: fatal HTTP 403")

    later(world)
    again = run_sync(world.settings, world.deps)
    assert again.outcome == "ok" and "แบบแรก-a1" in cells(world)


def test_refused_evidence_batch_keeps_the_last_verdicts(world: World) -> None:
    """A Drive batch refused as a whole (fatal, not one file's verdict) leaves every stored verdict and
    flag as it was, scoring still runs, and the run is partial for "evidence"."""
    link = f"https://drive.google.com/file/d/{DOC}/view"
    world.forms.submit(FORM_ID, response("a1", SOMSRI, NNET, value="70", links=link))
    run_sync(world.settings, world.deps)
    with Session(world.deps.engine) as session:
        checked = session.get(DriveFile, DOC)
        assert checked is not None and checked.status == "ok"
        checked_at = checked.checked_at
    world.clock.now += timedelta(hours=world.settings.evidence.recheck_after_hours + 1)
    world.forms.submit(FORM2, response("b1", SOMCHAI, NNET, value="90"))
    world.drive.inject(FatalError("Request had insufficient authentication scopes.", status=403))
    summary = run_sync(world.settings, world.deps)

    assert summary.outcome == "partial" and summary.partial_reasons == ["evidence"]
    with Session(world.deps.engine) as session:
        assert session.get(DriveFile, DOC).checked_at == checked_at  # type: ignore[union-attr]
    assert "evidence_unreadable" not in open_flags(world, FORM_ID, "a1")
    assert score(world, FORM2, "b1") == "5.00000"


def test_a_bug_still_fails_the_sync(world: World) -> None:
    """An error that is not a ConnectorError is a bug: it propagates and the run is recorded as failed."""
    seed(world)

    def publisher(
        sink: DashboardSink, model: DashboardModel, state: Any = None, *, dry_run: bool = False
    ) -> PublishResult:
        raise KeyError("bug")

    world.deps.publisher = publisher
    with pytest.raises(KeyError):
        run_sync(world.settings, world.deps)
    with Session(world.deps.engine) as session:
        assert [r.outcome for r in session.exec(select(SyncRun))] == ["failed"]


def test_every_failure_is_listed_in_the_run_record(world: World) -> None:
    """Two failed forms and a failed publish in one run: both forms and the publish are named, in order."""
    seed(world)
    world.forms.inject(not_found("forms.forms.get"), method="forms.forms.get", times=2)
    world.dashboard().inject(RetriableError("Backend Error", status=503), method="sheets.spreadsheets.get")
    summary = run_sync(world.settings, world.deps)
    assert summary.failed_forms == [FORM_ID, FORM2]
    assert summary.partial_reasons == ["form", "publish"]
    lines = run_row(world, summary.run_id).error.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"form {FORM_ID}", f"form {FORM2}", "publish"]


ERRORS = st.sampled_from([RetriableError, SkippableError, FatalError, ConnectorError])


@given(
    part=st.sampled_from(list(Part)),
    cls=ERRORS,
    status=st.one_of(st.none(), st.integers(min_value=400, max_value=599)),
    message=st.text(max_size=40),
)
def test_hint_is_one_line_in_thai_and_english(
    part: Part, cls: type[ConnectorError], status: int | None, message: str
) -> None:
    """Whatever failed and however Google answered, the hint is one line, Thai then English."""
    exc = cls(message, status=status)
    hint = hint_for(part, exc)
    assert "\n" not in hint
    thai, _, english = hint.partition(" / ")
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in thai)
    assert english and english.isascii()
    assert kind_of(exc) is {RetriableError: Kind.RETRIABLE, SkippableError: Kind.SKIPPABLE}.get(
        cls, Kind.FATAL
    )


@pytest.mark.parametrize("status", [403, 404])
def test_form_hint_names_sharing_with_the_service_account(status: int) -> None:
    """A 403 or 404 on a form tells the admin to share it with the service account."""
    hint = hint_for(Part.FORM, FatalError("x", status=status, method="forms.forms.get"))
    assert NOT_SHARED_TH in hint and "shared with the service account" in hint
