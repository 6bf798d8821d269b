"""A partial sync stores no person-round figures: computed without the form it could not read, they would be
history a run without faults never has."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from connectors.errors import RetriableError
from daemon.store.models import PersonTotalRow
from daemon.sync.cycle import run_sync
from tests.daemon.sync_world import CONFIG, FORM_ID, World, form_json, make_world, response

FORM2 = "1FormTestSecondxxxxxxxxxxxxxxxxxxxxxxxxxx"
SOMSRI = "somsri@sukho.nfe.go.th"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    made = make_world(tmp_path, CONFIG + CONFIG[CONFIG.index("[[forms]]") :].replace(FORM_ID, FORM2))
    made.forms.add_form({**form_json(), "formId": FORM2})
    yield made
    made.deps.close()


def _totals(world: World) -> list[str]:
    """Every value somsri's total for the round has had, in the order stored."""
    with Session(world.deps.engine) as session:
        query = select(PersonTotalRow).where(PersonTotalRow.email == SOMSRI, PersonTotalRow.item == "total")
        return [r.value for r in session.exec(query.order_by(col(PersonTotalRow.id)))]


def _two_new_answers(world: World) -> None:
    # A better N-NET figure (it supersedes a1) and a first step of the online-learning innovation.
    world.submit(response("a2", SOMSRI, "ร้อยละของผู้เข้าสอบ N-NET", value="90", when="2026-03-11T03:00:00.000Z"))
    world.forms.submit(FORM2, response("b1", SOMSRI, "นวัตกรรมการจัดการเรียนรู้ออนไลน์", steps=("ขั้นที่ 1",),
                                       when="2026-03-11T04:00:00.000Z"))  # fmt: skip


def _run(world: World, *, fail_first_form: bool) -> list[str]:
    world.submit(response("a1", SOMSRI, "ร้อยละของผู้เข้าสอบ N-NET", value="70"))
    assert run_sync(world.settings, world.deps).outcome == "ok"
    _two_new_answers(world)
    world.clock.now += timedelta(minutes=15)
    if fail_first_form:
        world.forms.inject(RetriableError("boom", status=503), method="forms.forms.get")
        assert run_sync(world.settings, world.deps).failed_forms == [FORM_ID]
    else:
        run_sync(world.settings, world.deps)
    world.clock.now += timedelta(minutes=15)
    assert run_sync(world.settings, world.deps).outcome == "ok"
    return _totals(world)


def test_a_sync_that_could_not_read_a_form_stores_no_figures(world: World, tmp_path: Path) -> None:
    """A run where the first form fails and the second brings somsri a new score stores no total for her;
    the next good run stores the total once: the same history as a run without the fault."""
    faulted = _run(world, fail_first_form=True)
    (tmp_path / "clean").mkdir()
    clean_world = make_world(
        tmp_path / "clean", CONFIG + CONFIG[CONFIG.index("[[forms]]") :].replace(FORM_ID, FORM2)
    )
    clean_world.forms.add_form({**form_json(), "formId": FORM2})
    try:
        clean = _run(clean_world, fail_first_form=False)
    finally:
        clean_world.deps.close()
    assert len(clean) == 2 and faulted == clean
