"""A mistyped form id in the config, through the real client libraries against the sandbox: the sync passes
that form over and still brings the three real forms to the Sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session
from structlog.testing import capture_logs

from daemon.app import build_deps
from daemon.settings import load_settings
from daemon.store.models import Checkpoint, SyncRun
from daemon.sync.cycle import run_sync
from daemon.sync.normalize import submission_key

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SUBMISSIONS_TAB = "ผลการประเมิน"
TYPO = "1FormIdWithATypoxxxxxxxxxxxxxxxxxxxxxxxxx"


def test_typo_form_id_ends_partial_with_the_real_forms_published(
    sandbox: Any, google_clients: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A form id Google does not know (404) fails only that form: the run is partial and names it, and
    every response of the three real forms is in the Sheet."""
    env = {"KPISYNC_GOOGLE_BASE_URL": sandbox.base_url, "KPISYNC_DATABASE": str(tmp_path / "kpisync.db")}
    loaded = load_settings(REPO / "config" / "kpisync.toml", env=env)
    real_forms = [form.form_id for form in loaded.forms]
    assert len(real_forms) == 3
    # First in the list, so the forms after it prove the loop goes on.
    typo = loaded.forms[0].model_copy(update={"form_id": TYPO})
    settings = loaded.model_copy(update={"forms": [typo, *loaded.forms]})
    deps = build_deps(settings)
    request.addfinalizer(deps.close)

    with capture_logs() as logs:
        summary = run_sync(settings, deps)

    assert summary.outcome == "partial" and summary.failed_forms == [TYPO]
    (failed,) = [e for e in logs if e["event"] == "sync.form_failed"]
    assert (failed["form_id"], failed["kind"], failed["status"]) == (TYPO, "fatal", 404)
    with Session(deps.engine) as session:
        run = session.get(SyncRun, summary.run_id)
        assert run is not None and run.outcome == "partial" and TYPO in run.error
        assert session.get(Checkpoint, TYPO) is None
        assert all(session.get(Checkpoint, form_id) is not None for form_id in real_forms)

    forms = google_clients.forms(sandbox.base_url)
    expected: set[str] = set()
    for form_id in real_forms:
        token = None
        while True:
            reply = forms.forms().responses().list(formId=form_id, pageToken=token).execute()
            expected.update(submission_key(form_id, r["responseId"]) for r in reply.get("responses", []))
            token = reply.get("nextPageToken")
            if not token:
                break
    assert len(expected) == sandbox.manifest["response_count"]
    sheets = google_clients.sheets(sandbox.base_url)
    grid = (
        sheets.spreadsheets().values()
        .get(spreadsheetId=settings.dashboard.spreadsheet_id, range=f"'{SUBMISSIONS_TAB}'")
        .execute()["values"]
    )  # fmt: skip
    key_col = grid[0].index("รหัสรายการ")
    published = {row[key_col] for row in grid[1:] if len(row) > key_col and row[key_col]}
    assert published == expected
