"""What the daemon does when the sandbox refuses as Google does (issue 8's refusals, seen from the daemon):
an unshared form, roster or dashboard, Drive's 403 rate limit, a hard-protected dashboard, a cell over 50,000
characters, a write over 10 MB, date-like text the committee types, and a form that collects no email."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
from sqlmodel import Session, select

from daemon.app import build_deps
from daemon.settings import Settings
from daemon.store.models import Flag, Review
from daemon.sync.cycle import SyncDeps, run_sync
from daemon.sync.run_record import SyncSummary
from tests.integration.test_trust_sandbox import fast_settings

pytestmark = pytest.mark.integration

STRANGER = "someone-else@example.com"
SUBMISSIONS = "ผลการประเมิน"


def control(sandbox: Any, method: str, path: str, body: dict[str, Any]) -> None:
    requests.request(method, f"{sandbox.base_url}{path}", json=body, timeout=30).raise_for_status()


@pytest.fixture
def office(sandbox: Any, tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Settings, SyncDeps]:
    settings = fast_settings(sandbox, tmp_path)
    deps = build_deps(settings)
    request.addfinalizer(deps.close)
    return settings, deps


def unshare(sandbox: Any, kind: str, resource_id: str) -> None:
    """The owner removes the service account: only someone else may edit."""
    control(sandbox, "PUT", f"/sandbox/{kind}/{resource_id}/access", {"editors": [STRANGER], "readers": []})


def failure(summary: SyncSummary, part: str) -> Any:
    return next(f for f in summary.failures if f.part.value == part)


def test_a_form_not_shared_fails_that_form_with_the_sharing_hint(sandbox: Any, office: Any) -> None:
    """forms.get answers 403 PERMISSION_DENIED: that form is passed over (partial), the hint says to share
    it with the service account as an editor, and the other forms sync."""
    settings, deps = office
    teacher = sandbox.manifest["forms"]["teacher"]
    unshare(sandbox, "forms", teacher)
    summary = run_sync(settings, deps)
    assert summary.outcome == "partial" and summary.failed_forms == [teacher]
    hint = failure(summary, "form").hint
    assert failure(summary, "form").status == 403 and "editor" in hint and "แชร์" in hint
    assert summary.counts["inserted"] > 0


@pytest.mark.parametrize(("which", "part"), [("roster", "roster"), ("dashboard", "publish")])
def test_a_spreadsheet_not_shared_fails_its_part(sandbox: Any, office: Any, which: str, part: str) -> None:
    """The roster or the dashboard spreadsheet answers 403: that part fails with the sharing hint; the forms
    still sync into the database."""
    settings, deps = office
    unshare(sandbox, "spreadsheets", sandbox.manifest["spreadsheets"][which])
    summary = run_sync(settings, deps)
    assert summary.outcome == "partial" and part in summary.partial_reasons
    assert failure(summary, part).status == 403 and "service account" in failure(summary, part).hint
    assert summary.counts["inserted"] == sandbox.manifest["response_count"]


def test_drive_403_rate_limit_is_retried_like_a_429(sandbox: Any, office: Any) -> None:
    """Drive's usual over-quota answer, 403 userRateLimitExceeded on the batch, is waited out and retried:
    the sync ends ok with every file checked."""
    settings, deps = office
    control(
        sandbox,
        "POST",
        "/sandbox/faults",
        {"rules": [{"api": "drive", "method": "batch", "fault": "403rate", "times": 2}]},
    )
    summary = run_sync(settings, deps)
    assert summary.outcome == "ok" and summary.counts["files_checked"] == summary.counts["files_to_check"]


def test_a_hard_protection_without_the_service_account_fails_publish_with_google_s_words(
    sandbox: Any, office: Any, google_clients: Any
) -> None:
    """An admin protects the submissions tab for themselves only: the daemon's next write is refused, the
    run is partial (publish) and its record carries Google's reason; the data is saved."""
    settings, deps = office
    assert run_sync(settings, deps).outcome == "ok"
    sheets = google_clients.sheets(sandbox.base_url)
    sid = settings.dashboard.spreadsheet_id
    tabs = sheets.spreadsheets().get(spreadsheetId=sid).execute()["sheets"]
    tab = next(t["properties"]["sheetId"] for t in tabs if t["properties"]["title"] == SUBMISSIONS)
    protect = {"range": {"sheetId": tab}, "warningOnly": False, "editors": {"users": [STRANGER]}}
    sheets.spreadsheets().batchUpdate(
        spreadsheetId=sid, body={"requests": [{"addProtectedRange": {"protectedRange": protect}}]}
    ).execute()
    first = sandbox.manifest["forms"]["all_staff"]
    answers = _answers_of_first(google_clients, sandbox, first)
    control(
        sandbox,
        "POST",
        f"/sandbox/forms/{first}/responses",
        {"respondentEmail": _email(sandbox), "answers": answers},
    )
    summary = run_sync(settings, deps)
    assert summary.outcome == "partial" and summary.partial_reasons == ["publish"]
    assert "protected cell" in failure(summary, "publish").message


def _email(sandbox: Any) -> str:
    return str(sandbox.manifest["roster"]["emails"][0])


def _answers_of_first(google_clients: Any, sandbox: Any, form_id: str) -> dict[str, Any]:
    """The text answers of the form's first response, in the sandbox's submit shape."""
    forms = google_clients.forms(sandbox.base_url)
    first = forms.forms().responses().list(formId=form_id).execute()["responses"][0]
    return {
        qid: [a["value"] for a in answer["textAnswers"]["answers"]]
        for qid, answer in first["answers"].items()
        if "textAnswers" in answer
    }


def _note_question(sandbox: Any, form_id: str) -> str:
    return str(sandbox.manifest["questions"][form_id]["หมายเหตุ"])


def test_an_answer_over_50000_characters_is_cut_and_flagged(
    sandbox: Any, office: Any, google_clients: Any
) -> None:
    """A respondent pastes 60,000 characters into the note: the cell is cut at Google's 50,000 limit with a
    flag, and the dashboard publishes for everyone."""
    settings, deps = office
    form_id = sandbox.manifest["forms"]["all_staff"]
    answers = _answers_of_first(google_clients, sandbox, form_id)
    answers[_note_question(sandbox, form_id)] = ["ก" * 60_000]
    control(
        sandbox,
        "POST",
        f"/sandbox/forms/{form_id}/responses",
        {"respondentEmail": _email(sandbox), "answers": answers},
    )
    summary = run_sync(settings, deps)
    assert summary.outcome == "ok"
    with Session(deps.engine) as session:
        flag = session.exec(select(Flag).where(Flag.code == "cell_truncated")).one()
    assert "60,000" in flag.detail and "50,000" in flag.detail


def test_a_dashboard_over_10_mb_is_written_in_chunks(sandbox: Any, office: Any, google_clients: Any) -> None:
    """250 submissions with 45,000-character notes (about 11 MB of cells): the dashboard still publishes,
    each request within Google's 10 MB (and its 2 MB advice)."""
    settings, deps = office
    form_id = sandbox.manifest["forms"]["all_staff"]
    answers = _answers_of_first(google_clients, sandbox, form_id)
    note = _note_question(sandbox, form_id)
    for i in range(250):
        body = {"respondentEmail": _email(sandbox), "answers": {**answers, note: [f"{i} " + "ข" * 45_000]}}
        control(sandbox, "POST", f"/sandbox/forms/{form_id}/responses", body)
    summary = run_sync(settings, deps)
    assert summary.outcome == "ok"
    writes = [c for c in deps.ledger.calls if c.api == "sheets" and c.is_write]
    assert writes and max(c.request_bytes for c in writes) <= 2 * 1024 * 1024


def test_a_date_the_committee_types_is_kept_as_they_see_it(
    sandbox: Any, office: Any, google_clients: Any
) -> None:
    """A committee comment typed as "15/8/2569" becomes a date serial under USER_ENTERED; the daemon keeps
    the comment as the committee reads it, not 243xxx."""
    settings, deps = office
    assert run_sync(settings, deps).outcome == "ok"
    sheets = google_clients.sheets(sandbox.base_url)
    sid = settings.dashboard.spreadsheet_id
    grid = sheets.spreadsheets().values().get(spreadsheetId=sid, range=f"'{SUBMISSIONS}'").execute()["values"]
    header = grid[0]
    column = chr(ord("A") + header.index("ความเห็นกรรมการ"))
    key = grid[1][header.index("รหัสรายการ")]
    sheets.spreadsheets().values().update(
        spreadsheetId=sid,
        range=f"'{SUBMISSIONS}'!{column}2",
        valueInputOption="USER_ENTERED",
        body={"values": [["15/8/2026"]]},
    ).execute()
    assert run_sync(settings, deps).outcome == "ok"
    with Session(deps.engine) as session:
        review = session.exec(select(Review).where(Review.submission_key == key)).one()
    assert review.comment == "15/8/2026"


def test_a_form_that_collects_no_email_matches_respondents_by_name(
    sandbox: Any, office: Any, google_clients: Any
) -> None:
    """With emailCollectionType DO_NOT_COLLECT responses carry no respondentEmail: the daemon matches them
    to the roster by the name question, so nobody is flagged "not in the roster"."""
    settings, deps = office
    form_id = sandbox.manifest["forms"]["district"]
    forms = google_clients.forms(sandbox.base_url)
    forms.forms().batchUpdate(
        formId=form_id,
        body={
            "requests": [
                {
                    "updateSettings": {
                        "settings": {"emailCollectionType": "DO_NOT_COLLECT"},
                        "updateMask": "emailCollectionType",
                    }
                }
            ]
        },
    ).execute()
    answers = _answers_of_first(google_clients, sandbox, form_id)
    name_question = sandbox.manifest["questions"][form_id]["ชื่อ-นามสกุล"]
    roster = google_clients.sheets(sandbox.base_url).spreadsheets().values()
    rows = roster.get(spreadsheetId=sandbox.manifest["spreadsheets"]["roster"], range="'รายชื่อ'").execute()
    answers[name_question] = [rows["values"][1][rows["values"][0].index("ชื่อ-นามสกุล")]]
    control(sandbox, "POST", f"/sandbox/forms/{form_id}/responses", {"answers": answers})
    assert run_sync(settings, deps).outcome == "ok"
    with Session(deps.engine) as session:
        unmatched = session.exec(select(Flag).where(Flag.code == "not_in_roster", Flag.detail == "-")).all()
    assert unmatched == []
