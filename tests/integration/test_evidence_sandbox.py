"""The sample world's unopenable evidence links (sandbox/SAMPLE_SPEC.md: not shared, deleted, trashed) reach
the committee as "not readable", never as "required evidence missing".

The seed sends each as the only evidence for ALL-1 (DMIS 100%, evidence_present): 0 points either way, but
"missing" would tell the officer to send a document they already sent. The seed has no same-content upload
(every sample file has its own random md5Checksum), so "the same file sent twice" by content is covered on
the in-memory fakes in tests/daemon/test_evidence_facts.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from daemon.app import build_deps
from daemon.settings import load_settings
from daemon.store.models import Flag, Score, Submission
from daemon.sync.cycle import run_sync
from scoring.flags import FlagCode

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def test_unopenable_links_in_the_sample_are_unreadable_not_missing(
    sandbox: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Not shared, deleted and trashed DMIS evidence: flagged unreadable, scored 0, never "missing"."""
    env = {"KPISYNC_GOOGLE_BASE_URL": sandbox.base_url, "KPISYNC_DATABASE": str(tmp_path / "kpisync.db")}
    settings = load_settings(REPO / "config" / "kpisync.toml", env=env)
    deps = build_deps(settings)
    request.addfinalizer(deps.close)
    assert run_sync(settings, deps).outcome == "ok"
    responses = sandbox.manifest["evidence_responses"]
    with Session(deps.engine) as session:
        for case in ("unreadable", "deleted", "trashed"):
            query = select(Submission.key).where(Submission.response_id == responses[case])
            key = session.exec(query).one()
            codes = {
                f.code
                for f in session.exec(
                    select(Flag).where(Flag.submission_key == key, Flag.closed_at == None)  # noqa: E711
                )
            }
            assert FlagCode.EVIDENCE_UNREADABLE.value in codes, case
            assert FlagCode.EVIDENCE_MISSING.value not in codes, case
            score = session.exec(
                select(Score).where(Score.submission_key == key, Score.is_current == True)  # noqa: E712
            ).one()
            assert score.indicator_code == "ALL-1" and score.value == "0.00000", case
