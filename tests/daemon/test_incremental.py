"""A sync recomputes only what its inputs changed: new versions are normalized, old ones only when what
normalization reads changes; scores and flags only when a submission, a verdict, a person, a committee entry,
the settings or the rubric changed, and never marked fresh by a sync that did not finish them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from connectors.base import DashboardSink, SheetsClient
from connectors.errors import RetriableError
from daemon.results import freshness
from daemon.settings import load_settings
from daemon.store import repo
from daemon.store.models import Flag, Submission
from daemon.sync.cycle import run_sync
from daemon.sync.normalize import submission_key
from tests.daemon.sync_world import CONFIG, DASHBOARD_ID, FORM_ID, World, form_json, response

SOMCHAI = "somchai@sukho.nfe.go.th"
NNET = "ร้อยละของผู้เข้าสอบ N-NET"
ALIAS = "N-NET (ร้อยละผู้เข้าสอบ)"


def stored(world: World, rid: str) -> Submission:
    with Session(world.deps.engine) as session:
        found = session.get(Submission, submission_key(FORM_ID, rid))
        assert found is not None
        return found


def tamper(world: World, rid: str, **values: object) -> None:
    """Change a stored submission behind the sync's back, to see whether a sync derives it again."""
    with Session(world.deps.engine) as session:
        row = session.get(Submission, submission_key(FORM_ID, rid))
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
        session.commit()


def open_flags(world: World, rid: str) -> set[str]:
    with Session(world.deps.engine) as session:
        query = select(Flag.code).where(
            Flag.submission_key == submission_key(FORM_ID, rid), col(Flag.closed_at).is_(None)
        )
        return set(session.exec(query).all())


def later(world: World, minutes: int = 15) -> None:
    world.clock.now += timedelta(minutes=minutes)


def test_sync_with_nothing_new_normalizes_nothing_again(world: World) -> None:
    """Stored submissions are not normalized again while neither their version nor what normalization reads
    changed; a changed form (a question renamed) normalizes every one of them again."""
    world.submit(response("r1", SOMCHAI, NNET, value="70"))
    run_sync(world.settings, world.deps)
    tamper(world, "r1", value_text="tampered")
    later(world)
    run_sync(world.settings, world.deps)
    assert stored(world, "r1").value_text == "tampered"

    changed = form_json()
    changed["items"][-1]["title"] = "หมายเหตุเพิ่มเติม"  # the note question, which the config maps, renamed
    changed["revisionId"] = "r2"
    world.forms.add_form(changed)
    later(world)
    run_sync(world.settings, world.deps)
    assert stored(world, "r1").value_text == "70"
    assert "form_changed" in open_flags(world, "r1")


def test_new_alias_reaches_submissions_already_stored(world: World, tmp_path: Path) -> None:
    """An alias added to the config maps answers stored before it, with no new response and no rescore."""
    world.submit(response("r1", SOMCHAI, ALIAS, value="70"))
    run_sync(world.settings, world.deps)
    assert stored(world, "r1").indicator_code is None
    (tmp_path / "kpisync.toml").write_text(CONFIG + f'\n[forms.indicator_aliases]\n"{ALIAS}" = "TCH-2"\n')
    settings = load_settings(tmp_path / "kpisync.toml", env={})
    later(world)
    summary = run_sync(settings, world.deps)
    assert stored(world, "r1").indicator_code == "TCH-2"
    assert summary.counts["submissions_changed"] == 1
    assert "unparseable" not in open_flags(world, "r1")


def test_results_recomputed_only_when_an_input_changed(world: World) -> None:
    """With nothing new the stored flags stand as they are; a new response recomputes every submission's."""
    world.submit(response("r1", "ghost@example.com", NNET, value="70"))
    run_sync(world.settings, world.deps)
    assert "not_in_roster" in open_flags(world, "r1")
    with Session(world.deps.engine) as session:
        for flag in session.exec(select(Flag)).all():
            session.delete(flag)
        session.commit()
    later(world)
    run_sync(world.settings, world.deps)
    assert open_flags(world, "r1") == set()

    world.submit(response("r2", SOMCHAI, NNET, value="80"))
    later(world)
    run_sync(world.settings, world.deps)
    assert "not_in_roster" in open_flags(world, "r1")


def test_changed_rubric_rescores_at_the_next_sync(world: World, tmp_path: Path) -> None:
    """A rubric edited between syncs rescores the stored submissions at the next sync, nothing new needed."""
    world.submit(response("r2", SOMCHAI, NNET, value="70"))
    run_sync(world.settings, world.deps)
    rubric = tmp_path / "rubric.toml"
    rubric.write_text(
        rubric.read_text(encoding="utf-8").replace("[[50, 1], [90, 5]]", "[[50, 1], [70, 5]]"),
        encoding="utf-8",
    )
    settings = load_settings(tmp_path / "kpisync.toml", env={})
    later(world)
    run_sync(settings, world.deps)
    with Session(world.deps.engine) as session:
        current = repo.current_scores(session)[submission_key(FORM_ID, "r2")]
    assert current.value == "5.00000"


class _OpensBrokenOnce:
    """A Sheets client with a bug that shows once, when the dashboard is opened (not a ConnectorError: the
    sync fails after the forms step committed)."""

    def __init__(self, inner: SheetsClient) -> None:
        self.inner = inner
        self.broken = True

    def open(self, spreadsheet_id: str) -> DashboardSink:
        if self.broken and spreadsheet_id == DASHBOARD_ID:
            self.broken = False
            raise RuntimeError("a bug before the results step")
        return self.inner.open(spreadsheet_id)


def test_a_sync_that_fails_after_storing_responses_leaves_results_to_the_next(world: World) -> None:
    """Responses committed by a sync that then failed are scored by the next sync, though it finds nothing
    new: the results were marked stale in the same transaction as the responses."""
    world.submit(response("r0", SOMCHAI, NNET, value="70"))
    run_sync(world.settings, world.deps)
    world.deps.sheets = _OpensBrokenOnce(world.deps.sheets)  # type: ignore[assignment]
    world.submit(response("r1", "ghost@example.com", NNET, value="70"))
    later(world)
    with pytest.raises(RuntimeError):
        run_sync(world.settings, world.deps)
    assert stored(world, "r1").value_text == "70"
    assert open_flags(world, "r1") == set()
    later(world)
    summary = run_sync(world.settings, world.deps)
    assert summary.outcome == "ok" and summary.counts.get("inserted") is None
    assert "not_in_roster" in open_flags(world, "r1")


def test_a_partial_sync_leaves_results_stale(world: World) -> None:
    """Results computed while a part went unread are not marked up to date: the next sync computes again,
    even when that part then brings nothing new."""
    world.submit(response("r1", SOMCHAI, NNET, value="70"))
    world.forms.inject(RetriableError("boom", status=503), method="forms.forms.responses.list")
    summary = run_sync(world.settings, world.deps)
    assert summary.outcome == "partial"
    with Session(world.deps.engine) as session:
        assert repo.computed_with(session, freshness.RESULTS) == ""
    later(world)
    assert run_sync(world.settings, world.deps).outcome == "ok"
    with Session(world.deps.engine) as session:
        assert repo.computed_with(session, freshness.RESULTS) == freshness.results_digest(world.settings)
